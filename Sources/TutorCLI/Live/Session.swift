import ArgumentParser
import Foundation
import TutorApp
import TutorCore
import TutorSchoolStore
import TutorStore

/// Everything a command needs at run time: the course, the store, the learner.
struct Session {
  /// The course; after a fast start, a stand-in with the right titles and counts until
  /// `fullCourse()` has been awaited.
  let course: Course
  /// The full course still being read (fast start only).
  var pending: Background<CourseLoadResult>?
  var folder: URL?
  let store: any ProgressStore
  let learnerID: Int64
  let options: RunOptions
  /// The time: the real clock, or `--now` plus the time since the tutor started.
  let clock: @Sendable () -> Date

  /// Loads the course (printing every problem and failing on errors) and opens the store.
  /// An existing store is opened while the course is parsed, to shorten start-up; a new
  /// store is created only once the course is known to be valid.
  /// A reading command (`readOnly`) opens a store this user cannot write for reading only.
  static func start(_ options: CommonOptions, fastStart: Bool = false, readOnly: Bool = false) throws -> Session {
    try start(options.run, fastStart: fastStart, readOnly: readOnly)
  }

  static func start(_ options: RunOptions, fastStart: Bool = false, readOnly: Bool = false) throws -> Session {
    let folder = try options.courseFolder()
    let parsing = Background { CourseFiles.load(folder) }
    let path = options.storePath
    // A course that checked clean with exactly these files: draw at once from its summary, and
    // read the course after the first paint (on the same cores, it would only delay it).
    if fastStart, let summary = CourseFiles.cachedSummary(folder, environment: options.environment) {
      let store = try openStore(options, readOnly: readOnly)
      var session = try make(summary.placeholder, store: store, options: options, readOnly: readOnly)
      session.pending = parsing
      session.folder = folder
      return session
    }
    CourseFiles.startWorkerThread()
    parsing.start()
    let early =
      !PostgresAddress.isAddress(path) && FileManager.default.fileExists(atPath: path)
      ? Result { () throws(StoreError) in
        try SQLiteProgressStore(path: path, readOnlyIfNeeded: readOnly, busyTimeout: options.busyTimeout)
      } : nil
    let course = try validCourse(parsing.value, folder: folder)
    CourseFiles.saveSummary(course, folder: folder, environment: options.environment)
    let store: any ProgressStore
    if let early {
      do {
        store = try early.get()
      } catch {
        Diagnostics.printError("\(error)")
        throw ExitCode(74)
      }
    } else {
      store = try openStore(options, readOnly: readOnly)
    }
    return try make(course, store: store, options: options, readOnly: readOnly)
  }

  /// A session on a course already known (the progress digest), without reading the course.
  /// `brief`: the command reads and closes the store at once (`SQLiteProgressStore`).
  static func start(_ options: RunOptions, course: Course, readOnly: Bool, brief: Bool = false) throws -> Session {
    let store = try openStore(options, readOnly: readOnly, brief: brief)
    return try make(course, store: store, options: options, readOnly: readOnly)
  }

  /// The store `--store` or $TUTOR_STORE names: a school's PostgreSQL server for a
  /// `postgresql://` address, else a SQLite file (exit 74 with the reason when it cannot be used).
  static func openStore(_ options: RunOptions, readOnly: Bool, brief: Bool = false) throws -> any ProgressStore {
    let path = options.storePath
    do {
      if PostgresAddress.isAddress(path) { return try openSchoolStore(path, environment: options.environment) }
      return try SQLiteProgressStore(
        path: path, readOnlyIfNeeded: readOnly, busyTimeout: options.busyTimeout, brief: brief)
    } catch let refusal as ExitCode {
      throw refusal
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  /// The school's store at `address`, with the password found as PostgreSQL's own tools find it.
  static func openSchoolStore(_ address: String, environment: [String: String]) throws -> SchoolStore {
    let server: PostgresAddress
    do {
      server = try PostgresAddress.parse(address)
    } catch {
      throw Diagnostics.refuse(
        "the store address \(SQLiteProgressStore.withoutPassword(address)) is not usable: \(error)")
    }
    let password = PostgresPassword.find(for: server, environment: environment)
    if let warning = password.warning { Diagnostics.printError("Warning: " + warning) }
    return try SchoolStore.open(server, password: password.password)
  }

  private static func make(_ course: Course, store: any ProgressStore, options: RunOptions, readOnly: Bool) throws
    -> Session
  {
    // The first study of a day backs the store up, on another thread (reading commands do not).
    // A school's server keeps its own backups.
    if !readOnly && !store.isReadOnly && store is SQLiteProgressStore {
      StoreBackups.dailyInBackground(of: options.storePath)
    }
    do {
      let clock = try options.clock()
      // A read-only store cannot add a learner: one it does not know has no progress (id 0).
      let learnerID =
        store.isReadOnly
        ? try store.existingLearnerID(named: options.learnerName) ?? 0
        : try store.learnerID(named: options.learnerName, at: clock())
      return Session(course: course, store: store, learnerID: learnerID, options: options, clock: clock)
    } catch let error as ValidationError {
      throw error
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  /// The course read, or its problems printed and exit status 65.
  static func validCourse(_ result: CourseLoadResult, folder: URL) throws -> Course {
    guard let course = result.course, !result.hasErrors else {
      report(result, folder: folder)
      throw ExitCode(65)
    }
    return course
  }

  /// Prints a course's problems as `tutor check` does.
  static func report(_ result: CourseLoadResult, folder: URL) {
    let prefix = Diagnostics.displayPrefix(for: folder)
    for diagnostic in result.diagnostics { Diagnostics.printError(prefix + diagnostic.description) }
    Diagnostics.printError(
      "The course at \(folder.path) has \(result.errors.count) error(s); fix them (see `tutor check`) and try again.")
  }

  /// The full course after a fast start (waiting for it if need be), or the load with its errors.
  func fullCourse() -> CourseLoadResult? { pending?.value }

  /// Readies a school's server for this learner's answers (a first answer then takes no longer
  /// than the rest); a file store needs nothing. Called while the learner reads, never on the
  /// way to a first screen.
  func warmUpStore() {
    (store as? SchoolStore)?.warmUp(learner: learnerID, at: clock())
  }

  /// The learner's progress with its review queue, the answer statistics and the study history
  /// (exit 74 if unreadable).
  func progressReview(questions: () -> [String]? = { nil }) throws -> ProgressReview {
    do {
      return try store.progressReview(learner: learnerID, now: clock(), questions: questions)
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

  /// Performs a screen's command against the store.
  func execute(_ command: Command) -> AppMessage? {
    CommandExecutor(store: store, learner: learnerID, clock: clock).execute(command)
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

/// Computes a value on another thread once `start()` is called; `value` starts it if need be
/// and waits for it.
final class Background<Value: Sendable>: @unchecked Sendable {
  private var result: Value?
  private let done = DispatchSemaphore(value: 0)
  private let work: @Sendable () -> Value
  private let starting = NSLock()
  private var started = false

  init(_ work: @escaping @Sendable () -> Value) { self.work = work }

  func start() {
    starting.lock()
    defer { starting.unlock() }
    guard !started else { return }
    started = true
    Thread.detachNewThread { [self] in
      result = work()
      done.signal()
    }
  }

  var value: Value {
    start()
    done.wait()
    done.signal()
    return result!
  }
}
