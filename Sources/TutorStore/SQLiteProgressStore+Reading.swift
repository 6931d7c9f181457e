import Foundation
import GRDB
import TutorCore

/// A condition on `questionID` and its argument ("" and none: every question).
typealias QuestionFilter = (sql: String, arguments: StatementArguments)

extension SQLiteProgressStore {
  // MARK: - Reading

  /// Everything the screens show about a learner: the saved changes replayed through the
  /// core's fold, attempt by attempt, then the resume point as saved.
  public func progress(learner: Int64) throws -> LearnerProgress {
    try reading { try progress($0, learner: learner) }
  }

  func progress(_ db: Database, learner: Int64) throws -> LearnerProgress {
    var progress = LearnerProgress()
    let epoch = Date(timeIntervalSince1970: 0)
    for row in try Row.fetchAll(
      db, sql: "SELECT lessonID, step, completedAt FROM lessonState WHERE learnerId = ?", arguments: [learner])
    {
      let id: String = try row.decode(forColumn: "lessonID")
      progress.apply(.lessonPositionSaved(lessonID: id, step: try row.decode(forColumn: "step")), at: epoch)
      if !row.hasNull(atIndex: 2) {
        progress.apply(.lessonCompleted(lessonID: id), at: epoch)
      }
    }
    // Only what the fold reads of lesson answers (the partial index answerInLesson finds them
    // without walking the learner's whole history).
    // Read through a cursor by column index: there can be many.
    let lessonAnswers = try Row.fetchCursor(
      db,
      sql: """
        SELECT questionID, questionVersion, lessonID, mode, score FROM answer
        WHERE learnerId = ? AND lessonID IS NOT NULL ORDER BY answeredAt, id
        """, arguments: [learner])
    while let row = try lessonAnswers.next() {
      let answer = AnswerRecord.saved(
        questionID: try row.decode(atIndex: 0), questionVersion: try row.decode(atIndex: 1),
        quizID: nil, attempt: nil, lessonID: try row.decode(atIndex: 2),
        mode: try studyMode(try row.decode(atIndex: 3)), response: "",
        grade: Grade(score: try row.decode(atIndex: 4)), hintsUsed: 0, confidence: nil,
        durationMilliseconds: nil, shownOrder: [], given: nil)
      progress.apply(.answerRecorded(answer), at: epoch)
    }
    // Each quiz's scores and open attempt from its summary row; only an open attempt is read in full.
    for row in try Row.fetchAll(db, sql: "SELECT * FROM quizState WHERE learnerId = ?", arguments: [learner]) {
      var quiz = QuizProgress()
      if let points: Double = row["bestPoints"], let total: Int = row["bestTotal"] {
        quiz.bestScore = Score(points: points, total: total)
      }
      if let points: Double = row["lastPoints"], let total: Int = row["lastTotal"] {
        quiz.lastScore = Score(points: points, total: total)
      }
      let quizID: String = try row.decode(forColumn: "quizID")
      progress.quizzes[quizID] = quiz
      guard let id: Int64 = row["openAttemptId"],
        let attempt = try Row.fetchOne(db, sql: "SELECT * FROM quizAttempt WHERE id = ?", arguments: [id])
      else { continue }
      let orderText: String = try attempt.decode(forColumn: "questionOrder")
      let seed: Int64 = try attempt.decode(forColumn: "seed")
      progress.apply(
        .attemptBegun(
          quizID: quizID, seed: UInt64(bitPattern: seed),
          order: (try? JSONDecoder().decode([String].self, from: Data(orderText.utf8))) ?? [],
          mode: try self.quizMode(try attempt.decode(forColumn: "mode")),
          asksConfidence: try attempt.decode(forColumn: "asksConfidence")),
        at: try attempt.decode(StoredDate.self, forColumn: "startedAt").date, attemptID: id)
      for answer in try Row.fetchAll(
        db, sql: "SELECT * FROM answer WHERE quizAttemptId = ? ORDER BY answeredAt, id", arguments: [id])
      {
        progress.apply(.answerRecorded(try self.answerRecord(answer)), at: epoch)
      }
    }
    for id in try String.fetchAll(db, sql: "SELECT questionID FROM flag WHERE learnerId = ?", arguments: [learner]) {
      progress.apply(.questionFlagged(questionID: id, isFlagged: true), at: epoch)
    }
    progress.resume = nil
    if let row = try Row.fetchOne(
      db, sql: "SELECT kind, itemID, step FROM resume WHERE learnerId = ?", arguments: [learner])
    {
      let item: String = try row.decode(forColumn: "itemID")
      let kind: String = try row.decode(forColumn: "kind")
      progress.resume = kind == "quiz" ? .quiz(id: item) : .lesson(id: item, step: try row.decode(forColumn: "step"))
    }
    return progress
  }

