import CSQLiteConfig
import Foundation
import GRDB
import TutorCore

/// SQLite's configuration, set once before the store's first connection opens (SQLite reads it
/// when it starts): its memory statistics off, a mutex and two counters at every allocation that
/// nothing reads (3% of `tutor progress`'s instructions).
let sqliteConfigured: Void = { _ = tutor_sqlite_without_memory_statistics() }()

/// The learner's progress on disk: a SQLite database in WAL mode, one transaction per answer.
public final class SQLiteProgressStore: SQLProgressStore, @unchecked Sendable {
  public let path: String
  /// The store's one GRDB connection; opened at its first use when `lightReader` reads.
  private var queue: DatabaseQueue?
  private let openQueue: (() throws -> DatabaseQueue)?
  private let queueLock = NSLock()
  private var isClosed = false
  /// For a reading command on a current store: reads go through SQLite's own calls.
  private let lightReader: SQLiteReader?
  /// Files beside the store that a read-only open created (SQLite's -wal and -shm); removed on close.
  private var createdSidecars: [String] = []

  /// Opened read-only: a reading command on a file this user cannot write.
  public let isReadOnly: Bool

  /// How long a write waits for another process's transaction before giving up.
  public static let defaultBusyTimeout: TimeInterval = 5

  /// Opens (creating if needed) the store at `path`, migrating it to the current schema.
  /// Never overwrites, truncates or replaces an existing file that it cannot read, and adds no
  /// tables to a database of another program. With `readOnlyIfNeeded`, a store this user cannot
  /// write is opened for reading only (for commands that only read).
  /// `brief`: for a command that reads and closes the store at once (`tutor progress`), whose
  /// reader may then hold the store for itself (`SQLiteReader`) when no one else has it open.
  public init(
    path: String, readOnlyIfNeeded: Bool = false, busyTimeout: TimeInterval = defaultBusyTimeout, brief: Bool = false
  ) throws(StoreError) {
    sqliteConfigured
    self.path = path
    if path.hasPrefix("postgresql://") || path.hasPrefix("postgres://") {
      throw .other(
        path: Self.withoutPassword(path),
        detail:
          "this is a PostgreSQL server's address, not a SQLite file (the tutor's commands open it as a school's store)"
      )
    }
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    if exists && isFolder.boolValue { throw .isFolder(path: path) }
    if !exists {
      let folder = Self.folder(of: path)
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw .cannotOpen(path: path, detail: "cannot create the folder \(folder)")
      }
    }
    let header = try Self.checkHeader(path: path)
    // A store this tutor's migrations completed (it stamps their number in the header), closed
    // cleanly (no write-ahead log left), needs no look and no migration: start-up stays short.
    let current =
      exists && header == FileHeader(isWAL: true, schemaVersion: Self.schemaVersion) && Self.walIsEmpty(path)

    // Every check runs on a read-only connection first: a store that is refused is never written to.
    if exists && !current { try Self.inspect(path: path) }

    let unwritable = exists ? Self.unwritableFile(path) : nil
    if let unwritable {
      guard readOnlyIfNeeded else { throw .readOnly(path: path, file: unwritable) }
      var configuration = Configuration()
      configuration.readonly = true
      configuration.busyMode = .timeout(busyTimeout)
      let sidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
      do {
        queue = try DatabaseQueue(path: path, configuration: configuration)
      } catch {
        throw Self.translate(error, path: path)
      }
      openQueue = nil
      lightReader = nil
      isReadOnly = true
      createdSidecars = sidecars
      LeftoverFiles.removeAtExit(sidecars)
      return
    }

