import TerminalUI
import TutorCore

/// The end of a quiz: the score, the confidently wrong answers, and the questions to revisit;
/// after an exam, every question with its right answer and explanation.
public enum ResultsScreen {
  public struct State: Equatable, Sendable {
    /// The finished session.
    public var session: QuizSession
    public var scroll = 0
    /// The "Revisit" link highlighted: Enter opens that lesson step.
    public var selectedLink = 0
    /// Lines of text and rows of the text area, from the last layout (for paging).
    var lineCount = 0
    var height = 20
    var width = 76

    public init(session: QuizSession) { self.session = session }

    /// The lesson steps to revisit, one per question listed with a `see:` link, in order.
    var links: [String] {
      let listed = mode == .exam ? run.order.compactMap(run.quiz.question(id:)) : run.missed
      var seen: Set<String> = []
      return listed.filter { run.grades[$0.id]?.isCorrect != true }.compactMap(\.see).filter {
        seen.insert($0).inserted
      }
    }

    public var run: QuizRun { session.run }
    public var mode: QuizMode { session.mode }
    public var timedOut: Bool { session.timedOut }
    public var responses: [String: Response] { session.responses }
    public var confidences: [String: Confidence] { session.confidences }

    /// Answered wrong (or only partly right) while saying "sure".
    var confidentlyWrong: [Question] {
      run.order.compactMap { id in
        guard confidences[id] == .sure, let grade = run.grades[id], !grade.isCorrect else { return nil }
        return run.quiz.question(id: id)
      }
    }

    var canRetry: Bool { mode != .exam && !run.missed.isEmpty }
  }

