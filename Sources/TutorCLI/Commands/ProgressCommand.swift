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
    // A course that checked clean with these files is known from its digest, without reading it.
    let session =
      if let digest = CourseFiles.cachedDigest(try run.courseFolder(), environment: run.environment) {
        try Session.start(run, course: digest.course, readOnly: true)
      } else {
        try Session.start(run, readOnly: true)
      }
    let report = ProgressReport(
      course: session.course, progress: try session.progress(),
      stats: try session.store.answerStats(learner: session.learnerID))
    print("Progress of \(run.learnerName) in \(session.course.info.title)")
    report.lines.forEach { print($0) }
    // The store is closed as usual (SQLite removes its -wal and -shm files); the rest is left to
    // the end of the process, which frees it all at once (freeing it piece by piece was a tenth
    // of the command).
    (session.store as? SQLiteProgressStore)?.close()
    Foundation.exit(0)
  }
}
