import Foundation
import PostgresNIO
import TutorCore
import TutorStore

/// The school store keeps progress with the SQLite store's own queries and rules.
extension SchoolStore: SQLProgressStore {
  public var isReadOnly: Bool { false }
  public var storeName: String { address.description }

  public func write<Value>(_ body: (PostgresSQLConnection) throws -> Value) throws -> Value {
    try inTransaction("BEGIN") { try body(PostgresSQLConnection(store: self)) }
  }

  /// Without a transaction: the reads, then the one statement that writes.
  public func writeOnce<Value>(_ body: (PostgresSQLConnection) throws -> Value) throws -> Value {
    do {
      return try body(PostgresSQLConnection(store: self))
    } catch {
      throw storeError(error)
    }
  }

  /// One snapshot for the whole read, as SQLite's read transaction gives.
  public func read<Value>(_ body: (PostgresSQLConnection) throws -> Value) throws -> Value {
    try inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
      try body(PostgresSQLConnection(store: self))
    }
  }
}
