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

  /// One snapshot for the whole read, as SQLite's read transaction gives.
  public func read<Value>(_ body: (PostgresSQLConnection) throws -> Value) throws -> Value {
    try inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
      try body(PostgresSQLConnection(store: self))
    }
  }

  private func inTransaction<Value>(_ begin: String, _ body: () throws -> Value) throws -> Value {
    // Sent with the first statement: BEGIN fails only with the connection, and then so does all.
    try send(PostgresQuery(unsafeSQL: begin))
    do {
      let value = try body()
      try run("COMMIT")
      return value
    } catch {
      _ = try? run("ROLLBACK")
      if let error = error as? SQLReadError {
        throw SchoolStoreError.failed(server: storeName, detail: "a value the tutor cannot read (\(error))")
      }
      throw error
    }
  }
}
