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

  init(path: String, busyTimeout: TimeInterval) throws {
    var handle: OpaquePointer?
    let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK, let handle else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) }
      sqlite3_close(handle)
      throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
    self.handle = handle
    sqlite3_extended_result_codes(handle, 1)
    sqlite3_busy_timeout(handle, Int32(min(busyTimeout * 1000, Double(Int32.max))))
    do {
      try execute("PRAGMA query_only = 1")
    } catch {
      sqlite3_close(handle)
      throw error
    }
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
