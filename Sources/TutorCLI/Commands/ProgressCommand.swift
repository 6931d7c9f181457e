import ArgumentParser
import Foundation
import TutorCore
import TutorStore

/// The progress review, and progress that travels: export, import, reset.
struct Progress: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "progress",
    abstract: "Show, export, import or reset a learner's progress.",
    discussion: "Without a subcommand, shows the progress review (`tutor progress show`).",
    subcommands: [ProgressShow.self, ProgressExport.self, ProgressImport.self, ProgressReset.self],
    defaultSubcommand: ProgressShow.self)
}

/// Prints the progress review, as text, JSON or CSV.
struct ProgressShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
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
    // A course that checked clean with these files is known from its digest, without reading it.
    // All on this thread: reading the digest on another core while the store was read cost more
    // than it saved (a new thread's memory, and its page faults interrupting this core).
    if let digestFile = CourseFiles.digestFile(path: try run.coursePath(), environment: run.environment) {
      if let digest = CourseFiles.readDigest(digestFile) {
        let outline = digest.outline
        // The report reads the digest's outline; the session's course is only named.
        let named = CourseInfo(id: outline.courseID, title: outline.courseTitle)
        let session = try Session.start(
          run, course: Course(info: named, lessons: [], quizzes: [], glossary: []), readOnly: true, brief: true)
        let review = try session.progressReview { digest.questionIDs }
        printAndExit(
          ProgressReport(outline: outline, review: review), of: outline, session, output: output, at: review.now)
      }
      // A damaged digest: the course itself is read, and the digest made again.
      try? FileManager.default.removeItem(atPath: digestFile)
    }
    let session = try Session.start(run, readOnly: true)
    let review = try session.progressReview { Array(session.course.questionsByID.keys) }
    let outline = ProgressReport.Outline(session.course)
    printAndExit(ProgressReport(outline: outline, review: review), of: outline, session, output: output, at: review.now)
  }

  private static func printAndExit(
    _ report: ProgressReport, of course: ProgressReport.Outline, _ session: Session, output: Output, at now: Date
  ) -> Never {
    switch output {
    case .text:
      // One write of the bytes: a print per line cost as much as making the lines, and each
      // append to a String 350 instructions.
      let lines = ["Progress of \(session.options.learnerName) in \(course.courseTitle)"] + report.lines
      var bytes: [UInt8] = []
      bytes.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
      for var line in lines {
        line.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(10)
      }
      bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count {
          let count = write(1, buffer.baseAddress! + written, buffer.count - written)
          if count < 0 && errno == EINTR { continue }
          guard count > 0 else { break }
          written += count
        }
      }
    case .json:
      print(report.json(learner: session.options.learnerName, course: (course.courseID, course.courseTitle), at: now))
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

/// `tutor progress export FILE`: one learner's progress as a bundle.
struct ProgressExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a learner's whole progress to a file, to import on another machine or to hand in.",
    discussion: """
      The bundle is versioned JSON (README: "Progress that travels") with every answer, attempt, \
      lesson state, review card, flag and setting, and the course's id and question versions. \
      Give - to write it to standard output.
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: ArgumentHelp("Where to write the bundle.", valueName: "file"))
  var file: String

  func run() throws {
    let session = try Session.start(options, readOnly: true)
    guard let store = session.store as? any SQLProgressStore else { throw ExitCode(74) }
    let course = session.course
    let stamp = ProgressBundle.CourseStamp(
      id: course.info.id, title: course.info.title,
      questions: course.questionsByID.mapValues(\.version))
    let bundle: ProgressBundle
    do {
      bundle = try store.bundle(
        learner: session.learnerID, name: session.options.learnerName, course: stamp, tutor: Tutor.version,
        at: session.clock())
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
    let data = try bundle.json()
    if file == "-" {
      FileHandle.standardOutput.write(data + Data("\n".utf8))
      return
    }
    do {
      try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: file), options: .atomic)
    } catch {
      throw Diagnostics.refuse("cannot write \(file): \(error.localizedDescription)")
    }
    Diagnostics.printError(
      "Exported the progress of \(session.options.learnerName) in \(course.info.title) to \(file): "
        + "\(bundle.answers.count) answers, \(bundle.attempts.count) quiz attempts, \(bundle.lessons.count) lessons, "
        + "\(bundle.cards.count) review cards.")
  }
}

/// `tutor progress import FILE`: a bundle merged into the learner's progress.
struct ProgressImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Merge a progress bundle into a learner's progress, losing neither side's answers.",
    discussion: """
      The bundle's answers and attempts join the learner's (--learner, else the user name): each \
      keeps its lasting id, so importing the same bundle twice changes nothing. A lesson keeps the \
      furthest step, a question the schedule reviewed last. A bundle from a newer tutor, of another \
      course, or damaged, is refused and nothing is written.
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: ArgumentHelp("The bundle to import.", valueName: "file"))
  var file: String

  func run() throws {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw Diagnostics.refuse(
        "cannot read \(file)\(FileManager.default.fileExists(atPath: file) ? "" : ": no such file").")
    }
    let bundle: ProgressBundle
    switch ProgressBundle.read(data) {
    case .success(let read): bundle = read
    case .failure(let problem):
      Diagnostics.printError("Error: \(file) was not imported: \(problem). Nothing was written.")
      throw ExitCode(65)
    }
    // The course is checked before the store is opened: a refused bundle writes nothing, not
    // even a new learner.
    let run = options.run
    let folder = try run.courseFolder()
    let courseID =
      try CourseFiles.cachedSummary(folder, environment: run.environment)?.id
      ?? Session.validCourse(CourseFiles.load(folder), folder: folder).info.id
    guard bundle.course.id == courseID else {
      let problem = ProgressBundle.Problem.otherCourse(bundle: bundle.course.id, course: courseID)
      Diagnostics.printError("Error: \(file) was not imported: \(problem). Nothing was written.")
      throw ExitCode(65)
    }
    let session = try Session.start(
      run,
      course: Course(
        info: CourseInfo(id: courseID, title: "", description: ""), lessons: [], quizzes: [], glossary: []),
      readOnly: false)
    guard let store = session.store as? any SQLProgressStore else { throw ExitCode(74) }
    let summary: ImportSummary
    do {
      // A school's server keeps its own backups.
      if store is SQLiteProgressStore { try StoreBackups.make(of: session.options.storePath, reason: "before-import") }
      summary = try store.merge(bundle, learner: session.learnerID)
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
    let who = "\(bundle.learner)'s bundle (exported \(bundle.exportedAt) UTC)"
    if summary.isEmpty {
      print("Nothing new in \(who): \(session.options.learnerName)'s progress already holds all of it.")
    } else {
      print(
        "Imported \(who) into the progress of \(session.options.learnerName): \(summary.answers) answers, "
          + "\(summary.attempts) quiz attempts, \(summary.lessons) lessons, \(summary.cards) review cards, "
          + "\(summary.flags) flags and \(summary.settings) settings added or brought forward.")
    }
  }
}

