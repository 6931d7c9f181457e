import Foundation
import TutorCore

extension SQLProgressStore {
  // MARK: - Writing

  /// Saves one change in its own committed transaction.
  @discardableResult
  public func save(_ change: ProgressChange, learner: Int64, at date: Date) throws -> SaveReceipt {
    switch change {
    case .answerRecorded(let answer):
      if let card = try recordAnswer(answer, learner: learner, at: date).scheduled {
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
      try write { db in
        if isFlagged {
          try db.execute(
            """
            INSERT INTO flag (learnerId, questionID, flaggedAt) VALUES (?, ?, ?)
            ON CONFLICT (learnerId, questionID) DO UPDATE SET flaggedAt = excluded.flaggedAt
            """, [learner, questionID, date])
        } else {
          try db.execute("DELETE FROM flag WHERE learnerId = ? AND questionID = ?", [learner, questionID])
        }
      }
    }
    return .saved
  }

  /// Records one answer in its own committed transaction, and in the same transaction moves
  /// its question's review schedule when the answer carries a rating; returns the answer's row id.
  @discardableResult
  public func record(_ answer: AnswerRecord, learner: Int64, at date: Date) throws -> Int64 {
    try recordAnswer(answer, learner: learner, at: date).id
  }

  /// The answer's row id, and the schedule it gave its question (as the store gives it back).
  /// What it reads comes in one statement and what it writes goes in one unit (one round trip
  /// each to a server).
  private func recordAnswer(_ answer: AnswerRecord, learner: Int64, at date: Date) throws -> (
    id: Int64, scheduled: ReviewCard?
  ) {
    // Usually its only write is the answer's; a quiz's answer that replaces an earlier one
    // (more than one write) is recorded in a transaction.
    let recorded = try writeOnce { try recordAnswer($0, answer, learner: learner, at: date, inTransaction: false) }
    if let recorded { return recorded }
    return try write { try recordAnswer($0, answer, learner: learner, at: date, inTransaction: true) } ?? (0, nil)
  }

  /// Records two review answers to one question, as the tutor's review gives them (the first
  /// starts its schedule, the second moves it), and takes them back: nothing changes, but every
  /// statement of an answer has been run on this connection, and the database has loaded what
  /// they need.
  public func rehearseAnswers(learner: Int64, at date: Date) throws {
    let answer = AnswerRecord(
      questionID: "tutor-rehearsal", questionVersion: 1, context: .review, response: "", grade: Grade(score: 1),
      mode: .review, durationMilliseconds: 1000, scheduling: .now(.good), given: .choices([]))
    var rehearsed = false
    do {
      try write { db in
        _ = try recordAnswer(db, answer, learner: learner, at: date, inTransaction: true)
        _ = try recordAnswer(db, answer, learner: learner, at: date, inTransaction: true)
        rehearsed = true
        throw Rehearsed()
      }
    } catch {
      // What is thrown once the answers went through is the rollback (each store words it its way).
      if !rehearsed { throw error }
    }
  }

  /// Outside a transaction, nil (and nothing written) for an answer that replaces an earlier one.
  private func recordAnswer(
    _ db: Connection, _ answer: AnswerRecord, learner: Int64, at date: Date, inTransaction: Bool
  ) throws -> (id: Int64, scheduled: ReviewCard?)? {
    var counts = answer.mode != .prediction
    if case .quiz(_, let attempt) = answer.context {
      let taking = try attemptTaking(db, attempt: attempt, questionID: answer.questionID, learner: learner)
      if taking.replaces {
        guard inTransaction else { return nil }
        try replaceEarlierAnswer(db, to: answer.questionID, in: attempt, learner: learner)
      }
      counts = counts && taking.counts
    }
    let known = try Self.answerBackground(db, learner: learner, questionID: answer.questionID, answeredAt: date)
    var writes: [SQLStatement] = []
    var scheduleBefore: String?
    var stateBefore: Int?
    var scheduled: ReviewCard?
    if let rating = answer.rating {
      scheduleBefore = try ScheduleSnapshot.json(known.card)
      stateBefore = known.card?.card.state.rawValue
      let next = Self.nextSchedule(
        after: known.card, learner: learner, questionID: answer.questionID, version: answer.questionVersion,
        rating: rating, at: date, settings: known.settings)
      writes.append(next.statement)
      scheduled = next.stored
    }
    writes.append(
      try known.tally(adding: counts ? answer.grade : nil).saving(learner: learner, questionID: answer.questionID))
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
    writes.append(
      SQLStatement(
        """
        INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId,
          response, score, chosen, hintsUsed, confidence, durationMs, mode, answeredAt, scheduleBefore, stateBefore,
          shownOrder, deferredRating, responseData, uid)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        [
          learner, answer.questionID, answer.questionVersion, lessonID, quizID, attemptID,
          answer.response, answer.grade.score, try JSONColumn.json(answer.grade.chosenChoiceIDs), answer.hintsUsed,
          answer.confidence?.rawValue, answer.durationMilliseconds, answer.mode.rawValue, date, scheduleBefore,
          stateBefore, try JSONColumn.json(answer.shownOrder), deferredRating,
          try answer.given.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }, RowUID.make(),
        ]))
    var id: Int64 = 0
    try db.forEach(together: writes) { id = try $0.int64(0) }
    return (id, scheduled)
  }

  /// Whether an attempt's answers count yet (not while it is an exam not submitted), and
  /// whether it holds an answer to the question already. A finished attempt takes no answers.
  private func attemptTaking(_ db: Connection, attempt: Int64, questionID: String, learner: Int64) throws -> (
    counts: Bool, replaces: Bool
  ) {
    guard
      let (finished, isOpenExam, isLearners, answered) = try db.one(
        """
        SELECT finishedAt IS NOT NULL, mode = 'exam' AND points IS NULL, learnerId = ?1,
          EXISTS (SELECT 1 FROM answer WHERE quizAttemptId = ?2 AND questionID = ?3)
        FROM quizAttempt WHERE id = ?2
        """,
        [learner, attempt, questionID], { (try $0.bool(0), try $0.bool(1), try $0.bool(2), try $0.bool(3)) })
    else { return (true, false) }
    guard isLearners else { return (!isOpenExam, false) }
    if finished { throw StoreError.attemptFinished(path: storeName) }
    return (!isOpenExam, answered)
  }

  /// An attempt holds one answer per question: a changed answer (an exam gone back to, or two
  /// windows on one attempt) replaces the earlier one, and the schedule it moved is put back
  /// first, so a corrected answer is not also counted as a lapse.
  private func replaceEarlierAnswer(_ db: Connection, to questionID: String, in attempt: Int64, learner: Int64) throws {
    let earlier = try db.rows(
      "SELECT id, scheduleBefore FROM answer WHERE quizAttemptId = ? AND questionID = ? ORDER BY id DESC",
      [attempt, questionID]
    ) { (id: try $0.int64(0), snapshot: try $0.stringOrNil(1)) }
    for (id, snapshot) in earlier {
      let later =
        try db.one(
          "SELECT EXISTS (SELECT 1 FROM answer WHERE learnerId = ? AND questionID = ? AND id > ?)",
          [learner, questionID, id]
        ) { try $0.bool(0) } ?? false
      if !later, let snapshot {
        try ScheduleSnapshot.restore(snapshot, db, learner: learner, questionID: questionID)
      }
      try db.execute("DELETE FROM answer WHERE id = ?", [id])
    }
  }

  // MARK: - Review schedule

  /// The columns `reviewCard(row)` reads, in its order.
  static var reviewCardColumns: String {
    "questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech"
  }

  static func reviewCard(_ row: some SQLRowReader) throws -> ReviewCard {
    let card = FSRS.Card(
      state: FSRS.State(rawValue: try row.int(1)) ?? .learning, step: try row.intOrNil(2),
      stability: try row.doubleOrNil(3), difficulty: try row.doubleOrNil(4), lastReview: try row.dateOrNil(5),
      due: try row.date(6))
    return ReviewCard(
      card: card, questionVersion: try row.int(0), reps: try row.int(7), failures: try row.int(8),
      isLeech: try row.bool(9))
  }

  static func reviewCard(_ db: Connection, learner: Int64, questionID: String) throws -> ReviewCard? {
    try db.one(
      "SELECT \(reviewCardColumns) FROM reviewCard WHERE learnerId = ? AND questionID = ?", [learner, questionID],
      reviewCard)
  }

  /// What recording an answer reads before it writes, in one statement.
  static func answerBackground(_ db: Connection, learner: Int64, questionID: String, answeredAt date: Date) throws
    -> AnswerBackground
  {
    var found = AnswerBackground()
    // The first part's empty columns are typed, so that the server can match the parts' columns.
    try db.forEach(
      """
      SELECT 0, \(reviewCardColumns), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
        CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS TEXT), CAST(NULL AS BOOLEAN), CAST(NULL AS TIMESTAMPTZ),
        CAST(NULL AS BIGINT)
      FROM reviewCard WHERE learnerId = ?1 AND questionID = ?2
      UNION ALL SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, key, value, NULL, NULL, NULL, NULL, NULL
      FROM setting WHERE learnerId = ?1
      UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        score, chosen, answeredAt > ?3, answeredAt, id
      FROM answer WHERE learnerId = ?1 AND questionID = ?2 AND \(QuestionStats.countedAnswer)
      ORDER BY 1, 17 DESC, 18 DESC
      """, [learner, questionID, date]
    ) { row in
      switch try row.int(0) {
      case 0: found.card = try reviewCard(ColumnsAfter(row: row, skipped: 1))
      case 1: _ = found.settings.set(try row.string(11), to: try row.string(12))
      default: found.counted.append((try row.double(13), try row.string(14), try row.bool(15)))
      }
    }
    return found
  }

  /// Saves the schedule the core's rule gives the question after a rating.
  static func schedule(
    _ db: Connection, learner: Int64, questionID: String, version: Int, rating: FSRS.Rating, at date: Date
  ) throws {
    let next = nextSchedule(
      after: try reviewCard(db, learner: learner, questionID: questionID), learner: learner, questionID: questionID,
      version: version, rating: rating, at: date, settings: try readSettings(db, learner: learner))
    try db.execute(next.statement.sql, next.statement.arguments)
  }

  /// The schedule the core's rule gives the question after a rating: the statement that saves
  /// it, and the schedule as the store gives it back (dates to the millisecond).
  static func nextSchedule(
    after before: ReviewCard?, learner: Int64, questionID: String, version: Int, rating: FSRS.Rating, at date: Date,
    settings: ReviewSettings
  ) -> (statement: SQLStatement, stored: ReviewCard) {
    let next = ReviewCard.next(
      after: before, questionID: questionID, version: version, rating: rating, at: date, settings: settings)
    let statement = SQLStatement(
      """
      INSERT INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (learnerId, questionID) DO UPDATE SET questionVersion = excluded.questionVersion, state = excluded.state,
        step = excluded.step, stability = excluded.stability, difficulty = excluded.difficulty,
        lastReview = excluded.lastReview, due = excluded.due, reps = excluded.reps, failures = excluded.failures,
        isLeech = excluded.isLeech
      """,
      [
        learner, questionID, next.questionVersion, next.card.state.rawValue, next.card.step, next.card.stability,
        next.card.difficulty, next.card.lastReview, next.card.due, next.reps, next.failures, next.isLeech,
      ])
    var stored = next
    stored.card.lastReview = next.card.lastReview?.storeRounded
    stored.card.due = next.card.due.storeRounded
    return (statement, stored)
  }

  /// Sets many schedules in one transaction (importing a review history from elsewhere).
  public func importSchedules(_ items: [(questionID: String, card: FSRS.Card)], learner: Int64, version: Int = 1) throws
  {
    try write { db in
      for (questionID, card) in items {
        try db.execute(
          """
          INSERT INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
          ON CONFLICT (learnerId, questionID) DO UPDATE SET questionVersion = excluded.questionVersion,
            state = excluded.state, step = excluded.step, stability = excluded.stability,
            difficulty = excluded.difficulty, lastReview = excluded.lastReview, due = excluded.due, reps = 1,
            failures = 0, isLeech = excluded.isLeech
          """,
          [
            learner, questionID, version, card.state.rawValue, card.step, card.stability, card.difficulty,
            card.lastReview, card.due,
          ])
      }
    }
  }

  /// A question's schedule, if it has one.
  public func reviewCard(learner: Int64, questionID: String) throws -> ReviewCard? {
    try read { try Self.reviewCard($0, learner: learner, questionID: questionID) }
  }

  /// How many items are due at `now`, without the limits (for a badge).
  public func dueCount(learner: Int64, now: Date) throws -> Int {
    try read {
      try $0.one("SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due <= ?", [learner, now]) {
        try $0.int(0)
      } ?? 0
    }
  }

  /// What is due at `now` within the day's limits, the next 14 days' forecast, and the leeches.
  public func reviewQueue(learner: Int64, now: Date) throws -> ReviewQueue {
    try read { try Self.reviewQueue($0, learner: learner, now: now) }
  }

  static func reviewQueue(_ db: Connection, learner: Int64, now: Date) throws -> ReviewQueue {
    let settings = try readSettings(db, learner: learner)
    let reviewedToday = try db.rows(
      "SELECT questionID, stateBefore FROM answer WHERE learnerId = ? AND mode = ? AND answeredAt > ?",
      [learner, StudyMode.review.rawValue, now.addingTimeInterval(-DailyReviewLimits.window)]
    ) {
      DailyReviewLimits.ReviewedItem(
        questionID: try $0.string(0), stateBefore: try $0.intOrNil(1).flatMap(FSRS.State.init(rawValue:)))
    }
    let room = DailyReviewLimits.room(settings: settings, reviewedToday: reviewedToday)
    // Each state's due items come from its own index range (learner, state, due), cut to the room.
    func due(_ state: FSRS.State, limit: Int) throws -> [DailyReviewLimits.DueItem] {
      try db.rows(
        "SELECT questionID, due FROM reviewCard WHERE learnerId = ? AND state = ? AND due <= ? ORDER BY due, questionID LIMIT ?",
        [learner, state.rawValue, now, limit]
      ) { DailyReviewLimits.DueItem(questionID: try $0.string(0), due: try $0.date(1)) }
    }
    let due = DailyReviewLimits.queue(
      review: try due(.review, limit: room.reviews), relearning: try due(.relearning, limit: room.reviews),
      learning: try due(.learning, limit: room.new), room: room)
    // The forecast reads only the items due within 14 days (through the index on learner and
    // due), each counted in its day (0: due now; 1 to 14: within that many days); the count of
    // items comes from the index and the next due date from one seek: start-up does not slow
    // down with the items scheduled further out. The days are counted here: a CASE of 15 bounds
    // grouped in SQL cost three times as much to prepare and run.
    let bounds = (0...14).map { now.addingTimeInterval(Double($0) * 86400) }
    var forecast = Array(repeating: 0, count: 14)
    try db.forEach("SELECT due FROM reviewCard WHERE learnerId = ? AND due <= ?", [learner, bounds[14]]) { row in
      let due = try row.date(0)
      let day = bounds.firstIndex { due <= $0 } ?? 14
      forecast[max(day - 1, 0)] += 1
    }
    let scheduled = try db.one("SELECT COUNT(*) FROM reviewCard WHERE learnerId = ?", [learner]) { try $0.int(0) } ?? 0
    let next = try db.one("SELECT MIN(due) FROM reviewCard WHERE learnerId = ? AND due > ?", [learner, now]) {
      try $0.dateOrNil(0)
    }
    let leeches = try db.rows(
      "SELECT questionID FROM reviewCard WHERE learnerId = ? AND isLeech \(db.dialect.isTrue)", [learner]
    ) { try $0.string(0) }.sorted()
    return ReviewQueue(due: due, forecast: forecast, leeches: leeches, scheduled: scheduled, nextDue: next ?? nil)
  }

  // MARK: - Settings

  static func readSettings(_ db: Connection, learner: Int64) throws -> ReviewSettings {
    var settings = ReviewSettings()
    try db.forEach("SELECT key, value FROM setting WHERE learnerId = ?", [learner]) {
      _ = settings.set(try $0.string(0), to: try $0.string(1))
    }
    return settings
  }

  public func settings(learner: Int64) throws -> ReviewSettings {
    try read { try Self.readSettings($0, learner: learner) }
  }

  /// Changes one setting after checking it; returns why when the value is not allowed.
  public func setSetting(_ key: String, to value: String, learner: Int64) throws -> String? {
    var settings = try self.settings(learner: learner)
    if let problem = settings.set(key, to: value) { return problem }
    try write { db in
      try db.execute(
        "INSERT INTO setting (learnerId, key, value) VALUES (?, ?, ?) ON CONFLICT (learnerId, key) DO UPDATE SET value = excluded.value",
        [learner, key, value])
    }
    return nil
  }

  // MARK: - Attempts and lessons

  /// Deletes the latest answer to a question in an attempt (practice mode's undo).
  public func withdrawLastAnswer(questionID: String, attempt: Int64?, learner: Int64) throws {
    try write { db in
      // Without an attempt: the latest answer given in a review (no attempt, no lesson).
      let which = attempt == nil ? "quizAttemptId IS NULL AND lessonID IS NULL" : "quizAttemptId = ?"
      let arguments: [any SQLBindable] = attempt.map { [$0, questionID, learner] } ?? [questionID, learner]
      guard
        let (id, snapshot) = try db.one(
          "SELECT id, scheduleBefore FROM answer WHERE \(which) AND questionID = ? AND learnerId = ? ORDER BY id DESC LIMIT 1",
          arguments, { (try $0.int64(0), try $0.stringOrNil(1)) })
      else { return }
      if let snapshot { try ScheduleSnapshot.restore(snapshot, db, learner: learner, questionID: questionID) }
      try db.execute("DELETE FROM answer WHERE id = ?", [id])
      try QuestionStats.refresh(db, learner: learner, questionID: questionID)
    }
  }

  /// Opens a quiz attempt and makes it the resume point; returns its id.
  public func beginAttempt(
    learner: Int64, quizID: String, seed: UInt64, order: [String], mode: QuizMode = .practice,
    asksConfidence: Bool = false,
    at date: Date
  ) throws -> Int64 {
    try write { db in
      let id =
        try db.one(
          """
          INSERT INTO quizAttempt (learnerId, quizID, seed, questionOrder, mode, asksConfidence, startedAt, uid)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
          """,
          [
            learner, quizID, Int64(bitPattern: seed), try JSONColumn.json(order), mode.rawValue, asksConfidence, date,
            RowUID.make(),
          ]
        ) { try $0.int64(0) } ?? 0
      try QuizState.begun(db, learner: learner, quizID: quizID, attempt: id)
      try Self.setResume(db, learner: learner, kind: "quiz", item: quizID, step: 0, date: date)
      return id
    }
  }

  /// Closes a quiz attempt with its score, which must be what its saved answers add up to: an
  /// attempt is never closed with answers it does not hold (it stays open to be resumed).
  /// Closing an attempt already closed changes nothing.
  public func finishAttempt(_ attempt: Int64, learner: Int64, score: Score, at date: Date) throws {
    try write { db in
      guard
        let (quizID, mode) = try db.one(
          "SELECT quizID, mode FROM quizAttempt WHERE id = ? AND learnerId = ? AND finishedAt IS NULL",
          [attempt, learner], { (try $0.string(0), try $0.string(1)) })
      else { return }
      let saved =
        try db.one(
          """
          SELECT COALESCE(SUM(score), 0) FROM answer a WHERE quizAttemptId = ?
            AND id = (SELECT MAX(id) FROM answer b WHERE b.quizAttemptId = a.quizAttemptId AND b.questionID = a.questionID)
          """, [attempt]
        ) { try $0.double(0) } ?? 0
      if abs(saved - score.points) > 1e-6 {
        throw StoreError.answersMissing(path: storeName, saved: saved, claimed: score.points)
      }
      try db.execute(
        "UPDATE quizAttempt SET finishedAt = ?, points = ?, total = ? WHERE id = ?",
        [date, saved, score.total, attempt])
      // A submitted exam's answers count from now on.
      for questionID in try db.rows(
        "SELECT DISTINCT questionID FROM answer WHERE quizAttemptId = ? ORDER BY questionID", [attempt],
        { try $0.string(0) })
      {
        try QuestionStats.refresh(db, learner: learner, questionID: questionID)
      }
      try QuizState.finished(
        db, learner: learner, quizID: quizID, attempt: attempt,
        counts: QuizMode(rawValue: mode)?.countsAsScore ?? false,
        score: Score(points: saved, total: score.total))
      // An exam's answers move their schedules now that it is submitted, in the order given.
      let deferred = try db.rows(
        """
        SELECT questionID, questionVersion, deferredRating FROM answer a WHERE quizAttemptId = ? AND deferredRating IS NOT NULL
          AND id = (SELECT MAX(id) FROM answer b WHERE b.quizAttemptId = a.quizAttemptId AND b.questionID = a.questionID)
        ORDER BY id
        """, [attempt]
      ) { (questionID: try $0.string(0), version: try $0.int(1), rating: FSRS.Rating(rawValue: try $0.int(2))) }
      for answer in deferred {
        guard let rating = answer.rating else { continue }
        try Self.schedule(
          db, learner: learner, questionID: answer.questionID, version: answer.version, rating: rating, at: date)
      }
      try db.execute("DELETE FROM resume WHERE learnerId = ? AND kind = 'quiz' AND itemID = ?", [learner, quizID])
    }
  }

  /// Closes a learner's unfinished attempts at a quiz without a score (starting over).
  public func abandonOpenAttempts(learner: Int64, quizID: String, at date: Date) throws {
    try write { db in
      try db.execute(
        "UPDATE quizAttempt SET finishedAt = ? WHERE learnerId = ? AND quizID = ? AND finishedAt IS NULL",
        [date, learner, quizID])
      try QuizState.abandoned(db, learner: learner, quizID: quizID)
    }
  }

  /// Saves the step a learner is on, and makes the lesson the resume point.
  public func saveLessonPosition(learner: Int64, lessonID: String, step: Int, at date: Date) throws {
    try write { db in
      try db.execute(
        """
        INSERT INTO lessonState (learnerId, lessonID, step, updatedAt) VALUES (?, ?, ?, ?)
        ON CONFLICT (learnerId, lessonID) DO UPDATE SET step = excluded.step, updatedAt = excluded.updatedAt
        """, [learner, lessonID, step, date])
      try Self.setResume(db, learner: learner, kind: "lesson", item: lessonID, step: step, date: date)
    }
  }

  /// Marks a lesson complete (every checkpoint answered correctly).
  public func markLessonComplete(learner: Int64, lessonID: String, at date: Date) throws {
    try write { db in
      try db.execute(
        """
        INSERT INTO lessonState (learnerId, lessonID, step, completedAt, updatedAt) VALUES (?, ?, 0, ?, ?)
        ON CONFLICT (learnerId, lessonID) DO UPDATE SET
          completedAt = COALESCE(lessonState.completedAt, excluded.completedAt), updatedAt = excluded.updatedAt
        """, [learner, lessonID, date, date])
    }
  }

  private static func setResume(_ db: Connection, learner: Int64, kind: String, item: String, step: Int, date: Date)
    throws
  {
    try db.execute(
      """
      INSERT INTO resume (learnerId, kind, itemID, step, updatedAt) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (learnerId) DO UPDATE SET kind = excluded.kind, itemID = excluded.itemID,
        step = excluded.step, updatedAt = excluded.updatedAt
      """, [learner, kind, item, step, date])
  }
}

/// What takes a rehearsal's answers back.
private struct Rehearsed: Error {}

/// A schedule row kept with an answer, so undo can put it back: every column as a number
/// (dates as seconds since 1970), written so that it reads back bit for bit.
struct ScheduleSnapshot: Codable {
  var questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech: Double?

  /// The schedule as JSON ("{}" when the question had none), for undo.
  static func json(_ card: ReviewCard?) throws -> String {
    guard let card else { return "{}" }
    let snapshot = ScheduleSnapshot(
      questionVersion: Double(card.questionVersion), state: Double(card.card.state.rawValue),
      step: card.card.step.map(Double.init),
      stability: card.card.stability, difficulty: card.card.difficulty,
      lastReview: card.card.lastReview?.timeIntervalSince1970,
      due: card.card.due.timeIntervalSince1970, reps: Double(card.reps), failures: Double(card.failures),
      isLeech: card.isLeech ? 1 : 0)
    return String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
  }

  static func restore(_ json: String, _ db: some SQLConnection, learner: Int64, questionID: String) throws {
    // A snapshot that cannot be read leaves the schedule as it is, rather than losing it.
    guard let saved = try? JSONDecoder().decode(ScheduleSnapshot.self, from: Data(json.utf8)) else { return }
    guard let due = saved.due else {
      try db.execute("DELETE FROM reviewCard WHERE learnerId = ? AND questionID = ?", [learner, questionID])
      return
    }
    let whole = { (value: Double?) in value.map { Int($0) } }
    try db.execute(
      """
      UPDATE reviewCard SET questionVersion = ?, state = ?, step = ?, stability = ?, difficulty = ?, lastReview = ?, due = ?,
        reps = ?, failures = ?, isLeech = ? WHERE learnerId = ? AND questionID = ?
      """,
      [
        whole(saved.questionVersion), whole(saved.state), whole(saved.step), saved.stability, saved.difficulty,
        saved.lastReview.map { Date(timeIntervalSince1970: $0) }, Date(timeIntervalSince1970: due),
        whole(saved.reps), whole(saved.failures), saved.isLeech.map { $0 != 0 }, learner, questionID,
      ])
  }
}

/// Each quiz's open attempt and its best and last counted scores, kept as attempts begin and
/// end by the same rules as the progress fold, so start-up reads one row per quiz.
enum QuizState {
  static func begun(_ db: some SQLConnection, learner: Int64, quizID: String, attempt: Int64) throws {
    try db.execute(
      """
      INSERT INTO quizState (learnerId, quizID, openAttemptId) VALUES (?, ?, ?)
      ON CONFLICT (learnerId, quizID) DO UPDATE SET openAttemptId = excluded.openAttemptId
      """, [learner, quizID, attempt])
  }

  /// An attempt closed with its score: it counts only if it was the open one.
  static func finished(
    _ db: some SQLConnection, learner: Int64, quizID: String, attempt: Int64, counts: Bool, score: Score
  ) throws {
    guard
      let best = try db.one(
        "SELECT bestPoints, bestTotal FROM quizState WHERE learnerId = ? AND quizID = ? AND openAttemptId = ?",
        [learner, quizID, attempt],
        { row -> Score? in
          guard let points = try row.doubleOrNil(0), let total = try row.intOrNil(1) else { return nil }
          return Score(points: points, total: total)
        })
    else { return }
    let newBest = best.map { score.fraction > $0.fraction ? score : $0 } ?? score
    if counts {
      try db.execute(
        """
        UPDATE quizState SET openAttemptId = NULL, bestPoints = ?, bestTotal = ?, lastPoints = ?, lastTotal = ?
        WHERE learnerId = ? AND quizID = ?
        """, [newBest.points, newBest.total, score.points, score.total, learner, quizID])
    } else {
      try abandoned(db, learner: learner, quizID: quizID)
    }
  }

  /// The summary worked out again from the quiz's attempts, replayed in the order they began.
  static func rebuild(_ db: some SQLConnection, learner: Int64, quizID: String) throws {
    try db.execute("DELETE FROM quizState WHERE learnerId = ? AND quizID = ?", [learner, quizID])
    let attempts = try db.rows(
      """
      SELECT id, mode, finishedAt IS NOT NULL, points, total FROM quizAttempt WHERE learnerId = ? AND quizID = ?
      ORDER BY startedAt, id
      """, [learner, quizID]
    ) { row in
      (
        id: try row.int64(0), mode: try row.string(1), finished: try row.bool(2), points: try row.doubleOrNil(3),
        total: try row.intOrNil(4)
      )
    }
    for attempt in attempts {
      try begun(db, learner: learner, quizID: quizID, attempt: attempt.id)
      guard attempt.finished else { continue }
      if let points = attempt.points, let total = attempt.total {
        try finished(
          db, learner: learner, quizID: quizID, attempt: attempt.id,
          counts: QuizMode(rawValue: attempt.mode)?.countsAsScore ?? false, score: Score(points: points, total: total))
      } else {
        try abandoned(db, learner: learner, quizID: quizID)
      }
    }
  }

  static func abandoned(_ db: some SQLConnection, learner: Int64, quizID: String) throws {
    try db.execute("UPDATE quizState SET openAttemptId = NULL WHERE learnerId = ? AND quizID = ?", [learner, quizID])
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
  /// One pass over the question's counted answers, newest first.
  static func refresh(_ db: some SQLConnection, learner: Int64, questionID: String) throws {
    var tally = Tally()
    try db.forEach(
      "SELECT score, chosen FROM answer WHERE \(counted) ORDER BY answeredAt DESC, id DESC", [learner, questionID]
    ) { try tally.add(score: try $0.double(0), chosen: try $0.string(1)) }
    try tally.save(db, learner: learner, questionID: questionID)
  }

  /// Many questions at once: past a few hundred, one walk over the learner's answers, question
  /// by question, newest first (the index answerByQuestion's order, backwards).
  static func refresh(_ db: some SQLConnection, learner: Int64, questions: Set<String>) throws {
    guard questions.count > 200 else {
      for question in questions.sorted() { try refresh(db, learner: learner, questionID: question) }
      return
    }
    var tallies: [(String, Tally)] = []
    var left = questions
    var current: String?
    var tally = Tally()
    try db.forEach(
      """
      SELECT questionID, score, chosen FROM answer WHERE learnerId = ? AND \(countedAnswer)
      ORDER BY questionID DESC, answeredAt DESC, id DESC
      """, [learner]
    ) { row in
      let question = try row.string(0)
      if question != current {
        if let current, left.remove(current) != nil { tallies.append((current, tally)) }
        current = question
        tally = Tally()
      }
      if left.contains(question) { try tally.add(score: try row.double(1), chosen: try row.string(2)) }
    }
    if let current, left.remove(current) != nil { tallies.append((current, tally)) }
    for (question, tally) in tallies { try tally.save(db, learner: learner, questionID: question) }
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

    func save(_ db: some SQLConnection, learner: Int64, questionID: String) throws {
      let statement = saving(learner: learner, questionID: questionID)
      try db.execute(statement.sql, statement.arguments)
    }

    func saving(learner: Int64, questionID: String) -> SQLStatement {
      guard count > 0 else {
        return SQLStatement("DELETE FROM questionStats WHERE learnerId = ? AND questionID = ?", [learner, questionID])
      }
      return SQLStatement(
        """
        INSERT INTO questionStats
          (learnerId, questionID, answers, "right", lastRight, wrongPicks, recentAnswers, recentRight)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (learnerId, questionID) DO UPDATE SET answers = excluded.answers, "right" = excluded."right",
          lastRight = excluded.lastRight, wrongPicks = excluded.wrongPicks, recentAnswers = excluded.recentAnswers,
          recentRight = excluded.recentRight
        """,
        [
          learner, questionID, count, right, lastRight, JSONColumn.json(picks), min(count, AnswerStats.recentWindow),
          recentRight,
        ])
    }
  }
}

/// What recording an answer reads before it writes, in one statement: the question's
/// schedule, the learner's review settings, and the question's counted answers so far.
struct AnswerBackground {
  var card: ReviewCard?
  var settings = ReviewSettings()
  /// Newest first, as `QuestionStats.refresh` reads them; each says whether it was given after
  /// the new answer's time (the new answer, the latest row, comes before all others).
  var counted: [(score: Double, chosen: String, isLater: Bool)] = []

  /// The question's tally with the new answer's grade (nil: the answer does not count).
  func tally(adding grade: Grade?) throws -> QuestionStats.Tally {
    var tally = QuestionStats.Tally()
    var pending = grade
    for answer in counted {
      if !answer.isLater, let grade = pending {
        tally.add(score: grade.score, picks: grade.chosenChoiceIDs)
        pending = nil
      }
      try tally.add(score: answer.score, chosen: answer.chosen)
    }
    if let grade = pending { tally.add(score: grade.score, picks: grade.chosenChoiceIDs) }
    return tally
  }
}

/// A row's columns from `skipped` on, numbered from 0.
struct ColumnsAfter<Row: SQLRowReader>: SQLRowReader {
  let row: Row
  let skipped: Int
  func value(at index: Int) -> SQLValue { row.value(at: index + skipped) }
  func dateOrNil(_ index: Int) throws -> Date? { try row.dateOrNil(index + skipped) }
}
