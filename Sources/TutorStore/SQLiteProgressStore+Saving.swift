import Foundation
import GRDB
import TutorCore

extension SQLiteProgressStore {
  // MARK: - Writing

  /// Saves one change in its own committed transaction.
  @discardableResult
  public func save(_ change: ProgressChange, learner: Int64, at date: Date) throws -> SaveReceipt {
    switch change {
    case .answerRecorded(let answer):
      try record(answer, learner: learner, at: date)
      if answer.rating != nil, let card = try reviewCard(learner: learner, questionID: answer.questionID) {
        return .scheduled(questionID: answer.questionID, due: card.card.due)
      }
    case .answerWithdrawn(let questionID, let attempt):
      try withdrawLastAnswer(questionID: questionID, attempt: attempt, learner: learner)
    case .attemptBegun(let quizID, let seed, let order, let mode, let asksConfidence):
      return .attemptBegun(
        try beginAttempt(
          learner: learner, quizID: quizID, seed: seed, order: order, mode: mode, asksConfidence: asksConfidence,
          at: date))
    case .attemptFinished(_, let attempt, let score):
      try finishAttempt(attempt, learner: learner, score: score, at: date)
    case .attemptsAbandoned(let quizID):
      try abandonOpenAttempts(learner: learner, quizID: quizID, at: date)
    case .lessonPositionSaved(let lessonID, let step):
      try saveLessonPosition(learner: learner, lessonID: lessonID, step: step, at: date)
    case .lessonCompleted(let lessonID):
      try markLessonComplete(learner: learner, lessonID: lessonID, at: date)
    case .questionFlagged(let questionID, let isFlagged):
      try writing { db in
        if isFlagged {
          try db.execute(
            sql: "INSERT OR REPLACE INTO flag (learnerId, questionID, flaggedAt) VALUES (?, ?, ?)",
            arguments: [learner, questionID, date.stored])
        } else {
          try db.execute(
            sql: "DELETE FROM flag WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID])
        }
      }
    }
    return .saved
  }

  /// Records one answer in its own committed transaction, and in the same transaction moves
  /// its question's review schedule when the answer carries a rating; returns the answer's row id.
  @discardableResult
  public func record(_ answer: AnswerRecord, learner: Int64, at date: Date) throws -> Int64 {
    try writing { db in
      if case .quiz(_, let attempt) = answer.context {
        try self.replaceEarlierAnswer(db, to: answer.questionID, in: attempt, learner: learner)
      }
      var scheduleBefore: String?
      var stateBefore: Int?
      if let rating = answer.rating {
        scheduleBefore = try Self.scheduleSnapshot(db, learner: learner, questionID: answer.questionID)
        stateBefore = try Int.fetchOne(
          db, sql: "SELECT state FROM reviewCard WHERE learnerId = ? AND questionID = ?",
          arguments: [learner, answer.questionID])
        try Self.schedule(
          db, learner: learner, questionID: answer.questionID, version: answer.questionVersion, rating: rating, at: date
        )
      }
      var deferredRating: Int?
      if case .atSubmission(let rating) = answer.scheduling { deferredRating = rating.rawValue }
      var lessonID: String?
      var quizID: String?
      var attemptID: Int64?
      switch answer.context {
      case .checkpoint(let lesson), .prediction(let lesson): lessonID = lesson
      case .review: break
      case .quiz(let quiz, let attempt):
        quizID = quiz
        attemptID = attempt
      }
      try db.execute(
        sql: """
          INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId,
            response, score, chosen, hintsUsed, confidence, durationMs, mode, answeredAt, scheduleBefore, stateBefore,
            shownOrder, deferredRating, responseData, uid)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(Self.newUID))
          """,
        arguments: [
          learner, answer.questionID, answer.questionVersion, lessonID, quizID, attemptID,
          answer.response, answer.grade.score, try JSONColumn.json(answer.grade.chosenChoiceIDs), answer.hintsUsed,
          answer.confidence?.rawValue, answer.durationMilliseconds, answer.mode.rawValue, date.stored, scheduleBefore,
          stateBefore,
          try JSONColumn.json(answer.shownOrder), deferredRating,
          try answer.given.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
        ])
      let id = db.lastInsertedRowID
      try QuestionStats.refresh(db, learner: learner, questionID: answer.questionID)
      return id
    }
  }

  /// An attempt holds one answer per question: a changed answer (an exam gone back to, or two
  /// windows on one attempt) replaces the earlier one, and the schedule it moved is put back
  /// first, so a corrected answer is not also counted as a lapse. A finished attempt takes no answers.
  fileprivate func replaceEarlierAnswer(_ db: Database, to questionID: String, in attempt: Int64, learner: Int64) throws
  {
    guard
      let finished = try Row.fetchOne(
        db, sql: "SELECT finishedAt FROM quizAttempt WHERE id = ? AND learnerId = ?", arguments: [attempt, learner])
    else { return }
    if !(try finished.decode(DatabaseValue.self, atIndex: 0)).isNull { throw StoreError.attemptFinished(path: path) }
    for row in try Row.fetchAll(
      db, sql: "SELECT id, scheduleBefore FROM answer WHERE quizAttemptId = ? AND questionID = ? ORDER BY id DESC",
      arguments: [attempt, questionID])
    {
      let id: Int64 = try row.decode(forColumn: "id")
      let later =
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM answer WHERE learnerId = ? AND questionID = ? AND id > ?)",
          arguments: [learner, questionID, id]) ?? false
      if !later, let snapshot: String = try row.decode(forColumn: "scheduleBefore") {
        try Self.restoreSchedule(db, learner: learner, questionID: questionID, snapshot: snapshot)
      }
      try db.execute(sql: "DELETE FROM answer WHERE id = ?", arguments: [id])
    }
  }

  // MARK: - Review schedule

  /// Saves the schedule the core's rule gives the question after a rating.
  static func schedule(
    _ db: Database, learner: Int64, questionID: String, version: Int, rating: FSRS.Rating, at date: Date
  ) throws {
    let row = try Row.fetchOne(
      db, sql: "SELECT * FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID])
    let next = ReviewCard.next(
      after: try row.map(reviewCard), questionID: questionID, version: version, rating: rating, at: date,
      settings: try readSettings(db, learner: learner))
    try db.execute(
      sql: """
        INSERT INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(learnerId, questionID) DO UPDATE SET questionVersion = excluded.questionVersion, state = excluded.state,
          step = excluded.step, stability = excluded.stability, difficulty = excluded.difficulty,
          lastReview = excluded.lastReview, due = excluded.due, reps = excluded.reps, failures = excluded.failures,
          isLeech = excluded.isLeech
        """,
      arguments: [
        learner, questionID, next.questionVersion, next.card.state.rawValue, next.card.step, next.card.stability,
        next.card.difficulty, next.card.lastReview?.stored, next.card.due.stored, next.reps, next.failures,
        next.isLeech,
      ])
  }

  /// A schedule row kept with an answer, so undo can put it back: every column as a number
  /// (dates as seconds since 1970), written so that it reads back bit for bit.
  private struct ScheduleSnapshot: Codable {
    var questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech: Double?
  }

  /// The schedule row as JSON ("{}" when the question had none), for undo.
  static func scheduleSnapshot(_ db: Database, learner: Int64, questionID: String) throws -> String {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID])
    else { return "{}" }
    let card = try reviewCard(row)
    let snapshot = ScheduleSnapshot(
      questionVersion: Double(card.questionVersion), state: Double(card.card.state.rawValue),
      step: card.card.step.map(Double.init),
      stability: card.card.stability, difficulty: card.card.difficulty,
      lastReview: card.card.lastReview?.timeIntervalSince1970,
      due: card.card.due.timeIntervalSince1970, reps: Double(card.reps), failures: Double(card.failures),
      isLeech: card.isLeech ? 1 : 0)
    return String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
  }

  static func restoreSchedule(_ db: Database, learner: Int64, questionID: String, snapshot: String) throws {
    // A snapshot that cannot be read leaves the schedule as it is, rather than losing it.
    guard let saved = try? JSONDecoder().decode(ScheduleSnapshot.self, from: Data(snapshot.utf8)) else { return }
    guard let due = saved.due else {
      try db.execute(
        sql: "DELETE FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID])
      return
    }
    let whole = { (value: Double?) in value.map { Int($0) } }
    try db.execute(
      sql: """
        UPDATE reviewCard SET questionVersion = ?, state = ?, step = ?, stability = ?, difficulty = ?, lastReview = ?, due = ?,
          reps = ?, failures = ?, isLeech = ? WHERE learnerId = ? AND questionID = ?
        """,
      arguments: [
        whole(saved.questionVersion), whole(saved.state), whole(saved.step), saved.stability, saved.difficulty,
        saved.lastReview.map { Date(timeIntervalSince1970: $0).stored }, Date(timeIntervalSince1970: due).stored,
        whole(saved.reps),
        whole(saved.failures), saved.isLeech.map { $0 != 0 }, learner, questionID,
      ])
  }

  /// Sets many schedules in one transaction (importing a review history from elsewhere).
  public func importSchedules(_ items: [(questionID: String, card: FSRS.Card)], learner: Int64, version: Int = 1) throws
  {
    try writing { db in
      let statement = try db.makeStatement(
        sql: """
          INSERT OR REPLACE INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
          """)
      for (questionID, card) in items {
        try statement.execute(arguments: [
          learner, questionID, version, card.state.rawValue, card.step, card.stability, card.difficulty,
          card.lastReview?.stored, card.due.stored,
        ])
      }
    }
  }

  /// A question's schedule, if it has one.
  public func reviewCard(learner: Int64, questionID: String) throws -> ReviewCard? {
    try reading { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID]
      )
      .map(Self.reviewCard)
    }
  }

  static func reviewCard(_ row: Row) throws -> ReviewCard {
    let card = FSRS.Card(
      state: FSRS.State(rawValue: try row.decode(forColumn: "state")) ?? .learning,
      step: try row.decode(forColumn: "step"),
      stability: try row.decode(forColumn: "stability"), difficulty: try row.decode(forColumn: "difficulty"),
      lastReview: try row.decode(StoredDate?.self, forColumn: "lastReview")?.date,
      due: try row.decode(StoredDate.self, forColumn: "due").date)
    return ReviewCard(
      card: card, questionVersion: try row.decode(forColumn: "questionVersion"),
      reps: try row.decode(forColumn: "reps"),
      failures: try row.decode(forColumn: "failures"), isLeech: try row.decode(forColumn: "isLeech"))
  }

  /// How many items are due at `now`, without the limits (for a badge).
  public func dueCount(learner: Int64, now: Date) throws -> Int {
    try reading {
      try Int.fetchOne(
        $0, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due <= ?", arguments: [learner, now.stored])
        ?? 0
    }
  }

  /// What is due at `now` within the day's limits, the next 14 days' forecast, and the leeches.
  public func reviewQueue(learner: Int64, now: Date) throws -> ReviewQueue {
    try reading { try reviewQueue($0, learner: learner, now: now) }
  }

  func reviewQueue(_ db: Database, learner: Int64, now: Date) throws -> ReviewQueue {
    let settings = try Self.readSettings(db, learner: learner)
    var reviewedToday: [DailyReviewLimits.ReviewedItem] = []
    let reviewed = try Row.fetchCursor(
      db, sql: "SELECT questionID, stateBefore FROM answer WHERE learnerId = ? AND mode = ? AND answeredAt > ?",
      arguments: [learner, StudyMode.review.rawValue, now.addingTimeInterval(-DailyReviewLimits.window).stored])
    while let row = try reviewed.next() {
      reviewedToday.append(
        DailyReviewLimits.ReviewedItem(
          questionID: row[0], stateBefore: (row[1] as Int?).flatMap(FSRS.State.init(rawValue:))))
    }
    let room = DailyReviewLimits.room(settings: settings, reviewedToday: reviewedToday)
    // Each state's due items come from its own index range (learner, state, due), cut to the room.
    func due(_ state: FSRS.State, limit: Int) throws -> [DailyReviewLimits.DueItem] {
      // A cursor read by column index: copying each row and finding its columns by name cost
      // more than the query itself.
      var items: [DailyReviewLimits.DueItem] = []
      let rows = try Row.fetchCursor(
        db,
        sql:
          "SELECT questionID, due FROM reviewCard WHERE learnerId = ? AND state = ? AND due <= ? ORDER BY due, questionID LIMIT ?",
        arguments: [learner, state.rawValue, now.stored, limit])
      while let row = try rows.next() {
        items.append(DailyReviewLimits.DueItem(questionID: row[0], due: (row[1] as StoredDate).date))
      }
      return items
    }
    let due = DailyReviewLimits.queue(
      review: try due(.review, limit: room.reviews), relearning: try due(.relearning, limit: room.reviews),
      learning: try due(.learning, limit: room.new), room: room)
    // The forecast reads only the items due within 14 days (through the index on learner and
    // due), each counted in its day (0: due now; 1 to 14: within that many days); the count of
    // items comes from the index and the next due date from one seek: start-up does not slow
    // down with the items scheduled further out.
    let bounds = (0...14).map { now.addingTimeInterval(Double($0) * 86400).stored }
    let cases = (0...14).map { "WHEN due <= ?\($0 + 2) THEN \($0)" }.joined(separator: " ")
    var forecast = Array(repeating: 0, count: 14)
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT CASE \(cases) END AS day, COUNT(*) FROM reviewCard
        WHERE learnerId = ?1 AND due <= ?16 GROUP BY day
        """, arguments: StatementArguments([learner] + bounds))
    {
      let day: Int = row[0]
      forecast[max(day - 1, 0)] += row[1] as Int
    }
    let scheduled =
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ?", arguments: [learner]) ?? 0
    let next = try StoredDate.fetchOne(
      db, sql: "SELECT MIN(due) FROM reviewCard WHERE learnerId = ? AND due > ?", arguments: [learner, now.stored]
    )?.date
    let leeches = try String.fetchAll(
      db, sql: "SELECT questionID FROM reviewCard WHERE learnerId = ? AND isLeech = 1", arguments: [learner]
    ).sorted()
    return ReviewQueue(due: due, forecast: forecast, leeches: leeches, scheduled: scheduled, nextDue: next)
  }

  // MARK: - Settings

  static func readSettings(_ db: Database, learner: Int64) throws -> ReviewSettings {
    var settings = ReviewSettings()
    for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting WHERE learnerId = ?", arguments: [learner]) {
      _ = settings.set(try row.decode(forColumn: "key"), to: try row.decode(forColumn: "value"))
    }
    return settings
  }

  public func settings(learner: Int64) throws -> ReviewSettings {
    try reading { try Self.readSettings($0, learner: learner) }
  }

  /// Changes one setting after checking it; returns why when the value is not allowed.
  public func setSetting(_ key: String, to value: String, learner: Int64) throws -> String? {
    var settings = try self.settings(learner: learner)
    if let problem = settings.set(key, to: value) { return problem }
    try writing { db in
      try db.execute(
        sql:
          "INSERT INTO setting (learnerId, key, value) VALUES (?, ?, ?) ON CONFLICT(learnerId, key) DO UPDATE SET value = excluded.value",
        arguments: [learner, key, value])
    }
    return nil
  }

  /// Deletes the latest answer to a question in an attempt (practice mode's undo).
  public func withdrawLastAnswer(questionID: String, attempt: Int64?, learner: Int64) throws {
    try writing { db in
      // Without an attempt: the latest answer given in a review (no attempt, no lesson).
      let which = attempt == nil ? "quizAttemptId IS NULL AND lessonID IS NULL" : "quizAttemptId = ?"
      let arguments: StatementArguments = attempt.map { [$0, questionID, learner] } ?? [questionID, learner]
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT id, scheduleBefore FROM answer WHERE \(which) AND questionID = ? AND learnerId = ? ORDER BY id DESC LIMIT 1",
          arguments: arguments)
      else { return }
      if let snapshot: String = try row.decode(forColumn: "scheduleBefore") {
        try Self.restoreSchedule(db, learner: learner, questionID: questionID, snapshot: snapshot)
      }
      try db.execute(sql: "DELETE FROM answer WHERE id = ?", arguments: [(try row.decode(forColumn: "id")) as Int64])
      try QuestionStats.refresh(db, learner: learner, questionID: questionID)
    }
  }

  /// Opens a quiz attempt and makes it the resume point; returns its id.
  public func beginAttempt(
    learner: Int64, quizID: String, seed: UInt64, order: [String], mode: QuizMode = .practice,
    asksConfidence: Bool = false,
    at date: Date
  ) throws -> Int64 {
    try writing { db in
      let orderText = String(decoding: try JSONEncoder().encode(order), as: UTF8.self)
      try db.execute(
        sql: """
          INSERT INTO quizAttempt (learnerId, quizID, seed, questionOrder, mode, asksConfidence, startedAt, uid)
          VALUES (?, ?, ?, ?, ?, ?, ?, \(Self.newUID))
          """,
        arguments: [learner, quizID, Int64(bitPattern: seed), orderText, mode.rawValue, asksConfidence, date.stored])
      let id = db.lastInsertedRowID
      try QuizState.begun(db, learner: learner, quizID: quizID, attempt: id)
      try Self.setResume(db, learner: learner, kind: "quiz", item: quizID, step: 0, date: date)
      return id
    }
  }

  /// Closes a quiz attempt with its score, which must be what its saved answers add up to: an
  /// attempt is never closed with answers it does not hold (it stays open to be resumed).
  /// Closing an attempt already closed changes nothing.
  public func finishAttempt(_ attempt: Int64, learner: Int64, score: Score, at date: Date) throws {
    try writing { db in
      let open = try Row.fetchOne(
        db, sql: "SELECT quizID, mode FROM quizAttempt WHERE id = ? AND learnerId = ? AND finishedAt IS NULL",
        arguments: [attempt, learner])
      guard let open else { return }
      let quizID: String = open["quizID"]
      let saved =
        try Double.fetchOne(
          db,
          sql:
            "SELECT TOTAL(score) FROM answer a WHERE quizAttemptId = ? AND id = (SELECT MAX(id) FROM answer b WHERE b.quizAttemptId = a.quizAttemptId AND b.questionID = a.questionID)",
          arguments: [attempt]) ?? 0
      if abs(saved - score.points) > 1e-6 {
        throw StoreError.answersMissing(path: path, saved: saved, claimed: score.points)
      }
      try db.execute(
        sql: "UPDATE quizAttempt SET finishedAt = ?, points = ?, total = ? WHERE id = ?",
        arguments: [date.stored, saved, score.total, attempt])
      // A submitted exam's answers count from now on.
      for questionID in try String.fetchAll(
        db, sql: "SELECT DISTINCT questionID FROM answer WHERE quizAttemptId = ?", arguments: [attempt])
      {
        try QuestionStats.refresh(db, learner: learner, questionID: questionID)
      }
      try QuizState.finished(
        db, learner: learner, quizID: quizID, attempt: attempt,
        counts: QuizMode(rawValue: open["mode"])?.countsAsScore ?? false,
        score: Score(points: saved, total: score.total))
      // An exam's answers move their schedules now that it is submitted, in the order given.
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT questionID, questionVersion, deferredRating FROM answer a WHERE quizAttemptId = ? AND deferredRating IS NOT NULL
            AND id = (SELECT MAX(id) FROM answer b WHERE b.quizAttemptId = a.quizAttemptId AND b.questionID = a.questionID)
          ORDER BY id
          """, arguments: [attempt])
      {
        guard let rating = FSRS.Rating(rawValue: try row.decode(forColumn: "deferredRating")) else { continue }
        try Self.schedule(
          db, learner: learner, questionID: try row.decode(forColumn: "questionID"),
          version: try row.decode(forColumn: "questionVersion"),
          rating: rating, at: date)
      }
      try db.execute(
        sql: "DELETE FROM resume WHERE learnerId = ? AND kind = 'quiz' AND itemID = ?", arguments: [learner, quizID])
    }
  }

  /// Closes a learner's unfinished attempts at a quiz without a score (starting over).
  public func abandonOpenAttempts(learner: Int64, quizID: String, at date: Date) throws {
    try writing { db in
      try db.execute(
        sql: "UPDATE quizAttempt SET finishedAt = ? WHERE learnerId = ? AND quizID = ? AND finishedAt IS NULL",
        arguments: [date.stored, learner, quizID])
      try QuizState.abandoned(db, learner: learner, quizID: quizID)
    }
  }

  /// Saves the step a learner is on, and makes the lesson the resume point.
  public func saveLessonPosition(learner: Int64, lessonID: String, step: Int, at date: Date) throws {
    try writing { db in
      try db.execute(
        sql: """
          INSERT INTO lessonState (learnerId, lessonID, step, updatedAt) VALUES (?, ?, ?, ?)
          ON CONFLICT(learnerId, lessonID) DO UPDATE SET step = excluded.step, updatedAt = excluded.updatedAt
          """,
        arguments: [learner, lessonID, step, date.stored])
      try Self.setResume(db, learner: learner, kind: "lesson", item: lessonID, step: step, date: date)
    }
  }

  /// Marks a lesson complete (every checkpoint answered correctly).
  public func markLessonComplete(learner: Int64, lessonID: String, at date: Date) throws {
    try writing { db in
      try db.execute(
        sql: """
          INSERT INTO lessonState (learnerId, lessonID, step, completedAt, updatedAt) VALUES (?, ?, 0, ?, ?)
          ON CONFLICT(learnerId, lessonID) DO UPDATE SET
            completedAt = COALESCE(lessonState.completedAt, excluded.completedAt), updatedAt = excluded.updatedAt
          """,
        arguments: [learner, lessonID, date.stored, date.stored])
    }
  }

  private static func setResume(_ db: Database, learner: Int64, kind: String, item: String, step: Int, date: Date)
    throws
  {
    try db.execute(
      sql: """
        INSERT INTO resume (learnerId, kind, itemID, step, updatedAt) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(learnerId) DO UPDATE SET kind = excluded.kind, itemID = excluded.itemID,
          step = excluded.step, updatedAt = excluded.updatedAt
        """,
      arguments: [learner, kind, item, step, date.stored])
  }
}

