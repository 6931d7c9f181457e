import ArgumentParser
import Foundation
import TutorCore
import TutorStore

/// Prints the progress review, as text, JSON or CSV.
struct Progress: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "progress",
    abstract: "Show what is mastered, what is weak and what is due.",
    discussion: """
      Lessons and quizzes with their state, scores and score history; the review queue with a \
      14-day forecast and the leeches; the days studied, the streak and this week's time; every \
      concept answered, weakest first, with its mastery (recent accuracy times FSRS's predicted \
      recall, 80% or more over at least 3 answers is mastered, under 60% weak); and the wrong \
      options picked most, with what is wrong with each. The full-screen home has the same view \
      under Progress. --json and --csv print the same numbers for scripts and spreadsheets (the \
      README lists their fields).
      """)

  @OptionGroup var options: CommonOptions

  @Flag(help: "Print the report as one JSON object (format \"tutor-progress\", version 1).")
  var json = false

  @Flag(help: "Print a row per lesson, quiz and concept as CSV (RFC 4180, UTF-8).")
  var csv = false

  enum Output { case text, json, csv }

  func validate() throws {
    if json && csv { throw ValidationError("Choose one of --json and --csv.") }
  }

  func run() throws { try Self.show(options.run, output: json ? .json : csv ? .csv : .text) }

  static func show(_ run: RunOptions, output: Output = .text) throws {
    let folder = try run.courseFolder()
    // A course that checked clean with these files is known from its digest, without reading it;
    // the digest is read on another core while the store is opened and read.
    if let digestFile = CourseFiles.digestFile(folder, environment: run.environment) {
      let digest = Background { CourseFiles.readDigest(digestFile)?.course }
      digest.start()
      let unknown = Course(info: CourseInfo(id: "", title: "", description: ""), lessons: [], quizzes: [], glossary: [])
      let session = try Session.start(run, course: unknown, readOnly: true)
      let review = try session.progressReview()
      if let course = digest.value {
        printAndExit(
          ProgressReport(course: course, review: review), of: course, session, output: output, at: review.now)
      }
      // A damaged digest: the course itself is read, and the digest made again.
      (session.store as? SQLiteProgressStore)?.close()
      try? FileManager.default.removeItem(atPath: digestFile)
    }
    let session = try Session.start(run, readOnly: true)
    let review = try session.progressReview()
    printAndExit(
      ProgressReport(course: session.course, review: review), of: session.course, session, output: output,
      at: review.now)
  }

  private static func printAndExit(
    _ report: ProgressReport, of course: Course, _ session: Session, output: Output, at now: Date
  ) -> Never {
    switch output {
    case .text:
      print("Progress of \(session.options.learnerName) in \(course.info.title)")
      report.lines.forEach { print($0) }
    case .json:
      print(report.json(learner: session.options.learnerName, course: course, at: now))
    case .csv:
      print((try? CSVText.render(report.csvRows)) ?? "", terminator: "")
    }
    // The store is closed as usual (SQLite removes its -wal and -shm files); the rest is left to
    // the end of the process, which frees it all at once (freeing it piece by piece was a tenth
    // of the command).
    (session.store as? SQLiteProgressStore)?.close()
    Foundation.exit(0)
  }
}
