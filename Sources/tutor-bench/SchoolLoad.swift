import Foundation
import Histogram
import TutorCore
import TutorSchoolStore
import TutorStore

/// `tutor-bench --school URL`, on an empty database of a PostgreSQL server: `tutor report --all`
/// over a class of 30 with 100,000 answers, one learner's answer commits, and 30 learners
/// answering at once from processes of their own (every answer must land).
func schoolBenchmark(course: Course, address: String, root: URL) throws {
  let server = try PostgresAddress.parse(address)
  let password = PostgresPassword.find(for: server, environment: ProcessInfo.processInfo.environment).password
  let store = try SchoolStore.open(server, password: password)
  defer { store.close() }
  guard try store.learnerNames().isEmpty else {
    print("the database at \(server) already holds learners; give an empty one")
    throw SchoolBenchFailure()
  }

  // A class of 30 with 100,000 answers, written to a SQLite file and brought over as bundles.
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-school-\(getpid())")
  defer { try? FileManager.default.removeItem(at: folder) }
  let file = try SQLiteProgressStore(path: folder.appendingPathComponent("class.sqlite").path)
  let stamp = ProgressBundle.CourseStamp(
    id: course.info.id, title: course.info.title, questions: course.questionsByID.mapValues(\.version))
  let clock = ContinuousClock()
  var loading = Duration.zero
  for index in 0..<30 {
    let name = "student\(index + 1)"
    try writeLearnerHistory(
      course: course, store: file, learnerName: name, answers: 100_000 / 30 + (index < 100_000 % 30 ? 1 : 0),
      seed: UInt64(index + 1))
    let bundle = try file.bundle(
      learner: try file.learnerID(named: name, at: Date()), name: name, course: stamp, tutor: "bench", at: Date())
    loading += try clock.measure {
      _ = try store.merge(bundle, learner: try store.learnerID(named: name, at: Date()))
    }
  }
  let stored = try requireCount(store)
  print("class of 30 imported into the server: \(stored) answers in \(ms(loading)) (one answer a statement)")
  // What autovacuum does after so many rows, before anyone reads them.
  try store.write { try $0.execute("ANALYZE", []) }
  let tutor = CommandLine.arguments[0].replacingOccurrences(of: "tutor-bench", with: "tutor")
  let reports = try (0..<5).map { _ in
    try clock.measure {
      let run = try runProgram(tutor, ["report", "--all", "--store", address, "--course", root.path])
      if run.status != 0 || !run.output.contains("(30 students)") { throw SchoolBenchFailure() }
    }
  }
  print("tutor report --all (30 students, \(stored) answers): median \(ms(median(reports))) of 5 runs")

  // One learner's answers, each committed in its own transaction (a review answer that moves a schedule).
  let questions = course.quizzes.flatMap(\.questions)
  var one = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
  let learner = try store.learnerID(named: "commit-bench", at: Date())
  for index in 0..<1000 {
    let question = questions[index % questions.count]
    let micros = try clock.measure {
      try store.record(reviewAnswer(question, right: index % 4 != 0), learner: learner, at: Date())
    }.microseconds
    _ = one.record(micros)
  }
  print("answer commit, one learner on loopback: \(summary(one)), n=1000")

  // 30 processes, each a learner: first the class answering each question together (every
  // answer of a question at one instant, a question every quarter second), then each answering
  // as fast as it can (the server's throughput).
  for (label, answers, pace) in [("each question together", 20, 0.25), ("each as fast as it can", 100, 0.0)] {
    let start = Date().addingTimeInterval(2)
    let answerers = try (0..<30).map { index in
      try startProgram(
        CommandLine.arguments[0],
        [
          "--school-answerer", address, "--learner", "answerer\(index + 1)", "--answers", String(answers),
          "--start-at", String(start.timeIntervalSince1970), "--pace", String(pace), root.path,
        ])
    }
    var many = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var firsts = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    for answerer in answerers {
      let output = answerer.finish()
      let times = output.split(separator: "\n").compactMap { UInt64($0) }
      for micros in times { _ = many.record(micros) }
      if let first = times.first { _ = firsts.record(first) }
    }
    var landed = 0
    for index in 0..<30 {
      guard let id = try store.existingLearnerID(named: "answerer\(index + 1)") else { continue }
      landed += try store.answerCount(learner: id)
      if pace > 0 { try store.reset(.all, learner: id) }
    }
    print(
      "30 learners at once, \(label) (separate processes): \(summary(many)), n=\(many.totalCount); "
        + "\(landed) of \(30 * answers) answers in the database; each learner's first answer: \(summary(firsts))")
  }
}