/// Each quiz's open attempt and its best and last counted scores, kept as attempts begin and
/// end by the same rules as the progress fold, so start-up reads one row per quiz.
enum QuizState {
  static func begun(_ db: Database, learner: Int64, quizID: String, attempt: Int64) throws {
    try db.execute(
      sql: """
        INSERT INTO quizState (learnerId, quizID, openAttemptId) VALUES (?, ?, ?)
        ON CONFLICT(learnerId, quizID) DO UPDATE SET openAttemptId = excluded.openAttemptId
        """, arguments: [learner, quizID, attempt])
  }

  /// An attempt closed with its score: it counts only if it was the open one.
  static func finished(
    _ db: Database, learner: Int64, quizID: String, attempt: Int64, counts: Bool, score: Score
  ) throws {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT bestPoints, bestTotal FROM quizState WHERE learnerId = ? AND quizID = ? AND openAttemptId = ?",
        arguments: [learner, quizID, attempt])
    else { return }
    var best = score
    if let points: Double = row["bestPoints"], let total: Int = row["bestTotal"],
      !(score.fraction > Score(points: points, total: total).fraction)
    {
      best = Score(points: points, total: total)
    }
    try db.execute(
      sql: counts
        ? """
        UPDATE quizState SET openAttemptId = NULL, bestPoints = ?, bestTotal = ?, lastPoints = ?, lastTotal = ?
        WHERE learnerId = ? AND quizID = ?
        """ : "UPDATE quizState SET openAttemptId = NULL WHERE learnerId = ? AND quizID = ?",
      arguments: counts
        ? [best.points, best.total, score.points, score.total, learner, quizID] : [learner, quizID])
  }

  /// The summary worked out again from the quiz's attempts, replayed in the order they began.
  static func rebuild(_ db: Database, learner: Int64, quizID: String) throws {
    try db.execute(sql: "DELETE FROM quizState WHERE learnerId = ? AND quizID = ?", arguments: [learner, quizID])
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT id, mode, finishedAt, points, total FROM quizAttempt WHERE learnerId = ? AND quizID = ?
        ORDER BY startedAt, id
        """, arguments: [learner, quizID])
    {
      let id: Int64 = row["id"]
      try begun(db, learner: learner, quizID: quizID, attempt: id)
      guard (row["finishedAt"] as String?) != nil else { continue }
      if let points: Double = row["points"], let total: Int = row["total"] {
        try finished(
          db, learner: learner, quizID: quizID, attempt: id,
          counts: QuizMode(rawValue: row["mode"])?.countsAsScore ?? false,
          score: Score(points: points, total: total))
      } else {
        try abandoned(db, learner: learner, quizID: quizID)
      }
    }
  }

  static func abandoned(_ db: Database, learner: Int64, quizID: String) throws {
    try db.execute(
      sql: "UPDATE quizState SET openAttemptId = NULL WHERE learnerId = ? AND quizID = ?", arguments: [learner, quizID])
  }
}

/// Each question's answer statistics (answers, right, the last one, the wrong options picked),
/// worked out again in SQL over that question's answers whenever they change, so reading them
/// does not walk the whole history. Counted: every answer but predictions and the answers of an
/// exam not submitted.
enum QuestionStats {
  /// Answers that count: not predictions, not in an exam still open.
  static let countedAnswer = """
    mode != 'prediction'
      AND NOT EXISTS (SELECT 1 FROM quizAttempt q WHERE q.id = answer.quizAttemptId AND q.mode = 'exam' AND q.points IS NULL)
    """
  static let counted = "learnerId = ? AND questionID = ? AND \(countedAnswer)"
  /// One pass over the question's counted answers, newest first, through cached statements
  /// (an import refreshes thousands of questions).
  static func refresh(_ db: Database, learner: Int64, questionID: String) throws {
    let answers = try db.cachedStatement(
      sql: "SELECT score, chosen FROM answer WHERE \(counted) ORDER BY answeredAt DESC, id DESC")
    let rows = try Row.fetchCursor(answers, arguments: [learner, questionID])
    var tally = Tally()
    while let row = try rows.next() { try tally.add(score: row[0], chosen: row[1]) }
    try tally.save(db, learner: learner, questionID: questionID)
  }

  /// Many questions at once: past a few hundred, one walk over the learner's answers, question
  /// by question, newest first (the index answerByQuestion's order, backwards).
  static func refresh(_ db: Database, learner: Int64, questions: Set<String>) throws {
    guard questions.count > 200 else {
      for question in questions.sorted() { try refresh(db, learner: learner, questionID: question) }
      return
    }
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT questionID, score, chosen FROM answer WHERE learnerId = ? AND \(countedAnswer)
        ORDER BY questionID DESC, answeredAt DESC, id DESC
        """, arguments: [learner])
    var left = questions
    var current: String?
    var tally = Tally()
    while let row = try rows.next() {
      let question: String = row[0]
      if question != current {
        if let current, left.remove(current) != nil { try tally.save(db, learner: learner, questionID: current) }
        current = question
        tally = Tally()
      }
      if left.contains(question) { try tally.add(score: row[1], chosen: row[2]) }
    }
    if let current, left.remove(current) != nil { try tally.save(db, learner: learner, questionID: current) }
    // The questions left have no counted answers.
    for question in left.sorted() { try Tally().save(db, learner: learner, questionID: question) }
  }

  /// A question's counted answers, added newest first.
  struct Tally: Sendable {
    var count = 0
    var right = 0
    var lastRight: Bool?
    var recentRight = 0
    var picks: [String: Int] = [:]

    mutating func add(score: Double, chosen: String) throws {
      add(score: score, picks: score >= Self.right ? [] : try JSONColumn.decodeJSON(chosen))
    }

    mutating func add(score: Double, picks chosen: [String]) {
      let isRight = score >= Self.right
      if lastRight == nil { lastRight = isRight }
      if isRight { right += 1 }
      if count < AnswerStats.recentWindow && isRight { recentRight += 1 }
      count += 1
      if !isRight { for choice in chosen { picks[choice, default: 0] += 1 } }
    }

    static let right = 1 - 1e-9

    func save(_ db: Database, learner: Int64, questionID: String) throws {
      guard count > 0 else {
        try db.cachedStatement(sql: "DELETE FROM questionStats WHERE learnerId = ? AND questionID = ?")
          .execute(arguments: [learner, questionID])
        return
      }
      try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO questionStats
            (learnerId, questionID, answers, right, lastRight, wrongPicks, recentAnswers, recentRight)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        learner, questionID, count, right, lastRight, JSONColumn.json(picks), min(count, AnswerStats.recentWindow),
        recentRight,
      ])
    }
  }
}

