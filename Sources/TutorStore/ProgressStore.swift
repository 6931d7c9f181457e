import Foundation
import GRDB
import TutorCore

/// Why the progress store could not be used; every case names the file and what to do.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  case corrupt(path: String, detail: String)
  case locked(path: String)
  case newerSchema(path: String)
  case cannotOpen(path: String, detail: String)

  public var description: String {
    switch self {
    case .corrupt(let path, let detail):
      return """
        The progress store at \(path) is damaged or is not a tutor database (\(detail)).
        It was left untouched. Move it aside (for example: mv '\(path)' '\(path).broken') to start \
        a fresh store, or point the tutor at another one with --store PATH.
        """
    case .locked(let path):
      return """
        The progress store at \(path) is locked by another process.
        Close the other tutor (or the program holding the file) and try again, or use --store PATH.
        """
    case .newerSchema(let path):
      return """
        The progress store at \(path) was written by a newer version of the tutor.
        It was left untouched. Update the tutor, or use another store with --store PATH.
        """
    case .cannotOpen(let path, let detail):
      return "Cannot open the progress store at \(path): \(detail). Check the folder's permissions, or use --store PATH."
    }
  }
}

/// The learner's progress on disk: a SQLite database in WAL mode, one transaction per answer.
public final class ProgressStore: @unchecked Sendable {
  public let path: String
  private let database: DatabasePool

