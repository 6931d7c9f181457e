import Foundation
import TerminalUI
import TutorCore

/// Asks the questions of a quiz one by one.
public enum QuizScreen {
  // MARK: - State

  public enum Phase: Equatable, Sendable {
    case answering
    /// Answered; waiting for how sure the learner was.
    case confidence(Response)
    case feedback(Grade, Response)
  }

  public struct State: Equatable, Sendable {
    /// The rules of the run: answers, hints, time, attempt.
    public var session: QuizSession
    public var input: AnswerInput
    public var phase: Phase = .answering
    public var scroll = 0
    /// Columns and rows of the text area, set by the app from the terminal size.
    public var viewport = Size(width: 76, height: 20)
    /// When each answered question is next due, as the store scheduled it.
    public var nextReviews: [String: Date] = [:]

    public init(session: QuizSession) {
      self.session = session
      let question = session.currentQuestion ?? session.run.quiz.questions[0]
      input = AnswerInput(question: question, presentation: session.presentation(of: question))
    }

    public var run: QuizRun { session.run }
    public var mode: QuizMode { session.mode }
    var question: Question { input.question }
    var isPractice: Bool { mode.helps }
    var canUndo: Bool { mode.canUndo }
    var canGoBack: Bool { session.canGoBack && phase == .answering }
  }

  public enum Message: Equatable, Sendable {
    case input(AnswerInput.Message)
    case answerSubmitted, confidenceGiven(Confidence), nextRequested, previousRequested
    case hintRequested, lessonRequested, undoRequested
    case scrolledUp, scrolledDown, quitRequested
    case clockTicked
  }

