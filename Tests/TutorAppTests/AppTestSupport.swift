import TerminalUI
import TutorApp
import TutorCore
import TutorTestSupport

/// Builds app states and sends keys, as a learner would.
struct AppDriver {
  var state: AppState
  var commands: [Command] = []

  init(size: Size = Size(width: 80, height: 24), progress: LearnerProgress = LearnerProgress(), course: Course = Fixtures.course) {
    state = AppState(course: course, progress: progress, size: size, seed: 1)
  }

  /// Sends keys; collects the commands; answers `beginQuizAttempt` as the store would.
  @discardableResult
  mutating func press(_ keys: Key...) -> [Command] {
    var produced: [Command] = []
    for key in keys {
      let result = App.update(&state, .key(key))
      produced += result
      for case .beginQuizAttempt(let quizID, _, _) in result {
        _ = App.update(&state, .quizAttemptBegan(quizID: quizID, attempt: 42))
      }
    }
    commands += produced
    return produced
  }

  var screen: [String] { App.render(state).lines }
  var text: String { screen.joined(separator: "\n") }
}
