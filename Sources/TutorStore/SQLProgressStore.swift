import Foundation
import TutorCore

/// A progress store kept in a SQL database: the SQLite file and the school's PostgreSQL server
/// share every query and rule here, and differ only in how they connect, migrate and report
/// errors. A backend gives transactions on its connection; the rest comes with the protocol.
public protocol SQLProgressStore: ProgressStore, Sendable {
  associatedtype Connection: SQLConnection
  /// How messages name the store: its path, or the server without the password.
  var storeName: String { get }
  /// Every learner's name, in order.
  func learnerNames() throws -> [String]
  /// Merges a progress bundle into a learner's progress in one transaction.
  func merge(_ bundle: ProgressBundle, learner: Int64) throws -> ImportSummary
  /// Runs `body` in a transaction that is committed if it returns and rolled back if it throws.
  func write<Value>(_ body: (Connection) throws -> Value) throws -> Value
  /// Runs `body` on one consistent view of the store.
  func read<Value>(_ body: (Connection) throws -> Value) throws -> Value
}

/// A row's id for progress that travels between stores (32 hex digits, as SQLite's
/// `lower(hex(randomblob(16)))` made them).
enum RowUID {
  static func make() -> String {
    var generator = SystemRandomNumberGenerator()
    return hex(generator.next()) + hex(generator.next())
  }

  private static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