    // One connection: a pool's set-up writes to the store at every open (GRDB makes sure a
    // non-empty write-ahead log exists for its readers), and closing it then syncs to disk twice.
    // The file stays in WAL mode (set once by `migrate`), so other processes read and write beside it.
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      // As GRDB sets it for WAL: a commit is not synced to disk, a checkpoint is.
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    isReadOnly = false
    do {
      if readOnlyIfNeeded && current {
        // A reading command reads without GRDB, which is opened if it writes after all.
        // No -shm file: no other connection has the store open (SQLite removes it with the last).
        lightReader = try SQLiteReader(
          path: path, busyTimeout: busyTimeout,
          exclusive: brief && !FileManager.default.fileExists(atPath: path + "-shm"))
        openQueue = { try DatabaseQueue(path: path, configuration: configuration) }
        queue = nil
        return
      }
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      if !current { try Self.migrate(queue, path: exists ? path : nil) }
      self.queue = queue
      openQueue = nil
      lightReader = nil
    } catch let error as StoreError {
      throw error
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  deinit { close() }

  /// A server address as it may be shown: `user:secret@` becomes `user@`.
  public static func withoutPassword(_ address: String) -> String {
    guard let scheme = address.range(of: "://"), let at = address.range(of: "@", options: .backwards),
      scheme.upperBound < at.lowerBound
    else { return address }
    let userInfo = address[scheme.upperBound..<at.lowerBound]
    guard let colon = userInfo.firstIndex(of: ":") else { return address }
    return String(address[..<colon]) + String(address[at.lowerBound...])
  }

  /// Closes the store (SQLite folds the write-ahead log into the file and removes it); a read-only
  /// open removes the empty -wal and -shm files it made, so that they cannot keep the store
  /// unusable once its permissions are fixed (also done at exit). Nothing can be read after.
  public func close() {
    lightReader?.close()
    try? queueLock.withLock {
      isClosed = true
      return queue
    }?.close()
    guard !createdSidecars.isEmpty else { return }
    LeftoverFiles.remove(createdSidecars)
    createdSidecars = []
  }

  /// The folder holding the file at `path`. As a string: URL's `path` costs half a million
  /// instructions the first time (the runtime looking up a conformance), on every command's way.
  static func folder(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
  }

  /// The store or a file beside it that this user cannot write, if any.
  private static func unwritableFile(_ path: String) -> String? {
    for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
      if access(file, W_OK) != 0 { return file }
    }
    let folder = Self.folder(of: path)
    // SQLite creates the -wal and -shm files in the folder.
    if !FileManager.default.fileExists(atPath: path + "-shm"), access(folder, W_OK) != 0 { return folder }
    return nil
  }

