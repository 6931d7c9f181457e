import Foundation
import Logging
import PostgresNIO
import TutorCore
import TutorStore

/// Why the school's store could not be used. Every message names the server (never the password)
/// and what to do.
public enum SchoolStoreError: Error, Equatable, CustomStringConvertible {
  case unreachable(server: String, detail: String)
  case needsPassword(server: String)
  case refused(server: String, detail: String)
  case noDatabase(server: String)
  case newerSchema(server: String, version: Int)
  case notTutorDatabase(server: String)
  case lostConnection(server: String)
  case failed(server: String, detail: String)

  public var description: String {
    switch self {
    case .unreachable(let server, let detail):
      return
        "Cannot reach the school's progress store at \(server) (\(detail)). Check that the server is running and reachable from this computer, then run the same command again: nothing was lost."
    case .needsPassword(let server):
      return
        "The school's progress store at \(server) asks for a password. Set PGPASSWORD, or add a line for it to ~/.pgpass (chmod 600)."
    case .refused(let server, let detail):
      return "The school's progress store at \(server) refused the connection: \(detail)."
    case .noDatabase(let server):
      return
        "The database of \(server) does not exist. Ask the school's administrator to create it (createdb); the tutor sets up its tables itself."
    case .newerSchema(let server, let version):
      return """
        The school's progress store at \(server) was set up by a newer tutor (schema \(version); this tutor knows \
        \(SchoolStore.schemaVersion)). Nothing was changed. Update the tutor on this computer.
        """
    case .notTutorDatabase(let server):
      return
        "The database of \(server) holds tables of another program. The tutor adds none of its own to it: give it a database of its own."
    case .lostConnection(let server):
      return
        "The connection to the school's progress store at \(server) was lost. Nothing half-written was kept; run the same command again when the server is back to continue where you were."
    case .failed(let server, let detail):
      return "The school's progress store at \(server) could not be used: \(detail)."
    }
  }
}

/// The school's progress store on PostgreSQL: one connection, its schema set up and migrated
/// under an advisory lock (thirty computers starting at once migrate once).
public final class SchoolStore: @unchecked Sendable {
  /// The schema this tutor writes; a change to it is a new version with its own migration.
  public static let schemaVersion = 1
  /// The advisory lock every tutor takes to migrate ("tutor" in ASCII).
  static let migrationLock: Int64 = 0x74_7574_6F72

  /// Each version's statements, applied in order in one transaction.
  static let migrations: [(version: Int, statements: [String])] = [(1, SchoolSchema.version1)]

  public let address: PostgresAddress
  private let connection: PostgresConnection
  /// Statements sent whose rows are not needed, in the order sent: the server runs a
  /// connection's statements in order, so the next `run` waits for them too.
  private var sent: [EventLoopFuture<[PostgresRow]>] = []
  /// The store's statements this connection has run, by their text: those run more than once
  /// are prepared (a statement run once, as at start-up, is not worth the round trip).
  private var statements: [String: StatementUse] = [:]
  private enum StatementUse {
    case seenOnce
    case prepared(PreparedQuery)
  }
  /// While warming up, statements are prepared at their first use.
  private var preparesAtOnce = false
  /// Statements built with a varying text (a list of values) stop being tracked past this.
  static let preparedStatementLimit = 200
  /// Nothing is logged: the terminal belongs to the tutor's screens.
  public static let quietLogger = Logger(label: "tutor.school-store") { _ in SwiftLogNoOpLogHandler() }

  private init(address: PostgresAddress, connection: PostgresConnection) {
    self.address = address
    self.connection = connection
  }

  /// Connects and brings the schema up to date.
  public static func open(_ address: PostgresAddress, password: String?) throws(SchoolStoreError) -> SchoolStore {
    let connection = try connect(address, password: password)
    let store = SchoolStore(address: address, connection: connection)
    do throws(SchoolStoreError) {
      try store.useLocalTimeZone()
      try store.planOnce()
      try store.migrate()
    } catch {
      store.close()
      throw error
    }
    return store
  }

  /// A connection on PostgresNIO's event loops. The tutor's code is synchronous: it waits for
  /// each answer on its own thread, never on an event loop nor on the task pool.
  public static func connect(_ address: PostgresAddress, password: String?) throws(SchoolStoreError)
    -> PostgresConnection
  {
    let configuration: PostgresConnection.Configuration =
      if let socket = address.socketPath {
        .init(unixSocketPath: socket, username: address.user, password: password, database: address.database)
      } else {
        .init(
          host: address.host, port: address.port, username: address.user, password: password,
          database: address.database, tls: .disable)
      }
    do {
      return try PostgresConnection.connect(
        on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: 1, logger: quietLogger
      ).wait()
    } catch {
      throw translate(error, server: address.description)
    }
  }

