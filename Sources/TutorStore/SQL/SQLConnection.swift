import Foundation

/// A value bound to a statement or read from a row, the same for SQLite and PostgreSQL.
public enum SQLValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  /// SQLite keeps it as text ("yyyy-MM-dd HH:mm:ss.SSS", UTC), PostgreSQL as TIMESTAMPTZ.
  case date(Date)
  /// SQLite keeps it as 0 or 1, PostgreSQL as BOOLEAN.
  case bool(Bool)
  /// A date written as the SQLite store writes one (a bundle's): kept as it is by SQLite, read
  /// as a date by PostgreSQL.
  case dateText(String)
}

extension Date {
  /// A date written as the SQLite store writes one ("yyyy-MM-dd HH:mm:ss.SSS", UTC).
  public init?(storedText text: String) {
    guard let date = StoredDate.date(text) else { return nil }
    self = date
  }

  /// This date as a store gives it back: to the nearest millisecond, bit for bit as the SQLite
  /// store reads its text.
  public var storeRounded: Date {
    let milliseconds = Int64((timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
    return Date(timeIntervalSinceReferenceDate: Double(milliseconds - 978_307_200_000) / 1000)
  }
}

/// What a statement's arguments may be.
public protocol SQLBindable { var sqlValue: SQLValue { get } }

extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .bool(self) } }
extension Date: SQLBindable { public var sqlValue: SQLValue { .date(self) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
  public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// The two databases' differences that the store's SQL has to spell out.
public enum SQLDialect: Sendable {
  case sqlite, postgresql

  /// A boolean column compared with true (SQLite's partial indexes are written `= 1`).
  public var isTrue: String { self == .sqlite ? "= 1" : "" }

  /// How a class's answers keep the order they were given in: SQLite reads its rowid, the
  /// school's schema has a column of its own.
  public var classAnswerOrder: (column: String, orderBy: String) {
    self == .sqlite ? ("", "rowid") : (", seq", "seq")
  }

  /// The larger and the smaller of two values (SQLite's MAX and MIN of two arguments).
  public func greatest(_ a: String, _ b: String) -> String { "\(self == .sqlite ? "MAX" : "GREATEST")(\(a), \(b))" }
  public func least(_ a: String, _ b: String) -> String { "\(self == .sqlite ? "MIN" : "LEAST")(\(a), \(b))" }

  /// The members of a JSON list of strings in the statement's argument `parameter`, as a table
  /// with one column, `value`.
  public func jsonListMembers(_ parameter: String) -> String {
    self == .sqlite
      ? "SELECT value FROM json_each(\(parameter))" : "SELECT json_array_elements_text(\(parameter)::json)"
  }
}

/// A row being read, by column index.
public protocol SQLRowReader {
  func value(at index: Int) -> SQLValue
  /// A date column (the reader may read it without making a value first).
  func dateOrNil(_ index: Int) throws -> Date?
}

/// One column of a row could not be read as the type asked for.
public struct SQLReadError: Error, CustomStringConvertible {
  public let column: Int
  public let expected: String
  public let found: SQLValue
  public var description: String { "column \(column + 1) holds \(found), not \(expected)" }
}

extension SQLRowReader {
  /// A column that must hold a value.
  private func required<Value>(_ index: Int, _ expected: String, _ read: (Int) throws -> Value?) throws -> Value {
    guard let value = try read(index) else { throw SQLReadError(column: index, expected: expected, found: .null) }
    return value
  }

  public func int64OrNil(_ index: Int) throws -> Int64? {
    switch value(at: index) {
    case .null: return nil
    case .integer(let value): return value
    case .real(let value) where value == value.rounded() && abs(value) < 9e18: return Int64(value)
    case .bool(let value): return value ? 1 : 0
    case let other: throw SQLReadError(column: index, expected: "a whole number", found: other)
    }
  }

  public func int64(_ index: Int) throws -> Int64 { try required(index, "a number", int64OrNil) }

  public func intOrNil(_ index: Int) throws -> Int? { try int64OrNil(index).map { Int($0) } }
  public func int(_ index: Int) throws -> Int { Int(try int64(index)) }

