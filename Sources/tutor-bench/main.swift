// Performance figures for the tutor (run a release build: swift run -c release tutor-bench).
// Speed is measured here, never asserted in a test.
import ArgumentParser
import Foundation
import TerminalUI
import TutorApp
import TutorCLI
import TutorCore
import TutorStore

func median(_ samples: [Duration]) -> Duration { samples.sorted()[samples.count / 2] }
func percentile(_ samples: [Duration], _ p: Double) -> Duration {
  let sorted = samples.sorted()
  return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
func ms(_ d: Duration) -> String {
  let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
  return String(format: "%.3f ms", value)
}
func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> [Duration] {
  let clock = ContinuousClock()
  return try (0..<runs).map { _ in try clock.measure(body) }
}

/// `tutor-bench [DIR]`. A command of its own (not a bare script) so that it answers --help and
/// --experimental-dump-help: `swift package plugin generate-manual` runs every executable with it.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tutor-bench",
    abstract: "Performance figures: course parsing, rendering, the progress store, FSRS and the review queue.",
    discussion: """
      Run a release build: swift run -c release tutor-bench "$PWD". Speed is measured here, never asserted \
      in a test. Set KEEP_BENCH_STORE to keep the store of 100,000 scheduled items it builds.
      """)

  @Argument(help: ArgumentHelp("The course folder. Default: the current folder.", valueName: "dir"))
  var course: String?

  @Option(help: "Only the classroom load: this many simulated students answering at once on loopback.")
  var classStudents: Int?

  @Option(help: "With --class-students: idle students connected while the host's CPU is measured.")
  var idleStudents = 60

  @Option(help: "With --class-students: threads of the load generator (the host runs on one of its own).")
  var generatorThreads = 1

  @Option(help: "Only read, parse and check the course this many times (for a profiler such as callgrind).")
  var loadOnly: Int?

  @Option(help: ArgumentHelp("Only write a learner's history of --answers answers into this store.", valueName: "path"))
  var makeStore: String?

  @Option(help: "With --make-store: how many answers.")
  var answers = 300

  @Option(help: "With --make-store: write the history in bulk over this many scheduled questions (a heavy learner).")
  var items: Int?

  @Option(
    help: ArgumentHelp("Only time the progress review, an export and an import on this store.", valueName: "path"))
  var progressStore: String?

  @Option(
    help: ArgumentHelp(
      "Only the start-up figures of this release tutor: --version, progress, the home screen's first paint, beside gtypist.",
      valueName: "path"))
  var startUp: String?

  @Option(help: "With --start-up: rounds of the commands (the first paints take a fifth as many).")
  var rounds = 100

  @Option(
    help: ArgumentHelp(
      "With --start-up: another store to time `tutor progress` and the home screen on.", valueName: "path"))
  var store: [String] = []

  @Option(
    help: ArgumentHelp(
      "Only the school store: report, answer commits and 30 learners at once, on this empty PostgreSQL database.",
      valueName: "url"))
  var school: String?

  @Option(help: .hidden) var schoolAnswerer: String?
  @Option(help: .hidden) var startAt: Double = 0
  @Option(help: .hidden) var pace: Double = 0

  @Option(help: "With --make-store: the learner's name (the tutor's default is the OS user name).")
  var learner = ProcessInfo.processInfo.environment["USER"] ?? "learner"

  func run() throws {
    let root = URL(fileURLWithPath: course ?? FileManager.default.currentDirectoryPath)
    if let makeStore {
      guard let course = CourseFiles.load(root).course else { throw ExitCode.failure }
      if let items {
        try writeHeavyHistory(course: course, path: makeStore, learnerName: learner, answers: answers, items: items)
      } else {
        try writeLearnerHistory(course: course, path: makeStore, learnerName: learner, answers: answers)
      }
      return
    }
    if let progressStore {
      guard let course = CourseFiles.load(root).course else { throw ExitCode.failure }
      try progressBenchmark(course: course, path: progressStore, learnerName: learner)
      return
    }
    if let startUp {
      guard let course = CourseFiles.load(root).course else { throw ExitCode.failure }
      try startUpBenchmark(
        course: course, root: root, tutor: startUp, rounds: rounds, paintRounds: max(1, rounds / 5), extraStores: store)
      return
    }
    if let address = school ?? schoolAnswerer {
      guard let course = CourseFiles.load(root).course else { throw ExitCode.failure }
      if school != nil {
        try schoolBenchmark(course: course, address: address, root: root)
      } else {
        try answerAsOneLearner(
          course: course, address: address, learnerName: learner, answers: answers, startAt: startAt, pace: pace)
      }
      return
    }
    if let loadOnly {
      let (loads, course) = timeLoads(root, runs: loadOnly)
      guard loadOnly == 0 || course != nil else { throw ExitCode.failure }
      if !loads.isEmpty { print(loadFigures(loads)) }
      return
    }
    if let classStudents {
      guard let quiz = CourseFiles.load(root).course?.quizzes.first else { throw ExitCode.failure }
      try classBenchmark(quiz: quiz, students: classStudents, idle: idleStudents, generatorThreads: generatorThreads)
      return
    }
    try benchmark(root)
  }
}

