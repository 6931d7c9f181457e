import Foundation
import Testing
import TutorCore
import TutorTestSupport

/// Runs the built `tutor` binary as a user would, in a pipe.
enum Binary {
  static let url: URL? = {
    var candidates: [URL] = []
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    candidates.append(runner.appendingPathComponent("tutor"))
    candidates.append(runner.deletingLastPathComponent().appendingPathComponent("tutor"))
    candidates.append(Fixtures.repositoryRoot.appendingPathComponent(".build/debug/tutor"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  struct BinaryMissing: Error, CustomStringConvertible {
    var description: String { "the tutor binary was not built next to the tests (run swift build first)" }
  }

  struct Result {
    var status: Int32
    var output: String
    var errors: String
  }

  static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:], in folder: URL? = nil)
    throws -> Result
  {
    guard let url else { throw Binary.BinaryMissing() }
    return try runProgram(url.path, arguments, input: input, environment: environment, in: folder)
  }

  static func runProgram(
    _ path: String, _ arguments: [String], input: String = "", environment: [String: String] = [:],
    in folder: URL? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "dumb"
    env["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-tests-cache").path
    env["TUTOR_LEARNER"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let folder { process.currentDirectoryURL = folder }
    // Standard error goes to a file: a pipe left unread fills up and blocks a talkative program.
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-stderr-\(UUID().uuidString)")
    try Data().write(to: errorFile)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let err = (try? Data(contentsOf: errorFile)) ?? Data()
    return Result(
      status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
      errors: String(decoding: err, as: UTF8.self))
  }
}

@Suite(.serialized) struct BinaryTests {
  let folder = Fixtures.temporaryFolder()
  var store: String { folder.appendingPathComponent("progress.sqlite").path }
  var course: String { Fixtures.repositoryRoot.path }

  @Test func checkPassesOnTheShippedCourseAndReportsTotals() throws {
    let result = try Binary.run(["check", course])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("OK: no errors"))
    #expect(result.output.contains("lesson(s)") && result.output.contains("glossary terms"))
  }

  @Test func checkNamesFileLineAndColumnOfABrokenFile() throws {
    let broken = folder.appendingPathComponent("course")
    for file in Fixtures.files() {
      let url = broken.appendingPathComponent(file.path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(file.contents).write(to: url)
    }
    let quiz = broken.appendingPathComponent("Quizzes/basics.yaml")
    let text = try String(contentsOf: quiz, encoding: .utf8).replacingOccurrences(
      of: "type: multiple", with: "type: multipel")
    try text.write(to: quiz, atomically: true, encoding: .utf8)

    let result = try Binary.run(["check", "."], in: broken)
    #expect(result.status == 1)
    #expect(
      result.output.contains("Quizzes/basics.yaml:16:11: error: unknown question type 'multipel'"), "\(result.output)")
    #expect(result.output.contains("1 error"))

    // The full-screen tutor refuses to start on a broken course, with the same list.
    let start = try Binary.run(["--course", broken.path, "--store", store])
    #expect(start.status != 0)
    #expect(start.errors.contains("Quizzes/basics.yaml:16:11: error: unknown question type 'multipel'"))
    #expect(!FileManager.default.fileExists(atPath: store), "a broken course must not touch the store")
  }

  static func bundledQuizRun(seed: UInt64) throws -> QuizRun {
    let course = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    return QuizRun(quiz: try #require(course.quiz(id: "dre-definition")), seed: seed)
  }

  /// The bundled first quiz with seed 1: its length and the plain lines that answer it right.
  static func firstQuiz() throws -> (count: Int, right: [String], run: QuizRun) {
    let run = try bundledQuizRun(seed: 1)
    return (run.order.count, AnswerScript(run: run, mistakes: false).plainLines, run)
  }

  @Test func aPlainQuizReadsEveryTypeAndEndsWithTheScore() throws {
    let script = AnswerScript(run: try Self.bundledQuizRun(seed: 11), mistakes: false)
    let count = try Self.bundledQuizRun(seed: 11).order.count
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--seed", "11", "--course", course, "--store", store],
      input: script.plainLines.joined(separator: "\n") + "\n")
    #expect(result.status == 0, "\(result.errors)")
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.contains("Question 1 of \(count)"))
    #expect(lines.contains { $0.hasPrefix("a) ") })
    #expect(!result.output.contains("Could not read"), "every scripted answer is readable")
    #expect(lines.last == "Score: \(count)/\(count) (100%)", "\(lines.suffix(5))")
  }

