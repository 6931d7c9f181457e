import Foundation
import Testing

@testable import TutorSchoolStore

@Suite struct PostgresAddressTests {
  @Test(
    arguments: [
      ("postgresql://ana@db.school.example/tutor", "ana", nil, "db.school.example", 5432, "tutor"),
      ("postgres://ana:s%40cret@10.0.0.5:6543/tutor", "ana", "s@cret", "10.0.0.5", 6543, "tutor"),
      ("postgresql://teacher:pw@[::1]:5433/class", "teacher", "pw", "::1", 5433, "class"),
      ("postgresql://ana@/tutor", "ana", nil, "localhost", 5432, "tutor"),
      ("postgresql://ana@localhost", "ana", nil, "localhost", 5432, "ana"),
      ("postgresql://ana@%2Fvar%2Frun%2Fpostgresql/tutor", "ana", nil, "/var/run/postgresql", 5432, "tutor"),
      ("postgresql://a%20b:p:q@h/d", "a b", "p:q", "h", 5432, "d"),
    ] as [(String, String, String?, String, Int, String)])
  func addressesReadAsLibpqReadsThem(
    text: String, user: String, password: String?, host: String, port: Int, database: String
  ) throws {
    let address = try PostgresAddress.parse(text)
    #expect(address == PostgresAddress(user: user, password: password, host: host, port: port, database: database))
    #expect(PostgresAddress.isAddress(text))
  }

  @Test(arguments: [
    "postgresql://db.school.example/tutor", "postgresql://ana@host:99999/db", "postgresql://ana@host:port/db",
    "postgresql://ana@host/db?sslmode=require", "postgresql://ana@[::1/db", "mysql://ana@host/db",
    "postgresql://ana:%zz@host/db",
  ])
  func brokenAddressesAreRefusedWithAReason(text: String) {
    #expect(throws: PostgresAddress.Problem.self) { try PostgresAddress.parse(text) }
  }

  @Test func aPasswordIsNeverShown() throws {
    let address = try PostgresAddress.parse("postgresql://ana:hunter2@db:5433/tutor")
    #expect(address.description == "postgresql://ana@db:5433/tutor")
    let problem = #expect(throws: PostgresAddress.Problem.self) {
      try PostgresAddress.parse("postgresql://ana:hunter2@db:port/tutor")
    }
    #expect(problem?.description.contains("hunter2") == false)
    for error in [
      SchoolStoreError.unreachable(server: address.description, detail: "refused"),
      .needsPassword(server: address.description), .lostConnection(server: address.description),
    ] {
      #expect(!error.description.contains("hunter2") && error.description.contains("ana@db:5433"))
    }
  }

  @Test func aSocketFolderIsASocketPath() throws {
    let address = try PostgresAddress.parse("postgresql://ana@%2Ftmp%2Fpg:5433/tutor")
    #expect(address.socketPath == "/tmp/pg/.s.PGSQL.5433")
    #expect(try PostgresAddress.parse("postgresql://ana@db/tutor").socketPath == nil)
  }
}

@Suite struct PostgresPasswordTests {
  static let file = """
    # host:port:database:user:password
    db.school.example:5432:tutor:ana:first
    *:*:tutor:ana:second
    *:*:*:teacher:with\\:colon\\\\and backslash
    """

  @Test func theFirstMatchingLineGivesThePassword() {
    #expect(
      PostgresPassword.match(Self.file, host: "db.school.example", port: 5432, database: "tutor", user: "ana")
        == "first")
    #expect(PostgresPassword.match(Self.file, host: "other", port: 6000, database: "tutor", user: "ana") == "second")
    #expect(
      PostgresPassword.match(Self.file, host: "h", port: 1, database: "x", user: "teacher")
        == "with:colon\\and backslash")
    #expect(PostgresPassword.match(Self.file, host: "h", port: 1, database: "x", user: "ana") == nil)
  }

  @Test func theAddressThenTheEnvironmentThenTheFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("pgpass").path
    _ = FileManager.default.createFile(
      atPath: file, contents: Data(Self.file.utf8), attributes: [.posixPermissions: 0o600])
    let address = try PostgresAddress.parse("postgresql://ana@db.school.example/tutor")
    #expect(PostgresPassword.find(for: address, environment: ["PGPASSFILE": file]).password == "first")
    #expect(
      PostgresPassword.find(for: address, environment: ["PGPASSFILE": file, "PGPASSWORD": "env"]).password == "env")
    var withPassword = address
    withPassword.password = "url"
    #expect(PostgresPassword.find(for: withPassword, environment: ["PGPASSWORD": "env"]).password == "url")
    // A file others may read is skipped, with a warning that names it and not the password.
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
    let lookup = PostgresPassword.find(for: address, environment: ["PGPASSFILE": file])
    #expect(lookup.password == nil)
    #expect(lookup.warning?.contains("chmod 600") == true && lookup.warning?.contains("first") == false)
  }
}