  /// Applies the migrations; several processes creating or upgrading one store at once each
  /// wait for the others, and a migration another process applied meanwhile is not run twice.
  /// A store that already holds progress (`existing`) is backed up before a migration runs.
  private static func migrate(_ queue: DatabaseQueue, path existing: String?) throws {
    var attempt = 0
    while true {
      do {
        try queue.writeWithoutTransaction { db in
          if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
            try db.execute(sql: "PRAGMA journal_mode = WAL")
          }
        }
        let (completed, stamp) = try queue.read { db in
          (
            try db.tableExists("grdb_migrations") && migrator.hasCompletedMigrations(db),
            try Int32.fetchOne(db, sql: "PRAGMA user_version")
          )
        }
        if !completed {
          if let existing, try queue.read({ try $0.tableExists("grdb_migrations") }) {
            try StoreBackups.make(of: existing, reason: "before-migration")
          }
          try migrator.migrate(queue)
        }
        if stamp != schemaVersion { try queue.write { try $0.execute(sql: "PRAGMA user_version = \(schemaVersion)") } }
        return
      } catch let error as DatabaseError
        where attempt < 20
        && [.SQLITE_ERROR, .SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode.primaryResultCode)
      {
        // "table already exists": another process migrated between our look and our write; or
        // busy: switching to WAL needs the file to itself while another process is creating it.
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
      // Reading the schema finds a damaged first page; a whole-file integrity check would make
      // opening grow with the history, so it is not done here.
      try reader.read { db in
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

  /// The number of migrations, stamped in the store's header (SQLite's user_version) once they
  /// have all run. Written out, not counted: building the migrator cost an open a tenth of its
  /// time; a test checks the two agree.
  static let schemaVersion: Int32 = 11

  /// What the first 100 bytes of a SQLite file say about it.
  struct FileHeader: Equatable {
    /// Write-ahead logging (SQLite's file format versions, bytes 18 and 19, are 2).
    var isWAL: Bool
    /// SQLite's user_version (bytes 60 to 63, big-endian).
    var schemaVersion: Int32
  }

  /// A file that exists but does not start like a SQLite database is refused before SQLite touches
  /// it. Nil for a missing or empty file.
  private static func checkHeader(path: String) throws(StoreError) -> FileHeader? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      // Gone or not there yet (another process may be creating it this instant): nothing to check.
      if errno == ENOENT { return nil }
      throw .cannotOpen(path: path, detail: "the file cannot be read (check its permissions)")
    }
    defer { Glibc.close(descriptor) }
    var header = [UInt8](repeating: 0, count: 100)
    let count = header.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 100) }
    if count <= 0 { return nil }
    header.removeLast(100 - count)
    if !header.starts(with: "SQLite format 3\0".utf8) {
      throw .corrupt(path: path, detail: "the file does not start with a SQLite header")
    }
    guard header.count == 100 else { return FileHeader(isWAL: false, schemaVersion: 0) }
    return FileHeader(
      isWAL: header[18] == 2 && header[19] == 2,
      schemaVersion: header[60..<64].reduce(0) { $0 << 8 | Int32($1) })
  }

  /// True when no write-ahead log holds pages newer than the file (none, or an empty one).
  private static func walIsEmpty(_ path: String) -> Bool {
    var status = stat()
    return stat(path + "-wal", &status) != 0 || status.st_size == 0
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
    if let error = error as? SQLReadError { return .unreadableValue(path: path, detail: "\(error)") }
    return .other(path: path, detail: "\(error)")
  }

  /// True when the file system holding `path` has (almost) no room left.
  static func diskIsFull(beside path: String) -> Bool {
    let folder = Self.folder(of: path)
    guard let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder))?[.systemFreeSize] as? NSNumber
    else { return false }
    return free.int64Value < 64 * 1024
  }

  /// Runs a write transaction; SQLite errors become `StoreError`s that name the file.
  func writing<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    guard !isReadOnly else { throw .readOnly(path: path, file: Self.unwritableFile(path) ?? path) }
    do {
      return try grdbQueue().write(body)
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  func reading<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try grdbQueue().read(body)
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  /// The GRDB connection, opened now if the store was opened with a light reader.
  private func grdbQueue() throws -> DatabaseQueue {
    try queueLock.withLock {
      if let queue { return queue }
      guard let openQueue, !isClosed else { throw StoreError.other(path: path, detail: "the store is closed") }
      // A reader that holds the store for itself lets go first: GRDB would wait for it.
      if let lightReader, lightReader.isExclusive { lightReader.handOver() }
      let opened = try openQueue()
      queue = opened
      return opened
    }
  }

  public var storeName: String { path }

  public func write<Value>(_ body: (SQLiteConnection) throws -> Value) throws -> Value {
    try writing { try body(SQLiteConnection(db: $0)) }
  }

  public func read<Value>(_ body: (SQLiteConnection) throws -> Value) throws -> Value {
    guard let lightReader, !lightReader.isHandedOver else {
      return try reading { try body(SQLiteConnection(db: $0)) }
    }
    do {
      return try lightReader.read(body)
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
        // The answer as given (JSON of the core's Response), to show it again when going back.
        t.add(column: "responseData", .text)
      }
      // Questions a learner flagged for review.
      try db.create(table: "flag") { t in
        t.belongsTo("learner").notNull()
        t.column("questionID", .text).notNull()
        t.column("flaggedAt", .datetime).notNull()
        t.primaryKey(["learnerId", "questionID"])
      }
    }
    migrator.registerMigration("v6-class-results") { db in
      // Live classes hosted with this store: who took part and every answer, graded.
      try db.create(table: "classSession") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("quizId", .text).notNull()
        t.column("quizTitle", .text).notNull()
        t.column("hostedAt", .datetime).notNull()
        t.column("asked", .text).notNull()  // JSON array of question ids, in order
      }
      try db.create(table: "classStudent") { t in
        t.belongsTo("classSession", onDelete: .cascade).notNull()
        t.column("position", .integer).notNull()
        t.column("student", .text).notNull()
        t.column("name", .text).notNull()
        t.primaryKey(["classSessionId", "student"])
      }
      try db.create(table: "classAnswer") { t in
        t.belongsTo("classSession", onDelete: .cascade).notNull()
        t.column("student", .text).notNull()
        t.column("questionID", .text).notNull()
        t.column("response", .text).notNull()
        t.column("isCorrect", .boolean).notNull()
        t.column("fraction", .double).notNull()
        t.column("seconds", .double).notNull()
        t.column("choiceIDs", .text).notNull()  // JSON array
        t.primaryKey(["classSessionId", "student", "questionID"])
      }
    }
    migrator.registerMigration("v7-start-up-summaries") { db in
      // Start-up reads what it needs without walking the history: the answers given in lessons
      // and the last day's reviews (daily limits) through their own indexes, and each quiz's
      // scores and open attempt from a summary kept as attempts begin and end.
      try db.create(
        index: "answerInLesson", on: "answer", columns: ["learnerId", "id"], condition: Column("lessonID") != nil)
      try db.create(index: "answerByModeAndTime", on: "answer", columns: ["learnerId", "mode", "answeredAt"])
      try db.create(table: "quizState") { t in
        t.belongsTo("learner").notNull()
        t.column("quizID", .text).notNull()
        t.column("openAttemptId", .integer)
        t.column("bestPoints", .double)
        t.column("bestTotal", .integer)
        t.column("lastPoints", .double)
        t.column("lastTotal", .integer)
        t.primaryKey(["learnerId", "quizID"])
      }
      // Filled by replaying the attempts in order, as the progress fold did.
      for row in try Row.fetchAll(db, sql: "SELECT DISTINCT learnerId, quizID FROM quizAttempt") {
        try QuizState.rebuild(SQLiteConnection(db: db), learner: row[0], quizID: row[1])
      }
    }
    migrator.registerMigration("v8-question-stats") { db in
      // Each question's answer statistics, kept as answers change, for the progress review.
      try db.create(table: "questionStats") { t in
        t.belongsTo("learner").notNull()
        t.column("questionID", .text).notNull()
        t.column("answers", .integer).notNull()
        t.column("right", .integer).notNull()
        t.column("lastRight", .boolean)
        t.column("wrongPicks", .text).notNull()  // JSON object: choice id to times picked
        t.primaryKey(["learnerId", "questionID"])
      }
      // One question's answers, without walking the learner's others.
      try db.create(index: "answerByQuestion", on: "answer", columns: ["learnerId", "questionID", "id"])
      // Filled by v9, which adds the recent answers (refresh writes the latest schema).
    }
    migrator.registerMigration("v9-progress-that-travels") { db in
      // Every answer and attempt carries an id that stays the same in every store it is copied
      // to, so that importing a bundle twice adds nothing the second time.
      for table in ["answer", "quizAttempt"] {
        try db.alter(table: table) { t in t.add(column: "uid", .text) }
        try db.execute(sql: "UPDATE \(table) SET uid = \(newUID)")
        try db.create(index: "\(table)UID", on: table, columns: ["learnerId", "uid"], unique: true)
      }
      // Recent accuracy: each question's latest answers.
      try db.alter(table: "questionStats") { t in
        t.add(column: "recentAnswers", .integer).notNull().defaults(to: 0)
        t.add(column: "recentRight", .integer).notNull().defaults(to: 0)
      }
      for row in try Row.fetchAll(db, sql: "SELECT DISTINCT learnerId, questionID FROM answer") {
        try QuestionStats.refresh(SQLiteConnection(db: db), learner: row["learnerId"], questionID: row["questionID"])
      }
      // The days studied (the learner's local days), kept by triggers as answers come and go.
      try db.create(table: "studyDay") { t in
        t.belongsTo("learner").notNull()
        t.column("day", .text).notNull()
        t.column("answers", .integer).notNull()
        t.column("milliseconds", .integer).notNull()
        t.primaryKey(["learnerId", "day"])
      }
      try db.execute(
        sql: """
          INSERT INTO studyDay (learnerId, day, answers, milliseconds)
          SELECT learnerId, date(answeredAt, 'localtime'), COUNT(*), TOTAL(\(StudyDays.counted("answer"))) FROM answer
          GROUP BY 1, 2;
          \(StudyDays.answeredTrigger);
          CREATE TRIGGER studyDayWithdrawn AFTER DELETE ON answer BEGIN
            UPDATE studyDay SET answers = answers - 1, milliseconds = milliseconds - \(StudyDays.counted("OLD"))
            WHERE learnerId = OLD.learnerId AND day = date(OLD.answeredAt, 'localtime');
          END;
          """)
    }
    migrator.registerMigration("v10-leaner-answer-indexes") { db in
      // Two indexes every other one begins with or no query reads (each answer wrote them), and
      // a question's answers by time, as its statistics read them (no sort left to do).
      try db.execute(sql: "DROP INDEX answer_on_learnerId")
      try db.execute(sql: "DROP INDEX answer_on_questionID")
      try db.execute(sql: "DROP INDEX answerByQuestion")
      try db.create(index: "answerByQuestion", on: "answer", columns: ["learnerId", "questionID", "answeredAt"])
    }
    migrator.registerMigration("v11-study-days-covered") { db in
      // A learner's study days read whole from an index (learner, day, answers, time), in place of
      // one that only began with the learner: each day's row was looked up in the table, a fifth
      // of `tutor progress` for three years of days.
      try db.execute(sql: "DROP INDEX studyDay_on_learnerId")
      try db.create(index: "studyDayCovered", on: "studyDay", columns: ["learnerId", "day", "answers", "milliseconds"])
    }
    return migrator
  }

  /// A new random id for an answer or an attempt (128 bits, as hexadecimal).
  static let newUID = "lower(hex(randomblob(16)))"

  // MARK: - Learners

  /// The id of the learner profile `name`, created on first use.

}