  // MARK: - Keys

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    let leave = KeyBinding<Message>(
      state.input.capturesText && state.phase == .answering ? [.escape] : [.character("q"), .escape], .quitRequested,
      "leave")
    switch state.phase {
    case .confidence:
      return [
        KeyBinding([.character("1"), .character("s")], .confidenceGiven(.sure), "sure"),
        KeyBinding([.character("2"), .character("u")], .confidenceGiven(.unsure), "unsure"),
        KeyBinding([.character("3"), .character("g")], .confidenceGiven(.guessing), "guessing"),
        leave,
      ]
    case .feedback:
      var bindings: [KeyBinding<Message>] = [
        KeyBinding(
          [.enter, .right, .character(" "), .character("l")], .nextRequested,
          state.run.currentIndex + 1 < state.run.order.count ? "next question" : "results"),
        KeyBinding([.down, .character("j")], .scrolledDown, "scroll", footer: false),
        KeyBinding([.up, .character("k")], .scrolledUp, "scroll back", footer: false),
      ]
      if state.canUndo { bindings.append(KeyBinding([.character("u")], .undoRequested, "undo")) }
      if state.isPractice && state.question.see != nil {
        bindings.append(KeyBinding([.character("o")], .lessonRequested, "open lesson"))
      }
      return bindings + [leave]
    case .answering:
      var bindings = state.input.keymap.map {
        KeyBinding($0.keys, Message.input($0.message), $0.help, footer: $0.inFooter)
      }
      bindings.append(KeyBinding([.enter], .answerSubmitted, "answer"))
      if state.isPractice && state.session.hintsShown < state.question.hints.count {
        bindings.append(KeyBinding([.control("t")], .hintRequested, "hint"))
      }
      if state.isPractice && state.question.see != nil {
        bindings.append(KeyBinding([.control("o")], .lessonRequested, "lesson"))
      }
      if state.canGoBack { bindings.append(KeyBinding([.pageUp], .previousRequested, "previous question")) }
      return bindings + [leave]
    }
  }

  static func message(for key: Key, state: State) -> Message? {
    if let bound: Message = keymap(state).message(for: key) { return bound }
    guard state.phase == .answering, let inner = state.input.message(for: key) else { return nil }
    return .input(inner)
  }

  static func capturesText(_ state: State) -> Bool { state.phase == .answering && state.input.capturesText }

  /// The answer being typed, when text is captured (for `?` on an empty field).
  static func typedInput(_ state: State) -> AnswerInput? { capturesText(state) ? state.input : nil }

  // MARK: - Update

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    switch message {
    case .input(let inner):
      if case .typed = inner, state.input.isFull {
        return [.status("An answer may be at most \(PlainText.maximumAnswerLength) characters long.")]
      }
      state.input.update(inner)
    case .answerSubmitted:
      return submit(&state, context: context)
    case .confidenceGiven(let confidence):
      guard case .confidence(let response) = state.phase else { return [] }
      return commit(&state, response: response, confidence: confidence, context: context)
    case .nextRequested:
      return next(&state, context: context)
    case .previousRequested:
      guard state.canGoBack else { return [] }
      state.session.goBack(at: context.now)
      showCurrent(&state)
    case .hintRequested:
      _ = state.session.askHint()
    case .lessonRequested:
      guard state.isPractice, let see = state.question.see else { return [] }
      return [.open(.lookUp(see: see))]
    case .undoRequested:
      guard case .feedback(_, let response) = state.phase, let change = state.session.withdraw() else { return [] }
      state.input = AnswerInput(question: state.question, presentation: state.input.presentation, response: response)
      state.phase = .answering
      return [.run(.save(change)), .status("Answer withdrawn: answer again.")]
    case .scrolledUp:
      state.scroll = max(0, state.scroll - 1)
    case .scrolledDown:
      state.scroll += 1
    case .quitRequested:
      return [.pop]
    case .clockTicked:
      return timeUp(&state, context: context)
    }
    return []
  }

  private static func submit(_ state: inout State, context: AppContext) -> [Effect] {
    guard state.phase == .answering else { return [] }
    switch state.input.response {
    case .failure(let problem):
      return [.status(problem.sentence)]
    case .success(let response):
      if state.session.asksConfidence {
        state.phase = .confidence(response)
        return []
      }
      return commit(&state, response: response, confidence: nil, context: context)
    }
  }

  private static func commit(_ state: inout State, response: Response, confidence: Confidence?, context: AppContext)
    -> [Effect]
  {
    guard let answered = state.session.answer(response, confidence: confidence, at: context.now) else { return [] }
    var effects: [Effect] = [
      answered.change.map { .run(.save($0)) } ?? .status("This answer could not be saved: no attempt is open.")
    ]
    if answered.leechSlipped && answered.question.see != nil {
      effects.append(.status("This question keeps slipping (a leech): press o to read its lesson step again."))
    }
    guard state.session.showsFeedbackNow else { return effects + next(&state, context: context) }
    state.phase = .feedback(answered.grade, response)
    let before = QuestionView.lines(model(state, graded: false), width: state.viewport.width).count
    let after = QuestionView.lines(model(state), width: state.viewport.width).count
    state.scroll = max(0, min(after - state.viewport.height, before - 2))
    return effects
  }

  private static func next(_ state: inout State, context: AppContext) -> [Effect] {
    let changes = state.session.advance(at: context.now)
    guard state.session.isFinished else {
      showCurrent(&state)
      return []
    }
    var effects = changes.map { Effect.run(.save($0)) } + [.open(.results(state.session))]
    if state.session.budgetReached {
      effects.append(.status("Time budget reached: the session ends here; every answer is saved."))
    }
    return effects
  }

  /// When an exam's time runs out, the answer in progress counts if the learner composed it.
  private static func timeUp(_ state: inout State, context: AppContext) -> [Effect] {
    var inProgress: Response?
    switch state.phase {
    case .answering where state.input.isTouched:
      if case .success(let response) = state.input.response { inProgress = response }
    case .confidence(let response):
      inProgress = response
    default:
      break
    }
    guard let changes = state.session.timeOut(at: context.now, answerInProgress: inProgress) else { return [] }
    return changes.map { Effect.run(.save($0)) } + [
      .open(.results(state.session)), .status("Time is up: the exam was submitted."),
    ]
  }

  private static func showCurrent(_ state: inout State) {
    guard let question = state.session.currentQuestion else { return }
    state.input = AnswerInput(
      question: question, presentation: state.session.presentation(of: question),
      response: state.session.responses[question.id])
    state.phase = .answering
    state.scroll = 0
  }

  // MARK: - Rendering

  static func model(_ state: State, graded: Bool = true) -> QuestionView.Model {
    var model = QuestionView.Model(input: state.input, hintsShown: state.session.hintsShown)
    if graded, case .feedback(let grade, let response) = state.phase {
      model.grade = grade
      model.response = response
    }
    return model
  }

  static func title(_ state: State, now: Date) -> (String, String) {
    let total = state.run.order.count
    var right = "question \(min(state.run.currentIndex + 1, total)) of \(total) "
    if state.mode == .exam { right = "exam · " + right }
    if state.mode == .retry { right = "retry · " + right }
    if state.mode.isSession {
      right = "\(state.mode.rawValue) · item \(min(state.run.currentIndex + 1, total)) of \(total) "
    }
    if let budget = state.session.budgetEnds {
      let left = max(0, Int(budget.timeIntervalSince(now).rounded(.up)))
      right = (left > 0 ? String(format: "%d:%02d left · ", left / 60, left % 60) : "last item · ") + right
    }
    if let deadline = state.session.deadline {
      let left = max(0, Int(deadline.timeIntervalSince(now).rounded(.up)))
      right = String(format: "⏱ %d:%02d · ", left / 60, left % 60) + right
    }
    return (state.run.quiz.title, right)
  }

  static func lines(_ state: State, width: Int, now: Date = .distantPast) -> [[StyledText]] {
    var lines = QuestionView.lines(model(state), width: width)
    if case .feedback = state.phase, let due = state.nextReviews[state.question.id], state.mode != .exam {
      lines.append([])
      lines.append([
        StyledText("Next review: ", Style(.accent, [.bold])), StyledText(RelativeTime.describe(due, from: now)),
      ])
    }
    if case .confidence = state.phase {
      lines.append([])
      lines.append([
        StyledText("How sure are you? ", Style(.accent, [.bold])), StyledText("1 sure · 2 unsure · 3 guessing"),
      ])
    }
    return lines
  }

  static func render(_ state: State, now: Date, in area: Rect, into grid: inout Grid) {
    guard state.run.currentQuestion != nil else { return }
    ScrollView.draw(lines(state, width: area.width, now: now), scroll: state.scroll, in: area, into: &grid)
  }
}

extension QuizScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { QuizScreen.keymap(self).map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    QuizScreen.message(for: key, state: self).map { QuizScreen.update(&self, $0, context: context) }
  }

  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect] {
    switch event {
    case .clockTicked:
      return QuizScreen.update(&self, .clockTicked, context: context)
    case .attemptBegun(let quizID, let attempt) where session.run.quiz.id == quizID:
      session.attemptBegun(attempt)
    case .answerScheduled(let questionID, let due):
      nextReviews[questionID] = due
    default:
      break
    }
    return []
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    self.viewport = viewport
    let count = QuizScreen.lines(self, width: viewport.width).count
    scroll = ScrollView.clampedScroll(scroll, lineCount: count, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { QuizScreen.title(self, now: context.now) }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    QuizScreen.render(self, now: context.now, in: textArea, into: &grid)
  }

  var typedInput: AnswerInput? { QuizScreen.typedInput(self) }
}
