import ArgumentParser
import Foundation
import TerminalNcurses
import TerminalUI
import TutorApp
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

  static func run(
    _ session: Session, seed: UInt64 = UInt64.random(in: 0...UInt64(Int64.max)), mode: QuizMode = .practice,
    asksConfidence: Bool = false, opening entry: Destination? = nil, reviewBudget: TimeInterval? = nil
  ) throws {
    let progress = try session.progress()
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(color: session.options.usesColor)
    } catch {
      Diagnostics.printError("\(error)")
      throw ExitCode(1)
    }
    var state = AppState(
      course: session.course, progress: progress, size: terminal.size, seed: seed, now: session.clock(),
      quizMode: mode, asksConfidence: asksConfidence)
    state.reviewBudget = reviewBudget
    var initial: [Command] = []
    if let entry { initial = App.open(entry, in: &state) }
    let runner = Runner(state: state, terminal: terminal, clock: session.clock, execute: session.execute)
    var failedLoad: CourseLoadResult?
    if session.pending != nil {
      // Drawn from the cached summary; the full course is awaited before the first key.
      runner.afterFirstFrame = {
        guard let result = session.fullCourse(), let course = result.course, !result.hasErrors else {
          failedLoad = session.fullCourse()
          return .hangUp
        }
        return .courseLoaded(course)
      }
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
  }
}
