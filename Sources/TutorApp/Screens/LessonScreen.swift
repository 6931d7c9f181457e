import TerminalUI
import TutorCore

/// A lesson as pages of steps, with checkpoints to answer and mechanism chains to reveal.
public enum LessonScreen {
  // MARK: - State

  public struct State: Equatable, Sendable {
    /// The rules of the visit: place, checkpoints, predictions, completion.
    public var session: LessonSession
    public var scroll = 0
    /// The checkpoint questions by id (inline ones and those from quizzes).
    public var questions: [String: Question]
    public var checks: [String: CheckState] = [:]
    public var chains: [String: ChainState] = [:]
    /// Columns and rows of the text area, set by the app from the terminal size.
    public var viewport = Size(width: 76, height: 20)
    /// The block just answered or revealed: kept in view until the learner scrolls or pages.
    public var pinnedBlock: Int?
    /// Whether the waiting checkpoint or chain is on screen: only then do keys answer it.
    public var interactionVisible = false
    /// Columns a wide diagram is scrolled sideways (diagrams are never wrapped).
    public var diagramOffset = 0
    /// The glossary terms and sources of the current step are shown over the text.
    public var showsNotes = false
    public var notesScroll = 0
    /// The outline, when open: the step highlighted in it.
    public var outlineCursor: Int?
    /// A look-up's origin ("the quiz", "the results", "the search"), where q goes back to.
    public var visitedFrom = "the quiz"
    /// Lines of the step as last laid out (paging past the end turns the page).
    var lineCount = 0

    public init(session: LessonSession, course: Course) {
      self.session = session
      let all = course.questionsByID
      var questions: [String: Question] = [:]
      for checkpoint in session.lesson.checkpoints {
        if let question = all[checkpoint.questionID] { questions[checkpoint.questionID] = question }
      }
      self.questions = questions
    }

    public var lesson: Lesson { session.lesson }
    public var step: Int { session.step }
    public var passed: Set<String> { session.passed }
    public var isComplete: Bool { session.isComplete }
    public var isVisit: Bool { session.isVisit }

    var currentStep: LessonStep { lesson.steps[step] }

    func check(_ id: String) -> CheckState? {
      checks[id] ?? questions[id].map { CheckState(question: $0, presentation: session.presentation(of: $0)) }
    }
  }

  public struct CheckState: Equatable, Sendable {
    public var input: AnswerInput
    public var grade: Grade?
    public var response: Response?

    init(question: Question, presentation: Presentation) {
      input = AnswerInput(question: question, presentation: presentation)
    }
  }

  public struct ChainState: Equatable, Sendable {
    /// Links shown so far (the first is shown from the start).
    public var revealed = 1
    public var highlighted = 0
    /// Whether the last prediction was right, and the link it picked.
    public var lastPrediction: Prediction?
  }

  public typealias Prediction = LessonSession.Prediction

  /// Something in the current step that waits for the learner.
  enum Interaction: Equatable {
    case check(String)
    case chain(key: String, MechanismChain)
  }

  public enum Message: Equatable, Sendable {
    case nextStep, previousStep, paged(PageMove), diagramScrolledLeft, diagramScrolledRight
    /// The outline: the lesson's steps with their state, to go to any.
    case outlineToggled, outlineMoved(Int), outlineChosen
    case searchRequested
    case notesToggled, notesScrolledUp, notesScrolledDown
    case input(AnswerInput.Message)
    case predictionMovedUp, predictionMovedDown, submitted, hintRequested
    /// A letter picks a prediction option, as letters pick options in questions.
    case predictionPicked(Int)
    case closed
  }