/// `--school-answerer URL`: one learner's answers, each commit's time printed in microseconds.
func answerAsOneLearner(
  course: Course, address: String, learnerName: String, answers: Int, startAt: Double, pace: Double
) throws {
  let server = try PostgresAddress.parse(address)
  let password = PostgresPassword.find(for: server, environment: ProcessInfo.processInfo.environment).password
  let store = try SchoolStore.open(server, password: password)
  defer { store.close() }
  let learner = try store.learnerID(named: learnerName, at: Date())
  // What the tutor does before the first answer: reads the progress, and while the first
  // screen is read, readies the connection.
  _ = try store.progress(learner: learner)
  store.warmUp(learner: learner, at: Date())
  let questions = course.quizzes.flatMap(\.questions)
  let clock = ContinuousClock()
  var lines: [String] = []
  for index in 0..<answers {
    // Paced: answer `index` at its own instant, the same for every learner.
    let wait = startAt + pace * Double(index) - Date().timeIntervalSince1970
    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    let question = questions[(index * 7 + learnerName.count) % questions.count]
    let elapsed = try clock.measure {
      try store.record(reviewAnswer(question, right: index % 4 != 0), learner: learner, at: Date())
    }
    lines.append(String(elapsed.microseconds))
  }
  // Paced: stay until the class's last answers have landed (a learner who leaves, closing the
  // process and its server connection, is not part of an answer's time).
  let leave = startAt + pace * Double(answers) - Date().timeIntervalSince1970
  if pace > 0, leave > 0 { Thread.sleep(forTimeInterval: leave) }
  print(lines.joined(separator: "\n"))
}

struct SchoolBenchFailure: Error {}

/// As the tutor's review records an answer.
private func reviewAnswer(_ question: Question, right: Bool) -> AnswerRecord {
  AnswerRecord.make(
    question: question, response: .choices([right ? "a" : "b"]),
    grade: right ? Grade(score: 1, chosenChoiceIDs: ["a"]) : Grade(score: 0, chosenChoiceIDs: ["b"]), context: .review,
    mode: .review, seconds: 6.5)
}

private func summary(_ histogram: Histogram<UInt64>) -> String {
  func milliseconds(_ p: Double) -> String { String(format: "%.2f ms", Double(histogram.valueAtPercentile(p)) / 1000) }
  return "median \(milliseconds(50)), p90 \(milliseconds(90)), p99 \(milliseconds(99)), max "
    + String(format: "%.2f ms", Double(histogram.max) / 1000)
}

private func requireCount(_ store: SchoolStore) throws -> Int {
  try store.learnerNames().reduce(0) { total, name in
    guard let id = try store.existingLearnerID(named: name) else { return total }
    return total + (try store.answerCount(learner: id))
  }
}

extension Duration {
  var microseconds: UInt64 {
    UInt64(max(0, components.seconds)) * 1_000_000 + UInt64(max(0, components.attoseconds)) / 1_000_000_000_000
  }
}

/// A program started with its output to read at the end.
struct StartedProgram {
  let process: Process
  let output: Pipe

  func finish() -> String {
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}

func startProgram(_ path: String, _ arguments: [String]) throws -> StartedProgram {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  return StartedProgram(process: process, output: output)
}

func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
  let started = try startProgram(path, arguments)
  let output = started.finish()
  return (started.process.terminationStatus, output)
}
