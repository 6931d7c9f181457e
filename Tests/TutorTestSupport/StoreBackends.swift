import Foundation
import PostgresNIO
import TutorSchoolStore
import TutorStore

/// The test server: the throwaway PostgreSQL `.ci/run` starts (Tests/throwaway-postgres.sh),
/// named by TUTOR_TEST_POSTGRES. Without it, tests that need it are skipped, saying so.
public enum PostgresTestServer {
  public static let address: PostgresAddress? = ProcessInfo.processInfo.environment["TUTOR_TEST_POSTGRES"].flatMap {
    try? PostgresAddress.parse($0)
  }
  public static let skipped = "TUTOR_TEST_POSTGRES is not set: no PostgreSQL server to test against"

  /// A new, empty database on the test server, for one test.
  public static func freshDatabase() throws -> PostgresAddress {
    guard var address else { throw SchoolStoreError.failed(server: "(none)", detail: skipped) }
    let name = "tutor_test_\(UUID().uuidString.prefix(8).lowercased())"
    try admin(address, "CREATE DATABASE \(name)")
    address.database = name
    return address
  }

  /// Runs statements as the test server's superuser, outside the store; the rows of the last.
  @discardableResult
  public static func admin(_ address: PostgresAddress, _ statements: String...) throws -> [PostgresRow] {
    try admin(address, statements)
  }

  /// The statements on one connection (a `SET` holds for those after it).
  @discardableResult
  public static func admin(_ address: PostgresAddress, _ statements: [String]) throws -> [PostgresRow] {
    let connection = try SchoolStore.connect(address, password: address.password)
    defer { try? connection.close().wait() }
    var rows: [PostgresRow] = []
    for statement in statements {
      rows = try connection.query(PostgresQuery(unsafeSQL: statement), logger: SchoolStore.quietLogger).wait().rows
    }
    return rows
  }
}

/// The progress stores the store tests run against: SQLite always, PostgreSQL when there is a
/// test server.
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
  case sqlite, postgresql

  public static var available: [StoreBackend] { PostgresTestServer.address == nil ? [.sqlite] : allCases }
  public var description: String { rawValue }

  /// Where a fresh store is: a file in `folder`, or a new database on the test server.
  public func freshLocation(in folder: URL) throws -> StoreLocation {
    switch self {
    case .sqlite: .file(folder.appendingPathComponent("store-\(UUID().uuidString.prefix(8)).sqlite").path)
    case .postgresql: .server(try PostgresTestServer.freshDatabase())
    }
  }

  /// A fresh, empty store.
  public func freshStore(in folder: URL) throws -> any SQLProgressStore {
    try freshLocation(in: folder).open()
  }
}

public enum StoreLocation: Sendable {
  case file(String)
  case server(PostgresAddress)

  /// Opens (or opens again) the store here.
  public func open() throws -> any SQLProgressStore {
    switch self {
    case .file(let path): try SQLiteProgressStore(path: path)
    case .server(let address): try SchoolStore.open(address, password: nil)
    }
  }
}