/// The days a learner studied, kept in `studyDay` by triggers on `answer`.
enum StudyDays {
  /// The time an answer adds to its day: its duration, up to ten minutes (a question left open
  /// over lunch is not an hour of study).
  static func counted(_ row: String) -> String { "MIN(COALESCE(\(row).durationMs, 0), 600000)" }

  /// The trigger that counts each new answer in its day (created by v9; a large import sets it
  /// aside and counts the learner's days again in one pass). Changing it needs a migration.
  static let answeredTrigger = """
    CREATE TRIGGER studyDayAnswered AFTER INSERT ON answer BEGIN
      INSERT INTO studyDay (learnerId, day, answers, milliseconds)
      VALUES (NEW.learnerId, date(NEW.answeredAt, 'localtime'), 1, \(counted("NEW")))
      ON CONFLICT (learnerId, day) DO UPDATE SET
        answers = answers + 1, milliseconds = milliseconds + excluded.milliseconds;
    END
    """

  /// A learner's days counted again from their answers.
  static func recount(_ db: Database, learner: Int64) throws {
    try db.execute(sql: "DELETE FROM studyDay WHERE learnerId = ?", arguments: [learner])
    try db.execute(
      sql: """
        INSERT INTO studyDay (learnerId, day, answers, milliseconds)
        SELECT learnerId, date(answeredAt, 'localtime'), COUNT(*), TOTAL(\(counted("answer"))) FROM answer NOT INDEXED
        WHERE learnerId = ? GROUP BY 1, 2
        """, arguments: [learner])
  }

