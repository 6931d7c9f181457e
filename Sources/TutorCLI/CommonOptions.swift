import ArgumentParser
import Foundation
import TutorCore
import TutorStore

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The course folder (holding Lessons/ and Quizzes/). Default: $TUTOR_COURSE, the current folder, or the bundled course.",
      valueName: "dir"))
  var course: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The progress store. Default: $TUTOR_STORE or $XDG_DATA_HOME/tutor/progress.sqlite.", valueName: "path"))
  var store: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The learner profile on a shared machine. Default: $TUTOR_LEARNER or the OS user.", valueName: "name"))
  var learner: String?

  @Flag(name: .long, help: "Plain line-by-line mode for screen readers and pipes.")
  var plain = false

  @Flag(name: .customLong("no-color"), help: "Draw without colour (also when NO_COLOR is set).")
  var noColor = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Pretend the time is this ISO-8601 instant (for trying schedules and for tests).", valueName: "time"))
  var now: String?

  /// Where the course summary cache lives (tests point it at a temporary folder).
  var cacheFolder: String?

  /// The options as plain values, for a session.
  var run: RunOptions {
    RunOptions(
      course: course, store: store, learner: learner, plain: plain, noColor: noColor, now: now,
      cacheFolder: cacheFolder)
  }

  /// Checked as the command line is read, so a problem is shown with the command's own usage.
  func validate() throws { try run.validate() }

  func clock() throws -> @Sendable () -> Date { try run.clock() }
  var environment: [String: String] { run.environment }
  var usesPlainMode: Bool { run.usesPlainMode }
  var usesColor: Bool { run.usesColor }
  var learnerName: String { run.learnerName }
  var busyTimeout: TimeInterval { run.busyTimeout }
  var storePath: String { run.storePath }
  func courseFolder() throws -> URL { try run.courseFolder() }
}

/// The shared options as plain values: what a session runs with. `tutor` alone starts from
/// `RunOptions()` without parsing a command line.
struct RunOptions: Equatable {
  var course: String?
  var store: String?
  var learner: String?
  var plain = false
  var noColor = false
  var now: String?
  var cacheFolder: String?

  /// Checked as the command line is read, so a problem is shown with the command's own usage.
  func validate() throws {
    _ = try clock()
    if store?.isEmpty == true {
      throw ValidationError("--store: give the path of the progress store (an empty path names no file).")
    }
    if learner?.isEmpty == true {
      throw ValidationError("--learner: give a learner's name (an empty name names no one).")
    }
  }

  /// The clock: real time, or `--now` moving forward from the moment the tutor started.
  func clock() throws -> @Sendable () -> Date {
    guard let now else { return { Date() } }
    switch Timestamp.parse(now) {
    case .failure(let problem): throw ValidationError("--now: \(problem.reason)")
    case .success(let start) where !Self.clockRange.contains(start):
      throw ValidationError("--now: '\(now)' is outside the years the tutor schedules in (1970 to 9899).")
    case .success(let start):
      let began = Date()
      return { start.addingTimeInterval(Date().timeIntervalSince(began)) }
    }
  }

