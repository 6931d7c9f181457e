import Foundation
import GRDB
import TutorCore

/// Why the progress store could not be used; every case names the file and what to do.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  case corrupt(path: String, detail: String)
  case locked(path: String)
  case newerSchema(path: String)
  case cannotOpen(path: String, detail: String)
  /// A SQLite database of another program: the tutor adds no tables to it.
  case notTutorStore(path: String)
  /// The file (or a file SQLite keeps beside it) cannot be written by this user.
  case readOnly(path: String, file: String)
  case diskFull(path: String)
  case isFolder(path: String)
  /// A stored value the tutor cannot read back (a row is reported, never trapped on).
  case unreadableValue(path: String, detail: String)
  /// An answer for a quiz attempt that was finished meanwhile (in another window).
  case attemptFinished(path: String)
  /// An attempt would be closed with a score its saved answers do not add up to.
  case answersMissing(path: String, saved: Double, claimed: Double)
  case other(path: String, detail: String)

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
      return
        "Cannot open the progress store at \(path): \(detail). Check that you may create and write files in its folder, or use --store PATH."
    case .notTutorStore(let path):
      return """
        The file at \(path) is a SQLite database of another program, not a tutor progress store.
        It was left untouched. Point the tutor at another file with --store PATH.
        """
    case .readOnly(let path, let file):
      let which = file == path ? "It" : "The file \(file) beside it"
      return """
        The progress store at \(path) cannot be written: \(which) is read-only for this user.
        Make it writable (for example: chmod u+w '\(file)'), or use --store PATH. `tutor progress` can still read it.
        """
    case .diskFull(let path):
      return
        "The disk holding the progress store at \(path) is full. Free some space and run the same command to continue."
    case .isFolder(let path):
      return
        "The progress store \(path) is a folder, not a file. Use --store with the path of a file (for example \(path)/progress.sqlite)."
    case .unreadableValue(let path, let detail):
      return """
        The progress store at \(path) holds a value the tutor cannot read (\(detail)).
        Nothing was changed. Move it aside (for example: mv '\(path)' '\(path).broken') to start a fresh store, or use --store PATH.
        """
    case .attemptFinished(let path):
      return
        "This quiz attempt was finished meanwhile (in another window?); the answer was not saved in \(path). Start the quiz again to take a new attempt."
    case .answersMissing(let path, let saved, let claimed):
      return """
        The quiz attempt was left open: its saved answers in \(path) add up to \(String(format: "%g", saved)) points, \
        not \(String(format: "%g", claimed)). Run the same command to answer the questions that were not saved.
        """
    case .other(let path, let detail):
      return "The progress store at \(path) could not be used: \(detail)."
    }
  }
}

/// The learner's progress on disk: a SQLite database in WAL mode, one transaction per answer.
public final class SQLiteProgressStore: ProgressStore, @unchecked Sendable {
  public let path: String
  private let reader: any DatabaseReader
  /// Nil when the store was opened read-only (a reading command on a file this user cannot write).
  private let writer: (any DatabaseWriter)?
  /// Files beside the store that a read-only open created (SQLite's -wal and -shm); removed on close.
  private var createdSidecars: [String] = []

  public var isReadOnly: Bool { writer == nil }

  /// How long a write waits for another process's transaction before giving up.
  public static let defaultBusyTimeout: TimeInterval = 5

  /// Opens (creating if needed) the store at `path`, migrating it to the current schema.
  /// Never overwrites, truncates or replaces an existing file that it cannot read, and adds no
  /// tables to a database of another program. With `readOnlyIfNeeded`, a store this user cannot
  /// write is opened for reading only (for commands that only read).
  public init(path: String, readOnlyIfNeeded: Bool = false, busyTimeout: TimeInterval = defaultBusyTimeout)
    throws(StoreError)
  {
    self.path = path
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    if exists && isFolder.boolValue { throw .isFolder(path: path) }
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    if !exists {
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw .cannotOpen(path: path, detail: "cannot create the folder \(folder.path)")
      }
    }
    try Self.checkHeader(path: path)

