import Foundation
import NIOCore
import PostgresNIO
import TutorStore

/// The school store's connection, for the logic it shares with the SQLite store: `?` and `?N`
/// become `$N` cast to the type of the value bound to it, values are bound in PostgreSQL's own
/// types, and rows are read back as the SQLite store would give them (dates to the millisecond).
public struct PostgresSQLConnection: SQLConnection {
  let store: SchoolStore
  public var dialect: SQLDialect { .postgresql }

  public func forEach(_ sql: String, _ arguments: [any SQLBindable], _ body: (PostgresSQLRow) throws -> Void) throws {
    let statement = Self.statement(sql, arguments)
    for row in try store.run(statement.sql, statement.parameters) { try body(PostgresSQLRow(cells: Array(row))) }
  }

  /// Sent without waiting: the statements that read, and the commit, wait for it in turn.
  public func execute(_ sql: String, _ arguments: [any SQLBindable]) throws {
    let statement = Self.statement(sql, arguments)
    try store.send(statement.sql, statement.parameters)
  }

  /// One statement: the writes before the last in a `WITH` each (the server runs every one of
  /// them, once, on the statement's snapshot), the last as the statement's own.
  public func forEach(together statements: [SQLStatement], _ body: (PostgresSQLRow) throws -> Void) throws {
    let statement = Self.combined(statements)
    for row in try store.run(statement.sql, statement.parameters) { try body(PostgresSQLRow(cells: Array(row))) }
  }

  static func combined(_ statements: [SQLStatement]) -> (sql: String, parameters: [PostgresData]) {
    var parameters: [PostgresData] = []
    var parts: [String] = []
    for statement in statements {
      let values = statement.arguments.map { parameter($0.sqlValue) }
      parts.append(numberedPlaceholders(statement.sql, types: values.map(\.type), after: parameters.count))
      parameters += values
    }
    guard let last = parts.popLast() else { return ("SELECT 1 WHERE false", []) }
    if parts.isEmpty { return (last, parameters) }
    let writes = parts.enumerated().map { "write\($0.offset + 1) AS (\($0.element))" }
    return ("WITH " + writes.joined(separator: ", ") + " " + last, parameters)
  }

  /// The statement as the server takes it, and its values in binary form.
  static func statement(_ sql: String, _ arguments: [any SQLBindable]) -> (sql: String, parameters: [PostgresData]) {
    let parameters = arguments.map { parameter($0.sqlValue) }
    return (numberedPlaceholders(sql, types: parameters.map(\.type)), parameters)
  }

  static func parameter(_ value: SQLValue) -> PostgresData {
    switch value {
    case .null: return PostgresData(type: .null)
    case .integer(let number): return encoded(number)
    case .real(let number): return encoded(number)
    case .text(let text): return encoded(text)
    case .date(let date): return encoded(date.storeRounded)
    case .bool(let flag): return encoded(flag)
    case .dateText(let text): return Date(storedText: text).map { encoded($0.storeRounded) } ?? encoded(text)
    }
  }

  private static func encoded<Value: PostgresNonThrowingEncodable>(_ value: Value) -> PostgresData {
    var buffer = ByteBuffer()
    value.encode(into: &buffer, context: .default)
    return PostgresData(type: Value.psqlType, value: buffer)
  }

  /// `?` as `$1`, `$2`... in order, and `?N` as `$N`, each cast to the type of its value (a null
  /// is left for the server to infer); a `?` inside quotes is left alone. The casts make the
  /// statement's parameter types those bound, so that it can be prepared once and reused. A
  /// statement whose values follow `after` others' is numbered after theirs.
  static func numberedPlaceholders(_ sql: String, types: [PostgresDataType], after earlier: Int = 0) -> String {
    let question = UInt8(ascii: "?")
    var result: [UInt8] = []
    result.reserveCapacity(sql.utf8.count + 16 * types.count)
    var next = 1
    var quote: UInt8?
    var bytes = sql.utf8.makeIterator()
    var pending = bytes.next()
    while let byte = pending {
      pending = bytes.next()
      if let open = quote {
        if byte == open { quote = nil }
        result.append(byte)
      } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
        quote = byte
        result.append(byte)
      } else if byte == question {
        var number = 0
        while let digit = pending, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
          number = number * 10 + Int(digit - UInt8(ascii: "0"))
          pending = bytes.next()
        }
        // As SQLite numbers them: a bare `?` is one more than the largest number so far.
        if number == 0 { number = next }
        next = max(next, number + 1)
        result.append(UInt8(ascii: "$"))
        result.append(contentsOf: String(number + earlier).utf8)
        if number <= types.count, let cast = castName(types[number - 1]) {
          result.append(contentsOf: "::".utf8)
          result.append(contentsOf: cast.utf8)
        }
      } else {
        result.append(byte)
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  private static func castName(_ type: PostgresDataType) -> String? {
    switch type {
    case .int8: "int8"
    case .float8: "float8"
    case .text: "text"
    case .bool: "bool"
    case .timestamptz: "timestamptz"
    default: nil
    }
  }
}

/// A row from the server, its cells read as the store's values.
public struct PostgresSQLRow: SQLRowReader {
  let cells: [PostgresCell]

  public func value(at index: Int) -> SQLValue {
    guard index < cells.count else { return .null }
    var cell = cells[index]
    guard cell.bytes != nil else { return .null }
    // Rows always come in binary; a prepared statement's rows are labelled with the format of
    // its description instead (text), which PostgresNIO leaves as it was.
    cell.format = .binary
    do {
      switch cell.dataType {
      case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
      case .float4, .float8: return .real(try cell.decode(Double.self))
      case .numeric: return Double(try cell.decode(String.self)).map(SQLValue.real) ?? .null
      case .bool: return .bool(try cell.decode(Bool.self))
      case .timestamptz, .timestamp: return .date(try cell.decode(Date.self).storeRounded)
      default: return .text(try cell.decode(String.self))
      }
    } catch {
      return .text("(\(cell.dataType) that could not be read)")
    }
  }
}
