import ArgumentParser
import Foundation
import TutorClassroom
import TutorCore

/// `tutor host QUIZ`: a teacher runs a live class quiz.
struct Host: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "host",
    abstract: "Host a live class quiz: students join with `tutor join ADDRESS CODE`.",
    discussion: """
      Plain mode (--plain, or when not on a terminal) prints `Join: tutor join ADDRESS CODE` as soon \
      as it listens, prints what happens as lines, and reads the teacher's commands from standard \
      input, one per line: start, next, reveal, end, lock, unlock, pause, resume, kick NAME, \
      extend NAME SECONDS, board, help. After end it prints the results, writes the CSV files (--csv) and exits.
      """)

  @Argument(help: "The quiz id.")
  var quiz: String

  @OptionGroup var options: CommonOptions

  @Option(help: ArgumentHelp("Listen on HOST:PORT (port 0 picks a free port).", valueName: "address"))
  var listen = "127.0.0.1:0"

  @Option(
    help: ArgumentHelp(
      "Listen on a Unix socket instead (a shared server: students are known by their OS user).", valueName: "path"))
  var socket: String?

  @Option(help: "Seconds per question (teacher-paced).")
  var seconds = 30

  @Flag(help: "Student-paced: everyone works through the quiz on their own after the start.")
  var selfPaced = false

  @Option(help: ArgumentHelp("With --self-paced, end after this many minutes.", valueName: "minutes"))
  var deadline: Double?

  @Option(help: ArgumentHelp("Write summary.csv and answers.csv into this folder at the end.", valueName: "dir"))
  var csv: String?

  @Option(help: ArgumentHelp("Only the student ids in this file (one per line) may join.", valueName: "file"))
  var roster: String?

  @Option(help: "The join code (default: four random digits).")
  var code: String?

  @Option(help: ArgumentHelp("Show the students the top five after each reveal: on or off.", valueName: "on|off"))
  var leaderboard = "on"

  func validate() throws {
    guard leaderboard == "on" || leaderboard == "off" else { throw ValidationError("--leaderboard takes on or off.") }
  }

  func run() throws {
    let session = try Session.start(options)
    let found = try Lookup.quiz(quiz, in: session.course)
    var rosterIDs: Set<String>?
    if let roster {
      guard let text = try? String(contentsOfFile: roster, encoding: .utf8) else {
        throw Diagnostics.refuse("Cannot read the roster file \(roster).")
      }
      rosterIDs = Set(text.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty })
    }
    let joinCode = code ?? String(format: "%04d", Int.random(in: 0...9999))
    let pacing: ClassSession.Pacing =
      selfPaced ? .student(deadline: deadline.map { session.clock().addingTimeInterval($0 * 60) }) : .teacher
    let settings = ClassSession.Settings(code: joinCode, secondsPerQuestion: seconds, pacing: pacing, roster: rosterIDs)
    let address: ClassAddress
    if let socket {
      address = .unix(path: socket)
    } else if let parsed = ClassAddress(listen) {
      address = parsed
    } else {
      throw Diagnostics.refuse("--listen takes HOST:PORT, for example 0.0.0.0:7070.")
    }
    LogFile.bootstrap(folder: options.run.localFolder)
    let events = ClassEventSink()
    let host = ClassHost(
      session: ClassSession(quiz: found, settings: settings, seed: UInt64.random(in: 0...UInt64(Int64.max))),
      showsLeaderboard: leaderboard == "on", clock: session.clock, onEvent: events.post)
    let bound: ClassAddress
    do {
      bound = try host.listen(address)
    } catch {
      Diagnostics.printError("Cannot listen on \(address): \(error)")
      throw ExitCode(74)
    }
    let join = "tutor join \(bound) \(joinCode)"
    let keeper = ClassResults(store: session.store, csvFolder: csv)
    if !options.usesPlainMode && FullScreen.localeIsUsable {
      defer { host.shutdown() }
      try FullScreen.runHost(
        session, host: host, events: events, join: join, quiz: found, seconds: seconds, keeper: keeper)
      return
    }
    let printer = PlainHostPrinter(quiz: found, keeper: keeper)
    events.forward(printer.handle)
    printer.write("Join: " + join)
    printer.write(
      "Commands: start, next, reveal, end, lock, unlock, pause, resume, kick NAME, extend NAME SECONDS, board, help.")
    // The teacher's commands, one per line; the end of input ends the session.
    let commands = Thread { PlainHostPrinter.readCommands(into: host, printer: printer) }
    commands.start()
    printer.waitForEnd()
    host.shutdown()
    if !keeper.failures.isEmpty {
      keeper.failures.forEach(Diagnostics.printError)
      throw ExitCode(74)
    }
  }
}