    // Every check runs on a read-only connection first: a store that is refused is never written to.
    if exists { try Self.inspect(path: path) }

    let unwritable = exists ? Self.unwritableFile(path) : nil
    if let unwritable {
      guard readOnlyIfNeeded else { throw .readOnly(path: path, file: unwritable) }
      var configuration = Configuration()
      configuration.readonly = true
      configuration.busyMode = .timeout(busyTimeout)
      let sidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
      do {
        reader = try DatabaseQueue(path: path, configuration: configuration)
      } catch {
        throw Self.translate(error, path: path)
      }
      writer = nil
      createdSidecars = sidecars
      LeftoverFiles.removeAtExit(sidecars)
      return
    }

    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.foreignKeysEnabled = true
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      try Self.migrate(pool)
      reader = pool
      writer = pool
    } catch let error as StoreError {
      throw error
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  deinit { close() }

  /// Closes the store; a read-only open removes the empty -wal and -shm files it made, so that
  /// they cannot keep the store unusable once its permissions are fixed (also done at exit).
  public func close() {
    guard !createdSidecars.isEmpty else { return }
    try? (reader as? DatabaseQueue)?.close()
    LeftoverFiles.remove(createdSidecars)
    createdSidecars = []
  }

  /// The store or a file beside it that this user cannot write, if any.
  private static func unwritableFile(_ path: String) -> String? {
    for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
      if access(file, W_OK) != 0 { return file }
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    // SQLite creates the -wal and -shm files in the folder.
    if !FileManager.default.fileExists(atPath: path + "-shm"), access(folder, W_OK) != 0 { return folder }
    return nil
  }

  /// Applies the migrations; several processes creating or upgrading one store at once each
  /// wait for the others, and a migration another process applied meanwhile is not run twice.
  private static func migrate(_ pool: DatabasePool) throws {
    var attempt = 0
    while true {
      do {
        if try pool.read({ try $0.tableExists("grdb_migrations") && migrator.hasCompletedMigrations($0) }) { return }
        try migrator.migrate(pool)
        return
      } catch let error as DatabaseError where attempt < 20 && error.resultCode == .SQLITE_ERROR {
        // "table already exists": another process migrated between our look and our write.
        attempt += 1
        Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
      }
    }
  }

  /// Refuses a store that is damaged, from a newer version or another program's, without writing to it.
  private static func inspect(path: String) throws(StoreError) {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(1.5)
    let sidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
    defer {
      // A read-only look must leave no files behind when the store was closed cleanly.
      if access(path, W_OK) != 0 { LeftoverFiles.remove(sidecars) }
    }
    do {
      let reader = try DatabaseQueue(path: path, configuration: configuration)
      defer { try? reader.close() }
      try reader.read { db in
        let check = try String.fetchOne(db, sql: "PRAGMA quick_check")
        if check != "ok" { throw StoreError.corrupt(path: path, detail: check ?? "integrity check failed") }
        if try db.tableExists("grdb_migrations") {
          if try migrator.hasBeenSuperseded(db) { throw StoreError.newerSchema(path: path) }
        } else if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0 > 0 {
          throw StoreError.notTutorStore(path: path)
        }
      }
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
        throw .cannotOpen(path: path, detail: "the file cannot be read (check its permissions)")
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

  static func translate(_ error: any Error, path: String) -> StoreError {
    if let error = error as? StoreError { return error }
    if let error = error as? DatabaseError {
      let detail = error.message ?? "\(error.resultCode)"
      // A full disk often shows as an I/O error (SQLite cannot grow its -shm or -wal file).
      if error.resultCode.primaryResultCode != .SQLITE_BUSY, diskIsFull(beside: path) { return .diskFull(path: path) }
      switch error.resultCode.primaryResultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
      case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
      case .SQLITE_FULL: return .diskFull(path: path)
      case .SQLITE_READONLY: return .readOnly(path: path, file: unwritableFile(path) ?? path)
      case .SQLITE_CANTOPEN, .SQLITE_PERM: return .cannotOpen(path: path, detail: detail)
      default: return .other(path: path, detail: detail)
      }
    }
    if let error = error as? RowDecodingError { return .unreadableValue(path: path, detail: "\(error)") }
    return .other(path: path, detail: "\(error)")
  }

  /// True when the file system holding `path` has (almost) no room left.
  static func diskIsFull(beside path: String) -> Bool {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder))?[.systemFreeSize] as? NSNumber
    else { return false }
    return free.int64Value < 64 * 1024
  }

  /// Runs a write transaction; SQLite errors become `StoreError`s that name the file.
  private func writing<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    guard let writer else { throw .readOnly(path: path, file: Self.unwritableFile(path) ?? path) }
    do {
      return try writer.write(body)
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  private func reading<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try reader.read(body)
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
      try db.create(
        index: "reviewCardLeech", on: "reviewCard", columns: ["learnerId"], condition: Column("isLeech") == true)
    }
    migrator.registerMigration("v4-attempt-confidence") { db in
      // An attempt started with --confidence keeps asking when it is resumed.
      try db.alter(table: "quizAttempt") { t in t.add(column: "asksConfidence", .boolean).notNull().defaults(to: false)
      }
    }
    migrator.registerMigration("v5-shown-order") { db in
      try db.alter(table: "answer") { t in
        // The order the options or items were shown in (JSON), and an exam answer's rating,
        // applied to its schedule when the exam is submitted.
        t.add(column: "shownOrder", .text)
        t.add(column: "deferredRating", .integer)
      }
    }
    return migrator
  }

  // MARK: - Learners

  /// The id of the learner profile `name`, created on first use.
  public func learnerID(named name: String, at date: Date) throws -> Int64 {
    let existing = try reading {
      try Int64.fetchOne($0, sql: "SELECT id FROM learner WHERE name = ?", arguments: [name])
    }
    if let existing { return existing }
    return try writing { db in
      if let id = try Int64.fetchOne(db, sql: "SELECT id FROM learner WHERE name = ?", arguments: [name]) {
        return id
      }
      try db.execute(sql: "INSERT INTO learner (name, createdAt) VALUES (?, ?)", arguments: [name, date])
      return db.lastInsertedRowID
    }
  }

  /// The id of the learner profile `name`, if it exists (nothing is written).
  public func existingLearnerID(named name: String) throws -> Int64? {
    try reading { try Int64.fetchOne($0, sql: "SELECT id FROM learner WHERE name = ?", arguments: [name]) }
  }

  /// Names of every learner profile in the store.
  public func learnerNames() throws -> [String] {
    try reading { try String.fetchAll($0, sql: "SELECT name FROM learner ORDER BY name") }
  }

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
            shownOrder, deferredRating)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          learner, answer.questionID, answer.questionVersion, lessonID, quizID, attemptID,
          answer.response, answer.grade.score, try JSONColumn.json(answer.grade.chosenChoiceIDs), answer.hintsUsed,
          answer.confidence?.rawValue, answer.durationMilliseconds, answer.mode.rawValue, date, scheduleBefore,
          stateBefore,
          try JSONColumn.json(answer.shownOrder), deferredRating,
        ])
      return db.lastInsertedRowID
    }
  }

  /// An attempt holds one answer per question: a changed answer (an exam gone back to, or two
  /// windows on one attempt) replaces the earlier one, and the schedule it moved is put back
  /// first, so a corrected answer is not also counted as a lapse. A finished attempt takes no answers.
  private func replaceEarlierAnswer(_ db: Database, to questionID: String, in attempt: Int64, learner: Int64) throws {
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
        next.card.difficulty, next.card.lastReview, next.card.due, next.reps, next.failures, next.isLeech,
      ])
  }

  private static let scheduleColumns = [
    "questionVersion", "state", "step", "stability", "difficulty", "lastReview", "due", "reps", "failures", "isLeech",
  ]

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
        saved.lastReview.map { Date(timeIntervalSince1970: $0) }, Date(timeIntervalSince1970: due), whole(saved.reps),
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
          card.lastReview, card.due,
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
      lastReview: try row.decode(forColumn: "lastReview"), due: try row.decode(forColumn: "due"))
    return ReviewCard(
      card: card, questionVersion: try row.decode(forColumn: "questionVersion"),
      reps: try row.decode(forColumn: "reps"),
      failures: try row.decode(forColumn: "failures"), isLeech: try row.decode(forColumn: "isLeech"))
  }

  /// How many items are due at `now`, without the limits (for a badge).
  public func dueCount(learner: Int64, now: Date) throws -> Int {
    try reading {
      try Int.fetchOne(
        $0, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due <= ?", arguments: [learner, now]) ?? 0
    }
  }

  /// What is due at `now` within the day's limits, the next 14 days' forecast, and the leeches.
  public func reviewQueue(learner: Int64, now: Date) throws -> ReviewQueue {
    try reading { db in
      let settings = try Self.readSettings(db, learner: learner)
      let reviewedToday = try Row.fetchAll(
        db, sql: "SELECT questionID, stateBefore FROM answer WHERE learnerId = ? AND mode = ? AND answeredAt > ?",
        arguments: [learner, StudyMode.review.rawValue, now.addingTimeInterval(-DailyReviewLimits.window)]
      ).map { row in
        DailyReviewLimits.ReviewedItem(
          questionID: try row.decode(forColumn: "questionID"),
          stateBefore: ((try row.decode(forColumn: "stateBefore")) as Int?).flatMap(FSRS.State.init(rawValue:)))
      }
      let room = DailyReviewLimits.room(settings: settings, reviewedToday: reviewedToday)
      // Each state's due items come from its own index range (learner, state, due), cut to the room.
      func due(_ state: FSRS.State, limit: Int) throws -> [DailyReviewLimits.DueItem] {
        try Row.fetchAll(
          db,
          sql:
            "SELECT questionID, due FROM reviewCard WHERE learnerId = ? AND state = ? AND due <= ? ORDER BY due, questionID LIMIT ?",
          arguments: [learner, state.rawValue, now, limit]
        ).map {
          DailyReviewLimits.DueItem(
            questionID: try $0.decode(forColumn: "questionID"), due: try $0.decode(forColumn: "due"))
        }
      }
      let due = DailyReviewLimits.queue(
        review: try due(.review, limit: room.reviews), relearning: try due(.relearning, limit: room.reviews),
        learning: try due(.learning, limit: room.new), room: room)
      var forecast = [Int](repeating: 0, count: 14)
      let overdue =
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due <= ?", arguments: [learner, now]) ?? 0
      forecast[0] = overdue
      // One indexed count per day.
      for day in 0..<14 {
        let from = now.addingTimeInterval(Double(day) * 86400)
        forecast[day] +=
          try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ? AND due > ? AND due <= ?",
            arguments: [learner, from, from.addingTimeInterval(86400)]) ?? 0
      }
      let leeches = try String.fetchAll(
        db, sql: "SELECT questionID FROM reviewCard WHERE learnerId = ? AND isLeech = 1", arguments: [learner]
      ).sorted()
      let scheduled =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviewCard WHERE learnerId = ?", arguments: [learner]) ?? 0
      let next = try Date.fetchOne(
        db, sql: "SELECT MIN(due) FROM reviewCard WHERE learnerId = ? AND due > ?", arguments: [learner, now])
      return ReviewQueue(due: due, forecast: forecast, leeches: leeches, scheduled: scheduled, nextDue: next)
    }
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
  public func withdrawLastAnswer(questionID: String, attempt: Int64, learner: Int64) throws {
    try writing { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT id, scheduleBefore FROM answer WHERE quizAttemptId = ? AND questionID = ? AND learnerId = ? ORDER BY id DESC LIMIT 1",
          arguments: [attempt, questionID, learner])
      else { return }
      if let snapshot: String = try row.decode(forColumn: "scheduleBefore") {
        try Self.restoreSchedule(db, learner: learner, questionID: questionID, snapshot: snapshot)
      }
      try db.execute(sql: "DELETE FROM answer WHERE id = ?", arguments: [(try row.decode(forColumn: "id")) as Int64])
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
          INSERT INTO quizAttempt (learnerId, quizID, seed, questionOrder, mode, asksConfidence, startedAt)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [learner, quizID, Int64(bitPattern: seed), orderText, mode.rawValue, asksConfidence, date])
      let id = db.lastInsertedRowID
      try Self.setResume(db, learner: learner, kind: "quiz", item: quizID, step: 0, date: date)
      return id
    }
  }

  /// Closes a quiz attempt with its score, which must be what its saved answers add up to: an
  /// attempt is never closed with answers it does not hold (it stays open to be resumed).
  /// Closing an attempt already closed changes nothing.
  public func finishAttempt(_ attempt: Int64, learner: Int64, score: Score, at date: Date) throws {
    try writing { db in
      let quizID = try String.fetchOne(
        db, sql: "SELECT quizID FROM quizAttempt WHERE id = ? AND learnerId = ? AND finishedAt IS NULL",
        arguments: [attempt, learner])
      guard let quizID else { return }
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
        arguments: [date, saved, score.total, attempt])
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
        arguments: [date, learner, quizID])
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
        arguments: [learner, lessonID, step, date])
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
        arguments: [learner, lessonID, date, date])
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
      arguments: [learner, kind, item, step, date])
  }

  // MARK: - Reading

  /// Everything the screens show about a learner: the saved changes replayed through the
  /// core's fold, attempt by attempt, then the resume point as saved.
  public func progress(learner: Int64) throws -> LearnerProgress {
    try reading { db in
      var progress = LearnerProgress()
      let epoch = Date(timeIntervalSince1970: 0)
      for row in try Row.fetchAll(
        db, sql: "SELECT lessonID, step, completedAt FROM lessonState WHERE learnerId = ?", arguments: [learner])
      {
        let id: String = try row.decode(forColumn: "lessonID")
        progress.apply(.lessonPositionSaved(lessonID: id, step: try row.decode(forColumn: "step")), at: epoch)
        if (try row.decode(forColumn: "completedAt")) as Date? != nil {
          progress.apply(.lessonCompleted(lessonID: id), at: epoch)
        }
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT * FROM answer WHERE learnerId = ? AND lessonID IS NOT NULL ORDER BY id", arguments: [learner])
      {
        progress.apply(.answerRecorded(try self.answerRecord(row)), at: epoch)
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT * FROM quizAttempt WHERE learnerId = ? ORDER BY id", arguments: [learner])
      {
        let id: Int64 = try row.decode(forColumn: "id")
        let quizID: String = try row.decode(forColumn: "quizID")
        let orderText: String = try row.decode(forColumn: "questionOrder")
        let seed: Int64 = try row.decode(forColumn: "seed")
        let mode = try self.quizMode(try row.decode(forColumn: "mode"))
        progress.apply(
          .attemptBegun(
            quizID: quizID, seed: UInt64(bitPattern: seed),
            order: (try? JSONDecoder().decode([String].self, from: Data(orderText.utf8))) ?? [],
            mode: mode, asksConfidence: try row.decode(forColumn: "asksConfidence")),
          at: try row.decode(forColumn: "startedAt"), attemptID: id)
        for answer in try Row.fetchAll(
          db, sql: "SELECT * FROM answer WHERE quizAttemptId = ? ORDER BY id", arguments: [id])
        {
          progress.apply(.answerRecorded(try self.answerRecord(answer)), at: epoch)
        }
        guard (try row.decode(forColumn: "finishedAt")) as Date? != nil else { continue }
        if let points: Double = try row.decode(forColumn: "points"), let total: Int = try row.decode(forColumn: "total")
        {
          progress.apply(
            .attemptFinished(quizID: quizID, attempt: id, score: Score(points: points, total: total)), at: epoch)
        } else {
          progress.apply(.attemptsAbandoned(quizID: quizID), at: epoch)
        }
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
  }

  /// An answer row as the record it was saved from (what the fold and the statistics need).
  func answerRecord(_ row: Row) throws -> AnswerRecord {
    let mode = try self.studyMode(try row.decode(forColumn: "mode"))
    let lessonID: String? = try row.decode(forColumn: "lessonID")
    let context: AnswerRecord.Context
    if let attempt: Int64 = try row.decode(forColumn: "quizAttemptId"),
      let quizID: String = try row.decode(forColumn: "quizID")
    {
      context = .quiz(id: quizID, attempt: attempt)
    } else if let lessonID {
      context = mode == .prediction ? .prediction(lesson: lessonID) : .checkpoint(lesson: lessonID)
    } else {
      context = .review
    }
    let confidence: String? = try row.decode(forColumn: "confidence")
    return AnswerRecord(
      questionID: try row.decode(forColumn: "questionID"),
      questionVersion: try row.decode(forColumn: "questionVersion"),
      context: context, response: try row.decode(forColumn: "response"),
      grade: Grade(
        score: try row.decode(forColumn: "score"),
        chosenChoiceIDs: try JSONColumn.decodeJSON(try row.decode(forColumn: "chosen"))),
      hintsUsed: try row.decode(forColumn: "hintsUsed"), confidence: confidence.flatMap(Confidence.init(rawValue:)),
      mode: mode,
      durationMilliseconds: try row.decode(forColumn: "durationMs"),
      shownOrder: try JSONColumn.decodeJSON(try row.decode(forColumn: "shownOrder") ?? "[]"))
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
  public func answerStats(learner: Int64) throws -> [String: AnswerStats] {
    try reading { db in
      var stats: [String: AnswerStats] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT questionID, score, chosen FROM answer WHERE learnerId = ? AND mode != ?
            AND NOT EXISTS (SELECT 1 FROM quizAttempt q WHERE q.id = answer.quizAttemptId AND q.mode = ? AND q.points IS NULL)
          """,
        arguments: [learner, StudyMode.prediction.rawValue, QuizMode.exam.rawValue])
      {
        let grade = Grade(
          score: try row.decode(forColumn: "score"),
          chosenChoiceIDs: try JSONColumn.decodeJSON(try row.decode(forColumn: "chosen")))
        stats[try row.decode(forColumn: "questionID"), default: AnswerStats()].count(grade)
      }
      return stats
    }
  }
}

/// The -wal and -shm files a read-only open made beside a store it cannot write: SQLite gives
/// them the store's read-only mode, and left behind they would keep the store unusable after
/// its permissions are fixed. They are removed when the store closes or the process exits.
enum LeftoverFiles {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var pending: Set<String> = []
  nonisolated(unsafe) private static var registered = false

  static func removeAtExit(_ files: [String]) {
    lock.lock()
    defer { lock.unlock() }
    pending.formUnion(files)
    if !registered {
      registered = true
      atexit { LeftoverFiles.remove(Array(LeftoverFiles.takeAll())) }
    }
  }

  private static func takeAll() -> Set<String> {
    lock.lock()
    defer { lock.unlock() }
    let all = pending
    pending = []
    return all
  }

  /// Removes each file, except a -wal that holds data (a read-only connection never writes one).
  static func remove(_ files: [String]) {
    for file in files {
      let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
      if !file.hasSuffix("-wal") || size == 0 { try? FileManager.default.removeItem(atPath: file) }
    }
    lock.lock()
    pending.subtract(files)
    lock.unlock()
  }
}

/// How lists are kept in a column: JSON text.
enum JSONColumn {
  static func json(_ list: [String]) throws -> String {
    String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
  }

  static func decodeJSON(_ text: String) throws -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }
}
