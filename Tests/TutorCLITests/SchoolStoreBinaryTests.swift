import Foundation
import Testing
import TutorCore
import TutorSchoolStore
import TutorTestSupport

/// The tutor on a school's PostgreSQL store, as real processes: many learners at once, and a
/// server that goes away in the middle of a quiz.
@Suite(.serialized, .enabled(if: PostgresTestServer.address != nil, Comment(rawValue: PostgresTestServer.skipped)))
struct SchoolStoreBinaryTests {
  var course: String { Fixtures.repositoryRoot.path }

  static func answerCount(_ address: PostgresAddress, learner: String? = nil) throws -> Int {
    let filter = learner.map { " WHERE learnerId = (SELECT id FROM learner WHERE name = '\($0)')" } ?? ""
    return try #require(try PostgresTestServer.admin(address, "SELECT count(*) FROM answer" + filter).first)
      .decode(Int.self)
  }

  @Test func tenLearnersAnsweringAtOnceAllLand() throws {
    let address = try PostgresTestServer.freshDatabase()
    let quiz = try BinaryTests.firstQuiz()
    let input = quiz.right.joined(separator: "\n") + "\n"
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 10) { index in
      let result = Result {
        try Binary.run(
          [
            "quiz", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", address.url,
            "--learner", "student\(index)",
          ], input: input)
      }
      results.add(index, result)
    }
    for (index, result) in results.all {
      let run = try result.get()
      #expect(run.status == 0, "student\(index): \(run.errors)")
      #expect(run.output.hasSuffix("Score: \(quiz.count)/\(quiz.count) (100%)\n"), "student\(index)")
    }
    for index in 0..<10 {
      #expect(try Self.answerCount(address, learner: "student\(index)") == quiz.count, "student\(index)")
    }
    #expect(try Self.answerCount(address) == 10 * quiz.count)
  }

  /// The doctor, export, reset and import on a school's store, as a learner and a teacher use them.
  @Test func theDoctorAResetAndAnImportWorkOnTheServer() throws {
    let address = try PostgresTestServer.freshDatabase()
    let quiz = try BinaryTests.firstQuiz()
    let folder = Fixtures.temporaryFolder()
    let run = { (arguments: [String], input: String) in
      try Binary.run(
        arguments + ["--course", course, "--store", address.url, "--learner", "ana"], input: input,
        environment: ["XDG_DATA_HOME": folder.path])
    }
    // Three answers, then the end of the input (exit status 3: the quiz is left to continue).
    let quizRun = try run(
      ["quiz", "dre-definition", "--plain", "--seed", "1"], quiz.right.prefix(3).joined(separator: "\n") + "\n")
    #expect(quizRun.status == 3, "\(quizRun.errors)")
    let doctor = try Binary.run(["doctor", "--store", address.url])
    #expect(doctor.status == 0 && doctor.output.contains("✓ server") && doctor.output.contains("learners: 1"))
    let exported = folder.appendingPathComponent("ana.json").path
    #expect(try run(["progress", "export", exported], "").status == 0)
    let reset = try run(["progress", "reset", "--all", "--yes"], "")
    #expect(reset.status == 0, "\(reset.errors)")
    #expect(reset.output.contains(folder.appendingPathComponent("tutor/backups").path), "\(reset.output)")
    #expect(try Self.answerCount(address) == 0)
    let imported = try run(["progress", "import", exported], "")
    #expect(imported.status == 0, "\(imported.errors)")
    #expect(try Self.answerCount(address) == 3)
    #expect(try run(["progress"], "").output.contains("3 of \(quiz.count) answered"))
  }

  /// A server of its own, shut down between two answers and started again.
  @Test func aServerThatGoesAwayMidQuizStopsItCleanlyAndTheSameCommandContinues() throws {
    let server = try ThrowawayServer.start()
    defer { server.stop() }
    var address = server.address
    try PostgresTestServer.admin(address, "CREATE DATABASE school")
    address.database = "school"
    let quiz = try BinaryTests.firstQuiz()
    let arguments = [
      "quiz", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", address.url, "--learner",
      "ana",
    ]

    let running = try Conversation(
      arguments,
      environment: [
        "XDG_CACHE_HOME": FileManager.default.temporaryDirectory.appendingPathComponent("tutor-tests-cache").path
      ])
    running.send(quiz.right[0])
    // The first answer is in the database before the server goes.
    let deadline = Date().addingTimeInterval(30)
    // (Until the tutor has set the database up, there is no table to count in.)
    while (try? Self.answerCount(address)) ?? 0 < 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    try server.pause()
    running.send(quiz.right[1])
    let stopped = running.finish()
    #expect(stopped.status == 74)
    #expect(stopped.errors.contains("Your last answer was not saved"), "\(stopped.errors)")
    #expect(stopped.errors.contains("at \(address.description)") && stopped.errors.contains("was lost"))

    try server.resume()
    // Nothing half-written: one answer, counted once in its day, one schedule.
    #expect(try Self.answerCount(address) == 1)
    let day = try #require(try PostgresTestServer.admin(address, "SELECT sum(answers) FROM studyDay").first)
    #expect(try day.decode(Int.self) == 1)
    let again = try Binary.run(arguments, input: quiz.right.dropFirst().joined(separator: "\n") + "\n")
    #expect(again.status == 0, "\(again.errors)")
    #expect(again.output.hasSuffix("Score: \(quiz.count)/\(quiz.count) (100%)\n"), "\(again.output.suffix(200))")
    #expect(try Self.answerCount(address) == quiz.count)
  }
}

