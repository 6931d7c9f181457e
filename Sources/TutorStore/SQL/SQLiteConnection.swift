import Foundation
import GRDB
import GRDBSQLite

/// The SQLite store's connection, for the logic it shares with the school store. Statements are
/// cached by their text (an import runs the same few thousands of times).
public struct SQLiteConnection: SQLConnection {
  private enum Handle {
    case grdb(Database)
    case reader(SQLiteReader)
  }
  private let handle: Handle
  public var dialect: SQLDialect { .sqlite }

  init(db: Database) { handle = .grdb(db) }
  init(reader: SQLiteReader) { handle = .reader(reader) }

  public func forEach(_ sql: String, _ arguments: [any SQLBindable], _ body: (SQLiteRow) throws -> Void) throws {
    switch handle {
    case .grdb(let db):
      let statement = try db.cachedStatement(sql: sql)
      let rows = try GRDB.Row.fetchCursor(statement, arguments: Self.arguments(arguments))
      // GRDB steps the statement; its columns are read straight from SQLite.
      let row = SQLiteRow(statement: statement.sqliteStatement)
      while try rows.next() != nil { try body(row) }
    case .reader(let reader):
      try reader.forEach(sql, arguments, body)
    }
  }

  public func execute(_ sql: String, _ arguments: [any SQLBindable]) throws {
    switch handle {
    case .grdb(let db): try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    case .reader(let reader): try reader.forEach(sql, arguments) { _ in }
    }
  }

  static func arguments(_ values: [any SQLBindable]) -> StatementArguments {
    StatementArguments(
      values.map { value -> DatabaseValue in
        switch value.sqlValue {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .real(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        case .date(let date): return date.stored.databaseValue
        case .bool(let flag): return flag.databaseValue
        case .dateText(let text): return text.databaseValue
        }
      })
  }
}

/// The current row of a SQLite statement being stepped, read column by column with SQLite's own
/// calls (GRDB's decoding of each value cost a fifth of reading the progress review).
public struct SQLiteRow: SQLRowReader {
  let statement: OpaquePointer

  public func value(at index: Int) -> SQLValue {
    let column = Int32(index)
    switch sqlite3_column_type(statement, column) {
    case SQLITE_NULL: return .null
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
    default:
      // Text, and a blob read as UTF-8 text (as the store never writes one).
      guard let bytes = sqlite3_column_text(statement, column) else { return .text("") }
      let count = Int(sqlite3_column_bytes(statement, column))
      return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
    }
  }

  /// A date read from the column's bytes as the store writes it, without making a string first
  /// (that was two thirds of reading a date); any other form as `value(at:)` reads it.
  public func dateOrNil(_ index: Int) throws -> Date? {
    let column = Int32(index)
    if sqlite3_column_type(statement, column) == SQLITE_TEXT, let bytes = sqlite3_column_text(statement, column),
      let seconds = StoredDate.secondsSinceReferenceDate(
        UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))))
    {
      return Date(timeIntervalSinceReferenceDate: seconds)
    }
    return try dateValueOrNil(index)
  }
}