  // MARK: - Keys

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    if state.outlineCursor != nil {
      return [
        KeyBinding([.down, .character("j")], .outlineMoved(1), "down"),
        KeyBinding([.up, .character("k")], .outlineMoved(-1), "up"),
        KeyBinding([.enter, .right, .character("l")], .outlineChosen, "go to the step"),
        KeyBinding([.character("o"), .escape, .character("q")], .outlineToggled, "close the outline"),
      ]
    }
    if state.showsNotes {
      return [
        KeyBinding([.down, .character("j"), .pageDown, .character(" ")], .notesScrolledDown, "scroll"),
        KeyBinding([.up, .character("k"), .pageUp], .notesScrolledUp, "scroll back", footer: false),
        KeyBinding([.character("s"), .escape, .enter, .character("q")], .notesToggled, "close the terms and sources"),
      ]
    }
    let bindings = interactionKeymap(state)
    var extra: [KeyBinding<Message>] = []
    let (terms, citations) = notes(state)
    if !capturesText(state) {
      extra.append(KeyBinding([.character("o")], .outlineToggled, "outline"))
      extra.append(KeyBinding([.character("/")], .searchRequested, "search", footer: false))
      if !(terms.isEmpty && citations.isEmpty) {
        extra.append(KeyBinding([.character("s")], .notesToggled, "terms & sources"))
      }
    }
    if widestDiagram(state) > state.viewport.width {
      // A diagram wider than the screen scrolls sideways with < and >.
      extra += [
        KeyBinding([.character(">")], .diagramScrolledRight, "diagram →"),
        KeyBinding([.character("<")], .diagramScrolledLeft, "diagram ←", footer: false),
      ]
    }
    guard !extra.isEmpty else { return bindings }
    return merged([Array(bindings.dropLast()), extra, [bindings.last!]])
  }

  /// The glossary terms linked and the references cited in the current step, once each.
  static func notes(_ state: State) -> (terms: [String], citations: [String]) {
    var terms: [String] = []
    var citations: [String] = []
    func collect(_ inlines: [Inline]) {
      for inline in inlines {
        switch inline {
        case .term(let term, _) where !terms.contains(term): terms.append(term)
        case .citation(let key) where !citations.contains(key): citations.append(key)
        case .bold(let inner), .italic(let inner): collect(inner)
        default: break
        }
      }
    }
    for block in state.currentStep.blocks {
      switch block {
      case .paragraph(let inlines), .callout(_, let inlines): collect(inlines)
      case .list(_, let items): items.forEach(collect)
      default: break
      }
    }
    return (terms, citations)
  }

  /// The display width of the widest diagram row in the current step.
  static func widestDiagram(_ state: State) -> Int {
    var widest = 0
    for case .diagram(let rows) in state.currentStep.blocks {
      for row in rows { widest = max(widest, DisplayWidth.of(row)) }
    }
    return widest
  }

  private static func interactionKeymap(_ state: State) -> [KeyBinding<Message>] {
    let active = activeInteraction(state)
    let back = KeyBinding<Message>(
      [.character("q"), .escape], .closed, state.isVisit ? "back to " + state.visitedFrom : "back")
    // →/l and ←/h turn the page; Space/PgDn pages down the step, and past its end turns the page.
    let steps: [KeyBinding<Message>] = [
      KeyBinding([.right, .character("l")], .nextStep, "next step"),
      KeyBinding([.left, .character("h")], .previousStep, "previous"),
    ]
    let paging = steps + PageMove.bindings(Message.paged, lines: false, footer: false)
    let scrolling = PageMove.bindings(Message.paged).prefix(2).map { $0 }
    guard let active, state.interactionVisible else {
      var bindings: [KeyBinding<Message>] = []
      if let active {
        let what = if case .check = active { "go to the checkpoint" } else { "go to the chain" }
        bindings.append(KeyBinding([.enter], .submitted, what))
      } else {
        bindings.append(KeyBinding([.enter], .nextStep, "next step", footer: false))
      }
      return merged([bindings, paging, scrolling, [back]])
    }
    switch active {
    case .check(let id):
      guard let input = state.check(id)?.input else { return merged([paging, scrolling, [back]]) }
      let answering = input.keymap.map { KeyBinding($0.keys, Message.input($0.message), $0.help, footer: $0.inFooter) }
      var submit = [KeyBinding<Message>([.enter], .submitted, "answer")]
      if let question = state.questions[id], (state.session.hintsShown[id] ?? 0) < question.hints.count {
        submit.append(KeyBinding([.control("t")], .hintRequested, "hint"))
      }
      // While typing, printable keys belong to the field: page with PgUp/PgDn, leave with Esc.
      if input.capturesText {
        // Esc leaves the field (where "back" stands otherwise: last in the footer).
        let leavesField = answering.filter { $0.keys == [.escape] }
        let typing = answering.filter { $0.keys != [.escape] }
        let typingPages = PageMove.bindings(Message.paged, lines: false, printable: false, footer: false)
        return merged([typing, submit, typingPages, leavesField])
      }
      return merged([answering, submit, paging, [back]])
    case .chain(_, let chain) where chain.predict:
      return merged([
        [
          KeyBinding([.up, .character("k")], .predictionMovedUp, "up"),
          KeyBinding([.down, .character("j")], .predictionMovedDown, "down"),
          KeyBinding([.enter], .submitted, "predict"),
        ], paging, [back],
      ])
    case .chain:
      return merged([[KeyBinding([.enter], .submitted, "reveal next link")], paging, scrolling, [back]])
    }
  }

  /// Joins key tables in priority order; a key bound earlier is dropped from later rows.
  static func merged(_ tables: [[KeyBinding<Message>]]) -> [KeyBinding<Message>] {
    var taken: Set<Key> = []
    var result: [KeyBinding<Message>] = []
    for binding in tables.joined() {
      var row = binding
      row.keys = binding.keys.filter { !taken.contains($0) }
      guard !row.keys.isEmpty else { continue }
      taken.formUnion(row.keys)
      result.append(row)
    }
    return result
  }

  private static func withoutPrintableKeys(_ binding: KeyBinding<Message>) -> KeyBinding<Message> {
    var row = binding
    row.keys = binding.keys.filter { if case .character = $0 { false } else { true } }
    return row
  }

  /// The visible checkpoint's input while it picks options by letter or number (not typing).
  static func pickingInput(_ state: State) -> AnswerInput? {
    guard !state.showsNotes, state.interactionVisible, case .check(let id)? = activeInteraction(state),
      let input = state.check(id)?.input,
      !input.capturesText
    else { return nil }
    return input
  }

  static func message(for key: Key, state: State) -> Message? {
    // Letters and digits pick a visible checkpoint's options first (h, l and g included).
    if case .character = key, let input = pickingInput(state), let inner = input.message(for: key) {
      return .input(inner)
    }
    if let bound: Message = keymap(state).message(for: key) { return bound }
    if state.interactionVisible, case .chain(let chainKey, let chain)? = activeInteraction(state), chain.predict,
      case .character(let c) = key, let index = AnswerInput.letterIndex(c),
      index < predictionOptions(state, chain, revealed: state.chains[chainKey]?.revealed ?? 0).count
    {
      return .predictionPicked(index)
    }
    guard state.interactionVisible, case .check(let id)? = activeInteraction(state),
      let inner = state.check(id)?.input.message(for: key)
    else { return nil }
    return .input(inner)
  }

  static func capturesText(_ state: State) -> Bool { typedInput(state) != nil }

  /// The checkpoint answer being typed, if printable keys go into its text field.
  static func typedInput(_ state: State) -> AnswerInput? {
    guard state.interactionVisible, case .check(let id)? = activeInteraction(state), let input = state.check(id)?.input,
      input.capturesText
    else { return nil }
    return input
  }

  // MARK: - Update

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    let effects = apply(&state, message)
    layOut(&state, course: context.course)
    return effects
  }

  private static func apply(_ state: inout State, _ message: Message) -> [Effect] {
    switch message {
    case .nextStep:
      return goForward(&state)
    case .previousStep:
      guard state.step > 0 else { return [] }
      return moveTo(&state, step: state.step - 1)
    case .paged(let move):
      state.pinnedBlock = nil
      let height = max(1, state.viewport.height)
      let atBottom = state.scroll + height >= state.lineCount
      // Paging down past the end of a step turns the page (as Space does in a pager); up past
      // the top goes back a step.
      if (move == .pageDown || move == .halfDown) && atBottom { return goForward(&state) }
      if (move == .pageUp || move == .halfUp) && state.scroll == 0 && state.step > 0 {
        return moveTo(&state, step: state.step - 1)
      }
      state.scroll = move.scroll(from: state.scroll, height: height)
    case .searchRequested:
      return [.open(.search)]
    case .outlineToggled:
      state.outlineCursor = state.outlineCursor == nil ? state.step : nil
    case .outlineMoved(let step):
      guard let cursor = state.outlineCursor else { return [] }
      state.outlineCursor = max(0, min(state.lesson.steps.count - 1, cursor + step))
    case .outlineChosen:
      guard let target = state.outlineCursor else { return [] }
      state.outlineCursor = nil
      return target == state.step ? [] : moveTo(&state, step: target)
    case .diagramScrolledRight:
      let most = max(0, widestDiagram(state) - state.viewport.width + 2)
      state.diagramOffset = min(most, state.diagramOffset + max(8, state.viewport.width / 2))
    case .diagramScrolledLeft:
      state.diagramOffset = max(0, state.diagramOffset - max(8, state.viewport.width / 2))
    case .notesToggled:
      state.showsNotes.toggle()
      state.notesScroll = 0
    case .notesScrolledUp:
      state.notesScroll = max(0, state.notesScroll - 1)
    case .notesScrolledDown:
      state.notesScroll += 1
    case .input(let inner):
      guard case .check(let id)? = activeInteraction(state), var check = state.check(id) else { return [] }
      // Changing the answer after a wrong try clears the verdict: a fresh attempt.
      check.grade = nil
      check.response = nil
      check.input.update(inner)
      state.checks[id] = check
    case .predictionMovedUp, .predictionMovedDown:
      guard case .chain(let key, let chain)? = activeInteraction(state) else { return [] }
      var chainState = state.chains[key] ?? ChainState()
      let count = predictionOptions(state, chain, revealed: chainState.revealed).count
      chainState.highlighted = max(0, min(count - 1, chainState.highlighted + (message == .predictionMovedUp ? -1 : 1)))
      state.chains[key] = chainState
    case .predictionPicked(let index):
      guard case .chain(let key, _)? = activeInteraction(state) else { return [] }
      state.chains[key, default: ChainState()].highlighted = index
    case .submitted:
      if let index = activeBlockIndex(state), !state.interactionVisible {
        state.pinnedBlock = index
        return []
      }
      state.pinnedBlock = activeBlockIndex(state)
      switch activeInteraction(state) {
      case .check(let id)?: return answerCheck(&state, id: id)
      case .chain(let key, let chain)?:
        return revealLink(&state, key: key, chain: chain, block: activeBlockIndex(state) ?? 0)
      case nil: return goForward(&state)
      }
    case .hintRequested:
      guard case .check(let id)? = activeInteraction(state), let question = state.questions[id] else { return [] }
      _ = state.session.askHint(question)
    case .closed:
      return [.pop]
    }
    return []
  }

  private static func moveTo(_ state: inout State, step: Int) -> [Effect] {
    let changes = state.session.move(to: step)
    state.scroll = 0
    state.pinnedBlock = nil
    state.diagramOffset = 0
    state.showsNotes = false
    var effects = changes.map { Effect.run(.save($0)) }
    if changes.contains(.lessonCompleted(lessonID: state.lesson.id)) {
      effects.append(.status("Every checkpoint answered and the last step reached: lesson complete ✓"))
    }
    return effects
  }

  private static func goForward(_ state: inout State) -> [Effect] {
    if state.step + 1 < state.lesson.steps.count { return moveTo(&state, step: state.step + 1) }
    switch state.session.finish() {
    case .closed:
      return state.isVisit || !state.isComplete ? [.pop] : [.pop, .status("Lesson complete: \(state.lesson.title) ✓")]
    case .complete(let changes):
      return changes.map { Effect.run(.save($0)) } + [.pop, .status("Lesson complete: \(state.lesson.title) ✓")]
    case .checkpointsPending(let count, let target):
      var effects = target == state.step ? [] : moveTo(&state, step: target)
      effects.append(.status("Answer the checkpoint\(count > 1 ? "s" : "") to complete the lesson (\(count) left)."))
      return effects
    }
  }

  private static func answerCheck(_ state: inout State, id: String) -> [Effect] {
    guard var check = state.check(id) else { return [] }
    let response: Response
    switch check.input.response {
    case .failure(let problem): return [.status(problem.sentence)]
    case .success(let value): response = value
    }
    let (grade, changes) = state.session.answer(check.input.question, response: response)
    check.grade = grade
    check.response = response
    state.checks[id] = check
    var effects = changes.map { Effect.run(.save($0)) }
    if changes.contains(.lessonCompleted(lessonID: state.lesson.id)) {
      effects.append(.status("Every checkpoint answered: lesson complete ✓"))
    }
    return effects
  }

  private static func revealLink(_ state: inout State, key: String, chain: MechanismChain, block: Int) -> [Effect] {
    var chainState = state.chains[key] ?? ChainState()
    guard chainState.revealed < chain.steps.count else { return [] }
    var effects: [Effect] = []
    if chain.predict {
      let options = state.session.predictionOptions(chain, revealed: chainState.revealed)
      let picked = options[min(chainState.highlighted, options.count - 1)]
      let (prediction, changes) = state.session.predict(
        chain, step: state.step, block: block, revealed: chainState.revealed, picked: picked)
      chainState.lastPrediction = prediction
      effects = changes.map { Effect.run(.save($0)) }
    }
    chainState.revealed += 1
    chainState.highlighted = 0
    state.chains[key] = chainState
    return effects
  }

  // MARK: - Queries

  static func interactions(_ state: State) -> [Interaction] {
    state.currentStep.blocks.enumerated().compactMap { index, block in
      switch block {
      case .check(let checkpoint): return .check(checkpoint.questionID)
      case .chain(let chain): return .chain(key: "\(state.step):\(index)", chain)
      default: return nil
      }
    }
  }

  /// The first interaction of the step still waiting for the learner.
  static func activeInteraction(_ state: State) -> Interaction? {
    interactions(state).first { interaction in
      switch interaction {
      case .check(let id): return !state.passed.contains(id) && state.questions[id] != nil
      case .chain(let key, let chain): return (state.chains[key]?.revealed ?? 1) < chain.steps.count
      }
    }
  }

  /// Index in the step's blocks of the interaction waiting for the learner.
  static func activeBlockIndex(_ state: State) -> Int? {
    guard let active = activeInteraction(state) else { return nil }
    return state.currentStep.blocks.enumerated().first { index, block in
      switch (block, active) {
      case (.check(let c), .check(let id)): return c.questionID == id
      case (.chain, .chain(let key, _)): return key == "\(state.step):\(index)"
      default: return false
      }
    }?.offset
  }

  /// Fits the scroll position to the text: keeps a just-answered block in view and notes
  /// whether the waiting interaction is on screen. The app calls it after every update and resize.
  static func layOut(_ state: inout State, course: Course) {
    let (lines, ranges) = lines(state, course: course, width: state.viewport.width)
    state.lineCount = lines.count
    let height = max(1, state.viewport.height)
    if let pinned = state.pinnedBlock, let range = ranges[pinned] {
      if range.upperBound > state.scroll + height { state.scroll = range.upperBound - height }
      if range.lowerBound < state.scroll || range.count > height { state.scroll = range.lowerBound }
    }
    state.scroll = ScrollView.clampedScroll(state.scroll, lineCount: lines.count, height: height)
    if let index = activeBlockIndex(state), let range = ranges[index] {
      let end = min(range.upperBound, range.lowerBound + height)
      state.interactionVisible = range.lowerBound >= state.scroll && end <= state.scroll + height
    } else {
      state.interactionVisible = false
    }
  }

  /// The real next link and up to two distractors, in this visit's order.
  static func predictionOptions(_ state: State, _ chain: MechanismChain, revealed: Int) -> [String] {
    state.session.predictionOptions(chain, revealed: revealed)
  }

}

