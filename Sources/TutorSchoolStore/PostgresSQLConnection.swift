import Foundation
import PostgresNIO
import TutorStore

/// The school store's connection, for the logic it shares with the SQLite store: `?` and `?N`
/// become `$N`, values are bound in PostgreSQL's own types, and rows are read back as the SQLite
/// store would give them (dates to the millisecond).
public struct PostgresSQLConnection: SQLConnection {
  let store: SchoolStore
  public var dialect: SQLDialect { .postgresql }

  public func forEach(_ sql: String, _ arguments: [any SQLBindable], _ body: (PostgresSQLRow) throws -> Void) throws {
    for row in try store.run(Self.query(sql, arguments)) { try body(PostgresSQLRow(cells: Array(row))) }
  }

  /// Sent without waiting: the statements that read, and the commit, wait for it in turn.
  public func execute(_ sql: String, _ arguments: [any SQLBindable]) throws {
    try store.send(Self.query(sql, arguments))
  }

  static func query(_ sql: String, _ arguments: [any SQLBindable]) -> PostgresQuery {
    var bindings = PostgresBindings(capacity: arguments.count)
    for argument in arguments {
      switch argument.sqlValue {
      case .null: bindings.appendNull()
      case .integer(let number): bindings.append(number)
      case .real(let number): bindings.append(number)
      case .text(let text): bindings.append(text)
      case .date(let date): bindings.append(date.storeRounded)
      case .bool(let flag): bindings.append(flag)
      case .dateText(let text):
        if let date = Date(storedText: text) { bindings.append(date.storeRounded) } else { bindings.append(text) }
      }
    }
    return PostgresQuery(unsafeSQL: numberedPlaceholders(sql), binds: bindings)
  }

  /// `?` as `$1`, `$2`... in order, and `?N` as `$N`; a `?` inside quotes is left alone.
  static func numberedPlaceholders(_ sql: String) -> String {
    var result = ""
    result.reserveCapacity(sql.utf8.count + 16)
    var next = 1
    var quote: Character?
    var characters = sql.makeIterator()
    var pending = characters.next()
    while let character = pending {
      pending = characters.next()
      if let open = quote {
        if character == open { quote = nil }
        result.append(character)
      } else if character == "'" || character == "\"" {
        quote = character
        result.append(character)
      } else if character == "?" {
        if let digit = pending, digit.isASCII, digit.isNumber {
          result.append("$")
        } else {
          result.append("$\(next)")
          next += 1
        }
      } else {
        result.append(character)
      }
    }
    return result
  }
}

/// A row from the server, its cells read as the store's values.
public struct PostgresSQLRow: SQLRowReader {
  let cells: [PostgresCell]

  public func value(at index: Int) -> SQLValue {
    guard index < cells.count else { return .null }
    let cell = cells[index]
    guard cell.bytes != nil else { return .null }
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
