import ArgumentParser
import Foundation
import TutorCore
import TutorStore

/// Prints the progress review.
struct Progress: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "progress",
    abstract: "Show what is mastered, what is weak and what is due.",
    discussion: """
      Lessons and quizzes with their state and scores; the review queue with a 14-day forecast and \
      the leeches; concepts mastered (80% or more right over at least 3 answers) and weak; and the \
      wrong options picked most, with what is wrong with each. The full-screen home has the same \
      view under Progress.
      """)

  @OptionGroup var options: CommonOptions

  func run() throws { try Self.show(options.run) }

  static func show(_ run: RunOptions) throws {
    let folder = try run.courseFolder()
    // A course that checked clean with these files is known from its digest, without reading it;
    // the digest is read on another core while the store is opened and read.
    if let digestFile = CourseFiles.digestFile(folder, environment: run.environment) {
      let digest = Background { CourseFiles.readDigest(digestFile)?.course }
      digest.start()
      let unknown = Course(info: CourseInfo(id: "", title: "", description: ""), lessons: [], quizzes: [], glossary: [])
      let session = try Session.start(run, course: unknown, readOnly: true)
      let (progress, stats) = try session.progressReview()
      if let course = digest.value {
        printAndExit(ProgressReport(course: course, progress: progress, stats: stats), of: course, session)
      }
      // A damaged digest: the course itself is read, and the digest made again.
      (session.store as? SQLiteProgressStore)?.close()
      try? FileManager.default.removeItem(atPath: digestFile)
    }
    let session = try Session.start(run, readOnly: true)
    let (progress, stats) = try session.progressReview()
    printAndExit(ProgressReport(course: session.course, progress: progress, stats: stats), of: session.course, session)
  }

  private static func printAndExit(_ report: ProgressReport, of course: Course, _ session: Session) -> Never {
    print("Progress of \(session.options.learnerName) in \(course.info.title)")
    report.lines.forEach { print($0) }
    // The store is closed as usual (SQLite removes its -wal and -shm files); the rest is left to
    // the end of the process, which frees it all at once (freeing it piece by piece was a tenth
    // of the command).
    (session.store as? SQLiteProgressStore)?.close()
    Foundation.exit(0)
  }
}
