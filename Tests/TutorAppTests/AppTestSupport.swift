import Foundation
import TerminalUI
import TutorApp
import TutorCore
import TutorTestSupport

/// Builds app states and sends keys, as a learner would; the clock is in the test's hands.
struct AppDriver {
  var state: AppState
  var commands: [Command] = []
  var now = Date(timeIntervalSince1970: 1_800_000_000)

  init(
    size: Size = Size(width: 80, height: 24), progress: LearnerProgress = LearnerProgress(), course: Course = Fixtures.courseWithTypes,
    mode: QuizMode = .practice, asksConfidence: Bool = false
  ) {
    state = AppState(
      course: course, progress: progress, size: size, seed: 1, now: now, quizMode: mode, asksConfidence: asksConfidence)
  }

  /// Sends keys; collects the commands; answers `beginQuizAttempt` as the store would.
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

  private mutating func send(_ message: AppMessage) -> [Command] {
    let result = App.update(&state, message)
    for case .beginQuizAttempt(let quizID, _, _, _, _) in result {
      _ = App.update(&state, .quizAttemptBegan(quizID: quizID, attempt: 42))
    }
    commands += result
    return result
  }

  var screen: [String] { App.render(state).lines }
  var text: String { screen.joined(separator: "\n") }

  var quiz: QuizScreen.State? { if case .quiz(let s) = state.top { s } else { nil } }
}
