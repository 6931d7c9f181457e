import Foundation
import TerminalUI
import TutorCore

/// The fixed interface every screen offers the app: its key table, update, replies, layout
/// and drawing. The app routes through it and never switches over screens per concern.
protocol ScreenModel: Sendable {
  /// The key table of the screen as it is now: routing, footer and help come from it.
  func help(_ context: AppContext) -> [HelpEntry]
  /// Handles a key; nil when the screen does not take it.
  mutating func handle(_ key: Key, context: AppContext) -> [Effect]?
  /// Handles a reply or a clock tick.
  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect]
  /// Fits scrolling to the text area (after every update and resize).
  mutating func layOut(viewport: Size, context: AppContext)
  func title(_ context: AppContext) -> (left: String, right: String)
  /// Draws into the body (inside the chrome) or the text area within it.
  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid)
  /// Whether printable keys go into a text field, and whether it is empty (where `?` still
  /// opens the help); nil when keys are commands.
  var typing: Typing? { get }
  /// What a wide terminal shows beside the text (an outline, terms, a question grid), if anything.
  func panel(_ context: AppContext, width: Int) -> Panel?
}

/// The side panel's content.
struct Panel {
  var title: String
  var lines: [[StyledText]]
}

/// A text field that takes the printable keys.
struct Typing: Equatable {
  var isEmpty: Bool
}

/// What reaches a screen besides keys.
enum ScreenEvent: Equatable, Sendable {
  case clockTicked
  case attemptBegun(quizID: String, attempt: Int64)
  case answerScheduled(questionID: String, due: Date)
  case progressReviewLoaded(ProgressReview)
  case classMessage(HostMessage)
  case classHost(ClassHostEvent)
  case classConnection(ClassConnection)
}

extension ScreenModel {
  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect] { [] }
  mutating func layOut(viewport: Size, context: AppContext) {}
  var typing: Typing? { nil }
  func panel(_ context: AppContext, width: Int) -> Panel? { nil }
}

extension Screen {
  /// The one switch between the stack's typed screens and their common interface.
  var model: any ScreenModel {
    get {
      switch self {
      case .home(let state): state
      case .lesson(let state): state
      case .quiz(let state): state
      case .results(let state): state
      case .progress(let state): state
      case .search(let state): state
      case .list(let state): state
      case .classroom(let state): state
      case .host(let state): state
      }
    }
    set {
      switch newValue {
      case let state as HomeScreen.State: self = .home(state)
      case let state as LessonScreen.State: self = .lesson(state)
      case let state as QuizScreen.State: self = .quiz(state)
      case let state as ResultsScreen.State: self = .results(state)
      case let state as ProgressScreen.State: self = .progress(state)
      case let state as SearchScreen.State: self = .search(state)
      case let state as ListScreen.State: self = .list(state)
      case let state as ClassScreen.State: self = .classroom(state)
      case let state as HostScreen.State: self = .host(state)
      default: preconditionFailure("a screen model without a case in Screen")
      }
    }
  }
}