/// `tutor join ADDRESS CODE`: a student joins a live class.
struct Join: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "join",
    abstract: "Join a live class quiz that a teacher hosts with `tutor host`.",
    discussion: """
      In plain mode each question is printed as `tutor quiz --plain` prints it and answered with a \
      line in the same syntax; the session ends with `Score: X/Y (P%)`. Answers also go into your \
      own progress store and review queue.
      """)

  @Argument(help: "The host's address: HOST:PORT, or the path of its Unix socket.")
  var address: String

  @Argument(help: "The join code the teacher shows.")
  var code: String

  @Option(help: "The name the class sees (on a shared server, your OS user is your id).")
  var name: String?

  @OptionGroup var options: CommonOptions

  func run() throws {
    guard let parsed = ClassAddress(address) else {
      throw Diagnostics.refuse("The address is HOST:PORT or the path of a Unix socket.")
    }
    let session = try Session.start(options)
    if options.usesPlainMode || !FullScreen.localeIsUsable {
      try PlainClassStudent(session: session).run(address: parsed, code: code, name: name ?? options.learnerName)
    } else {
      try FullScreen.runClass(session, address: parsed, code: code, name: name ?? options.learnerName)
    }
  }
}

/// `tutor classes [NUMBER]`: the live classes hosted with this store, and one class's results.
struct Classes: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classes",
    abstract: "List the live classes hosted with this store, or show one class's results again.",
    discussion: """
      Without a number: one line per class, newest first (number, date, quiz, students, questions \
      asked, mean score). With a number: its scores and item analysis, and with --csv DIR its \
      summary.csv and answers.csv, as `tutor host --csv` writes them.
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: "The class's number, as the list shows it.")
  var number: Int64?

  @Option(help: ArgumentHelp("Write summary.csv and answers.csv into this folder.", valueName: "dir"))
  var csv: String?

  func run() throws {
    let session = try Session.start(options, readOnly: true)
    let hosted = try session.store.classes()
    guard let number else {
      if csv != nil { throw Diagnostics.refuse("--csv needs the class's number: tutor classes NUMBER --csv DIR.") }
      guard !hosted.isEmpty else {
        print("No live class has been hosted with this store yet (tutor host QUIZ starts one).")
        return
      }
      let dates = Date.FormatStyle(date: .numeric, time: .shortened)
      for (number, record) in hosted {
        let mean = record.meanShare.map { " · mean \(Int(($0 * 100).rounded()))%" } ?? ""
        print(
          "\(number). \(record.hostedAt.formatted(dates)) · \(record.quizTitle) (\(record.quizID)) · "
            + "\(record.students.count) students · \(record.asked.count) questions asked\(mean)")
      }
      return
    }
    guard let record = hosted.first(where: { $0.number == number })?.record else {
      throw Diagnostics.refuse("No class \(number) in this store: tutor classes lists them.")
    }
    let report = ClassReport(record, questions: session.course.quiz(id: record.quizID)?.questions ?? [])
    print("Class \(number): \(record.quizTitle), \(record.hostedAt.formatted(date: .complete, time: .shortened))")
    ClassResults.lines(report, scores: record.scores).forEach { print($0) }
    if let csv {
      do {
        print("Results written to \(try ClassResults.write(report, to: csv)) and answers.csv.")
      } catch {
        Diagnostics.printError("The results could not be written to \(csv): \(error)")
        throw ExitCode(74)
      }
    }
  }
}