/// `tutor progress reset [ITEM] [--lesson ID] [--quiz ID] [--all] [--yes]`.
struct ProgressReset: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Clear a lesson's or a quiz's progress, or all of it, after a backup.",
    discussion: """
      A lesson loses its place and its checkpoint answers; a quiz its attempts, scores and answers; \
      --all clears every answer, attempt, lesson, schedule and flag of the learner (the settings \
      stay). A question left with no answers leaves the review queue. The store is backed up first \
      (`tutor doctor --restore --backup NAME` brings it back), and the reset asks for confirmation \
      unless --yes is given.
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: ArgumentHelp("A lesson or quiz id (when both have it, say --lesson or --quiz).", valueName: "item"))
  var item: String?

  @Option(help: ArgumentHelp("The lesson to reset.", valueName: "id"))
  var lesson: String?

  @Option(help: ArgumentHelp("The quiz to reset.", valueName: "id"))
  var quiz: String?

  @Flag(help: "Reset everything of the learner but the settings.")
  var all = false

  @Flag(help: "Do not ask for confirmation.")
  var yes = false

  func validate() throws {
    let given = [item != nil, lesson != nil, quiz != nil, all].filter { $0 }.count
    if given != 1 { throw ValidationError("Say what to reset: a lesson or quiz id, --lesson ID, --quiz ID or --all.") }
  }

  /// What to reset, and its name for the learner.
  func scope(in course: Course) throws -> (ResetScope, String) {
    if all { return (.all, "all of the progress") }
    let isLesson = { (id: String) in course.lessons.first { $0.id == id } }
    let isQuiz = { (id: String) in course.quizzes.first { $0.id == id } }
    if let item, isLesson(item) != nil, isQuiz(item) != nil {
      throw Diagnostics.refuse("'\(item)' is both a lesson and a quiz: say --lesson \(item) or --quiz \(item).")
    }
    if let id = lesson ?? item, let found = isLesson(id) { return (.lesson(id), "the lesson \(found.title)") }
    if let id = quiz ?? item, let found = isQuiz(id) { return (.quiz(id), "the quiz \(found.title)") }
    let kind = lesson != nil ? "lesson" : quiz != nil ? "quiz" : "lesson or quiz"
    throw Diagnostics.refuse("the course has no \(kind) '\(lesson ?? quiz ?? item ?? "")'.")
  }

  func run() throws {
    let session = try Session.start(options)
    var (scope, what) = try scope(in: session.course)
    guard let store = session.store as? any SQLProgressStore else { throw ExitCode(74) }
    do {
      let (answers, attempts) = try store.resetCounts(scope, learner: session.learnerID)
      what +=
        " of \(session.options.learnerName) (\(answers) answer\(answers == 1 ? "" : "s"), "
        + "\(attempts) quiz attempt\(attempts == 1 ? "" : "s"))"
      if !yes {
        guard isatty(STDIN_FILENO) == 1 else {
          throw Diagnostics.refuse("resetting \(what) needs confirmation: run it in a terminal, or add --yes.")
        }
        print("Reset \(what)? A backup is made first. Type yes to reset: ", terminator: "")
        guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
          print("Nothing was reset.")
          return
        }
      }
      guard store is SQLiteProgressStore else {
        // A school's server: the learner's progress as it was goes to a bundle on this computer.
        let bundle = try keptAside(session, store: store)
        try store.reset(scope, learner: session.learnerID)
        print("Reset \(what). The progress as it was is in \(bundle); `tutor progress import` brings it back.")
        return
      }
      let backup = try StoreBackups.make(of: session.options.storePath, reason: "before-reset")
      try store.reset(scope, learner: session.learnerID)
      print(
        "Reset \(what). The store as it was is in \(backup); "
          + "`tutor doctor --restore --backup \(URL(fileURLWithPath: backup).lastPathComponent)` brings it back.")
    } catch let exit as ExitCode {
      throw exit
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(74)
    }
  }

  /// The learner's whole progress written to a bundle in this computer's data folder, before a
  /// reset on a school's server; returns its path.
  private func keptAside(_ session: Session, store: any SQLProgressStore) throws -> String {
    let course = session.course
    let bundle = try store.bundle(
      learner: session.learnerID, name: session.options.learnerName,
      course: ProgressBundle.CourseStamp(
        id: course.info.id, title: course.info.title, questions: course.questionsByID.mapValues(\.version)),
      tutor: Tutor.version, at: session.clock())
    let folder = session.options.localFolder.appendingPathComponent("backups")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let stamp = String(Timestamp.format(session.clock()).prefix(19)).replacingOccurrences(of: ":", with: "")
    let file = folder.appendingPathComponent("\(session.options.learnerName)-before-reset-\(stamp).json")
    try (try bundle.json() + Data("\n".utf8)).write(to: file, options: .atomic)
    return file.path
  }
}
