import ArgumentParser
import Foundation
import TerminalNcurses
import TerminalUI
import TutorApp
import TutorClassroom
import TutorCore

/// Runs the full-screen interface on the real terminal.
enum FullScreen {
  /// The interface draws in UTF-8 (the environment's locale or C.UTF-8). Without it the tutor says how
  /// to set one, once, and runs in plain mode rather than draw garbled glyphs.
  static let localeIsUsable: Bool = {
    if TerminalLocale.usesUTF8 { return true }
    Diagnostics.printError(TerminalLocale.advice + " Using plain mode.")
    return false
  }()

  /// The terminal in full-screen mode; a terminal that cannot be set up is reported, exit 1.
  private static func openTerminal(_ session: Session) throws -> NcursesTerminal {
    do {
      return try NcursesTerminal(color: session.options.usesColor)
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(1)
    }
  }

  static func run(
    _ session: Session, seed: UInt64 = UInt64.random(in: 0...UInt64(Int64.max)), mode: QuizMode = .practice,
    asksConfidence: Bool = false, opening entry: Destination? = nil, reviewBudget: TimeInterval? = nil
  ) throws {
    let progress = try session.progress()
    let terminal = try openTerminal(session)
    var state = AppState(
      course: session.course, progress: progress, size: terminal.size, seed: seed, now: session.clock(),
      quizMode: mode, asksConfidence: asksConfidence)
    state.reviewBudget = reviewBudget
    var initial: [Command] = []
    if let entry { initial = App.open(entry, in: &state) }
    let runner = Runner(state: state, terminal: terminal, clock: session.clock, execute: session.execute)
    var failedLoad: CourseLoadResult?
    // While the first screen is read: the school's server readied for answers, and after a fast
    // start (drawn from the cached summary) the full course awaited, before the first key.
    runner.afterFirstFrame = {
      session.warmUpStore()
      if session.pending != nil {
        guard let result = session.fullCourse(), let course = result.course, !result.hasErrors else {
          failedLoad = session.fullCourse()
          return .hangUp
        }
        return .courseLoaded(course)
      }
      return nil
    }
    if runner.perform(initial) { runner.run() }
    terminal.shutdown()
    if let reason = runner.state.stopReason {
      Diagnostics.printError(reason)
      throw ExitCode(74)
    }
    if let failedLoad, let folder = session.folder {
      Session.report(failedLoad, folder: folder)
      throw ExitCode(65)
    }
    try exitIfInterrupted(terminal, runner.state)
  }

  /// Ctrl-C, or a signal (the terminal closed, `kill`): the exit status says so, as a shell
  /// expects of an interrupted program (128 and the signal's number; 130 for Ctrl-C). What was
  /// answered is saved either way.
  private static func exitIfInterrupted(_ terminal: NcursesTerminal, _ state: AppState) throws {
    if let signal = terminal.stoppingSignal { throw ExitCode(128 + signal) }
    if state.interrupted { throw ExitCode(128 + SIGINT) }
  }

  /// A student in a live class, full screen: the host's messages come through the run loop's
  /// inbox, and answers go back through the `classSend` command.
  static func runClass(_ session: Session, address: ClassAddress, code: String, name: String) throws {
    let progress = try session.progress()
    let terminal = try openTerminal(session)
    var state = AppState(course: session.course, progress: progress, size: terminal.size, seed: 0, now: session.clock())
    state.stack = [.classroom(ClassScreen.State())]
    final class Connection: @unchecked Sendable { var link: ClassLink? }
    let connection = Connection()
    let runner = Runner(state: state, terminal: terminal, clock: session.clock) { command in
      switch command {
      case .classSend(.bye):
        connection.link?.leave()
        return nil
      case .classSend(let message):
        connection.link?.send(message)
        return nil
      default:
        return session.execute(command)
      }
    }
    let inbox = runner.inbox
    let link = ClassLink.make(session, address: address, code: code, name: name) { event in
      switch event {
      case .message(let message): inbox.post(.classroom(message))
      case .reconnecting: inbox.post(.classConnection(.reconnecting))
      case .reconnected: inbox.post(.classConnection(.reconnected))
      case .closed: inbox.post(.classConnection(.closed))
      }
    }
    do {
      try link.start()
    } catch {
      terminal.shutdown()
      Diagnostics.printError("Cannot reach the class at \(address): \(error)")
      throw ExitCode(69)
    }
    connection.link = link
    // While the student waits for the class to begin.
    runner.afterFirstFrame = {
      session.warmUpStore()
      return nil
    }
    runner.run()
    terminal.shutdown()
    link.close()
    if let reason = runner.state.stopReason {
      Diagnostics.printError(reason)
      throw ExitCode(74)
    }
    try exitIfInterrupted(terminal, runner.state)
  }

  /// The teacher's full screen for a live class: the host's events come through the run loop's
  /// inbox, and the teacher's keys go to the host as commands.
  static func runHost(
    _ session: Session, host: ClassHost, events: ClassEventSink, join: String, quiz: Quiz, seconds: Int,
    keeper: ClassResults
  ) throws {
    let terminal = try openTerminal(session)
    var state = AppState(
      course: session.course, progress: LearnerProgress(), size: terminal.size, seed: 0, now: session.clock())
    state.stack = [
      .host(
        HostScreen.State(
          join: join, quizTitle: quiz.title, questionIDs: quiz.questions.map(\.id), secondsPerQuestion: seconds))
    ]
    let runner = Runner(state: state, terminal: terminal, clock: session.clock) { command in
      switch command {
      case .hostCommand(let command):
        host.perform(command)
        return nil
      case .quit:
        return nil
      default:
        return session.execute(command)
      }
    }
    let inbox = runner.inbox
    events.forward { event in
      if case .ended(let report, _) = event {
        for line in keeper.keep(report) { inbox.post(.classHost(.note(line))) }
      }
      inbox.post(.classHost(event))
    }
    runner.run()
    terminal.shutdown()
    host.perform(.end)
    host.shutdown()
    for line in keeper.messages { print(line) }
    if !keeper.failures.isEmpty {
      keeper.failures.forEach(Diagnostics.printError)
      throw ExitCode(74)
    }
    try exitIfInterrupted(terminal, runner.state)
  }
}
