import Foundation
import GRDB
import GRDBSQLite

/// A connection of SQLite's own for a command that mostly reads (`tutor progress`): no GRDB set-up
/// (its functions, collations and pragmas), and statements prepared without GRDB's authorizer,
/// which records every column a statement reads. Together they were a third of the command.
/// It only reads (`PRAGMA query_only`); the store opens GRDB when something is written.
final class SQLiteReader: @unchecked Sendable {
  private let handle: OpaquePointer
  private var statements: [String: OpaquePointer] = [:]
  private var isClosed = false
  private let lock = NSLock()

  /// Whether it holds the store for itself until it closes (`exclusive`, when no one else had it).
  let isExclusive: Bool

  /// With `exclusive`, for a command that reads and closes at once: when no other connection
  /// has the store, it takes it for itself (SQLite's EXCLUSIVE locking mode), so that SQLite
  /// keeps the write-ahead log's index in memory instead of making, sizing, mapping and
  /// deleting a -shm file (a twentieth of `tutor progress`). Another process waits those few
  /// milliseconds (its busy timeout); if one has the store already, it is shared as usual.
  init(path: String, busyTimeout: TimeInterval, exclusive: Bool = false) throws {
    let timeout = Int32(min(busyTimeout * 1000, Double(Int32.max)))
    if exclusive, let handle = try? Self.connect(path, timeout: 0, exclusive: true) {
      sqlite3_busy_timeout(handle, timeout)
      self.handle = handle
      isExclusive = true
      return
    }
    handle = try Self.connect(path, timeout: timeout, exclusive: false)
    isExclusive = false
  }

  private static func connect(_ path: String, timeout: Int32, exclusive: Bool) throws -> OpaquePointer {
    var handle: OpaquePointer?
    let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK, let handle else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) }
      sqlite3_close(handle)
      throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
    sqlite3_extended_result_codes(handle, 1)
    sqlite3_busy_timeout(handle, timeout)
    // The lock is taken at the first read, which also reads the schema every statement needs.
    let setUp =
      exclusive
      ? "PRAGMA query_only = 1; PRAGMA locking_mode = EXCLUSIVE; SELECT 1 FROM sqlite_schema LIMIT 1"
      : "PRAGMA query_only = 1"
    let result = sqlite3_exec(handle, setUp, nil, nil, nil)
    guard result == SQLITE_OK else {
      let message = String(cString: sqlite3_errmsg(handle))
      sqlite3_close(handle)
      throw DatabaseError(resultCode: ResultCode(rawValue: result), message: message)
    }
    return handle
  }

  /// Runs `body` in one read transaction: every statement sees the store as it was at the first.
  func read<Value>(_ body: (SQLiteConnection) throws -> Value) throws -> Value {
    lock.lock()
    defer { lock.unlock() }
    guard !isClosed else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the store is closed") }
    try execute("BEGIN DEFERRED")
    do {
      let value = try body(SQLiteConnection(reader: self))
      try execute("COMMIT")
      return value
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Whether it closed for GRDB's connection to read and write instead (`handOver()`).
  var isHandedOver: Bool { lock.withLock { handedOver } }
  private var handedOver = false

  /// Closes it, for GRDB's connection, which would wait for an exclusive reader.
  func handOver() {
    lock.withLock { handedOver = true }
    close()
  }

  func close() {
    lock.lock()
    defer { lock.unlock() }
    guard !isClosed else { return }
    isClosed = true
    for statement in statements.values { sqlite3_finalize(statement) }
    statements = [:]
    sqlite3_close(handle)
  }

  /// Runs `sql` with `arguments`, calling `body` with each row.
  func forEach(_ sql: String, _ arguments: [any SQLBindable], _ body: (SQLiteRow) throws -> Void) throws {
    let statement = try prepared(sql)
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
    }
    for (offset, argument) in arguments.enumerated() {
      try check(bind(argument.sqlValue, at: Int32(offset + 1), of: statement), sql)
    }
    let row = SQLiteRow(statement: statement)
    while true {
      let code = sqlite3_step(statement)
      if code == SQLITE_DONE { return }
      try check(code == SQLITE_ROW ? SQLITE_OK : code, sql)
      try body(row)
    }
  }

  private func execute(_ sql: String) throws {
    try check(sqlite3_exec(handle, sql, nil, nil, nil), sql)
  }

  /// The statement for `sql`, prepared once.
  private func prepared(_ sql: String) throws -> OpaquePointer {
    if let statement = statements[sql] { return statement }
    var statement: OpaquePointer?
    try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil), sql)
    guard let statement else {
      throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "an empty statement", sql: sql)
    }
    statements[sql] = statement
    return statement
  }

  private func bind(_ value: SQLValue, at index: Int32, of statement: OpaquePointer) -> Int32 {
    switch value {
    case .null: return sqlite3_bind_null(statement, index)
    case .integer(let number): return sqlite3_bind_int64(statement, index, number)
    case .real(let number): return sqlite3_bind_double(statement, index, number)
    case .bool(let flag): return sqlite3_bind_int64(statement, index, flag ? 1 : 0)
    case .date(let date): return bind(text: StoredDate.text(date), at: index, of: statement)
    case .text(let text), .dateText(let text): return bind(text: text, at: index, of: statement)
    }
  }

  private func bind(text: String, at index: Int32, of statement: OpaquePointer) -> Int32 {
    var text = text
    return text.withUTF8 { RowBinder.bindCopy(RowBinder.upToNUL($0), at: index, of: statement) }
  }

  private func check(_ code: Int32, _ sql: String) throws {
    guard code != SQLITE_OK else { return }
    throw DatabaseError(
      resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
  }
}
