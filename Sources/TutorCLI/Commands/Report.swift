import ArgumentParser
import Foundation
import TutorCore
import TutorStore

/// `tutor report BUNDLE...`: a teacher's table over many students' bundles.
struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "A teacher's report over students' progress bundles, or a whole store: a table, CSV or an HTML page.",
    discussion: """
      Each student hands in `tutor progress export FILE`; or, with --all, the report reads every \
      learner of the store straight from it (a school's PostgreSQL store: --store postgresql://...). \
      The report prints a row per student \\
      (lessons completed, quizzes taken, mean best score, concepts mastered and weak, questions \\
      due, answers, the last day studied), each quiz's scores, the weakest concepts across the \\
      class, the most common misconceptions and the most-missed questions. --csv prints a row per \\
      student with each quiz's best and each concept's mastery; --html FILE writes one \\
      self-contained page with charts (nothing loaded from the network) that prints cleanly.
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: ArgumentHelp("Students' progress bundles.", valueName: "bundle"))
  var bundles: [String] = []

  @Flag(help: "Report on every learner in the store (--store) instead of bundles.")
  var all = false

  @Flag(help: "Print a row per student as CSV (RFC 4180, UTF-8).")
  var csv = false

  @Option(help: ArgumentHelp("Write the report as one HTML page to this file.", valueName: "file"))
  var html: String?

  func validate() throws {
    if bundles.isEmpty && !all {
      throw ValidationError(
        "Give at least one progress bundle (tutor progress export FILE), or --all for the whole store.")
    }
    if all && !bundles.isEmpty { throw ValidationError("--all reads the store; give no bundles with it.") }
  }

  func run() throws {
    let run = options.run
    let folder = try run.courseFolder()
    let course = try Session.validCourse(CourseFiles.load(folder), folder: folder)
    let now = try run.clock()()
    var students: [CohortReport.Student] = []
    var refused = 0
    if all { students = try Self.everyLearner(run, course: course, now: now) }
    for file in bundles {
      guard let data = FileManager.default.contents(atPath: file) else {
        Diagnostics.printError("Skipped \(file): it cannot be read.")
        refused += 1
        continue
      }
      switch ProgressBundle.read(data) {
      case .failure(let problem):
        Diagnostics.printError("Skipped \(file): \(problem).")
        refused += 1
      case .success(let bundle) where bundle.course.id != course.info.id:
        Diagnostics.printError(
          "Skipped \(file): \(ProgressBundle.Problem.otherCourse(bundle: bundle.course.id, course: course.info.id)).")
        refused += 1
      case .success(let bundle):
        do {
          students.append(try Self.student(bundle, course: course, now: now))
        } catch {
          Diagnostics.printError("Skipped \(file): \(error)")
          refused += 1
        }
      }
    }
    guard !students.isEmpty else {
      throw Diagnostics.refuse(
        all ? "the store holds no learner yet." : "no bundle could be read, so there is no report.")
    }
    let report = CohortReport(course: course, students: students)
    if let html {
      do {
        try ReportPage.html(
          report,
          generatedAt: String(Timestamp.format(now).prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
        ).write(
          toFile: html, atomically: true, encoding: .utf8)
      } catch {
        throw Diagnostics.refuse("cannot write \(html): \(error.localizedDescription)")
      }
      Diagnostics.printError("Wrote the report on \(students.count) students to \(html).")
    } else if csv {
      print(try CSVText.render(report.csvRows), terminator: "")
    } else {
      report.lines.forEach { print($0) }
    }
    if refused > 0 { throw ExitCode(1) }
  }

  /// Every learner of the store, read in place (each in one read), by name. A few connections
  /// read learners side by side: on a server, each read waits mostly on the network.
  static func everyLearner(_ run: RunOptions, course: Course, now: Date) throws -> [CohortReport.Student] {
    guard let first = try Session.openStore(run, readOnly: true) as? any SQLProgressStore else { return [] }
    let questions = Array(course.questionsByID.keys)
    let names: [String]
    do {
      names = try first.learnerNames()
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
    let workers = min(4, max(1, names.count / 4))
    var stores: [any SQLProgressStore] = [first]
    for _ in 1..<workers {
      guard let store = try Session.openStore(run, readOnly: true) as? any SQLProgressStore else { return [] }
      stores.append(store)
    }
    let results = LearnerResults(count: names.count)
    let opened = stores
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let store = opened[worker]
      for index in stride(from: worker, to: names.count, by: workers) {
        results.set(index) {
          guard let learner = try store.existingLearnerID(named: names[index]) else { return nil }
          let review = try store.progressReview(learner: learner, now: now, questions: { questions })
          return CohortReport.Student(
            name: names[index], report: ProgressReport(course: course, review: review), stats: review.stats,
            lastStudied: review.history.days.last?.day)
        }
      }
    }
    do {
      return try results.all()
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  /// A student's report, worked out as their own `tutor progress` would: the bundle is merged
  /// into a throwaway store and read back.
  static func student(_ bundle: ProgressBundle, course: Course, now: Date) throws -> CohortReport.Student {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try SQLiteProgressStore(path: folder.appendingPathComponent("student.sqlite").path)
    defer { store.close() }
    let learner = try store.learnerID(named: bundle.learner, at: now)
    _ = try store.merge(bundle, learner: learner)
    let review = try store.progressReview(learner: learner, now: now)
    return CohortReport.Student(
      name: bundle.learner, report: ProgressReport(course: course, review: review), stats: review.stats,
      lastStudied: review.history.days.last?.day)
  }
}

/// The students read by several threads, in the order of their names.
private final class LearnerResults: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Result<CohortReport.Student?, any Error>]

  init(count: Int) { results = Array(repeating: .success(nil), count: count) }

  func set(_ index: Int, _ read: () throws -> CohortReport.Student?) {
    let result = Result { try read() }
    lock.withLock { results[index] = result }
  }

  func all() throws -> [CohortReport.Student] { try lock.withLock { try results.compactMap { try $0.get() } } }
}