extension PostgresAddress {
  /// The address as `--store` takes it.
  var url: String { description }
}

private final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [(Int, Swift.Result<Binary.Result, any Error>)] = []
  func add(_ index: Int, _ result: Swift.Result<Binary.Result, any Error>) {
    lock.withLock { results.append((index, result)) }
  }
  var all: [(Int, Swift.Result<Binary.Result, any Error>)] { lock.withLock { results.sorted { $0.0 < $1.0 } } }
}

/// A PostgreSQL server of a test's own (Tests/throwaway-postgres.sh), which it may stop and start.
struct ThrowawayServer {
  let folder: String
  let address: PostgresAddress
  static let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/throwaway-postgres.sh").path

  static func start() throws -> ThrowawayServer {
    let output = try shell("TUTOR_TEST_POSTGRES_PORT=56432 /bin/bash '\(script)' start")
    var values: [String: String] = [:]
    for line in output.split(separator: "\n") {
      guard let equals = line.firstIndex(of: "=") else { continue }
      values[String(line[..<equals].replacingOccurrences(of: "export ", with: ""))] = String(
        line[line.index(after: equals)...])
    }
    guard let folder = values["TUTOR_TEST_POSTGRES_DIR"], let url = values["TUTOR_TEST_POSTGRES"] else {
      throw SchoolStoreError.failed(server: "a throwaway server", detail: output)
    }
    return ThrowawayServer(folder: folder, address: try PostgresAddress.parse(url))
  }

  func pause() throws { _ = try Self.shell("/bin/bash '\(Self.script)' pause '\(folder)'") }
  func resume() throws { _ = try Self.shell("/bin/bash '\(Self.script)' resume '\(folder)'") }
  func stop() { _ = try? Self.shell("/bin/bash '\(Self.script)' stop '\(folder)'") }

  /// Runs a shell command and returns what it printed. Not through Foundation's Process: it
  /// never saw the script exit once the script had started a server (the child was left a zombie).
  static func shell(_ command: String) throws -> String {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-shell-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: log) }
    let status = system("\(command) >'\(log.path)' 2>&1 </dev/null")
    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    if status != 0 { throw SchoolStoreError.failed(server: "a throwaway server", detail: output) }
    return output
  }
}