  /// A learner's study days are the days of this computer's time zone (as SQLite's 'localtime'):
  /// the connection takes its name, or its offset from UTC when the server does not know the name.
  private func useLocalTimeZone() throws(SchoolStoreError) {
    let zone = TimeZone.current
    let name = zone.identifier.replacingOccurrences(of: "'", with: "")
    do throws(SchoolStoreError) {
      try run(PostgresQuery(unsafeSQL: "SET TIME ZONE '\(name)'"))
    } catch .failed {
      let minutes = zone.secondsFromGMT() / 60
      let offset = String(format: "%@%02d:%02d", minutes < 0 ? "-" : "+", abs(minutes) / 60, abs(minutes) % 60)
      try run(PostgresQuery(unsafeSQL: "SET TIME ZONE INTERVAL '\(offset)' HOUR TO MINUTE"))
    }
  }

  /// A prepared statement keeps its first, generic plan: each statement is keyed by learner and
  /// question, which one plan serves. Planned again for each learner, the planner took a learner
  /// added since the table's statistics for one with no rows, scanned all of the learner's
  /// answers, and spent longer planning than running. (Servers before 12 keep their own way.)
  private func planOnce() throws(SchoolStoreError) {
    guard try value(Bool.self, "SELECT current_setting('server_version_num')::int >= 120000") == true else { return }
    try run("SET plan_cache_mode = force_generic_plan")
  }

  /// Readies the connection for the learner's answers while the first screen is read, so that
  /// a first answer is as quick as the rest: the statements of an answer are prepared, and the
  /// server loads what an answer needs (its trigger, the foreign keys' checks). The answers are
  /// rehearsed in a transaction that is rolled back: nothing is kept (but two numbers of the
  /// answers' sequence). A failure is left for the real answer to report.
  public func warmUp(learner: Int64, at date: Date) {
    preparesAtOnce = true
    defer { preparesAtOnce = false }
    try? rehearseAnswers(learner: learner, at: date)
  }

  deinit { close() }

  public func close() {
    try? connection.close().wait()
  }

  /// Runs one statement and waits for all its rows.
  @discardableResult
  func run(_ query: PostgresQuery) throws(SchoolStoreError) -> [PostgresRow] {
    try send(query)
    return try waitForSent()
  }

  /// Runs one of the store's statements and waits for all its rows.
  func run(_ sql: String, _ parameters: [PostgresData]) throws(SchoolStoreError) -> [PostgresRow] {
    try send(sql, parameters)
    return try waitForSent()
  }

  /// Waits for every statement sent; the rows of the last.
  private func waitForSent() throws(SchoolStoreError) -> [PostgresRow] {
    let waiting = sent
    sent = []
    // The first statement that failed says why (those after it only say the transaction failed).
    var firstError: (any Error)?
    var rows: [PostgresRow] = []
    for future in waiting {
      do {
        rows = try future.wait()
      } catch {
        firstError = firstError ?? error
      }
    }
    if let firstError { throw Self.translate(firstError, server: address.description) }
    return rows
  }

  /// Sends a statement without waiting for it: the next `run` on this connection waits for it,
  /// and reports it if it failed. Inside a transaction, its changes are seen by what follows.
  func send(_ query: PostgresQuery) throws(SchoolStoreError) {
    try requireOpenConnection()
    sent.append(connection.query(query, logger: Self.quietLogger).map(\.rows))
  }