  /// An answer row as the record it was saved from (what the fold and the statistics need).
  func answerRecord(_ row: Row) throws -> AnswerRecord {
    let confidence: String? = try row.decode(forColumn: "confidence")
    return AnswerRecord.saved(
      questionID: try row.decode(forColumn: "questionID"),
      questionVersion: try row.decode(forColumn: "questionVersion"),
      quizID: try row.decode(forColumn: "quizID"), attempt: try row.decode(forColumn: "quizAttemptId"),
      lessonID: try row.decode(forColumn: "lessonID"), mode: try studyMode(try row.decode(forColumn: "mode")),
      response: try row.decode(forColumn: "response"),
      grade: Grade(
        score: try row.decode(forColumn: "score"),
        chosenChoiceIDs: try JSONColumn.decodeJSON(try row.decode(forColumn: "chosen"))),
      hintsUsed: try row.decode(forColumn: "hintsUsed"), confidence: confidence.flatMap(Confidence.init(rawValue:)),
      durationMilliseconds: try row.decode(forColumn: "durationMs"),
      shownOrder: try JSONColumn.decodeJSON(try row.decode(forColumn: "shownOrder") ?? "[]"),
      given: (try row.decode(forColumn: "responseData") as String?).flatMap {
        try? JSONDecoder().decode(Response.self, from: Data($0.utf8))
      })
  }

  /// The mode columns, read back; an unknown value is reported, never guessed.
  func studyMode(_ text: String) throws -> StudyMode {
    guard let mode = StudyMode(rawValue: text) else {
      throw StoreError.unreadableValue(path: path, detail: "unknown mode '\(text)'")
    }
    return mode
  }

  func quizMode(_ text: String) throws -> QuizMode {
    guard let mode = QuizMode(rawValue: text) else {
      throw StoreError.unreadableValue(path: path, detail: "unknown quiz mode '\(text)'")
    }
    return mode
  }

  /// Number of answers recorded for a learner (all contexts).
  public func answerCount(learner: Int64) throws -> Int {
    try reading {
      try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answer WHERE learnerId = ?", arguments: [learner]) ?? 0
    }
  }

  /// Ids of every recorded answer, in order (for crash-safety tests).
  public func answerIDs() throws -> [Int64] {
    try reading { try Int64.fetchAll($0, sql: "SELECT id FROM answer ORDER BY id") }
  }

  /// Every question a learner has answered: how often, how often right, and the options picked
  /// in wrong answers. Predictions are not questions; an exam's answers count once it is
  /// submitted (never, if it was abandoned).
  /// In one read transaction: each separate read costs four statements more.
  public func progressReview(learner: Int64, now: Date, questions: () -> [String]?) throws -> ProgressReview {
    try reading { db in
      var progress = try progress(db, learner: learner)
      progress.review = try reviewQueue(db, learner: learner, now: now)
      // Worth it when the learner has many more questions than the course (another course's,
      // or made-up ones); a few hundred rows are read faster whole.
      let only = progress.review.scheduled > 1000 ? try Self.onlyQuestions(questions()) : ("", [])
      return ProgressReview(
        progress: progress, stats: try answerStats(db, learner: learner, only: only),
        history: try history(db, learner: learner, now: now, only: only), now: now)
    }
  }