  @Test func theFirstTwoAnswersOfTheReadmeExample() throws {
    let quiz = try Self.firstQuiz()
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", store],
      input: quiz.right.prefix(2).joined(separator: "\n") + "\n")
    #expect(result.output.contains("Question 2 of \(quiz.count)"))
    #expect(
      result.output.split(separator: "\n").last == "Score so far: \(Score(points: 2, total: quiz.count).description)")
  }

  @Test func plainPracticeGivesHintsOnAQuestionMark() throws {
    let quiz = try Self.firstQuiz()
    let first = try #require(quiz.run.currentQuestion)
    let asks = String(repeating: "?\n", count: first.hints.count + 1)
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", store],
      input: asks + quiz.right[0] + "\n")
    #expect(result.output.contains("Type ? for a hint"))
    for number in 1...max(1, first.hints.count) where !first.hints.isEmpty {
      #expect(result.output.contains("Hint \(number): "))
    }
    #expect(result.output.contains("No more hints."))
    #expect(result.output.contains("Correct."))
  }

  @Test func aPlainExamSavesAnswersQuietlyAndShowsEverythingAtTheEnd() throws {
    let script = AnswerScript(run: try Self.bundledQuizRun(seed: 4), mistakes: true)
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--exam", "--seed", "4", "--course", course, "--store", store],
      input: "?\n" + script.plainLines.joined(separator: "\n") + "\n")
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.output.contains("exam: 10 min 0 s"))
    #expect(result.output.contains("No hints in an exam."))
    #expect(!result.output.contains("Correct."), "no feedback until the end")
    #expect(result.output.contains("Answer saved."))
    #expect(result.output.contains("Results:"))
    #expect(result.output.contains("   Right answer: "))
    #expect(result.output.split(separator: "\n").last?.hasPrefix("Score: ") == true)
  }

  @Test func plainConfidenceIsAskedAfterEachAnswer() throws {
    let quiz = try Self.firstQuiz()
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--confidence", "--seed", "1", "--course", course, "--store", store],
      input: quiz.right[0] + "\nmaybe\n1\n")
    #expect(result.output.contains("How sure were you? 1 sure, 2 unsure, 3 guessing:"))
    #expect(result.output.contains("Could not read that: answer 1, 2 or 3:"))
    #expect(result.output.contains("Correct."))
  }

  @Test func unreadableAnswersAreAskedAgainNotGraded() throws {
    let quiz = try Self.firstQuiz()
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", store],
      input: "\n" + quiz.right[0] + "\n")
    #expect(result.output.contains("Could not read that answer: empty answer. Try again:"))
    #expect(result.output.contains("Correct."))
  }

  @Test func endOfInputMidQuizSavesTheAnswersAndExitsNonZero() throws {
    let quiz = try Self.firstQuiz()
    let first = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", store],
      input: quiz.right.prefix(2).joined(separator: "\n") + "\n")
    #expect(first.status != 0)
    #expect(first.errors.contains("End of input after 2 of \(quiz.count) questions. Your answers are saved"))
    #expect(
      first.output.split(separator: "\n").last == "Score so far: \(Score(points: 2, total: quiz.count).description)")
    let second = try Binary.run(["quiz", "dre-definition", "--plain", "--course", course, "--store", store], input: "")
    #expect(second.output.contains("Resuming your unfinished attempt: 2 of \(quiz.count) answered"))
    #expect(second.output.contains("Question 3 of \(quiz.count)"))
  }

  static func lessonInput(_ id: String, firstWrong: Bool = false) throws -> String {
    let course = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    let lesson = try #require(course.lesson(id: id))
    return AnswerScript.lessonLines(lesson, course: course, firstWrong: firstWrong).joined(separator: "\n") + "\n"
  }

  static func bundledLesson(_ id: String) throws -> (Lesson, Course) {
    let course = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    return (try #require(course.lesson(id: id)), course)
  }

  @Test func aPlainLessonPrintsStepsAndAsksItsCheckpoints() throws {
    let result = try Binary.run(
      ["study", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", store],
      input: try Self.lessonInput("dre-definition", firstWrong: true))
    #expect(result.output.contains("(step 2 of "))
    #expect(result.output.contains("Incorrect. Try again:"))
    #expect(result.output.contains("Lesson complete."))
    #expect(result.status == 0, "\(result.errors)")
    let overview = try Binary.run(["--plain", "--course", course, "--store", store])
    #expect(overview.output.contains("What makes epilepsy drug-resistant? [dre-definition] - complete"))
    // Continue, as on the home screen: after a complete lesson, its quiz comes next.
    #expect(
      overview.output.contains("Next: What makes epilepsy drug-resistant? - tutor quiz dre-definition --plain"),
      "\(overview.output)")
  }

  /// Plain mode predicts a chain link by link, as the full screen does, and says why a pick is wrong.
  @Test func aPlainLessonPredictsItsChains() throws {
    let bundled = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    let lesson = try #require(
      bundled.lessons.first { lesson in
        lesson.steps.flatMap(\.blocks).contains { if case .chain(let chain) = $0 { chain.predict } else { false } }
      })
    let input = AnswerScript.lessonLines(lesson, course: bundled, predictionWrong: true).joined(separator: "\n") + "\n"
    let result = try Binary.run(
      ["study", lesson.id, "--plain", "--seed", "1", "--course", course, "--store", store], input: input)
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.output.contains("What comes next? Answer with a letter:"))
    #expect(result.output.contains("✗ Not quite."))
    #expect(result.output.contains("✓ You predicted this link."))
    #expect(result.output.contains("Lesson complete."))
    // Each prediction was recorded and scored on its first try: the first was wrong.
    let chain = try #require(lesson.steps.compactMap(\.chain).first { $0.predict })
    #expect(
      result.output.contains(
        "Chain complete: you predicted \(chain.steps.count - 2) of \(chain.steps.count - 1) links on the first try."))
    let progress = try Binary.run(["progress", "--course", course, "--store", store])
    #expect(progress.output.contains("chain links predicted"), "\(progress.output)")
  }

  @Test func aCorruptStoreIsNamedAndLeftAlone() throws {
    let bytes = Data("not a database".utf8)
    #expect(FileManager.default.createFile(atPath: store, contents: bytes))
    let result = try Binary.run(
      ["quiz", "dre-definition", "--plain", "--course", course, "--store", store], input: "a\n")
    #expect(result.status != 0)
    #expect(result.errors.contains("The progress store at \(store) is damaged or is not a tutor database"))
    #expect(FileManager.default.contents(atPath: store) == bytes)
  }

  /// Acceptance: answer today, come back tomorrow (--now), find the items due, review them,
  /// and see them rescheduled further out.
  @Test func answersComeBackForReviewTheNextDay() throws {
    let today = "2030-03-01T09:00:00Z"
    let (lesson, bundled) = try Self.bundledLesson("dre-definition")
    let checkpoints = lesson.checkpoints.count
    let study = try Binary.run(
      ["study", "dre-definition", "--plain", "--seed", "1", "--now", today, "--course", course, "--store", store],
      input: try Self.lessonInput("dre-definition"))
    #expect(study.output.contains("Lesson complete."), "\(study.errors)")
    let empty = try Binary.run(["review", "--plain", "--now", today, "--course", course, "--store", store])
    #expect(
      empty.output.contains("Nothing is due for review. The next item is due in 10 minutes (2030-03-01)."),
      "\(empty.output)")
    #expect(!empty.output.contains("Score"), "nothing was reviewed, so there is no score")
    let settings = try Binary.run(["settings", "--now", "2030-03-02T09:00:00Z", "--course", course, "--store", store])
    #expect(
      settings.output.contains("\(checkpoints) questions scheduled, \(checkpoints) due now"), "\(settings.output)")
    let answers = AnswerScript.lines(for: lesson.checkpoints.compactMap { bundled.questionsByID[$0.questionID] })
    let review = try Binary.run(
      ["review", "--plain", "--now", "2030-03-02T09:00:30Z", "--seed", "1", "--course", course, "--store", store],
      input: answers.joined(separator: "\n") + "\n")
    #expect(review.output.contains("Review: \(checkpoints) questions."))
    #expect(review.output.contains("Next review: in "), "\(review.output)")
    #expect(review.output.contains("(2030-03-"), "\(review.output)")
    #expect(!review.output.contains("Z\n"), "no machine timestamps in what a learner reads")
    #expect(review.output.split(separator: "\n").last?.hasPrefix("Score: ") == true)
    let after = try Binary.run(["settings", "--now", "2030-03-02T09:05:00Z", "--course", course, "--store", store])
    let dueAfter = try #require(after.output.firstMatch(of: /(\d+) questions scheduled, (\d+) due now/))
    #expect(Int(dueAfter.1) == checkpoints)
    #expect(Int(dueAfter.2)! < checkpoints, "reviewed items move out: \(after.output)")
  }

  @Test func progressReportsLessonsQuizzesReviewAndMisconceptions() throws {
    let input = try Self.lessonInput("dre-definition", firstWrong: true)
    let (lesson, bundled) = try Self.bundledLesson("dre-definition")
    let wrong = try #require(AnswerScript.firstWrongCheckpoint(lesson, course: bundled))
    _ = try Binary.run(
      ["study", "dre-definition", "--plain", "--seed", "1", "--course", course, "--store", store], input: input)
    let result = try Binary.run(["progress", "--learner", "ana", "--course", course, "--store", store])
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.output.contains("Progress of ana"))
    _ = try Binary.run(
      ["study", "dre-definition", "--plain", "--seed", "1", "--learner", "ana", "--course", course, "--store", store],
      input: input)
    let ana = try Binary.run(["progress", "--learner", "ana", "--course", course, "--store", store])
    #expect(ana.output.contains("  ✓ 1. What makes epilepsy drug-resistant?: complete"), "\(ana.output)")
    #expect(ana.output.contains("\(lesson.checkpoints.count) questions scheduled"))
    #expect(ana.output.contains("Misconceptions picked:"))
    #expect(
      ana.output.contains("1× \"\(wrong.text)\"")
        || wrong.question.choices.first { $0.text == wrong.text }?.feedback == nil, "\(ana.output)")
  }

  @Test func cramNeedsALessonOrConcept() throws {
    let bad = try Binary.run(["review", "--cram", "nonsense", "--plain", "--course", course, "--store", store])
    #expect(bad.status != 0)
    #expect(bad.errors.contains("Nothing to cram for 'nonsense'"))
    let cram = try Binary.run(
      ["review", "--cram", "rule-of-three", "--plain", "--course", course, "--store", store], input: "")
    #expect(cram.output.contains("Cram: "))
  }

  @Test func settingsRefuseValuesOutOfRange() throws {
    let bad = try Binary.run(["settings", "retention", "0.5", "--course", course, "--store", store])
    #expect(bad.status != 0)
    #expect(bad.errors.contains("retention must be a number from 0.7 to 0.97"))
    let good = try Binary.run(["settings", "retention", "0.85", "--course", course, "--store", store])
    #expect(good.output == "retention = 0.85\n")
  }

  /// The full-screen tutor starts and quits cleanly in a pseudo-terminal, on every entry point.
  @Test(arguments: [
    ["home"], ["study", "dre-definition"], ["quiz", "dre-definition"], ["review"],
    ["review", "--cram", "dre-definition"],
  ])
  func theFullScreenTutorStartsAndQuits(arguments: [String]) throws {
    // These are the only runs of the real ncurses path: they fail, never pass, when they cannot run.
    try #require(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
      "script(1) gives the tutor a pseudo-terminal: install bsdutils (.ci/run does)")
    guard let binary = Binary.url else { throw Binary.BinaryMissing() }
    let command = ([binary.path] + arguments + ["--course", course, "--store", store]).map { "'\($0)'" }.joined(
      separator: " ")
    let result = try Binary.runProgram(
      "/usr/bin/script", ["-qec", command, "/dev/null"], input: "qqq", environment: ["TERM": "xterm-256color"])
    #expect(result.status == 0, "\(arguments): \(result.output.suffix(300))")
    #expect(!result.output.contains("Fatal error"))
  }

  @Test func versionAndHelp() throws {
    #expect(try Binary.run(["--version"]).output == "0.1.0\n")
    let help = try Binary.run(["quiz", "--help"])
    #expect(help.output.contains("--seed"))
  }

  /// `swift package plugin generate-manual` (the README's man page) runs every executable of the
  /// package with --experimental-dump-help and stops at the first that fails.
  @Test(arguments: ["tutor", "tutor-bench"])
  func everyExecutableDescribesItsCommandLineForTheManPage(name: String) throws {
    let folder = try #require(Binary.url).deletingLastPathComponent()
    let result = try Binary.runProgram(folder.appendingPathComponent(name).path, ["--experimental-dump-help"])
    #expect(result.status == 0, "\(result.output)\(result.errors)")
    #expect(result.output.contains("\"commandName\" : \"\(name)\""))
  }

  /// A process killed in the middle of writing loses no answer whose commit it had reported.
  @Test func killingTheProcessMidWriteLosesNoCommittedAnswer() throws {
    let process = Process()
    guard let url = Binary.url else { throw Binary.BinaryMissing() }
    process.executableURL = url
    process.arguments = ["store-stress", "--store", store, "--count", "1000000"]
    let stdout = Pipe()
    process.standardOutput = stdout
    try process.run()
    var reported: [Int64] = []
    var buffer = Data()
    while reported.count < 300 {
      let chunk = stdout.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      buffer.append(chunk)
      while let newline = buffer.firstIndex(of: 10) {
        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...newline)
        if let id = Int64(line) { reported.append(id) }
      }
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(reported.count >= 300)

    let check = try Binary.run(["store-stress", "--store", store, "--count", "0"])
    #expect(check.status == 0, "the store opens cleanly after the kill: \(check.errors)")
    let ids = try storedAnswerIDs()
    #expect(Set(reported).isSubset(of: Set(ids)), "every reported answer must be in the store")
  }

  /// Two processes on one store (two terminals of one learner) write at the same time: each
  /// waits its turn for SQLite's write lock, and every answer either reports is kept.
  @Test func twoProcessesWritingToOneStoreAtOnceKeepEveryAnswer() throws {
    _ = try Binary.run(["store-stress", "--store", store, "--count", "0"])
    guard let url = Binary.url else { throw Binary.BinaryMissing() }
    let writers = (0..<2).map { _ in
      let process = Process()
      process.executableURL = url
      process.arguments = ["store-stress", "--store", store, "--count", "400"]
      process.standardOutput = Pipe()
      process.standardError = Pipe()
      return process
    }
    for writer in writers { try writer.run() }
    var reported: [Int64] = []
    for writer in writers {
      let output = (writer.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
      let errors = (writer.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
      writer.waitUntilExit()
      #expect(writer.terminationStatus == 0, "\(String(decoding: errors, as: UTF8.self))")
      reported += String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { Int64($0) }
    }
    #expect(reported.count == 800)
    #expect(Set(try storedAnswerIDs()) == Set(reported), "both processes' answers, each once")
  }

  func storedAnswerIDs() throws -> [Int64] {
    try TutorStoreReader.answerIDs(path: store)
  }
}