/// How lists are kept in a column: JSON text.
/// Written and read by hand for the common case (a JSON encoder or decoder per row was most of
/// an import's time); anything unusual is read by Foundation's decoder.
enum JSONColumn {
  static func json(_ list: [String]) throws -> String { JSONWriter.list(list) }

  /// {"key":count,...}
  static func json(_ counts: [String: Int]) -> String {
    "{"
      + counts.sorted { $0.key < $1.key }.map { JSONWriter.quoted($0.key) + ":" + String($0.value) }.joined(
        separator: ",") + "}"
  }

  /// Counts by key, as `json(_:)` writes them; an object of other values reads as empty.
  static func decodeCounts(_ text: String) -> [String: Int] {
    simpleCounts(text) ?? (try? JSONDecoder().decode([String: Int].self, from: Data(text.utf8))) ?? [:]
  }

  /// An object of whole numbers whose keys have no escapes (`{"a":1,"b":2}`, spaces allowed), else nil.
  static func simpleCounts(_ text: String) -> [String: Int]? {
    var text = text
    return text.withUTF8 { bytes -> [String: Int]? in
      var index = 0
      func skipSpaces() { while index < bytes.count, bytes[index] == 0x20 { index += 1 } }
      func next(_ byte: Unicode.Scalar) -> Bool {
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: byte) else { return false }
        index += 1
        return true
      }
      guard next("{") else { return nil }
      // Room for every key at once (a colon each, at least): the first growth of a
      // `[String: Int]` went through a copy of the standard library's code that looks the type
      // up by name, through every conformance of the binary (560,000 instructions).
      var counts = [String: Int](minimumCapacity: bytes.reduce(0) { $0 + ($1 == UInt8(ascii: ":") ? 1 : 0) })
      if next("}") { return index == bytes.count ? counts : nil }
      while true {
        guard next("\"") else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
          if bytes[index] == UInt8(ascii: "\\") { return nil }
          index += 1
        }
        guard index < bytes.count else { return nil }
        let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        index += 1
        guard next(":") else { return nil }
        skipSpaces()
        var value = 0
        let digits = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, index - digits < 18 {
          value = value * 10 + Int(bytes[index] - 0x30)
          index += 1
        }
        guard index > digits else { return nil }
        counts[key] = value
        if next("}") { return index == bytes.count ? counts : nil }
        guard next(",") else { return nil }
      }
    }
  }

  static func decodeJSON(_ text: String) throws -> [String] {
    simpleList(text) ?? (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }

  /// A list of strings without escapes (`["a","b"]`, spaces allowed), else nil.
  static func simpleList(_ text: String) -> [String]? {
    let bytes = Array(text.utf8)
    var index = 0
    func skipSpaces() { while index < bytes.count, bytes[index] == 0x20 { index += 1 } }
    skipSpaces()
    guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
    index += 1
    skipSpaces()
    var items: [String] = []
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 == bytes.count ? [] : nil }
    while true {
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
      let start = index + 1
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
        if bytes[end] == UInt8(ascii: "\\") { return nil }
        end += 1
      }
      guard end < bytes.count else { return nil }
      items.append(String(decoding: bytes[start..<end], as: UTF8.self))
      index = end + 1
      skipSpaces()
      guard index < bytes.count else { return nil }
      if bytes[index] == UInt8(ascii: "]") { return index + 1 == bytes.count ? items : nil }
      guard bytes[index] == UInt8(ascii: ",") else { return nil }
      index += 1
      skipSpaces()
    }
  }
}