  /// A filter on `questionID` to the questions named, as one argument (a JSON list): with a
  /// course of a few hundred questions, a store of twenty thousand reads only those.
  static func onlyQuestions(_ only: [String]?) throws -> QuestionFilter {
    guard let only else { return ("", []) }
    return (" AND questionID IN (SELECT value FROM json_each(?))", [try JSONColumn.json(only)])
  }

  /// Each scheduled question's memory, the days studied, the scored attempts: summaries, never
  /// the answer history (a row per question, per day, per attempt).
  func history(_ db: Database, learner: Int64, now: Date, only filter: QuestionFilter = ("", [])) throws
    -> StudyHistory
  {
    var history = StudyHistory(today: CalendarDay.local(now))
    let cards = try Row.fetchCursor(
      db,
      sql: """
        SELECT questionID, stability, lastReview FROM reviewCard
        WHERE learnerId = ? AND stability IS NOT NULL AND lastReview IS NOT NULL\(filter.sql)
        """, arguments: [learner] + filter.arguments)
    while let row = try cards.next() {
      history.memory[try row.decode(atIndex: 0)] = StudyHistory.Memory(
        stability: try row.decode(atIndex: 1), lastReview: try row.decode(StoredDate.self, atIndex: 2).date)
    }
    let days = try Row.fetchCursor(
      db, sql: "SELECT day, answers, milliseconds FROM studyDay WHERE learnerId = ? AND answers > 0 ORDER BY day",
      arguments: [learner])
    while let row = try days.next() {
      guard let day = CalendarDay(try row.decode(String.self, atIndex: 0)) else { continue }
      history.days.append(
        StudyHistory.Day(day: day, answers: try row.decode(atIndex: 1), milliseconds: try row.decode(atIndex: 2)))
    }
    let counted = QuizMode.allCases.filter(\.countsAsScore).map { "'\($0.rawValue)'" }.joined(separator: ", ")
    let attempts = try Row.fetchCursor(
      db,
      sql: """
        SELECT quizID, finishedAt, points, total FROM quizAttempt
        WHERE learnerId = ? AND finishedAt IS NOT NULL AND points IS NOT NULL AND total IS NOT NULL
          AND mode IN (\(counted))
        ORDER BY finishedAt, id
        """, arguments: [learner])
    while let row = try attempts.next() {
      history.attempts.append(
        StudyHistory.ScoredAttempt(
          quizID: try row.decode(atIndex: 0), finishedAt: try row.decode(StoredDate.self, atIndex: 1).date,
          score: Score(points: try row.decode(atIndex: 2), total: try row.decode(atIndex: 3))))
    }
    return history
  }

  public func answerStats(learner: Int64) throws -> [String: AnswerStats] {
    try reading { try answerStats($0, learner: learner) }
  }

  func answerStats(_ db: Database, learner: Int64, only filter: QuestionFilter = ("", [])) throws
    -> [String: AnswerStats]
  {
    var stats: [String: AnswerStats] = [:]
    // Cursors read by column index: a row per answered question, and one per wrong pick.
    let questions = try Row.fetchCursor(
      db,
      sql:
        "SELECT questionID, answers, right, lastRight, recentAnswers, recentRight FROM questionStats WHERE learnerId = ?"
        + filter.sql,
      arguments: [learner] + filter.arguments)
    while let row = try questions.next() {
      stats[try row.decode(atIndex: 0)] = AnswerStats(
        answers: try row.decode(atIndex: 1), right: try row.decode(atIndex: 2), lastRight: try row.decode(atIndex: 3),
        recentAnswers: try row.decode(atIndex: 4), recentRight: try row.decode(atIndex: 5))
    }
    // The wrong picks' JSON is read by SQLite (json_each), much faster than a decoder per row.
    let picks = try Row.fetchCursor(
      db,
      sql: """
        SELECT questionID, picked.key AS choice, picked.value AS times
        FROM questionStats, json_each(questionStats.wrongPicks) AS picked WHERE learnerId = ?\(filter.sql)
        """, arguments: [learner] + filter.arguments)
    while let row = try picks.next() {
      stats[try row.decode(atIndex: 0), default: AnswerStats()].wrongPicks[try row.decode(atIndex: 1)] =
        try row.decode(atIndex: 2)
    }
    return stats
  }

}
