import Foundation
import TerminalUI
import TutorCore

/// The whole application state: the course, the learner's progress, the screen stack.
public struct AppState: Equatable, Sendable {
  public var course: Course
  public var progress: LearnerProgress
  public var stack: [Screen]
  public var size: Size
  public var showsHelp = false
  public var status: String?
  /// Seeds the shuffling of quiz attempts, reviews and lesson visits (`--seed`), mixed with the
  /// time of each encounter so every encounter looks fresh.
  public var seed: UInt64
  /// Encounters begun so far (attempts, reviews, lesson visits): each is shuffled afresh.
  public var encounters = 0
  /// The runner's clock at the last message.
  public var now: Date
  /// `--exam` and `--confidence`: how quizzes begun in this session run.
  public var quizMode: QuizMode
  public var asksConfidence: Bool
  /// A review session's time budget (`tutor review --minutes`).
  public var reviewBudget: TimeInterval?
  /// Why the session stopped early: an answer or a position could not be saved.
  public var stopReason: String?
  /// The learner left with Ctrl-C: every answer given is kept, and the program's exit status
  /// says it was interrupted (130), as a shell expects.
  public var interrupted = false

  public init(
    course: Course, progress: LearnerProgress, size: Size, seed: UInt64, now: Date = Date(timeIntervalSince1970: 0),
    quizMode: QuizMode = .practice, asksConfidence: Bool = false
  ) {
    self.course = course
    self.progress = progress
    self.size = size
    self.seed = seed
    self.now = now
    self.quizMode = quizMode
    self.asksConfidence = asksConfidence
    stack = [.home(HomeScreen.State())]
  }

  var context: AppContext {
    AppContext(course: course, progress: progress, seed: seed, now: now, reviewBudget: reviewBudget)
  }
  public var top: Screen { stack[stack.count - 1] }

  /// The seed of the next encounter: `seed` itself for the first, then fresh ones.
  mutating func nextSeed() -> UInt64 {
    defer { encounters += 1 }
    return EncounterSeed.make(seed, encounter: encounters)
  }

  /// The screen on top, through the common screen interface.
  var topModel: any ScreenModel {
    get { stack[stack.count - 1].model }
    set { stack[stack.count - 1].model = newValue }
  }
}

/// Messages the run loop feeds to `App.update`, from the terminal, the clock, command replies
/// and any other source that posts to the runner's inbox.
public enum AppMessage: Equatable, Sendable {
  case key(Key)
  /// The runner's clock, sent before each key and every quarter second while idle.
  case clockTicked(Date)
  case resized(Size)
  case quizAttemptBegan(quizID: String, attempt: Int64)
  /// The store scheduled a question's next review.
  case answerScheduled(questionID: String, due: Date)
  case reviewQueueLoaded(ReviewQueue)
  /// The full course, read while the home screen was drawn from its summary.
  case courseLoaded(Course)
  case progressReviewLoaded(ProgressReview)
  /// A live class's host said something (posted to the run loop's inbox by the connection).
  case classroom(HostMessage)
  /// Something happened in the class this tutor hosts.
  case classHost(ClassHostEvent)
  /// The student's connection to a live class dropped, came back, or is gone.
  case classConnection(ClassConnection)
  case commandFailed(String)
  /// Saving failed: the session stops, so that nothing unsaved is counted or shown as kept.
  case saveFailed(String)
  case hangUp
}

/// The pure heart of the program: update and render.
public enum App {
  /// Below this size the screens are not drawn.
  public static let minimumSize = Size(width: 40, height: 12)

  // MARK: - Update

  public static func update(_ state: inout AppState, _ message: AppMessage) -> [Command] {
    let commands = handle(message, &state)
    layOut(&state)
    return commands
  }

  /// Gives the screen on top the size of its text area, so it can keep what matters in view.
  static func layOut(_ state: inout AppState) {
    let area = textArea(state)
    let viewport = Size(width: max(1, area.width), height: max(1, area.height))
    let context = state.context
    state.topModel.layOut(viewport: viewport, context: context)
  }

  private static func handle(_ message: AppMessage, _ state: inout AppState) -> [Command] {
    switch message {
    case .resized(let size):
      state.size = size
      return []
    case .hangUp:
      return [.quit]
    case .clockTicked(let now):
      state.now = now
      return deliver(.clockTicked, to: &state)
    case .commandFailed(let text):
      state.status = text
      return []
    case .saveFailed(let text):
      state.stopReason = text
      return [.quit]
    case .answerScheduled(let questionID, let due):
      return deliver(.answerScheduled(questionID: questionID, due: due), to: &state)
    case .reviewQueueLoaded(let queue):
      state.progress.review = queue
      return []
    case .courseLoaded(let course):
      state.course = course
      return []
    case .progressReviewLoaded(let stats):
      return deliver(.progressReviewLoaded(stats), to: &state)
    case .classroom(let message):
      return deliver(.classMessage(message), to: &state)
    case .classHost(let event):
      return deliver(.classHost(event), to: &state)
    case .classConnection(let connection):
      return deliver(.classConnection(connection), to: &state)
    case .quizAttemptBegan(let quizID, let attempt):
      if case .quiz(let quiz) = state.top, quiz.session.run.quiz.id == quizID {
        state.progress.apply(quiz.session.beginning, at: state.now, attemptID: attempt)
      }
      return deliver(.attemptBegun(quizID: quizID, attempt: attempt), to: &state)
    case .key(let key):
      return handle(key, &state)
    }
  }

