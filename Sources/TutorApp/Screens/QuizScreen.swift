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
    /// The exam's question grid, when open: the question highlighted in it.
    public var gridCursor: Int?
    /// A question put to the learner before something that cannot be undone.
    public var confirming: Confirmation?
    /// Lines of the question as last laid out (paging past the end moves on).
    var lineCount = 0
    /// Where each question comes from (its lesson and concepts), shown in a review or drill.
    public var sources: [String: String] = [:]

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
    var isExam: Bool { mode == .exam }
  }

  /// What a confirmation asks.
  public enum Confirmation: Equatable, Sendable {
    /// Leave an unfinished exam (its clock keeps running).
    case leave
    /// Submit the exam now.
    case submit
  }

  public enum Message: Equatable, Sendable {
    case input(AnswerInput.Message)
    case answerSubmitted, confidenceGiven(Confidence), nextRequested, previousRequested
    case hintRequested, lessonRequested, undoRequested
    case paged(PageMove), quitRequested
    case clockTicked
    /// Exams: move without answering, flag, the question grid, submit early.
    case skipRequested, flagToggled, gridToggled, gridMoved(Int), gridChosen, submitRequested
    case confirmed, cancelled
  }

  // MARK: - Keys

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    if state.confirming != nil {
      return [
        KeyBinding([.character("y"), .enter], .confirmed, "yes"),
        KeyBinding([.character("n"), .escape, .character("q")], .cancelled, "no"),
      ]
    }
    if state.gridCursor != nil { return gridKeymap }
    let typing = state.input.capturesText && state.phase == .answering
    // While typing, Esc leaves the text field (the input's own key), not the quiz.
    let leave = KeyBinding<Message>(typing ? [] : [.character("q"), .escape], .quitRequested, "leave")
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
          [.enter, .right, .character("l")], .nextRequested,
          state.run.currentIndex + 1 < state.run.order.count ? "next question" : "results")
      ]
      bindings += PageMove.bindings(Message.paged, footer: false)
      if state.canUndo { bindings.append(KeyBinding([.character("u")], .undoRequested, "undo")) }
      if state.isPractice && state.question.see != nil {
        bindings.append(KeyBinding([.character("o")], .lessonRequested, "open lesson"))
      }
      return bindings + [leave]
    case .answering:
      let inputKeys = state.input.keymap.map {
        KeyBinding($0.keys, Message.input($0.message), $0.help, footer: $0.inFooter)
      }
      // Esc out of a text field stands where "leave" stands otherwise: last, always in the footer.
      let leavesField = inputKeys.filter { $0.keys == [.escape] }
      var bindings = inputKeys.filter { $0.keys != [.escape] }
      bindings.append(KeyBinding([.enter], .answerSubmitted, "answer"))
      if state.isPractice && state.session.hintsShown < state.question.hints.count {
        bindings.append(KeyBinding([.control("t")], .hintRequested, "hint"))
      }
      if state.isPractice && state.question.see != nil {
        bindings.append(KeyBinding([.control("o")], .lessonRequested, "lesson"))
      }
      if state.session.canNavigate {
        bindings += [
          KeyBinding(typing ? [.pageDown] : [.pageDown, .character("n")], .skipRequested, "next"),
          KeyBinding(typing ? [.pageUp] : [.pageUp, .character("p")], .previousRequested, "previous"),
          KeyBinding([.control("g")], .gridToggled, "grid"),
        ]
      }
      if state.isExam && !typing {
        let flagged = state.session.flagged.contains(state.question.id)
        bindings.append(KeyBinding([.character("m")], .flagToggled, flagged ? "unflag" : "flag"))
      }
      return bindings + (typing ? leavesField : [leave])
    }
  }

  static let gridKeymap: [KeyBinding<Message>] = [
    KeyBinding([.left, .character("h")], .gridMoved(-1), "previous"),
    KeyBinding([.right, .character("l")], .gridMoved(1), "next"),
    KeyBinding([.up, .character("k")], .gridMoved(-10), "up", footer: false),
    KeyBinding([.down, .character("j")], .gridMoved(10), "down", footer: false),
    KeyBinding([.enter], .gridChosen, "go to it"),
    KeyBinding([.character("e")], .submitRequested, "end the exam now"),
    KeyBinding([.control("g"), .escape, .character("q")], .gridToggled, "close"),
  ]

  static func message(for key: Key, state: State) -> Message? {
    if let bound: Message = keymap(state).message(for: key) { return bound }
    guard state.confirming == nil, state.gridCursor == nil, state.phase == .answering,
      let inner = state.input.message(for: key)
    else { return nil }
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
      return move(&state, to: state.run.currentIndex - 1, context: context)
    case .skipRequested:
      guard state.session.canNavigate, state.phase == .answering else { return [] }
      return move(&state, to: (state.run.currentIndex + 1) % state.run.order.count, context: context)
    case .flagToggled:
      guard let change = state.session.toggleFlag() else { return [] }
      return [.run(.save(change))]
    case .gridToggled:
      state.gridCursor = state.gridCursor == nil ? state.run.currentIndex : nil
    case .gridMoved(let step):
      guard let cursor = state.gridCursor else { return [] }
      state.gridCursor = max(0, min(state.run.order.count - 1, cursor + step))
    case .gridChosen:
      guard let target = state.gridCursor else { return [] }
      state.gridCursor = nil
      return move(&state, to: target, context: context)
    case .submitRequested:
      state.gridCursor = nil
      state.confirming = .submit
    case .confirmed:
      let asked = state.confirming
      state.confirming = nil
      switch asked {
      case .leave?: return [.pop]
      case .submit?:
        var effects = saveComposed(&state, context: context)
        effects += state.session.submit().map { Effect.run(.save($0)) }
        return effects + [.open(.results(state.session))]
      case nil: return []
      }
    case .cancelled:
      state.confirming = nil
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
    case .paged(let move):
      // Space past the end of the feedback moves on, as in a pager.
      if move == .pageDown && state.scroll + state.viewport.height >= state.lineCount {
        return next(&state, context: context)
      }
      state.scroll = move.scroll(from: state.scroll, height: state.viewport.height)
    case .quitRequested:
      // Leaving an unfinished exam asks first; it stays open for Continue either way.
      if state.isExam && !state.session.isFinished {
        state.confirming = .leave
        return []
      }
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
    // Every question answered, some flagged: the grid, to look again before submitting.
    let flagged = state.run.order.indices.filter { state.session.flagged.contains(state.run.order[$0]) }
    if state.session.canNavigate, state.session.nextUnanswered(after: state.run.currentIndex) == nil,
      let first = flagged.first
    {
      state.gridCursor = first
      let count = flagged.count == 1 ? "1 is" : "\(flagged.count) are"
      return [.status("Every question is answered; \(count) flagged. e ends the exam, Enter goes to a question.")]
    }
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

  /// Goes to another question of an exam; an answer composed there and not yet submitted is
  /// saved first, as exam software keeps what was chosen.
  private static func move(_ state: inout State, to index: Int, context: AppContext) -> [Effect] {
    let effects = saveComposed(&state, context: context)
    state.session.go(to: index, at: context.now)
    showCurrent(&state)
    return effects
  }

  /// Saves the answer being composed, when the learner has composed one that differs from the saved one.
  private static func saveComposed(_ state: inout State, context: AppContext) -> [Effect] {
    guard state.phase == .answering, state.input.isTouched, case .success(let response) = state.input.response,
      state.session.responses[state.question.id] != response,
      let change = state.session.answer(response, confidence: nil, at: context.now)?.change
    else { return [] }
    return [.run(.save(change))]
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
    if state.session.flagged.contains(state.question.id) { right = "⚑ " + right }
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
    var lines: [[StyledText]] = []
    if let source = state.sources[state.question.id] {
      lines += TextWrapper.wrap(source, width: width, style: Style(.muted))
      lines.append([])
    }
    lines += QuestionView.lines(model(state), width: width)
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
    if let cursor = state.gridCursor {
      Chrome.drawBox(
        title: "All questions", lines: gridLines(state, cursor: cursor, width: area.width - 4),
        footer: "Enter goes to it · e ends the exam", in: area, into: &grid)
    }
    if let asked = state.confirming {
      Chrome.drawBox(
        title: "Are you sure?", lines: confirmationLines(state, asked), footer: "y yes · n no", in: area, into: &grid)
    }
  }

  /// The exam's questions as numbered cells: ✓ answered, · unanswered, ⚑ flagged; ten to a row.
  static func gridLines(_ state: State, cursor: Int, width: Int) -> [[StyledText]] {
    let order = state.run.order
    var lines: [[StyledText]] = []
    let columns = max(1, min(10, (width + 1) / 6))
    for rowStart in stride(from: 0, to: order.count, by: columns) {
      var line: [StyledText] = []
      for index in rowStart..<min(order.count, rowStart + columns) {
        let id = order[index]
        let mark = state.session.flagged.contains(id) ? "⚑" : (state.run.grades[id] != nil ? "✓" : "·")
        let text = String(format: "%3d%@", index + 1, mark)
        var style = state.run.grades[id] != nil ? Style.normal : Style(.muted)
        if state.session.flagged.contains(id) { style = Style(.warning, [.bold]) }
        if index == cursor { style = Style(.selection, [.reverse]) }
        if index == state.run.currentIndex && index != cursor { style.emphasis.insert(.underline) }
        line += [StyledText(text, style), StyledText(" ")]
      }
      lines.append(line)
    }
    lines.append([])
    let flagged = state.run.order.filter(state.session.flagged.contains).count
    lines.append([
      StyledText(
        "✓ \(state.run.answeredCount) answered · \(state.session.unansweredCount) unanswered · ⚑ \(flagged) flagged",
        Style(.muted))
    ])
    return lines
  }

  static func confirmationLines(_ state: State, _ asked: Confirmation) -> [[StyledText]] {
    switch asked {
    case .leave:
      return [
        [StyledText("Leave the exam?", Style(.normal, [.bold]))],
        [StyledText("Your answers are saved and its clock keeps running;", Style(.muted))],
        [StyledText("Continue on the home screen brings you back.", Style(.muted))],
      ]
    case .submit:
      let flagged = state.run.order.filter(state.session.flagged.contains).count
      var lines = [[StyledText("End the exam now and see the results?", Style(.normal, [.bold]))]]
      if state.session.unansweredCount > 0 {
        lines.append([
          StyledText("\(state.session.unansweredCount) unanswered: they score 0.", Style(.warning, [.bold]))
        ])
      }
      if flagged > 0 {
        lines.append([StyledText("\(flagged) flagged for review.", Style(.warning))])
      }
      return lines
    }
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
    lineCount = QuizScreen.lines(self, width: viewport.width).count
    scroll = ScrollView.clampedScroll(scroll, lineCount: lineCount, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { QuizScreen.title(self, now: context.now) }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    QuizScreen.render(self, now: context.now, in: textArea, into: &grid)
  }

  var typing: Typing? { QuizScreen.typedInput(self).map { Typing(isEmpty: $0.activeFieldIsEmpty) } }

  /// On a wide terminal, an exam that can be moved through shows its question grid.
  func panel(_ context: AppContext, width: Int) -> Panel? {
    guard session.canNavigate else { return nil }
    return Panel(title: "Questions", lines: QuizScreen.gridLines(self, cursor: -1, width: width))
  }
}
