import Foundation
import GRDB
import Testing
import TutorCore
import TutorTestSupport

/// The trial of November 2026, run again through the real binary: each test is one defect's
/// reproduction from `shared/reviews/trial-2026-11.md`, with the behaviour it should have had.
@Suite(.serialized) struct TrialRegressionTests {
  let folder = Fixtures.temporaryFolder()
  var store: String { folder.appendingPathComponent("progress.sqlite").path }
  var course: String { Fixtures.repositoryRoot.path }

  func tutor(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Binary.Result {
    try Binary.run(arguments + ["--course", course, "--store", store], input: input, environment: environment)
  }

  /// The bundled first quiz with a seed: its length and the plain lines that answer it right.
  static func quiz(seed: UInt64) throws -> (count: Int, right: [String], run: QuizRun) {
    let course = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    let run = QuizRun(quiz: try #require(course.quiz(id: "dre-definition")), seed: seed)
    return (run.order.count, AnswerScript(run: run, mistakes: false).plainLines, run)
  }

  func attempts() throws -> [Row] {
    try DatabaseQueue(path: store).read {
      try Row.fetchAll($0, sql: "SELECT id, mode, finishedAt, points FROM quizAttempt ORDER BY id")
    }
  }

  /// D3 and D9: the same command continues a plain exam, with its clock, and says nothing of
  /// its answers before the end.
  @Test func thePlainExamContinuesWhereItStopped() throws {
    let quiz = try Self.quiz(seed: 3)
    let first = try tutor(["quiz", "dre-definition", "--exam", "--plain", "--seed", "3"], input: quiz.right[0] + "\n")
    #expect(first.status == 3)
    #expect(first.errors.contains("run the same command to continue"))
    #expect(!first.output.contains("Score"), "a score would tell which answers were right: \(first.output)")
    let second = try tutor(["quiz", "dre-definition", "--exam", "--plain", "--seed", "3"], input: "")
    #expect(second.output.contains("Resuming your unfinished exam: 1 of \(quiz.count) answered"), "\(second.output)")
    #expect(second.output.contains("Question 2 of \(quiz.count)"))
    #expect(second.output.contains("Time left: "))
    let rows = try attempts()
    #expect(rows.count == 1, "one exam, not an abandoned one and a new one")
  }

  /// D3: a plain exam whose time ran out while it was closed is submitted, not restarted.
  @Test func anExamWhoseTimeRanOutIsSubmitted() throws {
    _ = try tutor(["quiz", "dre-definition", "--exam", "--plain", "--now", "2030-01-01T10:00:00Z"], input: "a\n")
    let late = try tutor(
      ["quiz", "dre-definition", "--exam", "--plain", "--now", "2030-01-01T11:00:00Z"], input: "b\n")
    #expect(late.status == 0, "\(late.errors)")
    #expect(late.output.contains("time ran out"), "\(late.output)")
    #expect(!late.output.contains("Question 2 of "))
    let rows = try attempts()
    #expect(rows.count == 1)
    let finished: Date? = rows.first?["finishedAt"]
    #expect(finished != nil)
  }

  /// D8: plain study continues at the step where the learner stopped.
  @Test func plainStudyContinuesAtTheSavedStep() throws {
    let first = try tutor(["study", "1", "--plain"], input: "a\n")
    #expect(first.status == 3)
    let stopped = try #require(first.errors.firstMatch(of: /End of input at step (\d+) of (\d+)/))
    #expect(Int(stopped.1)! > 1, "the first answer is taken somewhere after step 1")
    let second = try tutor(["study", "1", "--plain"], input: "")
    #expect(second.output.contains("Continuing at step \(stopped.1) of \(stopped.2)"), "\(second.output)")
    #expect(!second.output.contains("(step 1 of "))
    let again = try tutor(["study", "1", "--plain", "--restart"], input: "")
    #expect(again.output.contains("(step 1 of "))
  }

  /// D7: an attempt started with --confidence keeps asking after it is resumed.
  @Test func confidenceIsKeptWithTheAttempt() throws {
    let quiz = try Self.quiz(seed: 5)
    _ = try tutor(
      ["quiz", "dre-definition", "--plain", "--exam", "--confidence", "--seed", "5"], input: quiz.right[0] + "\n1\n")
    let resumed = try tutor(["quiz", "dre-definition", "--plain", "--seed", "5"], input: quiz.right[1] + "\n2\n")
    #expect(resumed.output.contains("How sure were you?"), "\(resumed.output)")
    let confidences = try DatabaseQueue(path: store).read {
      try String?.fetchAll($0, sql: "SELECT confidence FROM answer ORDER BY id")
    }
    #expect(confidences == ["sure", "unsure"])
  }

  /// D4: an answer that cannot be saved stops the session (exit 74), is not counted, and does
  /// not let the attempt close.
  @Test func anAnswerThatCannotBeSavedStopsTheSession() throws {
    let quiz = try Self.quiz(seed: 2)
    _ = try tutor(["quiz", "dre-definition", "--plain", "--seed", "2"], input: quiz.right[0] + "\n")
    let session = try Conversation(
      ["quiz", "dre-definition", "--plain", "--seed", "2", "--course", course, "--store", store],
      environment: ["TUTOR_BUSY_TIMEOUT": "0.3"])
    guard session.waitFor("Question 2 of \(quiz.count)") else {
      Issue.record("the resumed quiz never asked question 2: \(session.finish())")
      return
    }
    let holder = try DatabaseQueue(path: store)
    let result = try holder.writeWithoutTransaction { db in
      // Another program holds the store while the answer to question 2 is given.
      try db.execute(sql: "BEGIN IMMEDIATE")
      defer { try? db.execute(sql: "ROLLBACK") }
      session.send(quiz.right[1])
      session.send(quiz.right[2])
      return session.finish()
    }
    #expect(result.status == 74)
    #expect(result.errors.contains("was not saved"), "\(result.errors) \(result.output)")
    #expect(result.errors.contains("locked by another process"))
    #expect(!result.output.contains("Correct."), "an unsaved answer gets no verdict: \(result.output)")
    #expect(!result.output.contains("Score"))
    #expect(try holder.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answer") } == 1)
    let finished: Date? = try attempts().first?["finishedAt"]
    #expect(finished == nil)
  }

  /// D1: a clock past what a schedule can hold is refused, and nothing is stored.
  @Test func aClockNearTheEndOfYear9999IsRefused() throws {
    let result = try tutor(["quiz", "dre-definition", "--plain", "--now", "9999-12-31T23:59:59Z"], input: "a\n")
    #expect(result.status == 64)
    #expect(result.errors.contains("--now"), "\(result.errors)")
    #expect(!result.errors.contains("Fatal error"))
  }

  /// D15: a simulated schedule past 9999 ends at 9999-12-31, never wraps to year 0000.
  @Test func simulatedDatesDoNotWrap() throws {
    let input = #"{"card": "x", "at": "9999-12-31T00:00:00Z", "rating": 4}"# + "\n"
    let result = try Binary.run(["srs", "simulate"], input: input)
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.output.contains(#""due": "9999-12-31T23:59:59Z""#), "\(result.output)")
    #expect(!result.output.contains("0000-"))
  }

  /// D23 and D28: what the learner typed is echoed safely and briefly; an overlong answer is refused unread.
  @Test func plainModeEchoesSafelyAndCapsAnswers() throws {
    let long = String(repeating: "x", count: 200_000)
    // A seed whose first question takes an option letter, so the escape sequence is echoed back as unreadable.
    let seed = try #require(
      (1...200).first { seed in
        guard let first = try? Self.quiz(seed: UInt64(seed)).run.currentQuestion else { return false }
        if case .single = first.body { return true } else { return false }
      })
    let result = try tutor(
      ["quiz", "dre-definition", "--plain", "--seed", "\(seed)"], input: "\u{1B}[31mred\u{1B}[0m\n\(long)\n")
    #expect(!result.output.contains("\u{1B}"), "no escape sequence reaches the terminal")
    #expect(result.output.contains("'^[[31mred^[[0m' is not an option letter"), "\(result.output.prefix(2000))")
    #expect(result.output.contains("an answer may be at most 1000 characters long"))
    #expect(result.output.utf8.count < 20_000, "the long line is not echoed back")
  }

  /// D23: plain lessons cite sources by author and year, as the full screen does, not by id.
  @Test func plainLessonsCiteByAuthorAndYear() throws {
    let loaded = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    let result = try tutor(["study", "1", "--plain"], input: "")
    for reference in loaded.info.references {
      #expect(!result.output.contains("[\(reference.id)]"), "raw id \(reference.id)")
    }
    #expect(result.output.contains(" 20"), "citations carry years")
  }

  /// D22: each message says its cause once, with its own command's usage or none.
  @Test func messagesSayTheirCauseOnce() throws {
    let now = try tutor(["settings", "--now", "2030-13-01T00:00:00Z"])
    #expect(now.status == 64)
    #expect(now.errors.contains("Usage: tutor settings"), "\(now.errors)")
    let emptyStore = try Binary.run(["progress", "--store", "", "--course", course])
    #expect(emptyStore.status == 64)
    #expect(emptyStore.errors.contains("--store"))
    let minutes = try tutor(["review", "--minutes", "0"])
    #expect(minutes.status == 64)
    #expect(!minutes.errors.contains("Usage: tutor <subcommand>"), "\(minutes.errors)")
    try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
    let folderStore = try tutor(["progress"])
    #expect(folderStore.status == 74)
    #expect(folderStore.errors.contains("is a folder"), "\(folderStore.errors)")
    #expect(!folderStore.errors.contains("permissions"))
    let settings = try Binary.run([
      "settings", "--course", course, "--store", folder.appendingPathComponent("s.sqlite").path,
    ])
    #expect(!settings.output.contains("(default"), "no parentheses inside parentheses: \(settings.output)")
  }

  /// D10: another program's SQLite database is refused and gets no tutor tables.
  @Test func anotherProgramsDatabaseIsNotAdopted() throws {
    try DatabaseQueue(path: store).write { try $0.execute(sql: "CREATE TABLE foo (x)") }
    let result = try tutor(["progress"])
    #expect(result.status == 74)
    #expect(result.errors.contains("not a tutor progress store"), "\(result.errors)")
    let tables = try DatabaseQueue(path: store).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master") }
    #expect(tables == ["foo"])
  }

  /// D6: processes creating one new store at the same moment all succeed.
  @Test func processesCreatingOneStoreTogetherAllSucceed() async throws {
    for round in 0..<6 {
      let path = folder.appendingPathComponent("race\(round).sqlite").path
      let statuses = await withTaskGroup(of: Int32.self) { group in
        for _ in 0..<3 {
          group.addTask {
            (try? Binary.run(["progress", "--course", Fixtures.repositoryRoot.path, "--store", path]).status) ?? -1
          }
        }
        var all: [Int32] = []
        for await status in group { all.append(status) }
        return all
      }
      #expect(statuses == [0, 0, 0], "round \(round)")
    }
  }

  /// D11: a store the learner cannot write can still be read by `tutor progress`, a writing
  /// command names the real cause, and nothing is left behind that keeps it unusable.
  @Test func aReadOnlyStoreIsReadAndLeftUsable() throws {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), let binary = Binary.url
    else {
      print("skipped: needs root and setpriv to act as another user")
      return
    }
    _ = try tutor(["quiz", "dre-definition", "--plain"], input: "a\n")
    // As the trial found it: a store closed cleanly, with no -wal or -shm beside it.
    try DatabaseQueue(path: store).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    for sidecar in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + sidecar) }
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
    try FileManager.default.setAttributes([.posixPermissions: 0o444, .ownerAccountID: 65534], ofItemAtPath: store)
    func asNobody(_ arguments: [String]) throws -> Binary.Result {
      try Binary.runProgram(
        "/usr/bin/setpriv",
        ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path] + arguments + [
          "--course", course, "--store", store,
        ],
        environment: ["TUTOR_LEARNER": "root", "XDG_CACHE_HOME": folder.path])
    }
    let progress = try asNobody(["progress"])
    guard !progress.errors.contains("Permission denied") || progress.status == 0 else {
      print("skipped: the binary is not reachable by another user here")
      return
    }
    #expect(progress.status == 0, "\(progress.errors)")
    #expect(progress.output.contains("Progress of root"))
    let quiz = try asNobody(["quiz", "dre-definition", "--plain"])
    #expect(quiz.status == 74)
    #expect(quiz.errors.contains("read-only"), "\(quiz.errors)")
    #expect(!quiz.errors.contains("folder's permissions"))
    #expect(!FileManager.default.fileExists(atPath: store + "-shm"), "no read-only -shm is left behind")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store)
    let fixed = try asNobody(["quiz", "dre-definition", "--plain"])
    #expect(fixed.status == 3, "once writable, the store works: \(fixed.errors)")
  }
}