  public func doubleOrNil(_ index: Int) throws -> Double? {
    switch value(at: index) {
    case .null: return nil
    case .real(let value): return value
    case .integer(let value): return Double(value)
    case let other: throw SQLReadError(column: index, expected: "a number", found: other)
    }
  }

  public func double(_ index: Int) throws -> Double { try required(index, "a number", doubleOrNil) }

  public func stringOrNil(_ index: Int) throws -> String? {
    switch value(at: index) {
    case .null: return nil
    case .text(let value): return value
    case let other: throw SQLReadError(column: index, expected: "text", found: other)
    }
  }

  public func string(_ index: Int) throws -> String { try required(index, "text", stringOrNil) }

  public func boolOrNil(_ index: Int) throws -> Bool? {
    switch value(at: index) {
    case .null: return nil
    case .bool(let value): return value
    case .integer(let value): return value != 0
    case let other: throw SQLReadError(column: index, expected: "true or false", found: other)
    }
  }

  public func bool(_ index: Int) throws -> Bool { try required(index, "true or false", boolOrNil) }

  public func dateOrNil(_ index: Int) throws -> Date? { try dateValueOrNil(index) }

  /// A date column read through `value(at:)`.
  public func dateValueOrNil(_ index: Int) throws -> Date? {
    switch value(at: index) {
    case .null: return nil
    case .date(let value): return value
    case .text(let text), .dateText(let text):
      guard let date = StoredDate.date(text) else {
        throw SQLReadError(column: index, expected: "a date", found: .text(text))
      }
      return date
    case let other: throw SQLReadError(column: index, expected: "a date", found: other)
    }
  }

  /// A date as the SQLite store writes it (a bundle keeps its dates so).
  public func storedDateText(_ index: Int) throws -> String? {
    switch value(at: index) {
    case .null: return nil
    case .text(let text), .dateText(let text): return text
    case .date(let date): return StoredDate.text(date)
    case let other: throw SQLReadError(column: index, expected: "a date", found: other)
    }
  }

  public func date(_ index: Int) throws -> Date { try required(index, "a date", dateOrNil) }
}

/// A connection inside a transaction, as the store's shared logic uses it. Statements use `?`
/// for arguments (or `?N` for the Nth), `ON CONFLICT` for upserts and `RETURNING` for new ids:
/// SQL both databases read alike; what differs is asked of `dialect`.
public protocol SQLConnection {
  associatedtype Row: SQLRowReader
  var dialect: SQLDialect { get }
  /// Runs a statement, calling `body` with each row it returns.
  func forEach(_ sql: String, _ arguments: [any SQLBindable], _ body: (Row) throws -> Void) throws
  func execute(_ sql: String, _ arguments: [any SQLBindable]) throws
  /// Runs writes as one unit of work, calling `body` with each row the last returns (its
  /// `RETURNING`). Each but the last is an INSERT, UPDATE or DELETE whose effects the others do
  /// not read: PostgreSQL runs them as one statement (one round trip to the server).
  func forEach(together statements: [SQLStatement], _ body: (Row) throws -> Void) throws
}

/// A statement and its arguments.
public struct SQLStatement {
  public var sql: String
  public var arguments: [any SQLBindable]

  public init(_ sql: String, _ arguments: [any SQLBindable]) {
    self.sql = sql
    self.arguments = arguments
  }
}

extension SQLConnection {
  public func rows<Value>(_ sql: String, _ arguments: [any SQLBindable] = [], _ read: (Row) throws -> Value) throws
    -> [Value]
  {
    var values: [Value] = []
    try forEach(sql, arguments) { values.append(try read($0)) }
    return values
  }

  /// One after another, as SQLite runs statements in its own process.
  public func forEach(together statements: [SQLStatement], _ body: (Row) throws -> Void) throws {
    guard let last = statements.last else { return }
    for statement in statements.dropLast() { try execute(statement.sql, statement.arguments) }
    try forEach(last.sql, last.arguments, body)
  }

  /// The first row's value, if there is a row.
  public func one<Value>(_ sql: String, _ arguments: [any SQLBindable] = [], _ read: (Row) throws -> Value) throws
    -> Value?
  {
    var value: Value?
    try forEach(sql, arguments) { row in
      if value == nil { value = try read(row) }
    }
    return value
  }
}
