import Foundation
import TutorCore

/// A condition on `questionID` and its argument ("" and none: every question).
typealias QuestionFilter = (sql: String, arguments: [any SQLBindable])

extension SQLProgressStore {
  // MARK: - Reading

  /// Everything the screens show about a learner: the saved changes replayed through the
  /// core's fold, attempt by attempt, then the resume point as saved.
  public func progress(learner: Int64) throws -> LearnerProgress {
    try read { try progress($0, learner: learner) }
  }

  func progress(_ db: Connection, learner: Int64) throws -> LearnerProgress {
    var progress = LearnerProgress()
    let epoch = Date(timeIntervalSince1970: 0)
    try db.forEach("SELECT lessonID, step, completedAt IS NOT NULL FROM lessonState WHERE learnerId = ?", [learner]) {
      row in
      let id = try row.string(0)
      progress.apply(.lessonPositionSaved(lessonID: id, step: try row.int(1)), at: epoch)
      if try row.bool(2) { progress.apply(.lessonCompleted(lessonID: id), at: epoch) }
    }
    // Only what the fold reads of lesson answers (the partial index answerInLesson finds them
    // without walking the learner's whole history).
    try db.forEach(
      """
      SELECT questionID, questionVersion, lessonID, mode, score FROM answer
      WHERE learnerId = ? AND lessonID IS NOT NULL ORDER BY answeredAt, id
      """, [learner]
    ) { row in
      let answer = AnswerRecord.saved(
        questionID: try row.string(0), questionVersion: try row.int(1), quizID: nil, attempt: nil,
        lessonID: try row.string(2), mode: try studyMode(try row.string(3)), response: "",
        grade: Grade(score: try row.double(4)), hintsUsed: 0, confidence: nil, durationMilliseconds: nil,
        shownOrder: [], given: nil)
      progress.apply(.answerRecorded(answer), at: epoch)
    }
    // Each quiz's scores and open attempt from its summary row; only an open attempt is read in full.
    let quizzes = try db.rows(
      "SELECT quizID, bestPoints, bestTotal, lastPoints, lastTotal, openAttemptId FROM quizState WHERE learnerId = ?",
      [learner]
    ) { row in
      var quiz = QuizProgress()
      if let points = try row.doubleOrNil(1), let total = try row.intOrNil(2) {
        quiz.bestScore = Score(points: points, total: total)
      }
      if let points = try row.doubleOrNil(3), let total = try row.intOrNil(4) {
        quiz.lastScore = Score(points: points, total: total)
      }
      return (id: try row.string(0), quiz: quiz, open: try row.int64OrNil(5))
    }
    for (quizID, quiz, open) in quizzes {
      progress.quizzes[quizID] = quiz
      guard let open,
        let begun = try db.one(
          "SELECT seed, questionOrder, mode, asksConfidence, startedAt FROM quizAttempt WHERE id = ?", [open],
          { row in
            (
              change: ProgressChange.attemptBegun(
                quizID: quizID, seed: UInt64(bitPattern: try row.int64(0)),
                order: (try? JSONDecoder().decode([String].self, from: Data(try row.string(1).utf8))) ?? [],
                mode: try quizMode(try row.string(2)), asksConfidence: try row.bool(3)),
              at: try row.date(4)
            )
          })
      else { continue }
      progress.apply(begun.change, at: begun.at, attemptID: open)
      try db.forEach(
        "SELECT \(Self.answerColumns) FROM answer WHERE quizAttemptId = ? ORDER BY answeredAt, id", [open]
      ) { progress.apply(.answerRecorded(try answerRecord($0)), at: epoch) }
    }
    try db.forEach("SELECT questionID FROM flag WHERE learnerId = ?", [learner]) {
      progress.apply(.questionFlagged(questionID: try $0.string(0), isFlagged: true), at: epoch)
    }
    progress.resume = try db.one("SELECT kind, itemID, step FROM resume WHERE learnerId = ?", [learner]) { row in
      let item = try row.string(1)
      return try row.string(0) == "quiz" ? .quiz(id: item) : .lesson(id: item, step: try row.int(2))
    }
    return progress
  }

  /// The columns `answerRecord(row)` reads, in its order.
  static var answerColumns: String {
    """
    questionID, questionVersion, quizID, quizAttemptId, lessonID, mode, response, score, chosen, hintsUsed, \
    confidence, durationMs, shownOrder, responseData
    """
  }

  /// An answer row as the record it was saved from (what the fold and the statistics need).
  func answerRecord(_ row: some SQLRowReader) throws -> AnswerRecord {
    AnswerRecord.saved(
      questionID: try row.string(0), questionVersion: try row.int(1), quizID: try row.stringOrNil(2),
      attempt: try row.int64OrNil(3), lessonID: try row.stringOrNil(4), mode: try studyMode(try row.string(5)),
      response: try row.string(6),
      grade: Grade(score: try row.double(7), chosenChoiceIDs: try JSONColumn.decodeJSON(try row.string(8))),
      hintsUsed: try row.int(9), confidence: try row.stringOrNil(10).flatMap(Confidence.init(rawValue:)),
      durationMilliseconds: try row.intOrNil(11),
      shownOrder: try JSONColumn.decodeJSON(try row.stringOrNil(12) ?? "[]"),
      given: try row.stringOrNil(13).flatMap { try? JSONDecoder().decode(Response.self, from: Data($0.utf8)) })
  }

  /// The mode columns, read back; an unknown value is reported, never guessed.
  func studyMode(_ text: String) throws -> StudyMode {
    guard let mode = StudyMode(rawValue: text) else {
      throw StoreError.unreadableValue(path: storeName, detail: "unknown mode '\(text)'")
    }
    return mode
  }

