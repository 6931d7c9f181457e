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
  /// Seeds the shuffling of new quiz attempts (`--seed`).
  public var seed: UInt64
  /// The runner's clock at the last message.
  public var now: Date
  /// `--exam` and `--confidence`: how quizzes opened in this session run.
  public var quizMode: QuizMode
  public var asksConfidence: Bool
  /// A review session's time budget (`tutor review --minutes`).
  public var reviewBudget: TimeInterval?
  /// Why the session stopped early: an answer or a position could not be saved.
  public var stopReason: String?

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
    AppContext(
      course: course, progress: progress, seed: seed, now: now, quizMode: quizMode, asksConfidence: asksConfidence,
      reviewBudget: reviewBudget)
  }
  public var top: Screen { stack[stack.count - 1] }
}

/// Messages the run loop feeds to `App.update`.
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
  case answerStatsLoaded([String: AnswerStats])
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
    let area = Chrome.textArea(for: state.size)
    let viewport = Size(width: max(1, area.width), height: max(1, area.height))
    switch state.top {
    case .lesson(var screen):
      screen.viewport = viewport
      LessonScreen.layOut(&screen, course: state.course)
      state.stack[state.stack.count - 1] = .lesson(screen)
    case .quiz(var screen):
      screen.viewport = viewport
      let count = QuizScreen.lines(screen, width: viewport.width).count
      screen.scroll = ScrollView.clampedScroll(screen.scroll, lineCount: count, height: viewport.height)
      state.stack[state.stack.count - 1] = .quiz(screen)
    case .results(var screen):
      let count = ResultsScreen.lines(screen, course: state.course, width: viewport.width).count
      screen.scroll = ScrollView.clampedScroll(screen.scroll, lineCount: count, height: viewport.height)
      state.stack[state.stack.count - 1] = .results(screen)
    case .progress(var screen):
      let count = ProgressScreen.lines(screen, context: state.context, width: viewport.width).count
      screen.scroll = ScrollView.clampedScroll(screen.scroll, lineCount: count, height: viewport.height)
      state.stack[state.stack.count - 1] = .progress(screen)
    default:
      break
    }
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
      guard case .quiz(var quiz) = state.top else { return [] }
      let effects = QuizScreen.update(&quiz, .clockTicked, context: state.context)
      state.stack[state.stack.count - 1] = .quiz(quiz)
      return apply(effects, to: &state)
    case .commandFailed(let text):
      state.status = text
      return []
    case .saveFailed(let text):
      state.stopReason = text
      return [.quit]
    case .answerScheduled(let questionID, let due):
      if case .quiz(var quiz) = state.top {
        quiz.nextReviews[questionID] = due
        state.stack[state.stack.count - 1] = .quiz(quiz)
      }
      return []
    case .reviewQueueLoaded(let queue):
      state.progress.review = queue
      return []
    case .courseLoaded(let course):
      state.course = course
      return []
    case .answerStatsLoaded(let stats):
      if case .progress(var screen) = state.top {
        screen.stats = stats
        state.stack[state.stack.count - 1] = .progress(screen)
      }
      return []
    case .quizAttemptBegan(let quizID, let attempt):
      guard case .quiz(var quiz) = state.top, quiz.run.quiz.id == quizID else { return [] }
      quiz.attemptID = attempt
      state.stack[state.stack.count - 1] = .quiz(quiz)
      state.progress.quizzes[quizID, default: QuizProgress()].openAttempt = OpenAttempt(
        id: attempt, seed: quiz.run.seed, order: quiz.run.order, grades: [:], mode: quiz.mode.rawValue, startedAt: state.now,
        asksConfidence: quiz.asksConfidence)
      return []
    case .key(let key):
      return handle(key, &state)
    }
  }

  private static func handle(_ key: Key, _ state: inout AppState) -> [Command] {
    if key == .control("c") { return [.quit] }
    if state.size.width < minimumSize.width || state.size.height < minimumSize.height {
      return key == .character("q") || key == .escape ? [.quit] : []
    }
    if state.showsHelp {
      state.showsHelp = false
      return []
    }
    // `?` opens the help, except while typing an answer: there it does on an empty field.
    if key == .character("?") && (!capturesText(state) || typedInput(state)?.activeFieldIsEmpty == true) {
      state.showsHelp = true
      return []
    }
    state.status = nil
    let context = state.context
    let effects: [Effect]
    switch state.top {
    case .home(var screen):
      guard let message: HomeScreen.Message = HomeScreen.keymap.message(for: key) else { return [] }
      effects = HomeScreen.update(&screen, message, context: context)
      state.stack[state.stack.count - 1] = .home(screen)
    case .lesson(var screen):
      guard let message = LessonScreen.message(for: key, state: screen) else { return [] }
      effects = LessonScreen.update(&screen, message, context: context)
      state.stack[state.stack.count - 1] = .lesson(screen)
    case .quiz(var screen):
      guard let message = QuizScreen.message(for: key, state: screen) else { return [] }
      effects = QuizScreen.update(&screen, message, context: context)
      state.stack[state.stack.count - 1] = .quiz(screen)
    case .results(var screen):
      guard let message: ResultsScreen.Message = ResultsScreen.keymap(screen).message(for: key) else { return [] }
      effects = ResultsScreen.update(&screen, message, context: context)
      state.stack[state.stack.count - 1] = .results(screen)
    case .progress(var screen):
      guard let message: ProgressScreen.Message = ProgressScreen.keymap.message(for: key) else { return [] }
      effects = ProgressScreen.update(&screen, message)
      state.stack[state.stack.count - 1] = .progress(screen)
    }
    return apply(effects, to: &state)
  }

  /// The answer being typed on the screen on top, if printable keys go into a text field.
  static func typedInput(_ state: AppState) -> AnswerInput? {
    switch state.top {
    case .quiz(let s): QuizScreen.typedInput(s)
    case .lesson(let s): LessonScreen.typedInput(s)
    default: nil
    }
  }

  /// True when printable keys go into a text field on the screen on top.
  static func capturesText(_ state: AppState) -> Bool {
    switch state.top {
    case .quiz(let s): QuizScreen.capturesText(s)
    case .lesson(let s): LessonScreen.capturesText(s)
    default: false
    }
  }

  /// Applies navigation and status effects; returns the commands for the runner.
  static func apply(_ effects: [Effect], to state: inout AppState) -> [Command] {
    var commands: [Command] = []
    for effect in effects {
      switch effect {
      case .run(let command):
        state.progress.apply(command, course: state.course)
        commands.append(command)
      case .push(let screen):
        state.stack.append(screen)
      case .replaceTop(let screen):
        state.stack[state.stack.count - 1] = screen
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

  /// Opens a lesson or quiz directly (as `tutor study` and `tutor quiz` do); returns the commands to run.
  public static func open(_ entry: HomeScreen.Entry, in state: inout AppState) -> [Command] {
    let commands = apply(HomeScreen.open(entry, context: state.context), to: &state)
    layOut(&state)
    return commands
  }

  /// The keys of the screen on top, for the footer and the help overlay.
  public static func help(_ state: AppState) -> [HelpEntry] {
    var entries: [HelpEntry]
    switch state.top {
    case .home: entries = HomeScreen.keymap.map(\.helpEntry)
    case .lesson(let s): entries = LessonScreen.keymap(s).map(\.helpEntry)
    case .quiz(let s): entries = QuizScreen.keymap(s).map(\.helpEntry)
    case .results(let s): entries = ResultsScreen.keymap(s).map(\.helpEntry)
    case .progress: entries = ProgressScreen.keymap.map(\.helpEntry)
    }
    if let typed = typedInput(state) {
      // While typing, `?` is a character; on an empty field it still opens the help.
      entries.append(HelpEntry(keys: "?", help: "keys (empty field)", inFooter: typed.activeFieldIsEmpty))
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
    let (title, right): (String, String)
    switch state.top {
    case .home: (title, right) = (state.course.info.title, state.course.lessons.count == 1 ? "1 lesson " : "\(state.course.lessons.count) lessons ")
    case .lesson(let s): (title, right) = LessonScreen.title(s)
    case .quiz(let s): (title, right) = QuizScreen.title(s, now: state.now)
    case .results(let s): (title, right) = ("Results: " + s.run.quiz.title, "")
    case .progress: (title, right) = ("Progress: " + state.course.info.title, "")
    }
    let body = Chrome.draw(title: title, right: right, help: help, status: state.status, in: grid.bounds, into: &grid)
    switch state.top {
    case .home(let s): HomeScreen.render(s, context: state.context, in: body, into: &grid)
    case .lesson(let s): LessonScreen.render(s, course: state.course, in: Chrome.textArea(for: state.size), into: &grid)
    case .quiz(let s): QuizScreen.render(s, now: state.now, in: Chrome.textArea(for: state.size), into: &grid)
    case .results(let s): ResultsScreen.render(s, course: state.course, in: Chrome.textArea(for: state.size), into: &grid)
    case .progress(let s): ProgressScreen.render(s, context: state.context, in: Chrome.textArea(for: state.size), into: &grid)
    }
    if state.showsHelp {
      Chrome.drawHelp(help.filter { $0.keys != "?" }, in: body, into: &grid)
    }
    return grid
  }
}

extension LearnerProgress {
  /// Mirrors in memory what the store does for `command`, so screens show it at once.
  mutating func apply(_ command: Command, course: Course) {
    switch command {
    case .recordAnswer(let answer):
      switch answer.context {
      case .checkpoint(let lesson) where answer.grade.isCorrect:
        lessons[lesson, default: LessonProgress()].passedCheckpoints.insert(answer.questionID)
      case .quiz(let quiz, _):
        quizzes[quiz, default: QuizProgress()].openAttempt?.grades[answer.questionID] = answer.grade
      default: break
      }
    case .withdrawAnswer(let questionID, let attempt):
      for (id, quiz) in quizzes where quiz.openAttempt?.id == attempt {
        quizzes[id]?.openAttempt?.grades[questionID] = nil
      }
    case .beginQuizAttempt(let quizID, _, _, _, _):
      resume = .quiz(id: quizID)
    case .finishQuizAttempt:
      for (id, var quiz) in quizzes where quiz.openAttempt != nil {
        if case .finishQuizAttempt(let attempt, let score) = command, quiz.openAttempt?.id == attempt {
          let counts = quiz.openAttempt?.mode != QuizMode.retry.rawValue
          quiz.openAttempt = nil
          if counts {
            quiz.lastScore = score
            if quiz.bestScore.map({ score.fraction > $0.fraction }) ?? true { quiz.bestScore = score }
          }
          quizzes[id] = quiz
          if resume == .quiz(id: id) { resume = nil }
        }
      }
    case .saveLessonPosition(let lessonID, let step):
      lessons[lessonID, default: LessonProgress()].step = step
      resume = .lesson(id: lessonID, step: step)
    case .markLessonComplete(let lessonID):
      lessons[lessonID, default: LessonProgress()].isComplete = true
    case .loadReviewQueue, .loadAnswerStats, .quit:
      break
    }
  }
}