  /// Adds answers to their days as the trigger would, for answers written while it was set aside.
  static func add(_ days: [String: (answers: Int, milliseconds: Int)], db: Database, learner: Int64) throws {
    for (day, count) in days.sorted(by: { $0.key < $1.key }) {
      try db.cachedStatement(
        sql: """
          INSERT INTO studyDay (learnerId, day, answers, milliseconds) VALUES (?, ?, ?, ?)
          ON CONFLICT (learnerId, day) DO UPDATE SET
            answers = answers + excluded.answers, milliseconds = milliseconds + excluded.milliseconds
          """
      ).execute(arguments: [learner, day, count.answers, count.milliseconds])
    }
  }

  /// The time an answer adds to its day (as `counted` in SQL).
  static func counted(durationMs: Int?) -> Int { min(durationMs ?? 0, 600_000) }
}

/// The local day of a stored date ("yyyy-MM-dd HH:mm:ss.SSS", UTC) as the trigger gives it,
/// asked of SQLite's own `date(x, 'localtime')` (which has rules of its own: the offset of 2000
/// outside 1971 to 2037, seconds rounded) once per hour: an hour whose first and last instants
/// fall on one day with one offset from UTC is that day throughout; any other (a change of
/// offset, or midnight inside it in a zone half an hour off) is asked answer by answer.
struct LocalDays {
  private var hours: [String: String?] = [:]
  /// The last hour asked about and its day (answers come in time order).
  private var last: (hour: Substring, day: String)?

  mutating func day(of stored: String, db: Database) throws -> String? {
    if let last, stored.hasPrefix(last.hour) { return last.day }
    let hour = String(stored.prefix(13))
    defer { if let day = hours[hour], let day { last = (stored.prefix(13), day) } }
    if let known = hours[hour] {
      if let known { return known }
      return try String.fetchOne(db.cachedStatement(sql: "SELECT date(?, 'localtime')"), arguments: [stored])
    }
    let row = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT date(?1, 'localtime'), date(?2, 'localtime'),
            strftime('%s', ?1, 'localtime') - strftime('%s', ?1) = strftime('%s', ?2, 'localtime') - strftime('%s', ?2)
          """), arguments: [hour + ":00:00.000", hour + ":59:59.999"])
    guard let row, let first: String = row[0], let last: String = row[1] else { return nil }
    let whole = first == last && (row[2] as Bool? ?? false)
    hours[hour] = .some(whole ? first : nil)
    return whole
      ? first : try String.fetchOne(db.cachedStatement(sql: "SELECT date(?, 'localtime')"), arguments: [stored])
  }
}
