import Foundation
import TerminalUI
import TutorApp
import TutorCore
import TutorTestSupport

/// Builds app states and sends keys, as a learner would; the clock is in the test's hands.
/// Commands run against an in-memory store, as the real run loop runs them against SQLite.
struct AppDriver {
  var state: AppState
  var commands: [Command] = []
  var now = testDate
  let store = MemoryProgressStore()

  init(
    size: Size = Size(width: 80, height: 24), progress: LearnerProgress = LearnerProgress(),
    course: Course = Fixtures.courseWithTypes,
    mode: QuizMode = .practice, asksConfidence: Bool = false
  ) {
    state = AppState(
      course: course, progress: progress, size: size, seed: 1, now: now, quizMode: mode, asksConfidence: asksConfidence)
  }

  /// Sends keys; collects the commands, which the store carries out.
  @discardableResult
  mutating func press(_ keys: Key...) -> [Command] {
    var produced: [Command] = []
    for key in keys {
      produced += send(.clockTicked(now))
      produced += send(.key(key))
    }
    return produced
  }

  /// Types text into a field, character by character.
  @discardableResult
  mutating func type(_ text: String) -> [Command] {
    var produced: [Command] = []
    for character in text { produced += press(.character(character)) }
    return produced
  }

  /// Lets time pass; the runner's tick is sent.
  @discardableResult
  mutating func wait(seconds: TimeInterval) -> [Command] {
    now = now.addingTimeInterval(seconds)
    return send(.clockTicked(now))
  }

  /// Opens a destination directly (as `tutor study` and `tutor quiz` do).
  @discardableResult
  mutating func open(_ destination: Destination) -> [Command] {
    run(App.open(destination, in: &state))
  }

  mutating func send(_ message: AppMessage) -> [Command] {
    run(App.update(&state, message))
  }

  /// Carries out commands as the runner does, feeding each reply back in.
  private mutating func run(_ produced: [Command]) -> [Command] {
    var all = produced
    var pending = produced
    let clock = { [now] in now }
    let executor = CommandExecutor(store: store, learner: 1, clock: clock)
    while !pending.isEmpty {
      let command = pending.removeFirst()
      guard let reply = executor.execute(command) else { continue }
      let more = App.update(&state, reply)
      all += more
      pending += more
    }
    commands += all
    return all
  }

  var screen: [String] { App.render(state).lines }
  var text: String { screen.joined(separator: "\n") }

  var quiz: QuizScreen.State? { if case .quiz(let s) = state.top { s } else { nil } }
}
