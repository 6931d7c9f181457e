import Foundation
import TutorCore

/// A progress store kept in a SQL database: the SQLite file and the school's PostgreSQL server
/// share every query and rule here, and differ only in how they connect, migrate and report
/// errors. A backend gives transactions on its connection; the rest comes with the protocol.
public protocol SQLProgressStore: ProgressStore, Sendable {
  associatedtype Connection: SQLConnection
  /// How messages name the store: its path, or the server without the password.
  var storeName: String { get }
  /// Merges a progress bundle into a learner's progress in one transaction.
  func merge(_ bundle: ProgressBundle, learner: Int64) throws -> ImportSummary
  /// Runs `body` in a transaction that is committed if it returns and rolled back if it throws.
  func write<Value>(_ body: (Connection) throws -> Value) throws -> Value
  /// Runs `body` on one consistent view of the store.
  func read<Value>(_ body: (Connection) throws -> Value) throws -> Value
}

extension SQLProgressStore {
  /// The id of the learner profile `name`, created on first use (at once on many computers: the
  /// name is unique, and a profile made meanwhile by another is found).
  public func learnerID(named name: String, at date: Date) throws -> Int64 {
    if let id = try existingLearnerID(named: name) { return id }
    return try write { db in
      try db.execute("INSERT INTO learner (name, createdAt) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [name, date])
      guard let id = try db.one("SELECT id FROM learner WHERE name = ?", [name], { try $0.int64(0) }) else {
        throw StoreError.other(path: storeName, detail: "the learner '\(name)' could not be added")
      }
      return id
    }
  }

  public func existingLearnerID(named name: String) throws -> Int64? {
    try read { try $0.one("SELECT id FROM learner WHERE name = ?", [name]) { try $0.int64(0) } }
  }

  /// Every learner's name, in order.
  public func learnerNames() throws -> [String] {
    try read { try $0.rows("SELECT name FROM learner ORDER BY name") { try $0.string(0) } }
  }
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