  /// Opens (creating if needed) the store at `path`, migrating it to the current schema.
  /// Never overwrites, truncates or replaces an existing file that it cannot read.
  public init(path: String) throws(StoreError) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotOpen(path: path, detail: "cannot create the folder \(folder.path)")
    }
    try Self.checkHeader(path: path)

    // Every check runs on a read-only connection first: a store that is refused is never written to.
    if FileManager.default.fileExists(atPath: path) { try Self.inspect(path: path) }

    var configuration = Configuration()
    configuration.busyMode = .timeout(1.5)
    configuration.foreignKeysEnabled = true
    do {
      database = try DatabasePool(path: path, configuration: configuration)
      try Self.migrator.migrate(database)
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  /// Refuses a store that is damaged or from a newer version, without writing to it.
  private static func inspect(path: String) throws(StoreError) {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(1.5)
    do {
      let reader = try DatabaseQueue(path: path, configuration: configuration)
      try reader.read { db in
        let check = try String.fetchOne(db, sql: "PRAGMA quick_check")
        if check != "ok" { throw StoreError.corrupt(path: path, detail: check ?? "integrity check failed") }
        if try db.tableExists("grdb_migrations"), try migrator.hasBeenSuperseded(db) {
          throw StoreError.newerSchema(path: path)
        }
      }
      try reader.close()
    } catch let error as StoreError {
      throw error
    } catch {
      throw translate(error, path: path)
    }
  }

  /// A file that exists but does not start like a SQLite database is refused before SQLite touches it.
  private static func checkHeader(path: String) throws(StoreError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      if FileManager.default.fileExists(atPath: path) {
        throw .cannotOpen(path: path, detail: "the file cannot be read")
      }
      return
    }
    defer { try? handle.close() }
    let header = (try? handle.read(upToCount: 16)) ?? Data()
    if header.isEmpty { return }
    if header != Data("SQLite format 3\0".utf8) {
      throw .corrupt(path: path, detail: "the file does not start with a SQLite header")
    }
  }

  private static func translate(_ error: any Error, path: String) -> StoreError {
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
      case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .corrupt(path: path, detail: error.message ?? "not a database")
      case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
        return .cannotOpen(path: path, detail: error.message ?? "permission denied")
      default: return .cannotOpen(path: path, detail: error.message ?? "\(error)")
      }
    }
    return .cannotOpen(path: path, detail: "\(error)")
  }

  /// Runs a write transaction; SQLite errors become `StoreError`s that name the file.
  private func writing<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try database.write(body)
    } catch let error as StoreError {
      throw error
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  private func reading<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try database.read(body)
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  // MARK: - Schema

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.create(table: "learner") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("name", .text).notNull().unique()
        t.column("createdAt", .datetime).notNull()
      }
      try db.create(table: "quizAttempt") { t in
        t.autoIncrementedPrimaryKey("id")
        t.belongsTo("learner").notNull()
        t.column("quizID", .text).notNull()
        t.column("seed", .integer).notNull()
        t.column("questionOrder", .text).notNull()
        t.column("mode", .text).notNull()
        t.column("startedAt", .datetime).notNull()
        t.column("finishedAt", .datetime)
        t.column("points", .double)
        t.column("total", .integer)
      }
      try db.create(table: "answer") { t in
        t.autoIncrementedPrimaryKey("id")
        t.belongsTo("learner").notNull()
        t.column("questionID", .text).notNull().indexed()
        t.column("questionVersion", .integer).notNull()
        t.column("lessonID", .text)
        t.column("quizID", .text)
        t.belongsTo("quizAttempt")
        t.column("response", .text).notNull()
        t.column("score", .double).notNull()
        t.column("chosen", .text).notNull()
        t.column("hintsUsed", .integer).notNull().defaults(to: 0)
        t.column("confidence", .text)
        t.column("durationMs", .integer)
        t.column("mode", .text).notNull()
        t.column("answeredAt", .datetime).notNull()
      }
      try db.create(table: "lessonState") { t in
        t.belongsTo("learner").notNull()
        t.column("lessonID", .text).notNull()
        t.column("step", .integer).notNull()
        t.column("completedAt", .datetime)
        t.column("updatedAt", .datetime).notNull()
        t.primaryKey(["learnerId", "lessonID"])
      }
      try db.create(table: "resume") { t in
        t.belongsTo("learner").notNull()
        t.primaryKey(["learnerId"])
        t.column("kind", .text).notNull()
        t.column("itemID", .text).notNull()
        t.column("step", .integer).notNull().defaults(to: 0)
        t.column("updatedAt", .datetime).notNull()
      }
    }
    migrator.registerMigration("v2-review") { db in
      try db.create(table: "reviewCard") { t in
        t.belongsTo("learner").notNull()
        t.column("questionID", .text).notNull()
        t.column("questionVersion", .integer).notNull()
        t.column("state", .integer).notNull()
        t.column("step", .integer)
        t.column("stability", .double)
        t.column("difficulty", .double)
        t.column("lastReview", .datetime)
        t.column("due", .datetime).notNull()
        t.column("reps", .integer).notNull().defaults(to: 0)
        t.column("failures", .integer).notNull().defaults(to: 0)
        t.column("isLeech", .boolean).notNull().defaults(to: false)
        t.primaryKey(["learnerId", "questionID"])
      }
      try db.create(index: "reviewCardDue", on: "reviewCard", columns: ["learnerId", "due"])
      // The schedule before an answer moved it, so that undo can put it back.
      try db.alter(table: "answer") { t in
        t.add(column: "scheduleBefore", .text)
        // The schedule's state when the answer was given (null: the question had none): daily limits count by it.
        t.add(column: "stateBefore", .integer)
      }
      try db.create(table: "setting") { t in
        t.belongsTo("learner").notNull()
        t.column("key", .text).notNull()
        t.column("value", .text).notNull()
        t.primaryKey(["learnerId", "key"])
      }
    }
    migrator.registerMigration("v3-review-index") { db in
      // Due items of one state, soonest first, without scanning the others.
      try db.create(index: "reviewCardStateDue", on: "reviewCard", columns: ["learnerId", "state", "due"])
      try db.create(index: "reviewCardLeech", on: "reviewCard", columns: ["learnerId"], condition: Column("isLeech") == true)
    }
    return migrator
  }

  // MARK: - Learners

  /// The id of the learner profile `name`, created on first use.
  public func learnerID(named name: String) throws -> Int64 {
    let existing = try reading { try Int64.fetchOne($0, sql: "SELECT id FROM learner WHERE name = ?", arguments: [name]) }
    if let existing { return existing }
    return try writing { db in
      if let id = try Int64.fetchOne(db, sql: "SELECT id FROM learner WHERE name = ?", arguments: [name]) {
        return id
      }
      try db.execute(sql: "INSERT INTO learner (name, createdAt) VALUES (?, ?)", arguments: [name, Date()])
      return db.lastInsertedRowID
    }
  }

  /// Names of every learner profile in the store.
  public func learnerNames() throws -> [String] {
    try reading { try String.fetchAll($0, sql: "SELECT name FROM learner ORDER BY name") }
  }

  // MARK: - Writing

  /// Records one answer in its own committed transaction, and in the same transaction moves
  /// its question's review schedule when the answer carries a rating; returns the answer's row id.
  @discardableResult
  public func record(_ answer: AnswerRecord, learner: Int64, at date: Date = Date()) throws -> Int64 {
    try writing { db in
      var scheduleBefore: String?
      var stateBefore: Int?
      if let rating = answer.rating {
        scheduleBefore = try Self.scheduleSnapshot(db, learner: learner, questionID: answer.questionID)
        stateBefore = try Int.fetchOne(
          db, sql: "SELECT state FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, answer.questionID])
        try Self.schedule(db, learner: learner, questionID: answer.questionID, version: answer.questionVersion, rating: rating, at: date)
      }
      var lessonID: String?
      var quizID: String?
      var attemptID: Int64?
      switch answer.context {
      case .checkpoint(let lesson): lessonID = lesson
      case .review: break
      case .quiz(let quiz, let attempt):
        quizID = quiz
        attemptID = attempt
      }
      let chosen = String(decoding: try JSONEncoder().encode(answer.grade.chosenChoiceIDs), as: UTF8.self)
      try db.execute(
        sql: """
          INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId,
            response, score, chosen, hintsUsed, confidence, durationMs, mode, answeredAt, scheduleBefore, stateBefore)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          learner, answer.questionID, answer.questionVersion, lessonID, quizID, attemptID,
          answer.response, answer.grade.score, chosen, answer.hintsUsed, answer.confidence, answer.durationMilliseconds,
          answer.mode, date, scheduleBefore, stateBefore,
        ])
      return db.lastInsertedRowID
    }
  }

  // MARK: - Review schedule

  /// Applies a rating to a question's schedule: a new card on its first answer, or when the
  /// question's version was raised; fuzzed reproducibly from the question and its review count.
  static func schedule(_ db: Database, learner: Int64, questionID: String, version: Int, rating: FSRS.Rating, at date: Date) throws {
    let settings = try readSettings(db, learner: learner)
    let row = try Row.fetchOne(
      db, sql: "SELECT * FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID])
    var card = FSRS.Card(due: date)
    var reps = 0
    var failures = 0
    if let row, (row["questionVersion"] as Int) >= version {
      card = Self.card(row)
      reps = row["reps"]
      failures = row["failures"]
    }
    var generator = SeededGenerator(seed: StableHash.of(questionID) &+ UInt64(reps))
    let u = Double(generator.next() >> 11) / Double(1 << 53)
    let next = settings.scheduler.review(card, rating: rating, at: date, fuzz: u)
    if rating == .again { failures += 1 }
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
        learner, questionID, max(version, row?["questionVersion"] ?? 0), next.state.rawValue, next.step, next.stability,
        next.difficulty, next.lastReview, next.due, reps + 1, failures, failures >= settings.leechThreshold,
      ])
  }

  private static let scheduleColumns = [
    "questionVersion", "state", "step", "stability", "difficulty", "lastReview", "due", "reps", "failures", "isLeech",
  ]

  /// The schedule row as JSON ("{}" when the question had none), for undo.
  static func scheduleSnapshot(_ db: Database, learner: Int64, questionID: String) throws -> String {
    guard let row = try Row.fetchOne(
      db, sql: "SELECT \(scheduleColumns.joined(separator: ", ")) FROM reviewCard WHERE learnerId = ? AND questionID = ?",
      arguments: [learner, questionID])
    else { return "{}" }
    var object: [String: Any] = [:]
    for column in scheduleColumns {
      switch row[column] as DatabaseValue {
      case let value where value.isNull: object[column] = NSNull()
      default:
        if let date: Date = row[column], column == "lastReview" || column == "due" {
          object[column] = date.timeIntervalSince1970
        } else if let number: Double = row[column] {
          object[column] = number
        }
      }
    }
    return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }

  static func restoreSchedule(_ db: Database, learner: Int64, questionID: String, snapshot: String) throws {
    guard let object = try JSONSerialization.jsonObject(with: Data(snapshot.utf8)) as? [String: Any], !object.isEmpty else {
      try db.execute(sql: "DELETE FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID])
      return
    }
    func value(_ key: String) -> (any DatabaseValueConvertible)? {
      guard let raw = object[key], !(raw is NSNull) else { return nil }
      let number = (raw as? NSNumber)?.doubleValue ?? 0
      switch key {
      case "lastReview", "due": return Date(timeIntervalSince1970: number)
      case "stability", "difficulty": return number
      default: return Int(number)
      }
    }
    try db.execute(
      sql: """
        UPDATE reviewCard SET questionVersion = ?, state = ?, step = ?, stability = ?, difficulty = ?, lastReview = ?, due = ?,
          reps = ?, failures = ?, isLeech = ? WHERE learnerId = ? AND questionID = ?
        """,
      arguments: StatementArguments(scheduleColumns.map(value) + [learner, questionID]))
  }

  /// Sets many schedules in one transaction (importing a review history from elsewhere).
  public func importSchedules(_ items: [(questionID: String, card: FSRS.Card)], learner: Int64, version: Int = 1) throws {
    try writing { db in
      let statement = try db.makeStatement(
        sql: """
          INSERT OR REPLACE INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
          """)
      for (questionID, card) in items {
        try statement.execute(arguments: [
          learner, questionID, version, card.state.rawValue, card.step, card.stability, card.difficulty, card.lastReview, card.due,
        ])
      }
    }
  }

  /// A question's schedule, if it has one.
  public func reviewCard(learner: Int64, questionID: String) throws -> FSRS.Card? {
    try reading { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM reviewCard WHERE learnerId = ? AND questionID = ?", arguments: [learner, questionID]) else {
        return nil
      }
      return Self.card(row)
    }
  }

  private static func card(_ row: Row) -> FSRS.Card {
    FSRS.Card(
      state: FSRS.State(rawValue: row["state"]) ?? .learning, step: row["step"], stability: row["stability"],
      difficulty: row["difficulty"], lastReview: row["lastReview"], due: row["due"])
  }

  /// How many items are due at `now`, without the limits (for a badge).
  public func dueCount(learner: Int64, now: Date) throws -> Int {
    try reading { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due <= ?", arguments: [learner, now]) ?? 0 }
  }

  /// What is due at `now` within the day's limits, the next 14 days' forecast, and the leeches.
  public func reviewQueue(learner: Int64, now: Date) throws -> ReviewQueue {
    try reading { db in
      let settings = try Self.readSettings(db, learner: learner)
      let dayAgo = now.addingTimeInterval(-86400)
      // "A day" is the 24 hours before now; items count as new while still in their learning steps.
      let learning = FSRS.State.learning.rawValue
      let doneNew = try Int.fetchOne(
        db, sql: """
          SELECT COUNT(DISTINCT questionID) FROM answer WHERE learnerId = ? AND mode = 'review' AND answeredAt > ?
            AND (stateBefore IS NULL OR stateBefore = ?)
          """, arguments: [learner, dayAgo, learning]) ?? 0
      let doneReviews = try Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM answer WHERE learnerId = ? AND mode = 'review' AND answeredAt > ? AND stateBefore != ?",
        arguments: [learner, dayAgo, learning]) ?? 0
      let newRoom = max(0, settings.newPerDay - doneNew)
      let reviewRoom = max(0, settings.reviewsPerDay - doneReviews)
      // Only as many due items as the limits allow are read, soonest first (index on learner, due).
      // Each state's due items come from its own index range, cut to the day's limit; SQLite
      // merges them by due time without decoding a date.
      let limited = "SELECT questionID, due FROM reviewCard WHERE learnerId = ? AND state = ? AND due <= ? ORDER BY due LIMIT ?"
      let due = try String.fetchAll(
        db,
        sql: """
          SELECT questionID FROM (
            SELECT * FROM (SELECT * FROM (\(limited)) UNION ALL SELECT * FROM (\(limited)) ORDER BY due LIMIT ?)
            UNION ALL SELECT * FROM (\(limited))
          ) ORDER BY due, questionID
          """,
        arguments: [
          learner, FSRS.State.review.rawValue, now, reviewRoom, learner, FSRS.State.relearning.rawValue, now, reviewRoom,
          reviewRoom, learner, learning, now, newRoom,
        ])
      var forecast = [Int](repeating: 0, count: 14)
      let overdue = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due <= ?", arguments: [learner, now]) ?? 0
      forecast[0] = overdue
      // One indexed count per day.
      for day in 0..<14 {
        let from = now.addingTimeInterval(Double(day) * 86400)
        forecast[day] += try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due > ? AND due <= ?",
          arguments: [learner, from, from.addingTimeInterval(86400)]) ?? 0
      }
      let leeches = try String.fetchAll(db, sql: "SELECT questionID FROM reviewCard WHERE learnerId = ? AND isLeech = 1", arguments: [learner]).sorted()
      let scheduled = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ?", arguments: [learner]) ?? 0
      let next = try Date.fetchOne(db, sql: "SELECT MIN(due) FROM reviewCard WHERE learnerId = ? AND due > ?", arguments: [learner, now])
      return ReviewQueue(due: due, forecast: forecast, leeches: leeches, scheduled: scheduled, nextDue: next)
    }
  }

  // MARK: - Settings

  static func readSettings(_ db: Database, learner: Int64) throws -> ReviewSettings {
    var settings = ReviewSettings()
    for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting WHERE learnerId = ?", arguments: [learner]) {
      _ = settings.set(row["key"], to: row["value"])
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
        sql: "INSERT INTO setting (learnerId, key, value) VALUES (?, ?, ?) ON CONFLICT(learnerId, key) DO UPDATE SET value = excluded.value",
        arguments: [learner, key, value])
    }
    return nil
  }

  /// Deletes the latest answer to a question in an attempt (practice mode's undo).
  public func withdrawLastAnswer(questionID: String, attempt: Int64, learner: Int64) throws {
    try writing { db in
      guard let row = try Row.fetchOne(
        db, sql: "SELECT id, scheduleBefore FROM answer WHERE quizAttemptId = ? AND questionID = ? AND learnerId = ? ORDER BY id DESC LIMIT 1",
        arguments: [attempt, questionID, learner])
      else { return }
      if let snapshot: String = row["scheduleBefore"] {
        try Self.restoreSchedule(db, learner: learner, questionID: questionID, snapshot: snapshot)
      }
      try db.execute(sql: "DELETE FROM answer WHERE id = ?", arguments: [row["id"] as Int64])
    }
  }

  /// Opens a quiz attempt and makes it the resume point; returns its id.
  public func beginAttempt(learner: Int64, quizID: String, seed: UInt64, order: [String], mode: String = "practice", at date: Date = Date()) throws -> Int64 {
    try writing { db in
      let orderText = String(decoding: try JSONEncoder().encode(order), as: UTF8.self)
      try db.execute(
        sql: """
          INSERT INTO quizAttempt (learnerId, quizID, seed, questionOrder, mode, startedAt)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [learner, quizID, Int64(bitPattern: seed), orderText, mode, date])
      let id = db.lastInsertedRowID
      try Self.setResume(db, learner: learner, kind: "quiz", item: quizID, step: 0, date: date)
      return id
    }
  }

  /// Closes a quiz attempt with its score.
  public func finishAttempt(_ attempt: Int64, learner: Int64, score: Score, at date: Date = Date()) throws {
    try writing { db in
      try db.execute(
        sql: "UPDATE quizAttempt SET finishedAt = ?, points = ?, total = ? WHERE id = ? AND learnerId = ?",
        arguments: [date, score.points, score.total, attempt, learner])
      try db.execute(sql: "DELETE FROM resume WHERE learnerId = ? AND kind = 'quiz'", arguments: [learner])
    }
  }

  /// Closes a learner's unfinished attempts at a quiz without a score (starting over).
  public func abandonOpenAttempts(learner: Int64, quizID: String, at date: Date = Date()) throws {
    try writing { db in
      try db.execute(
        sql: "UPDATE quizAttempt SET finishedAt = ? WHERE learnerId = ? AND quizID = ? AND finishedAt IS NULL",
        arguments: [date, learner, quizID])
    }
  }

  /// Saves the step a learner is on, and makes the lesson the resume point.
  public func saveLessonPosition(learner: Int64, lessonID: String, step: Int, at date: Date = Date()) throws {
    try writing { db in
      try db.execute(
        sql: """
          INSERT INTO lessonState (learnerId, lessonID, step, updatedAt) VALUES (?, ?, ?, ?)
          ON CONFLICT(learnerId, lessonID) DO UPDATE SET step = excluded.step, updatedAt = excluded.updatedAt
          """,
        arguments: [learner, lessonID, step, date])
      try Self.setResume(db, learner: learner, kind: "lesson", item: lessonID, step: step, date: date)
    }
  }

  /// Marks a lesson complete (every checkpoint answered correctly).
  public func markLessonComplete(learner: Int64, lessonID: String, at date: Date = Date()) throws {
    try writing { db in
      try db.execute(
        sql: """
          INSERT INTO lessonState (learnerId, lessonID, step, completedAt, updatedAt) VALUES (?, ?, 0, ?, ?)
          ON CONFLICT(learnerId, lessonID) DO UPDATE SET
            completedAt = COALESCE(lessonState.completedAt, excluded.completedAt), updatedAt = excluded.updatedAt
          """,
        arguments: [learner, lessonID, date, date])
    }
  }

  private static func setResume(_ db: Database, learner: Int64, kind: String, item: String, step: Int, date: Date) throws {
    try db.execute(
      sql: """
        INSERT INTO resume (learnerId, kind, itemID, step, updatedAt) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(learnerId) DO UPDATE SET kind = excluded.kind, itemID = excluded.itemID,
          step = excluded.step, updatedAt = excluded.updatedAt
        """,
      arguments: [learner, kind, item, step, date])
  }

  // MARK: - Reading

  /// Everything the screens show about a learner.
  public func progress(learner: Int64) throws -> LearnerProgress {
    try reading { db in
      var progress = LearnerProgress()
      for row in try Row.fetchAll(db, sql: "SELECT lessonID, step, completedAt FROM lessonState WHERE learnerId = ?", arguments: [learner]) {
        let id: String = row["lessonID"]
        progress.lessons[id] = LessonProgress(step: row["step"], isComplete: row["completedAt"] as Date? != nil)
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT DISTINCT lessonID, questionID FROM answer WHERE learnerId = ? AND lessonID IS NOT NULL AND score >= 0.999999",
        arguments: [learner])
      {
        let id: String = row["lessonID"]
        progress.lessons[id, default: LessonProgress()].passedCheckpoints.insert(row["questionID"])
      }
      let attempts = try Row.fetchAll(
        db, sql: "SELECT id, quizID, seed, questionOrder, mode, startedAt, finishedAt, points, total FROM quizAttempt WHERE learnerId = ? ORDER BY id",
        arguments: [learner])
      for row in attempts {
        let quizID: String = row["quizID"]
        var quiz = progress.quizzes[quizID] ?? QuizProgress()
        if row["finishedAt"] as Date? != nil {
          // Finished with a score, or abandoned (no score) by starting over.
          quiz.openAttempt = nil
          // Retries of missed questions do not count as scores of the whole quiz.
          guard let points: Double = row["points"], let total: Int = row["total"], row["mode"] as String != "retry" else {
            progress.quizzes[quizID] = quiz
            continue
          }
          let score = Score(points: points, total: total)
          quiz.lastScore = score
          if quiz.bestScore.map({ score.fraction > $0.fraction }) ?? true { quiz.bestScore = score }
          quiz.openAttempt = nil
        } else {
          let id: Int64 = row["id"]
          let orderText: String = row["questionOrder"]
          let order = (try? JSONDecoder().decode([String].self, from: Data(orderText.utf8))) ?? []
          var grades: [String: Grade] = [:]
          for answer in try Row.fetchAll(
            db, sql: "SELECT questionID, score, chosen FROM answer WHERE quizAttemptId = ? ORDER BY id", arguments: [id])
          // Ordered by id: a changed answer (an exam gone back to) replaces the earlier one.
          {
            let chosenText: String = answer["chosen"]
            let chosen = (try? JSONDecoder().decode([String].self, from: Data(chosenText.utf8))) ?? []
            grades[answer["questionID"]] = Grade(score: answer["score"], chosenChoiceIDs: chosen)
          }
          let seed: Int64 = row["seed"]
          quiz.openAttempt = OpenAttempt(
            id: id, seed: UInt64(bitPattern: seed), order: order, grades: grades, mode: row["mode"], startedAt: row["startedAt"])
        }
        progress.quizzes[quizID] = quiz
      }
      if let row = try Row.fetchOne(db, sql: "SELECT kind, itemID, step FROM resume WHERE learnerId = ?", arguments: [learner]) {
        let item: String = row["itemID"]
        let kind: String = row["kind"]
        progress.resume = kind == "quiz" ? .quiz(id: item) : .lesson(id: item, step: row["step"])
      }
      return progress
    }
  }

  /// Number of answers recorded for a learner (all contexts).
  public func answerCount(learner: Int64) throws -> Int {
    try reading { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answer WHERE learnerId = ?", arguments: [learner]) ?? 0 }
  }

  /// Ids of every recorded answer, in order (for crash-safety tests).
  public func answerIDs() throws -> [Int64] {
    try reading { try Int64.fetchAll($0, sql: "SELECT id FROM answer ORDER BY id") }
  }

  /// Every question a learner has answered: how often, how often right, and the options picked
  /// in wrong answers.
  public func answerStats(learner: Int64) throws -> [String: AnswerStats] {
    try reading { db in
      var stats: [String: AnswerStats] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT questionID, score, chosen FROM answer WHERE learnerId = ?", arguments: [learner]) {
        let id: String = row["questionID"]
        let score: Double = row["score"]
        var stat = stats[id] ?? AnswerStats()
        stat.answers += 1
        if score >= 0.999999 {
          stat.right += 1
        } else {
          let chosenText: String = row["chosen"]
          for choice in (try? JSONDecoder().decode([String].self, from: Data(chosenText.utf8))) ?? [] {
            stat.wrongPicks[choice, default: 0] += 1
          }
        }
        stats[id] = stat
      }
      return stats
    }
  }
}