/// Times `runs` loads of the course by the tutor's own path (`CourseFiles.load`), and gives
/// the first load's course if every load had one. Each course is kept until the timing ends: the
/// tutor keeps its course until it exits, and never waits for it to be freed. The first load is
/// this process's first, and pays for its first threads and pages, as in `tutor check`.
func timeLoads(_ root: URL, runs: Int) -> (times: [Duration], course: Course?) {
  var loaded: [CourseLoadResult] = []
  let times = measure(runs) { loaded.append(CourseFiles.load(root)) }
  return (times, loaded.allSatisfy { $0.course != nil } ? loaded.first?.course : nil)
}

func loadFigures(_ loads: [Duration]) -> String {
  "course read+parse+check: first \(ms(loads[0])), median \(ms(median(loads))), p90 \(ms(percentile(loads, 0.9)))"
}

func benchmark(_ root: URL) throws {
  let (load, loadedCourse) = timeLoads(root, runs: 50)
  guard let course = loadedCourse else {
    print("no valid course at \(root.path); pass the repository folder as the first argument")
    throw ExitCode.failure
  }
  let files = CourseFiles.read(root)
  print(loadFigures(load) + " (\(files.count) files)")

  let state = AppState(course: course, progress: LearnerProgress(), size: Size(width: 80, height: 24), seed: 1)
  let home = measure(500) { _ = App.render(state) }
  print("home screen render 80x24: median \(ms(median(home)))")

  var lessonState = state
  _ = App.open(.lesson(id: course.lessons[0].id), in: &lessonState)
  let lesson = measure(500) { _ = App.render(lessonState) }
  print("lesson step render 80x24: median \(ms(median(lesson)))")

  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-\(getpid())")
  let store = try SQLiteProgressStore(path: folder.appendingPathComponent("progress.sqlite").path)
  let learner = try store.learnerID(named: "bench", at: Date())
  var index = 0
  let answers = try measure(2000) {
    index += 1
    try store.record(
      AnswerRecord(
        questionID: "q-\(index % 50)", questionVersion: 1, context: .checkpoint(lesson: "bench"), response: "a",
        grade: Grade(score: 1, chosenChoiceIDs: ["a"])), learner: learner, at: Date())
  }
  print(
    "record one answer (committed transaction, WAL): median \(ms(median(answers))), p90 \(ms(percentile(answers, 0.9))), n=2000"
  )
  let reads = try measure(200) { _ = try store.progress(learner: learner) }
  print("read learner progress (2000 answers): median \(ms(median(reads)))")
  try? FileManager.default.removeItem(at: folder)
  for file in files {
    let single = measure(30) { _ = CourseLoader.load([file]) }
    print("  parse \(file.path) (\(file.contents.count / 1024) KiB): median \(ms(median(single)))")
  }

  let reopenFolder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-open-\(getpid())")
  let reopenPath = reopenFolder.appendingPathComponent("progress.sqlite").path
  _ = try SQLiteProgressStore(path: reopenPath).learnerID(named: "bench", at: Date())
  let opens = try measure(30) {
    let store = try SQLiteProgressStore(path: reopenPath)
    let id = try store.learnerID(named: "bench", at: Date())
    _ = try store.progress(learner: id)
  }
  print("open an existing store, find the learner, read progress: median \(ms(median(opens)))")
  try? FileManager.default.removeItem(at: reopenFolder)

  // MARK: - FSRS

  let scheduler = FSRS.Scheduler()
  var card = FSRS.Card(due: Date(timeIntervalSince1970: 1_700_000_000))
  var instant = card.due
  var ratingGenerator = SeededGenerator(seed: 9)
  let steps = 1_000_000
  let clock = ContinuousClock()
  let scheduling = clock.measure {
    for _ in 0..<steps {
      let rating = FSRS.Rating(rawValue: Int(ratingGenerator.next() % 4) + 1)!
      card = scheduler.review(card, rating: rating, at: instant)
      instant = card.due.addingTimeInterval(3600)
      if card.stability! > 10_000 { card = FSRS.Card(due: instant) }
    }
  }
  print(
    "one FSRS scheduling step: \(String(format: "%.3f", Double(scheduling.components.attoseconds) / 1e12 / Double(steps) + Double(scheduling.components.seconds) * 1e6 / Double(steps))) µs (mean of \(steps))"
  )

  var lines: [String] = []
  var gapGenerator = SeededGenerator(seed: 3)
  var clocks: [Int: Int] = [:]
  for index in 0..<100_000 {
    let cardNumber = index % 2_000
    let gap = Int(gapGenerator.next() % 400_000) + 60
    let at = (clocks[cardNumber] ?? 1_700_000_000) + gap
    clocks[cardNumber] = at
    lines.append(
      "{\"card\": \"c\(cardNumber)\", \"at\": \"\(Timestamp.format(Date(timeIntervalSince1970: Double(at))))\", \"rating\": \(gapGenerator.next() % 4 + 1)}"
    )
  }
  let history = lines.joined(separator: "\n")
  let simulate = measure(5) { _ = ReviewLog.simulate(history) }
  print("srs simulate, 100,000 reviews in memory: median \(ms(median(simulate)))")
  try history.write(
    toFile: FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-100k.jsonl").path,
    atomically: true, encoding: .utf8)

  let queueFolder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-queue-\(getpid())")
  let queueStore = try SQLiteProgressStore(path: queueFolder.appendingPathComponent("p.sqlite").path)
  let queueLearner = try queueStore.learnerID(named: "bench", at: Date())
  let base = Date(timeIntervalSince1970: 1_800_000_000)
  var items: [(questionID: String, card: FSRS.Card)] = []
  for index in 0..<100_000 {
    let due = base.addingTimeInterval(Double(index % 60) * 86400 - 30 * 86400 + Double(index % 997))
    items.append(
      (
        "q-\(index)",
        FSRS.Card(
          state: .review, step: nil, stability: 10, difficulty: 5, lastReview: due.addingTimeInterval(-864000), due: due
        )
      ))
  }
  try queueStore.importSchedules(items, learner: queueLearner)
  let queueTimes = try measure(20) { _ = try queueStore.reviewQueue(learner: queueLearner, now: base) }
  let queue = try queueStore.reviewQueue(learner: queueLearner, now: base)
  print(
    "review queue among 100,000 scheduled items (default limits: \(queue.due.count) of \(queue.forecast[0]) due taken; 14-day forecast; leeches): median \(ms(median(queueTimes)))"
  )
  _ = try queueStore.setSetting("reviews-per-day", to: "100000", learner: queueLearner)
  let allTimes = try measure(10) { _ = try queueStore.reviewQueue(learner: queueLearner, now: base) }
  print(
    "review queue with no daily limit (all \(try queueStore.reviewQueue(learner: queueLearner, now: base).due.count) due items listed): median \(ms(median(allTimes)))"
  )
  let countTimes = try measure(20) { _ = try queueStore.dueCount(learner: queueLearner, now: base) }
  print("due count among 100,000 scheduled items: median \(ms(median(countTimes)))")
  if ProcessInfo.processInfo.environment["KEEP_BENCH_STORE"] == nil {
    try? FileManager.default.removeItem(at: queueFolder)
  } else {
    print("kept \(queueFolder.path)")
  }
}

// As the tutor does for the commands that load the course, so that the first load is timed as theirs.
CourseFiles.startWorkerThread()
Bench.main()