  func quizMode(_ text: String) throws -> QuizMode {
    guard let mode = QuizMode(rawValue: text) else {
      throw StoreError.unreadableValue(path: storeName, detail: "unknown quiz mode '\(text)'")
    }
    return mode
  }

  /// Number of answers recorded for a learner (all contexts).
  public func answerCount(learner: Int64) throws -> Int {
    try read { try $0.one("SELECT COUNT(*) FROM answer WHERE learnerId = ?", [learner]) { try $0.int(0) } ?? 0 }
  }

  /// Ids of every recorded answer, in order (for crash-safety tests).
  public func answerIDs() throws -> [Int64] {
    try read { try $0.rows("SELECT id FROM answer ORDER BY id") { try $0.int64(0) } }
  }

  /// Every question a learner has answered: how often, how often right, and the options picked
  /// in wrong answers. Predictions are not questions; an exam's answers count once it is
  /// submitted (never, if it was abandoned).
  /// In one read transaction: each separate read costs four statements more.
  public func progressReview(learner: Int64, now: Date, questions: () -> [String]?) throws -> ProgressReview {
    try read { db in
      var progress = try progress(db, learner: learner)
      progress.review = try Self.reviewQueue(db, learner: learner, now: now)
      // Worth it when the learner has many more questions than the course (another course's,
      // or made-up ones); a few hundred rows are read faster whole.
      let course = progress.review.scheduled > 1000 ? questions() : nil
      let only = try Self.onlyQuestions(course, db.dialect)
      // Each scheduled question has been answered and has a memory: room for them at once
      // (growing the two dictionaries hashed every id again at each doubling).
      let expected = min(progress.review.scheduled, course?.count ?? .max)
      return ProgressReview(
        progress: progress, stats: try answerStats(db, learner: learner, only: only, expected: expected),
        history: try history(db, learner: learner, now: now, only: only, expected: expected), now: now)
    }
  }

  /// A filter on `questionID` to the questions named, as one argument (a JSON list): with a
  /// course of a few hundred questions, a store of twenty thousand reads only those.
  static func onlyQuestions(_ only: [String]?, _ dialect: SQLDialect) throws -> QuestionFilter {
    guard let only else { return ("", []) }
    return (" AND questionID IN (\(dialect.jsonListMembers("?")))", [try JSONColumn.json(only)])
  }

  /// Each scheduled question's memory, the days studied, the scored attempts: summaries, never
  /// the answer history (a row per question, per day, per attempt).
  func history(
    _ db: Connection, learner: Int64, now: Date, only filter: QuestionFilter = ("", []), expected: Int = 0
  ) throws -> StudyHistory {
    var history = StudyHistory(today: CalendarDay.local(now))
    history.memory.reserveCapacity(expected)
    try db.forEach(
      """
      SELECT questionID, stability, lastReview FROM reviewCard
      WHERE learnerId = ? AND stability IS NOT NULL AND lastReview IS NOT NULL\(filter.sql)
      """, [learner as any SQLBindable] + filter.arguments
    ) { row in
      history.memory[try row.string(0)] = StudyHistory.Memory(stability: try row.double(1), lastReview: try row.date(2))
    }
    try db.forEach(
      "SELECT day, answers, milliseconds FROM studyDay WHERE learnerId = ? AND answers > 0 ORDER BY day", [learner]
    ) { row in
      guard let day = CalendarDay(try row.string(0)) else { return }
      history.days.append(StudyHistory.Day(day: day, answers: try row.int(1), milliseconds: try row.int(2)))
    }
    let counted = QuizMode.allCases.filter(\.countsAsScore).map { "'\($0.rawValue)'" }.joinedText(separator: ", ")
    try db.forEach(
      """
      SELECT quizID, finishedAt, points, total FROM quizAttempt
      WHERE learnerId = ? AND finishedAt IS NOT NULL AND points IS NOT NULL AND total IS NOT NULL
        AND mode IN (\(counted))
      ORDER BY finishedAt, id
      """, [learner]
    ) { row in
      history.attempts.append(
        StudyHistory.ScoredAttempt(
          quizID: try row.string(0), finishedAt: try row.date(1),
          score: Score(points: try row.double(2), total: try row.int(3))))
    }
    return history
  }

  public func answerStats(learner: Int64) throws -> [String: AnswerStats] {
    try read { try answerStats($0, learner: learner) }
  }

  func answerStats(_ db: Connection, learner: Int64, only filter: QuestionFilter = ("", []), expected: Int = 0)
    throws -> [String: AnswerStats]
  {
    var stats = [String: AnswerStats](minimumCapacity: expected)
    // The wrong picks' JSON (`{"b":2}`, written by `JSONColumn.json`) is read as it is scanned:
    // a second query through the database's JSON table function cost more than the first.
    try db.forEach(
      """
      SELECT questionID, answers, "right", lastRight, recentAnswers, recentRight, wrongPicks FROM questionStats
      WHERE learnerId = ?
      """ + filter.sql, [learner as any SQLBindable] + filter.arguments
    ) { row in
      let picks = try row.string(6)
      stats[try row.string(0)] = AnswerStats(
        answers: try row.int(1), right: try row.int(2),
        wrongPicks: picks == "{}" ? [:] : JSONColumn.decodeCounts(picks),
        lastRight: try row.boolOrNil(3), recentAnswers: try row.int(4), recentRight: try row.int(5))
    }
    return stats
  }
}