  private static func deliver(_ event: ScreenEvent, to state: inout AppState) -> [Command] {
    let context = state.context
    let effects = state.topModel.receive(event, context: context)
    return apply(effects, to: &state)
  }

  private static func handle(_ key: Key, _ state: inout AppState) -> [Command] {
    if key == .control("c") {
      state.interrupted = true
      return [.quit]
    }
    if state.size.width < minimumSize.width || state.size.height < minimumSize.height {
      return key == .character("q") || key == .escape ? [.quit] : []
    }
    if state.showsHelp {
      state.showsHelp = false
      return []
    }
    // `?` opens the help, except while typing an answer: there it does on an empty field; F1 always.
    let typing = state.topModel.typing
    if key == .f1 || (key == .character("?") && (typing == nil || typing?.isEmpty == true)) {
      state.showsHelp = true
      return []
    }
    state.status = nil
    let context = state.context
    guard let effects = state.topModel.handle(key, context: context) else { return [] }
    return apply(effects, to: &state)
  }

  /// Applies navigation and status effects; returns the commands for the runner.
  static func apply(_ effects: [Effect], to state: inout AppState) -> [Command] {
    var commands: [Command] = []
    for effect in effects {
      switch effect {
      case .run(let command):
        if case .save(let change) = command { state.progress.apply(change, at: state.now) }
        commands.append(command)
      case .open(let destination):
        commands += open(destination, in: &state, layingOut: false)
      case .pop:
        if state.stack.count > 1 { state.stack.removeLast() }
        // Back home, the cursor rests on the first row (Continue or Review), and the review
        // queue is read again: answers have moved schedules.
        if case .home = state.top {
          state.stack[state.stack.count - 1] = .home(HomeScreen.State())
          commands.append(.loadReviewQueue)
        }
      case .status(let text):
        state.status = text
      }
    }
    return commands
  }

  /// Opens a destination (the screens' navigation, and `tutor study` and `tutor quiz` directly);
  /// returns the commands to run.
  public static func open(_ destination: Destination, in state: inout AppState) -> [Command] {
    open(destination, in: &state, layingOut: true)
  }

  private static func open(_ destination: Destination, in state: inout AppState, layingOut: Bool) -> [Command] {
    let effects = Navigation.effects(for: destination, state: &state)
    let commands = apply(effects, to: &state)
    if layingOut { layOut(&state) }
    return commands
  }

  /// Where the screen on top writes its text: beside its side panel on a wide terminal.
  static func textArea(_ state: AppState) -> Rect {
    let hasPanel =
      Chrome.panelArea(for: state.size).map { state.topModel.panel(state.context, width: $0.width - 4) != nil } ?? false
    return Chrome.textArea(for: state.size, withPanel: hasPanel)
  }

  /// The keys of the screen on top, for the footer and the help overlay.
  public static func help(_ state: AppState) -> [HelpEntry] {
    var entries = state.topModel.help(state.context)
    if state.topModel.typing != nil {
      // While typing, `?` is a character (on an empty field it still opens the help): F1 is the help.
      entries.append(HelpEntry(keys: "F1", help: "keys", inFooter: true))
    } else {
      entries.append(HelpEntry(keys: "?", help: "keys", inFooter: true))
    }
    return entries
  }

  // MARK: - Rendering

  public static func render(_ state: AppState) -> Grid {
    var grid = Grid(size: state.size)
    if state.size.width < minimumSize.width || state.size.height < minimumSize.height {
      Chrome.drawTooSmall(state.size, minimum: minimumSize, into: &grid)
      return grid
    }
    let help = help(state)
    let context = state.context
    let model = state.topModel
    let (title, right) = model.title(context)
    let body = Chrome.draw(title: title, right: right, help: help, status: state.status, in: grid.bounds, into: &grid)
    let text = textArea(state)
    model.render(context, body: body, textArea: text, into: &grid)
    if let area = Chrome.panelArea(for: state.size), let panel = model.panel(context, width: area.width - 4),
      !state.showsHelp
    {
      Chrome.drawPanel(title: panel.title, lines: panel.lines, in: area, into: &grid)
    }
    if state.showsHelp {
      Chrome.drawHelp(help.filter { $0.keys != "?" }, in: body, into: &grid)
    }
    return grid
  }
}
