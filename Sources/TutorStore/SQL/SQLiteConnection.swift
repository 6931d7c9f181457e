import Foundation
import GRDB

/// The SQLite store's connection, for the logic it shares with the school store. Statements are
/// cached by their text (an import runs the same few thousands of times).
public struct SQLiteConnection: SQLConnection {
  let db: Database
  public var dialect: SQLDialect { .sqlite }

  public func forEach(_ sql: String, _ arguments: [any SQLBindable], _ body: (Row) throws -> Void) throws {
    let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments))
    while let row = try rows.next() { try body(row) }
  }

  public func execute(_ sql: String, _ arguments: [any SQLBindable]) throws {
    try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
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

extension Row: SQLRowReader {
  public func value(at index: Int) -> SQLValue {
    switch (self[index] as DatabaseValue).storage {
    case .null: return .null
    case .int64(let number): return .integer(number)
    case .double(let number): return .real(number)
    case .string(let text): return .text(text)
    case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
    }
  }
}