/// A tutor process whose standard input is written line by line, waiting for what it prints.
final class Conversation {
  let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  private let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
    "tutor-stderr-\(UUID().uuidString)")
  private(set) var printed = ""

  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    guard let url = Binary.url else { throw Binary.BinaryMissing() }
    process.executableURL = url
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "dumb"
    env["TUTOR_LEARNER"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown)
    }
    process.standardInput = input
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
  }

  /// Reads output until `text` has been printed (`times` times), the output ends, or `seconds`
  /// pass (a test never hangs).
  @discardableResult
  func waitFor(_ text: String, times: Int = 1, seconds: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    let descriptor = output.fileHandleForReading.fileDescriptor
    while printed.components(separatedBy: text).count - 1 < times {
      let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      guard left > 0, poll(&poller, 1, left) > 0 else { return false }
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { return false }
      printed += String(decoding: chunk, as: UTF8.self)
    }
    return true
  }

  func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

  /// Closes the input and waits for the exit: the status, the rest of the output, standard error.
  /// A program still running after `seconds` is killed,
  /// so a program that hangs fails its test instead of holding up the whole run.
  func finish(within seconds: Double = 60) -> (status: Int32, output: String, errors: String) {
    try? input.fileHandleForWriting.close()
    let process = self.process
    let deadline = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
    defer { deadline.cancel() }
    printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let errors = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
    try? FileManager.default.removeItem(at: errorFile)
    return (process.terminationStatus, printed, errors)
  }
}