  public enum Message: Equatable, Sendable {
    case paged(PageMove), linkMoved(Int), linkOpened, retryRequested, closed
  }

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    let hasLinks = !state.links.isEmpty
    var bindings: [KeyBinding<Message>] = []
    if hasLinks {
      bindings += [
        KeyBinding([.down, .character("j")], .linkMoved(1), "next link"),
        KeyBinding([.up, .character("k")], .linkMoved(-1), "previous link", footer: false),
        KeyBinding([.enter], .linkOpened, "revisit"),
      ]
    }
    bindings += PageMove.bindings(Message.paged, lines: !hasLinks, footer: !hasLinks)
    if state.canRetry { bindings.append(KeyBinding([.character("r")], .retryRequested, "retry the missed")) }
    bindings.append(
      KeyBinding(
        hasLinks ? [.character("q"), .escape] : [.enter, .character("q"), .escape], .closed, "back to the course"))
    return bindings
  }

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    switch message {
    case .paged(let move): state.scroll = move.scroll(from: state.scroll, height: state.height)
    case .linkMoved(let step):
      state.selectedLink = max(0, min(state.links.count - 1, state.selectedLink + step))
      state.scroll = linkLine(state, course: context.course).map { max(0, $0 - state.height / 2) } ?? state.scroll
    case .linkOpened:
      guard state.links.indices.contains(state.selectedLink) else { return [] }
      return [.open(.lookUp(see: state.links[state.selectedLink]))]
    case .closed: return [.pop]
    case .retryRequested:
      guard state.canRetry else { return [] }
      return [.open(.retry(of: state.session))]
    }
    return []
  }

  /// The line of the highlighted link, to keep it in view.
  static func linkLine(_ state: State, course: Course) -> Int? {
    let link = state.links.indices.contains(state.selectedLink) ? state.links[state.selectedLink] : nil
    return lines(state, course: course, width: state.width).firstIndex { line in
      line.first?.text == "› " && line.contains { $0.text.contains(LessonLink.describe(link ?? "", in: course)) }
    }
  }

  static func lines(_ state: State, course: Course, width: Int) -> [[StyledText]] {
    let score = state.run.score
    var lines: [[StyledText]] = [
      [
        StyledText("Score: ", Style(.heading, [.bold])),
        StyledText(score.description, Style(score.fraction >= 0.8 ? .correct : .accent, [.bold])),
      ]
    ]
    if state.timedOut {
      lines.append([StyledText("⏱ Time ran out: unanswered questions score 0.", Style(.warning, [.bold]))])
    }
    lines.append([])
    let wrongAndSure = state.confidentlyWrong
    if !wrongAndSure.isEmpty {
      lines.append([
        StyledText("Sure, but wrong (\(wrongAndSure.count)): look at these first", Style(.warning, [.bold]))
      ])
      for question in wrongAndSure {
        lines += TextWrapper.wrap([StyledText("• "), StyledText(question.prompt)], width: width)
      }
      lines.append([])
    }
    if state.mode == .exam {
      lines.append([StyledText("Every question:", Style(.heading, [.bold]))])
      for id in state.run.order {
        guard let question = state.run.quiz.question(id: id) else { continue }
        lines += questionLines(question, state: state, course: course, width: width, explain: true)
      }
      return lines
    }
    let missed = state.run.missed
    if missed.isEmpty {
      lines.append([StyledText("✓ Every question right.", Style(.correct, [.bold]))])
      return lines
    }
    lines.append([StyledText("Questions to revisit (\(missed.count)):", Style(.heading, [.bold]))])
    for question in missed {
      lines += questionLines(question, state: state, course: course, width: width, explain: false)
    }
    return lines
  }

  private static func questionLines(_ question: Question, state: State, course: Course, width: Int, explain: Bool)
    -> [[StyledText]]
  {
    var lines: [[StyledText]] = [[]]
    let grade = state.run.grades[question.id]
    let mark: StyledText
    switch grade {
    case let grade? where grade.isCorrect: mark = StyledText("✓ ", Style(.correct, [.bold]))
    case let grade? where grade.isPartlyCorrect: mark = StyledText("≈ ", Style(.hint, [.bold]))
    case .some: mark = StyledText("✗ ", Style(.incorrect, [.bold]))
    case nil: mark = StyledText("– ", Style(.muted, [.bold]))
    }
    lines += TextWrapper.wrap([mark, StyledText(question.prompt, Style(.normal, [.bold]))], width: width)
    if let response = state.responses[question.id] {
      lines += TextWrapper.wrap(
        [StyledText("Your answer: ", Style(.muted, [.bold])), StyledText(yourAnswer(response, question: question))],
        width: width)
    } else if grade == nil {
      lines.append([StyledText("Not answered.", Style(.muted))])
    }
    if grade?.isCorrect != true {
      lines += TextWrapper.wrap(
        [StyledText("Right answer: ", Style(.correct, [.bold])), StyledText(question.answerSummary)], width: width)
    }
    if explain && !question.explanation.isEmpty {
      lines += TextWrapper.wrap(
        [StyledText("Why: ", Style(.hint, [.bold])), StyledText(question.explanation)], width: width)
    }
    if let see = question.see, grade?.isCorrect != true {
      let selected = state.links.indices.contains(state.selectedLink) && state.links[state.selectedLink] == see
      let style = selected ? Style(.selection, [.reverse]) : Style(.muted)
      lines += TextWrapper.wrap(
        [
          StyledText(selected ? "› " : "· ", style),
          StyledText("Revisit: " + LessonLink.describe(see, in: course), style),
        ],
        width: width)
    }
    return lines
  }

  private static func yourAnswer(_ response: Response, question: Question) -> String {
    if case .choices(let ids) = response {
      return question.choices.filter { ids.contains($0.id) }.map(\.text).joined(separator: "; ")
    }
    return PlainText.describe(response, for: question)
  }

  static func render(_ state: State, course: Course, in area: Rect, into grid: inout Grid) {
    ScrollView.draw(lines(state, course: course, width: area.width), scroll: state.scroll, in: area, into: &grid)
  }
}

extension ResultsScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { ResultsScreen.keymap(self).map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    ResultsScreen.keymap(self).message(for: key).map { ResultsScreen.update(&self, $0, context: context) }
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    lineCount = ResultsScreen.lines(self, course: context.course, width: viewport.width).count
    height = viewport.height
    width = viewport.width
    scroll = ScrollView.clampedScroll(scroll, lineCount: lineCount, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { ("Results: " + run.quiz.title, "") }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ResultsScreen.render(self, course: context.course, in: textArea, into: &grid)
  }
}
