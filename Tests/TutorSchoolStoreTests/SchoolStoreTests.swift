import Foundation
import Logging
import PostgresNIO
import Testing

@testable import TutorSchoolStore

/// The store against a real server: the throwaway one `.ci/run` starts (Tests/throwaway-postgres.sh),
/// named by TUTOR_TEST_POSTGRES. Without it these tests are skipped, saying so.
@Suite(.enabled(if: testServer != nil, "TUTOR_TEST_POSTGRES is not set: no PostgreSQL server to test against"))
struct SchoolStoreTests {
  static var server: PostgresAddress? { testServer }

  /// A new, empty database on the test server, for one test.
  static func freshDatabase() throws -> PostgresAddress {
    var address = try #require(server)
    let name = "tutor_test_\(UUID().uuidString.prefix(8).lowercased())"
    try admin(address, "CREATE DATABASE \(name)")
    address.database = name
    return address
  }

  /// Runs statements as the test server's superuser, outside the store; the rows of the last.
  @discardableResult
  static func admin(_ address: PostgresAddress, _ statements: String...) throws -> [PostgresRow] {
    let connection = try SchoolStore.connect(address, password: address.password)
    defer { try? connection.close().wait() }
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    var rows: [PostgresRow] = []
    for statement in statements {
      rows = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait().rows
    }
    return rows
  }

  static func tables(_ address: PostgresAddress) throws -> [String] {
    try admin(
      address, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
    )
    .map { try $0.decode(String.self) }
  }

  @Test func aNewDatabaseIsSetUpOnceAndOpensAgain() throws {
    let address = try Self.freshDatabase()
    let store = try SchoolStore.open(address, password: nil)
    #expect(try store.databaseSchemaVersion() == SchoolStore.schemaVersion)
    store.close()
    let again = try SchoolStore.open(address, password: nil)
    #expect(try again.databaseSchemaVersion() == SchoolStore.schemaVersion)
    again.close()
    #expect(try Self.tables(address) == ["learner", "tutor_schema"])
  }

  @Test func thirtyComputersStartingAtOnceMigrateOnce() throws {
    let address = try Self.freshDatabase()
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 30) { _ in
      do {
        let store = try SchoolStore.open(address, password: nil)
        store.close()
      } catch {
        failures.add("\(error)")
      }
    }
    #expect(failures.all.isEmpty, "\(failures.all)")
    // One row, at the current version; the tables were made once (a second time would have failed).
    let rows = try Self.admin(address, "SELECT count(*)::bigint, max(version)::bigint FROM tutor_schema")
    let (count, version) = try #require(rows.first).decode((Int, Int).self)
    #expect(count == 1 && version == SchoolStore.schemaVersion)
  }

  @Test func aDatabaseOfANewerTutorIsRefusedAndLeftAlone() throws {
    let address = try Self.freshDatabase()
    try SchoolStore.open(address, password: nil).close()
    try Self.admin(address, "UPDATE tutor_schema SET version = 99", "CREATE TABLE from_the_future (x INTEGER)")
    let error = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(address, password: nil) }
    #expect(error == .newerSchema(server: address.description, version: 99))
    #expect(error?.description.contains("Nothing was changed") == true)
    #expect(try Self.tables(address) == ["from_the_future", "learner", "tutor_schema"])
  }

  @Test func aDatabaseOfAnotherProgramGetsNoTables() throws {
    let address = try Self.freshDatabase()
    try Self.admin(address, "CREATE TABLE invoices (id INTEGER)")
    let error = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(address, password: nil) }
    #expect(error == .notTutorDatabase(server: address.description))
    #expect(try Self.tables(address) == ["invoices"])
  }

  @Test func aMissingDatabaseAndADownServerAreNamed() throws {
    var missing = try #require(Self.server)
    missing.database = "no_such_database"
    let noDatabase = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(missing, password: nil) }
    #expect(noDatabase == .noDatabase(server: missing.description))

    var down = try #require(Self.server)
    down.port = 1  // nothing listens there
    down.password = "hunter2"
    let unreachable = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(down, password: "hunter2") }
    guard case .unreachable(let server, _) = unreachable else {
      Issue.record("expected unreachable, got \(String(describing: unreachable))")
      return
    }
    #expect(server == down.description)
    #expect(unreachable?.description.contains("hunter2") == false)
  }
}

let testServer: PostgresAddress? = ProcessInfo.processInfo.environment["TUTOR_TEST_POSTGRES"].flatMap {
  try? PostgresAddress.parse($0)
}

private final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []
  func add(_ failure: String) { lock.withLock { list.append(failure) } }
  var all: [String] { lock.withLock { list } }
}