  /// Sends one of the store's statements, as `send(_:)`. A statement sent a second time (or
  /// the first time, while warming up) is prepared on the server, and from then on only bound
  /// and run on its generic plan: the server neither parses nor plans it again (half its work
  /// for an answer went to parsing and planning).
  func send(_ sql: String, _ parameters: [PostgresData]) throws(SchoolStoreError) {
    try requireOpenConnection()
    switch statements[sql] ?? (preparesAtOnce ? .seenOnce : nil) {
    case .prepared(let statement):
      sent.append(statement.execute(parameters))
    case .seenOnce:
      // What was sent before it is waited for first, so that a failure there is the one reported.
      _ = try waitForSent()
      let statement: PreparedQuery
      do {
        statement = try connection.prepare(query: sql).wait()
      } catch {
        throw Self.translate(error, server: address.description)
      }
      statements[sql] = .prepared(statement)
      sent.append(statement.execute(parameters))
    case nil:
      if statements.count < Self.preparedStatementLimit { statements[sql] = .seenOnce }
      var bindings = PostgresBindings(capacity: parameters.count)
      for parameter in parameters { bindings.append(parameter) }
      sent.append(
        connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: Self.quietLogger).map(\.rows))
    }
  }

  /// A query written to a connection the server has closed is never answered (PostgresNIO
  /// drops it): a server that went away is said at once instead.
  private func requireOpenConnection() throws(SchoolStoreError) {
    if connection.isClosed {
      sent = []
      throw .lostConnection(server: address.description)
    }
  }

  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
  func transaction<Value>(_ body: () throws(SchoolStoreError) -> Value) throws(SchoolStoreError) -> Value {
    do {
      return try inTransaction("BEGIN", body)
    } catch {
      throw Self.translate(error, server: address.description)
    }
  }

  /// Runs `body` in a transaction begun with `begin`: committed when it returns, rolled back when it throws.
  func inTransaction<Value>(_ begin: String, _ body: () throws -> Value) throws -> Value {
    // Sent with the first statement: BEGIN fails only with the connection, and then so does all.
    try send(PostgresQuery(unsafeSQL: begin))
    do {
      let value = try body()
      try run("COMMIT")
      return value
    } catch {
      _ = try? run("ROLLBACK")
      throw storeError(error)
    }
  }

  /// A value the shared logic could not read, as the store's error; any other error as it is.
  func storeError(_ error: any Error) -> any Error {
    guard let error = error as? SQLReadError else { return error }
    return SchoolStoreError.failed(server: address.description, detail: "a value the tutor cannot read (\(error))")
  }

  /// Each row read by `read`; a value it cannot read is the store's error.
  func rows<Value>(_ query: PostgresQuery, _ read: (PostgresRow) throws -> Value) throws(SchoolStoreError) -> [Value] {
    let found = try run(query)
    do {
      return try found.map(read)
    } catch {
      throw .failed(server: address.description, detail: "an unexpected value (\(error))")
    }
  }

  /// The first column of the first row.
  func value<Value: PostgresDecodable>(_ type: Value.Type, _ query: PostgresQuery) throws(SchoolStoreError) -> Value? {
    try rows(query) { try $0.decode(Value.self) }.first
  }

  /// The schema version the database holds (0: none yet).
  public func databaseSchemaVersion() throws(SchoolStoreError) -> Int { try storedSchemaVersion() ?? 0 }

  /// The version in `tutor_schema`; nil when the table is not there.
  private func storedSchemaVersion() throws(SchoolStoreError) -> Int? {
    guard try value(Bool.self, "SELECT to_regclass('tutor_schema') IS NOT NULL") == true else { return nil }
    return try value(Int?.self, "SELECT max(version) FROM tutor_schema").flatMap { $0 } ?? 0
  }

  /// In one transaction, under the advisory lock (released at its end): the version is read
  /// after the lock, so a tutor that waited finds the work done.
  private func migrate() throws(SchoolStoreError) {
    let server = address.description
    try transaction { () throws(SchoolStoreError) in
      try run("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
      let stored = try storedSchemaVersion()
      let version = stored ?? 0
      if stored == nil {
        let tables = try value(
          Int.self, "SELECT count(*)::bigint FROM information_schema.tables WHERE table_schema = current_schema()")
        if (tables ?? 0) > 0 { throw SchoolStoreError.notTutorDatabase(server: server) }
        try run("CREATE TABLE tutor_schema (version INTEGER NOT NULL)")
        try run("INSERT INTO tutor_schema (version) VALUES (0)")
      }
      if version > Self.schemaVersion { throw SchoolStoreError.newerSchema(server: server, version: version) }
      for migration in Self.migrations where migration.version > version {
        for statement in migration.statements { try run(PostgresQuery(unsafeSQL: statement)) }
      }
      if version < Self.schemaVersion { try run("UPDATE tutor_schema SET version = \(Self.schemaVersion)") }
    }
  }

  static func translate(_ error: any Error, server: String) -> SchoolStoreError {
    if let known = error as? SchoolStoreError { return known }
    guard let error = error as? PSQLError else {
      return .failed(server: server, detail: String(describing: error))
    }
    switch error.code {
    case .connectionError:
      let detail = error.underlying.map { String(describing: $0) } ?? "no connection"
      return .unreachable(server: server, detail: detail)
    case .authMechanismRequiresPassword:
      return .needsPassword(server: server)
    case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
      return .lostConnection(server: server)
    case .server:
      let state = error.serverInfo?[.sqlState] ?? ""
      let message = error.serverInfo?[.message] ?? "an error"
      switch state {
      case "3D000": return .noDatabase(server: server)
      case "28P01", "28000": return .refused(server: server, detail: message)
      case "57P01", "57P02", "57P03": return .lostConnection(server: server)
      default: return .failed(server: server, detail: "\(message) (SQLSTATE \(state))")
      }
    default:
      return .failed(server: server, detail: String(describing: error.code))
    }
  }
}
