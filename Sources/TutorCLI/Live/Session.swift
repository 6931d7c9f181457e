import ArgumentParser
import Foundation
import TutorApp
import TutorCore
import TutorStore

/// Everything a command needs at run time: the course, the store, the learner.
struct Session {
  /// The course; after a fast start, a stand-in with the right titles and counts until
  /// `fullCourse()` has been awaited.
  let course: Course
  /// The full course still being read (fast start only).
  var pending: Background<CourseLoadResult>?
  var folder: URL?
  let store: ProgressStore
  let learnerID: Int64
  let options: CommonOptions
  /// The time: the real clock, or `--now` plus the time since the tutor started.
  let clock: @Sendable () -> Date

  /// Loads the course (printing every problem and failing on errors) and opens the store.
  /// An existing store is opened while the course is parsed, to shorten start-up; a new
  /// store is created only once the course is known to be valid.
  /// A reading command (`readOnly`) opens a store this user cannot write for reading only.
  static func start(_ options: CommonOptions, fastStart: Bool = false, readOnly: Bool = false) throws -> Session {
    let folder = try options.courseFolder()
    let parsing = Background { CourseFiles.load(folder) }
    let path = options.storePath
    // A course that checked clean with exactly these files: draw at once from its summary.
    if fastStart, let summary = CourseFiles.cachedSummary(folder, environment: options.environment) {
      let store = try openStore(path, readOnly: readOnly, busyTimeout: options.busyTimeout)
      var session = try make(summary.placeholder, store: store, options: options)
      session.pending = parsing
      session.folder = folder
      return session
    }
    let early =
      FileManager.default.fileExists(atPath: path)
      ? Result { () throws(StoreError) in try ProgressStore(path: path, readOnlyIfNeeded: readOnly, busyTimeout: options.busyTimeout) } : nil
    let result = parsing.value
    if result.hasErrors || result.course == nil {
      report(result, folder: folder)
      throw ExitCode(65)
    }
    CourseFiles.saveSummary(result.course!, folder: folder, environment: options.environment)
    let store: ProgressStore
    do {
      store = try early?.get() ?? ProgressStore(path: path, busyTimeout: options.busyTimeout)
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
    return try make(result.course!, store: store, options: options)
  }

  private static func openStore(_ path: String, readOnly: Bool, busyTimeout: TimeInterval) throws -> ProgressStore {
    do {
      return try ProgressStore(path: path, readOnlyIfNeeded: readOnly, busyTimeout: busyTimeout)
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  private static func make(_ course: Course, store: ProgressStore, options: CommonOptions) throws -> Session {
    do {
      // A read-only store cannot add a learner: one it does not know has no progress (id 0).
      let learnerID = store.isReadOnly ? try store.existingLearnerID(named: options.learnerName) ?? 0 : try store.learnerID(named: options.learnerName)
      return Session(course: course, store: store, learnerID: learnerID, options: options, clock: try options.clock())
    } catch let error as ValidationError {
      throw error
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  /// Prints a course's problems as `tutor check` does.
  static func report(_ result: CourseLoadResult, folder: URL) {
    let prefix = Diagnostics.displayPrefix(for: folder)
    for diagnostic in result.diagnostics { Diagnostics.printError(prefix + diagnostic.description) }
    Diagnostics.printError("The course at \(folder.path) has \(result.errors.count) error(s); fix them (see `tutor check`) and try again.")
  }

  /// The full course after a fast start (waiting for it if need be), or the load with its errors.
  func fullCourse() -> CourseLoadResult? { pending?.value }

  func abandonOpenAttempt(of quizID: String) throws {
    do {
      try store.abandonOpenAttempts(learner: learnerID, quizID: quizID, at: clock())
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  func progress() throws -> LearnerProgress {
    do {
      var progress = try store.progress(learner: learnerID)
      progress.review = try store.reviewQueue(learner: learnerID, now: clock())
      return progress
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  /// Performs a screen's command against the store. A failed read becomes a status message; a
  /// failed write stops the session (`saveFailed`), never a crash.
  func execute(_ command: Command) -> AppMessage? {
    do {
      switch command {
      case .recordAnswer(let answer):
        try store.record(answer, learner: learnerID, at: clock())
        if answer.rating != nil, let card = try store.reviewCard(learner: learnerID, questionID: answer.questionID) {
          return .answerScheduled(questionID: answer.questionID, due: card.due)
        }
      case .loadReviewQueue:
        return .reviewQueueLoaded(try store.reviewQueue(learner: learnerID, now: clock()))
      case .loadAnswerStats:
        return .answerStatsLoaded(try store.answerStats(learner: learnerID))
      case .beginQuizAttempt(let quizID, let seed, let order, let mode, let asksConfidence):
        let id = try store.beginAttempt(
          learner: learnerID, quizID: quizID, seed: seed, order: order, mode: mode, asksConfidence: asksConfidence, at: clock())
        return .quizAttemptBegan(quizID: quizID, attempt: id)
      case .withdrawAnswer(let questionID, let attempt):
        try store.withdrawLastAnswer(questionID: questionID, attempt: attempt, learner: learnerID)
      case .finishQuizAttempt(let attempt, let score):
        try store.finishAttempt(attempt, learner: learnerID, score: score, at: clock())
      case .saveLessonPosition(let lessonID, let step):
        try store.saveLessonPosition(learner: learnerID, lessonID: lessonID, step: step, at: clock())
      case .markLessonComplete(let lessonID):
        try store.markLessonComplete(learner: learnerID, lessonID: lessonID, at: clock())
      case .quit:
        break
      }
      return nil
    } catch {
      switch command {
      case .loadReviewQueue, .loadAnswerStats, .quit: return .commandFailed("\(error)")
      default: return .saveFailed(Self.notSaved(command, error))
      }
    }
  }

  /// What a failed write means to the learner, and what to do next.
  static func notSaved(_ command: Command, _ error: any Error) -> String {
    let what: String
    switch command {
    case .recordAnswer: what = "Your last answer was not saved, and it was not counted."
    case .finishQuizAttempt: what = "The quiz could not be closed with its score."
    case .beginQuizAttempt: what = "The quiz attempt could not be opened."
    case .withdrawAnswer: what = "The answer could not be withdrawn."
    default: what = "Your place could not be saved."
    }
    return "\(what) The session stopped here; every answer before it is kept.\n\(error)"
  }
}

enum Diagnostics {
  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// A request that cannot be carried out as given, found after the command line was read:
  /// printed as "Error: …" with exit status 64, without the root command's usage.
  static func refuse(_ message: String) -> ExitCode {
    printError("Error: " + message)
    return ExitCode(64)
  }

  /// Diagnostics name files relative to the course folder; prefix them so they can be opened from here.
  static func displayPrefix(for folder: URL) -> String {
    let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
    let path = folder.standardizedFileURL.path
    if path == current { return "" }
    if path.hasPrefix(current + "/") { return String(path.dropFirst(current.count + 1)) + "/" }
    return path + "/"
  }
}

/// Computes a value on another thread; `value` waits for it.
final class Background<Value: Sendable>: @unchecked Sendable {
  private var result: Value?
  private let done = DispatchSemaphore(value: 0)

  init(_ work: @escaping @Sendable () -> Value) {
    Thread.detachNewThread { [self] in
      result = work()
      done.signal()
    }
  }

  var value: Value {
    done.wait()
    done.signal()
    return result!
  }
}