  /// `--now` from 1970 to the end of 9899: a schedule of up to a century still has a four-digit year.
  static let clockRange = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 250_246_627_199)

  /// Read once, straight from `environ`: every option consults it, and Foundation's copy cost
  /// about a million instructions before the first paint.
  private static let processEnvironment: [String: String] = {
    var environment = [String: String](minimumCapacity: 64)
    var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
    while let pointer = entry?.pointee {
      let text = String(cString: pointer)
      if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
        let name = String(text[..<equals])
        if environment[name] == nil { environment[name] = String(text[text.utf8.index(after: equals)...]) }
      }
      entry = entry?.successor()
    }
    return environment
  }()

  var environment: [String: String] {
    var environment = Self.processEnvironment
    if let cacheFolder { environment["XDG_CACHE_HOME"] = cacheFolder }
    return environment
  }

  /// Plain mode: asked for, or standard input or output is not a terminal, or TERM is dumb, or no
  /// UTF-8 locale can be had for the full-screen interface.
  var usesPlainMode: Bool {
    if plain { return true }
    if isatty(0) == 0 || isatty(1) == 0 { return true }
    let term = environment["TERM"] ?? ""
    if term.isEmpty || term == "dumb" { return true }
    return !FullScreen.localeIsUsable
  }

  var usesColor: Bool {
    if noColor { return false }
    if let value = environment["NO_COLOR"], !value.isEmpty { return false }
    return true
  }

  var learnerName: String {
    if let learner, !learner.isEmpty { return learner }
    if let name = environment["TUTOR_LEARNER"], !name.isEmpty { return name }
    if let name = environment["USER"] ?? environment["LOGNAME"], !name.isEmpty { return name }
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "learner"
  }

  /// How long a save waits for a store locked by another program: $TUTOR_BUSY_TIMEOUT seconds, or 5.
  var busyTimeout: TimeInterval {
    environment["TUTOR_BUSY_TIMEOUT"].flatMap(Double.init).map { max(0, min($0, 600)) }
      ?? SQLiteProgressStore.defaultBusyTimeout
  }

  /// The folder for the files kept beside the store (the class log, resume tokens): the store's
  /// own, or for a school's server the default store's folder on this computer.
  var localFolder: URL {
    let path = storePath
    let file =
      path.hasPrefix("postgresql://") || path.hasPrefix("postgres://")
      ? StoreLocation.defaultPath(environment: environment) : path
    return URL(fileURLWithPath: file).deletingLastPathComponent()
  }

  var storePath: String {
    if let store, !store.isEmpty { return store }
    if let path = environment["TUTOR_STORE"], !path.isEmpty { return path }
    return StoreLocation.defaultPath(environment: environment)
  }

  func courseFolder() throws -> URL {
    try CourseLocation.resolve(explicit: course, environment: environment)
  }

  /// `courseFolder` as an absolute path, without making a URL.
  func coursePath() throws -> String {
    try CourseLocation.resolvePath(explicit: course, environment: environment)
  }
}

enum StoreLocation {
  static func defaultPath(environment: [String: String]) -> String {
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
      return data + "/tutor/progress.sqlite"
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/share/tutor/progress.sqlite"
  }
}

enum CourseLocation {
  static func isCourse(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path + "/Lessons/course.yaml")
  }

  /// --course, then $TUTOR_COURSE, then the current folder, then the repository the tutor was built from.
  static func resolve(explicit: String?, environment: [String: String]) throws -> URL {
    URL(fileURLWithPath: try resolvePath(explicit: explicit, environment: environment), isDirectory: true)
  }

  /// `resolve` as an absolute path. Paths are joined as strings: URL's joining of a relative path
  /// to the current folder, and its `path`, each cost half a million instructions the first time
  /// (the runtime looking up a conformance), a tenth of `tutor progress`.
  static func resolvePath(explicit: String?, environment: [String: String]) throws -> String {
    let current = FileManager.default.currentDirectoryPath
    if let path = explicit ?? environment["TUTOR_COURSE"], !path.isEmpty {
      let absolute = path.hasPrefix("/") ? path : current + "/" + path
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isFolder) else {
        throw Diagnostics.refuse("The course folder \(path) does not exist.")
      }
      guard isFolder.boolValue else {
        throw Diagnostics.refuse(
          "\(path) is a file, not a folder: give the course folder (the one holding Lessons/course.yaml).")
      }
      return standardized(absolute)
    }
    if isCourse(current) { return standardized(current) }
    // The repository: three folders up from this file (Sources/TutorCLI/CommonOptions.swift).
    let built = standardized(#filePath + "/../../..")
    if isCourse(built) { return built }
    throw Diagnostics.refuse(
      "No course found: run the tutor in a folder holding Lessons/course.yaml, or pass --course DIR.")
  }

  /// An absolute path without "." and ".." components, repeated or trailing slashes (as URL's
  /// `standardizedFileURL`, without resolving links).
  static func standardized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
      } else {
        parts.append(part)
      }
    }
    var result = ""
    for part in parts {
      result += "/"
      result += String(part)
    }
    return result.isEmpty ? "/" : result
  }
}