extension LessonScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { LessonScreen.keymap(self).map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    LessonScreen.message(for: key, state: self).map { LessonScreen.update(&self, $0, context: context) }
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    self.viewport = viewport
    LessonScreen.layOut(&self, course: context.course)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { LessonScreen.title(self) }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    LessonScreen.render(self, course: context.course, in: textArea, into: &grid)
  }

  var typing: Typing? { LessonScreen.typedInput(self).map { Typing(isEmpty: $0.activeFieldIsEmpty) } }

  /// On a wide terminal: the outline, then the glossary terms of the step.
  func panel(_ context: AppContext, width: Int) -> Panel? {
    var lines = LessonScreen.outlineLines(self, cursor: nil, width: width)
    let terms = LessonScreen.notes(self).terms
    let byName = Dictionary(
      context.course.glossary.flatMap { term in ([term.term] + term.aliases).map { ($0.lowercased(), term) } },
      uniquingKeysWith: { first, _ in first })
    var shown: Set<String> = []
    let entries = terms.compactMap { byName[$0.lowercased()] }.filter { shown.insert($0.term).inserted }
    if !entries.isEmpty {
      lines += [[], [StyledText("Terms on this page", Style(.heading, [.bold]))]]
      for entry in entries {
        lines += TextWrapper.wrap(
          [StyledText(entry.term + ": ", Style(.term, [.bold])), StyledText(entry.definition, Style(.muted))],
          width: width)
      }
    }
    return Panel(title: "Outline", lines: lines)
  }
}
