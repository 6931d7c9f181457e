import Foundation
import PostgresNIO
import Testing
import TutorCore
import TutorStore
import TutorTestSupport

@testable import TutorSchoolStore

/// The store against a real server: the throwaway one `.ci/run` starts (Tests/throwaway-postgres.sh),
/// named by TUTOR_TEST_POSTGRES. Without it these tests are skipped, saying so.
@Suite(.enabled(if: PostgresTestServer.address != nil, Comment(rawValue: PostgresTestServer.skipped)))
struct SchoolStoreTests {
  static func freshDatabase() throws -> PostgresAddress { try PostgresTestServer.freshDatabase() }

  @discardableResult
  static func admin(_ address: PostgresAddress, _ statements: String...) throws -> [PostgresRow] {
    try PostgresTestServer.admin(address, statements)
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
    #expect(
      try Self.tables(address) == [
        "answer", "classanswer", "classsession", "classstudent", "flag", "learner", "lessonstate", "questionstats",
        "quizattempt", "quizstate", "resume", "reviewcard", "setting", "studyday", "tutor_schema",
      ])
  }

  @Test func learnersAreMadeOnceThoughManyComputersAskAtOnce() throws {
    let address = try Self.freshDatabase()
    try SchoolStore.open(address, password: nil).close()
    let ids = IDs()
    DispatchQueue.concurrentPerform(iterations: 10) { _ in
      do {
        let store = try SchoolStore.open(address, password: nil)
        defer { store.close() }
        ids.add(try store.learnerID(named: "ana", at: Date()))
      } catch {
        ids.add(-1)
      }
    }
    #expect(Set(ids.all).count == 1 && ids.all.count == 10 && !ids.all.contains(-1))
    let store = try SchoolStore.open(address, password: nil)
    defer { store.close() }
    #expect(try store.existingLearnerID(named: "ana") == ids.all.first)
    #expect(try store.existingLearnerID(named: "bo") == nil)
    _ = try store.learnerID(named: "bo", at: Date())
    #expect(try store.learnerNames() == ["ana", "bo"])
  }

  @Test func settingsAreCheckedAndKeptPerLearner() throws {
    let store = try SchoolStore.open(try Self.freshDatabase(), password: nil)
    defer { store.close() }
    let ana = try store.learnerID(named: "ana", at: Date())
    let bo = try store.learnerID(named: "bo", at: Date())
    #expect(try store.setSetting("retention", to: "0.85", learner: ana) == nil)
    #expect(try store.setSetting("retention", to: "2", learner: ana) != nil)
    #expect(try store.settings(learner: ana).desiredRetention == 0.85)
    #expect(try store.settings(learner: bo) == ReviewSettings())
  }

  static func classRecord(quiz: String, hostedAt: Date) -> ClassRecord {
    ClassRecord(
      quizID: quiz, quizTitle: "Ion channels — Na⁺ and K⁺", hostedAt: hostedAt, asked: ["q1", "q2"],
      students: [.init(id: "s2", name: "Zoë"), .init(id: "s1", name: "Ana")],
      answers: [
        .init(
          student: "s2", questionID: "q1", response: "b", isCorrect: false, fraction: 0, seconds: 7.25, choiceIDs: ["b"]
        ),
        .init(
          student: "s1", questionID: "q1", response: "a", isCorrect: true, fraction: 1, seconds: 3.5, choiceIDs: ["a"]),
        .init(
          student: "s1", questionID: "q2", response: "a c", isCorrect: false, fraction: 0.5, seconds: 12,
          choiceIDs: ["a", "c"]),
      ])
  }

  @Test func aStatementRunAgainIsPreparedAndGivesTheSameRows() throws {
    let store = try SchoolStore.open(try Self.freshDatabase(), password: nil)
    defer { store.close() }
    let ana = try store.learnerID(named: "ana", at: Date())
    try store.importSchedules(
      [
        (
          "q1",
          FSRS.Card(
            state: .review, step: nil, stability: 3, difficulty: 5, lastReview: nil,
            due: Date(timeIntervalSince1970: 1_796_000_000))
        )
      ], learner: ana)
    func cardReadsPrepared() throws -> Int {
      try store.read {
        try $0.one(
          "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT questionVersion%FROM reviewCard%'",
          []
        ) { try $0.int(0) }
      } ?? -1
    }
    let first = try store.reviewCard(learner: ana, questionID: "q1")
    #expect(try cardReadsPrepared() == 0)
    let second = try store.reviewCard(learner: ana, questionID: "q1")
    #expect(try cardReadsPrepared() == 1)
    let third = try store.reviewCard(learner: ana, questionID: "q1")
    #expect(try cardReadsPrepared() == 1)
    #expect(first?.card.stability == 3 && second == first && third == first)
  }

  /// Warmed up while the first screen is read, the connection runs a first answer of the
  /// tutor's review on statements already prepared.
  @Test func aWarmedUpConnectionAnswersOnPreparedStatements() throws {
    let store = try SchoolStore.open(try Self.freshDatabase(), password: nil)
    defer { store.close() }
    let ana = try store.learnerID(named: "ana", at: Date())
    func prepared() throws -> [String] {
      try store.read {
        try $0.rows("SELECT statement FROM pg_prepared_statements ORDER BY statement", []) { try $0.string(0) }
      }
    }
    let opened = try prepared()
    store.warmUp(learner: ana, at: Date())
    let warmed = try prepared()
    #expect(warmed.count > opened.count)
    #expect(warmed.contains { $0.hasPrefix("SELECT 0, questionVersion") }, "the answer's read")
    #expect(warmed.contains { $0.hasPrefix("WITH write1") }, "the answer's writes")
    #expect(try store.answerCount(learner: ana) == 0)
    for question in ["q1", "q1", "q2"] {
      try store.record(
        AnswerRecord(
          questionID: question, questionVersion: 1, context: .review, response: "a",
          grade: Grade(score: 1, chosenChoiceIDs: ["a"]), mode: .review, durationMilliseconds: 4200,
          scheduling: .now(.good), given: .choices(["a"])),
        learner: ana, at: Date())
    }
    #expect(try prepared() == warmed, "a first answer and a later one, on statements the warm-up prepared")
    #expect(try store.answerCount(learner: ana) == 3)
  }

  @Test func classesAreKeptWholeAndReadNewestFirst() throws {
    let store = try SchoolStore.open(try Self.freshDatabase(), password: nil)
    defer { store.close() }
    let first = Self.classRecord(quiz: "channels", hostedAt: Date(timeIntervalSince1970: 1_796_000_000))
    let second = Self.classRecord(quiz: "genetics", hostedAt: Date(timeIntervalSince1970: 1_796_003_600.25))
    let one = try store.saveClass(first)
    let two = try store.saveClass(second)
    let classes = try store.classes()
    #expect(classes.map(\.number) == [two, one])
    #expect(classes.map(\.record) == [second, first])
  }

  @Test func aClassThatCannotBeSavedLeavesNothingBehind() throws {
    let address = try Self.freshDatabase()
    let store = try SchoolStore.open(address, password: nil)
    defer { store.close() }
    var broken = Self.classRecord(quiz: "channels", hostedAt: Date(timeIntervalSince1970: 1_796_000_000))
    broken.students.append(.init(id: "s1", name: "Ana again"))  // the same student twice
    #expect(throws: SchoolStoreError.self) { try store.saveClass(broken) }
    #expect(try store.classes().isEmpty)
    let counts = try Self.admin(
      address,
      "SELECT (SELECT count(*) FROM classsession) + (SELECT count(*) FROM classstudent) + (SELECT count(*) FROM classanswer)"
    ).map { try $0.decode(Int.self) }
    #expect(counts == [0])
    // The connection is usable after the rollback.
    #expect(try store.saveClass(Self.classRecord(quiz: "channels", hostedAt: Date(timeIntervalSince1970: 1))) > 0)
  }

  @Test func studyDaysFollowTheAnswersInTheLearnersOwnDays() throws {
    let address = try Self.freshDatabase()
    let store = try SchoolStore.open(address, password: nil)
    let ana = try store.learnerID(named: "ana", at: Date())
    store.close()
    func answer(_ uid: String, at time: String, milliseconds: Int) -> String {
      """
      INSERT INTO answer (learnerId, questionID, questionVersion, response, score, chosen, durationMs, mode,
        answeredAt, uid)
      VALUES (\(ana), 'q', 1, 'a', 1, '[]', \(milliseconds), 'practice', '\(time)', '\(uid)')
      """
    }
    // The connection's time zone is the learner's: 11:30 UTC is already the next day in Auckland.
    try Self.admin(
      address, "SET TIME ZONE 'Pacific/Auckland'", answer("a", at: "2026-11-29 12:00:00+00", milliseconds: 4000),
      answer("b", at: "2026-11-30 10:00:00+00", milliseconds: 900_000),
      answer("c", at: "2026-11-30 11:30:00+00", milliseconds: 1000), "DELETE FROM answer WHERE uid = 'c'")
    let days = try Self.admin(address, "SELECT day, answers, milliseconds FROM studyday ORDER BY day")
      .map { try $0.decode((String, Int, Int).self) }
    // Ten minutes at most per answer; a withdrawn answer leaves its day at zero.
    #expect(days.map(\.0) == ["2026-11-30", "2026-12-01"])
    #expect(days.map(\.1) == [2, 0] && days.map(\.2) == [604_000, 0])
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
    let before = try Self.tables(address)
    let error = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(address, password: nil) }
    #expect(error == .newerSchema(server: address.description, version: 99))
    #expect(error?.description.contains("Nothing was changed") == true)
    #expect(try Self.tables(address) == before && before.contains("from_the_future"))
  }

  @Test func aDatabaseOfAnotherProgramGetsNoTables() throws {
    let address = try Self.freshDatabase()
    try Self.admin(address, "CREATE TABLE invoices (id INTEGER)")
    let error = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(address, password: nil) }
    #expect(error == .notTutorDatabase(server: address.description))
    #expect(try Self.tables(address) == ["invoices"])
  }

  @Test func aMissingDatabaseAndADownServerAreNamed() throws {
    var missing = try #require(PostgresTestServer.address)
    missing.database = "no_such_database"
    let noDatabase = #expect(throws: SchoolStoreError.self) { try SchoolStore.open(missing, password: nil) }
    #expect(noDatabase == .noDatabase(server: missing.description))

    var down = try #require(PostgresTestServer.address)
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

/// The statement text the server is sent; no server needed.
struct PostgresStatementTextTests {
  @Test func placeholdersAreNumberedAndCastToTheirValuesType() {
    let text = PostgresSQLConnection.numberedPlaceholders(
      "SELECT ? , ?, '?', \"a?\" FROM t WHERE x = ?2 AND y = ?3 AND z = ?12",
      types: [.int8, .text, .null])
    #expect(text == "SELECT $1::int8 , $2::text, '?', \"a?\" FROM t WHERE x = $2::text AND y = $3 AND z = $12")
    let statement = PostgresSQLConnection.statement(
      "INSERT INTO t VALUES (?, ?, ?, ?, ?)", [Int64(7), 0.5, "é", true, Date(timeIntervalSince1970: 0)])
    #expect(statement.sql == "INSERT INTO t VALUES ($1::int8, $2::float8, $3::text, $4::bool, $5::timestamptz)")
    #expect(statement.parameters.map(\.type) == [.int8, .float8, .text, .bool, .timestamptz])
    // As SQLite reads them: a bare `?` after `?N` is N + 1.
    #expect(
      PostgresSQLConnection.numberedPlaceholders("a = ?1 AND b = ?2 AND c = ? AND d = ?2", types: [])
        == "a = $1 AND b = $2 AND c = $3 AND d = $2")
  }

  /// Writes run together are one statement: each but the last in a WITH, their values numbered on.
  @Test func writesTogetherAreOneStatementWithTheirValuesNumberedOn() {
    let combined = PostgresSQLConnection.combined([
      SQLStatement("DELETE FROM a WHERE x = ?", [Int64(1)]),
      SQLStatement("UPDATE b SET y = ?1 WHERE z = ?2", ["t", Int64(2)]),
      SQLStatement("INSERT INTO c VALUES (?, ?) RETURNING id", [true, 0.5]),
    ])
    #expect(
      combined.sql
        == "WITH write1 AS (DELETE FROM a WHERE x = $1::int8), write2 AS (UPDATE b SET y = $2::text WHERE z = $3::int8) "
        + "INSERT INTO c VALUES ($4::bool, $5::float8) RETURNING id")
    #expect(combined.parameters.map(\.type) == [.int8, .text, .int8, .bool, .float8])
  }
}

private final class IDs: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [Int64] = []
  func add(_ id: Int64) { lock.withLock { list.append(id) } }
  var all: [Int64] { lock.withLock { list } }
}

private final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []
  func add(_ failure: String) { lock.withLock { list.append(failure) } }
  var all: [String] { lock.withLock { list } }
}
