import TerminalUI
import TutorCore

/// Asks the questions of a quiz one by one and shows each verdict at once.
public enum QuizScreen {
  // MARK: - State

  public struct State: Equatable, Sendable {
    public var run: QuizRun
    /// The store's id of this attempt; arrives in a message after the attempt is opened.
    public var attemptID: Int64?
    public var highlighted = 0
    public var picked: Set<String> = []
    /// The grade of the current question once answered.
    public var grade: Grade?
    public var scroll = 0
    /// Columns and rows of the text area, set by the app from the terminal size.
    public var viewport = Size(width: 76, height: 20)

    public init(run: QuizRun, attemptID: Int64?) {
      self.run = run
      self.attemptID = attemptID
    }

    var choices: [Choice] { run.currentQuestion.map(run.shownChoices) ?? [] }
  }

  public enum Message: Equatable, Sendable {
    case selectionMovedUp, selectionMovedDown, choiceToggled, choicePicked(Int)
    case answerSubmitted, nextRequested, scrolledUp, scrolledDown, quitRequested
  }

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    if state.grade != nil {
      return [
        KeyBinding([.enter, .right, .character(" "), .character("l")], .nextRequested, "next question"),
        KeyBinding([.down, .character("j")], .scrolledDown, "scroll", footer: false),
        KeyBinding([.up, .character("k")], .scrolledUp, "scroll back", footer: false),
        KeyBinding([.character("q"), .escape], .quitRequested, "leave (saved)"),
      ]
    }
    var bindings: [KeyBinding<Message>] = [
      KeyBinding([.up, .character("k")], .selectionMovedUp, "up"),
      KeyBinding([.down, .character("j")], .selectionMovedDown, "down"),
    ]
    if state.run.currentQuestion?.allowsSeveralChoices == true {
      bindings.append(KeyBinding([.character(" ")], .choiceToggled, "tick"))
    }
    bindings += [
      KeyBinding([.enter], .answerSubmitted, "answer"),
      KeyBinding([.character("q"), .escape], .quitRequested, "leave (saved)"),
    ]
    return bindings
  }

  /// Letters a–i (or t/f) pick an option directly.
  static func message(for key: Key, state: State) -> Message? {
    if let bound: Message = keymap(state).message(for: key) { return bound }
    guard state.grade == nil, case .character(let c) = key, let question = state.run.currentQuestion else { return nil }
    if QuestionView.isTrueFalse(question) {
      if c == "t" { return .choicePicked(0) }
      if c == "f" { return .choicePicked(1) }
      return nil
    }
    if let index = "abcdefghi".firstIndex(of: c).map({ "abcdefghi".distance(from: "abcdefghi".startIndex, to: $0) }),
      index < state.choices.count
    {
      return .choicePicked(index)
    }
    return nil
  }

  // MARK: - Update

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    let count = state.choices.count
    switch message {
    case .selectionMovedUp:
      state.highlighted = max(0, state.highlighted - 1)
    case .selectionMovedDown:
      state.highlighted = min(max(0, count - 1), state.highlighted + 1)
    case .choiceToggled:
      toggle(&state, state.highlighted)
    case .choicePicked(let index):
      state.highlighted = index
      if state.run.currentQuestion?.allowsSeveralChoices == true { toggle(&state, index) }
    case .scrolledUp:
      state.scroll = max(0, state.scroll - 1)
    case .scrolledDown:
      state.scroll += 1
    case .answerSubmitted:
      return submit(&state)
    case .nextRequested:
      return next(&state)
    case .quitRequested:
      return [.pop]
    }
    return []
  }

  private static func toggle(_ state: inout State, _ index: Int) {
    guard state.choices.indices.contains(index) else { return }
    let id = state.choices[index].id
    if state.picked.contains(id) { state.picked.remove(id) } else { state.picked.insert(id) }
  }

  private static func submit(_ state: inout State) -> [Effect] {
    guard let question = state.run.currentQuestion, state.grade == nil else { return [] }
    let choices = state.choices
    var picked = state.picked
    if !question.allowsSeveralChoices {
      guard choices.indices.contains(state.highlighted) else { return [] }
      picked = [choices[state.highlighted].id]
    } else if picked.isEmpty {
      return [.status("Tick the options that apply with Space (or their letters), then press Enter.")]
    }
    let linesBefore = QuestionView.lines(model(state), width: state.viewport.width).count
    guard let grade = state.run.answer(.choices(picked)) else { return [] }
    state.grade = grade
    // Bring the verdict into view without scrolling past the options.
    let linesAfter = QuestionView.lines(model(state), width: state.viewport.width).count
    state.scroll = max(0, min(linesAfter - state.viewport.height, linesBefore - 2))
    guard let attempt = state.attemptID else { return [.status("This answer could not be saved: no attempt is open.")] }
    let response = choices.enumerated().filter { picked.contains($0.element.id) }.map { PlainText.letter($0.offset) }
    return [
      .run(
        .recordAnswer(
          AnswerRecord(
            questionID: question.id, questionVersion: question.version,
            context: .quiz(id: state.run.quiz.id, attempt: attempt),
            response: response.joined(separator: ","), grade: grade)))
    ]
  }

  private static func next(_ state: inout State) -> [Effect] {
    state.run.advance()
    state.grade = nil
    state.picked = []
    state.highlighted = 0
    state.scroll = 0
    guard state.run.isFinished else { return [] }
    var effects: [Effect] = []
    if let attempt = state.attemptID {
      effects.append(.run(.finishQuizAttempt(attempt: attempt, score: state.run.score)))
    }
    effects.append(.replaceTop(.results(ResultsScreen.State(run: state.run))))
    return effects
  }

  // MARK: - Rendering

  static func title(_ state: State) -> (String, String) {
    let total = state.run.order.count
    return (state.run.quiz.title, "question \(min(state.run.currentIndex + 1, total)) of \(total) ")
  }

  static func model(_ state: State) -> QuestionView.Model {
    QuestionView.Model(
      question: state.run.currentQuestion ?? Question(id: "", prompt: "", body: .single([])),
      choices: state.choices, highlighted: state.highlighted, picked: state.picked, grade: state.grade)
  }

  static func render(_ state: State, in area: Rect, into grid: inout Grid) {
    guard state.run.currentQuestion != nil else { return }
    ScrollView.draw(QuestionView.lines(model(state), width: area.width), scroll: state.scroll, in: area, into: &grid)
  }
}

/// Draws wrapped lines with a vertical offset and "more" markers.
enum ScrollView {
  static func clampedScroll(_ scroll: Int, lineCount: Int, height: Int) -> Int {
    max(0, min(scroll, lineCount - height))
  }

  static func draw(_ lines: [[StyledText]], scroll: Int, in area: Rect, into grid: inout Grid) {
    guard area.height > 0 else { return }
    let offset = clampedScroll(scroll, lineCount: lines.count, height: area.height)
    for (row, line) in lines.dropFirst(offset).prefix(area.height).enumerated() {
      grid.write(line, x: area.x, y: area.y + row, clip: area)
    }
    // Markers sit in the right margin so they never hide text.
    let column = min(grid.size.width - 1, area.maxX + 1)
    if offset > 0 {
      grid.write("↑", x: column, y: area.y, style: Style(.accent, [.bold]))
    }
    if offset + area.height < lines.count {
      grid.write("↓", x: column, y: area.maxY - 1, style: Style(.accent, [.bold]))
    }
  }
}
