import TerminalUI
import TutorCore

extension LessonScreen {
  static func title(_ state: State) -> (String, String) {
    (state.lesson.title, "step \(state.step + 1) of \(state.lesson.steps.count) ")
  }

  /// How many rows each step of a lesson takes, and how many rows a screen of `size` shows:
  /// a step that fits needs no scrolling (for `tutor check --stats`).
  public static func stepHeights(_ lesson: Lesson, course: Course, size: Size) -> (heights: [Int], screen: Int) {
    let area = Chrome.textArea(for: size)
    let heights = lesson.steps.indices.map { step in
      let session = LessonSession(lesson: lesson, progress: nil, step: step, seed: 0)
      return lines(State(session: session, course: course), course: course, width: area.width).0.count
    }
    return (heights, area.height)
  }

  /// The step as wrapped lines, and the line range of each block by its index.
  static func lines(_ state: State, course: Course, width: Int) -> ([[StyledText]], [Int: Range<Int>]) {
    var lines: [[StyledText]] = []
    // The lesson's objectives open its first step.
    if state.step == 0 && !state.lesson.objectives.isEmpty {
      lines.append([StyledText("In this lesson you will learn to:", Style(.accent, [.bold]))])
      for objective in state.lesson.objectives {
        lines += TextWrapper.wrap(objective, width: width - 4).enumerated().map { index, line in
          [StyledText(index == 0 ? "  • " : "    ", Style(.accent))] + line
        }
      }
      lines.append([])
    }
    lines += TextWrapper.wrap(
      [StyledText(state.currentStep.title, Style(.heading, [.bold]))], width: width)
    lines.append([])
    let active = state.interactionVisible ? activeInteraction(state) : nil
    let isVisitNote = state.isVisit
    var ranges: [Int: Range<Int>] = [:]
    for (index, block) in state.currentStep.blocks.enumerated() {
      let start = lines.count
      switch block {
      case .paragraph(let inlines):
        lines += TextWrapper.wrap(InlineStyler.runs(inlines, course: course), width: width)
      case .subheading(let text):
        lines += TextWrapper.wrap([StyledText(text, Style(.heading, [.bold, .underline]))], width: width)
      case .list(let ordered, let items):
        for (number, item) in items.enumerated() {
          let bullet = ordered ? "\(number + 1). " : "• "
          let body = TextWrapper.wrap(InlineStyler.runs(item, course: course), width: width - DisplayWidth.of(bullet))
          for (lineIndex, line) in body.enumerated() {
            let head =
              lineIndex == 0
              ? StyledText(bullet, Style(.accent)) : StyledText(String(repeating: " ", count: DisplayWidth.of(bullet)))
            lines.append([head] + line)
          }
        }
      case .callout(let kind, let inlines):
        let role: Role = kind == .misconception ? .warning : (kind == .clinical ? .hint : .accent)
        let body = TextWrapper.wrap(
          [StyledText(kind.label + ": ", Style(role, [.bold]))] + InlineStyler.runs(inlines, course: course),
          width: width - 2)
        lines += body.map { [StyledText("┃ ", Style(role, [.bold]))] + $0 }
      case .diagram(let diagram):
        // Never wrapped: a diagram wider than the screen shows a window that < and > move,
        // with ‹ and › marking the cut edges.
        let widest = diagram.map { DisplayWidth.of($0) }.max() ?? 0
        let offset = widest > width ? state.diagramOffset : 0
        for row in diagram {
          guard widest > width else {
            lines.append([StyledText(row, Style(.code))])
            continue
          }
          let left = offset > 0 ? "‹" : " "
          let visible = DisplayWidth.slice(of: row, from: offset, fitting: width - 2)
          let more = DisplayWidth.of(row) > offset + width - 2
          lines.append([
            StyledText(left, Style(.muted, [.bold])), StyledText(visible, Style(.code)),
            StyledText(String(repeating: " ", count: max(0, width - 2 - DisplayWidth.of(visible)))),
            StyledText(more ? "›" : " ", Style(.muted, [.bold])),
          ])
        }
      case .chain(let chain):
        let key = "\(state.step):\(index)"
        let chainState = state.chains[key] ?? ChainState()
        let options = chain.predict ? predictionOptions(state, chain, revealed: chainState.revealed) : []
        let score = chain.predict ? state.session.predictionScore(step: state.step, block: index, chain: chain) : nil
        lines += chainLines(
          chain, state: chainState, options: options, score: score, isActive: active == .chain(key: key, chain),
          width: width)
      case .check(let checkpoint):
        lines += checkLines(
          checkpoint.questionID, state: state, isActive: active == .check(checkpoint.questionID), width: width)
      }
      ranges[index] = start..<lines.count
      lines.append([])
    }
    if state.step == state.lesson.steps.count - 1 && !isVisitNote {
      lines += endOfLessonLines(state, width: width)
    }
    return (lines, ranges)
  }

  private static func chainLines(
    _ chain: MechanismChain, state: ChainState, options: [String], score: (right: Int, of: Int)?, isActive: Bool,
    width: Int
  ) -> [[StyledText]] {
    var lines = TextWrapper.wrap(
      [StyledText("Mechanism: ", Style(.accent, [.bold])), StyledText(chain.title, Style(.normal, [.bold]))],
      width: width)
    for (index, link) in chain.steps.prefix(state.revealed).enumerated() {
      if index > 0 { lines.append([StyledText("   ↓", Style(.accent))]) }
      let prefix = "\(index + 1). "
      let wrapped = TextWrapper.wrap(link, width: width - 3 - prefix.count)
      for (lineIndex, line) in wrapped.enumerated() {
        lines.append(
          [StyledText(lineIndex == 0 ? " " + prefix : String(repeating: " ", count: prefix.count + 1))] + line)
      }
    }
    if let prediction = state.lastPrediction {
      lines.append(
        prediction.wasRight
          ? [StyledText("   ✓ You predicted this link.", Style(.correct, [.bold]))]
          : [
            StyledText(
              "   ✗ Not quite: you picked “\(DisplayWidth.truncated(prediction.picked, to: max(10, width - 30)))”.",
              Style(.incorrect, [.bold]))
          ])
      if !prediction.wasRight, let why = prediction.whyNot {
        lines += TextWrapper.wrap(why, width: width - 5, style: Style(.hint)).map { [StyledText("     ")] + $0 }
      }
    }
    guard state.revealed < chain.steps.count else {
      let predicted =
        score.map { " You predicted \($0.right) of \($0.of) link\($0.of == 1 ? "" : "s") on the first try." } ?? ""
      lines.append([StyledText("   ✓ Chain complete." + predicted, Style(.muted))])
      return lines
    }
    lines.append([StyledText("   ↓", Style(.accent))])
    if chain.predict {
      lines.append([StyledText("   What comes next? Pick and press Enter:", Style(.hint, [.bold]))])
      for (index, option) in options.enumerated() {
        let selected = isActive && index == state.highlighted
        let prefix = "   \(PlainText.letter(index))) "
        let wrapped = TextWrapper.wrap(option, width: width - prefix.count)
        for (lineIndex, line) in wrapped.enumerated() {
          let style = selected ? Style(.selection, [.reverse]) : Style.normal
          lines.append(
            [
              StyledText(
                lineIndex == 0 ? prefix : String(repeating: " ", count: prefix.count), selected ? style : Style(.muted))
            ] + line.map { StyledText($0.text, style) })
        }
      }
    } else {
      lines.append([
        StyledText(
          "   Press Enter to reveal the next link (\(state.revealed + 1) of \(chain.steps.count)).", Style(.hint))
      ])
    }
    return lines
  }

  private static func checkLines(_ id: String, state: State, isActive: Bool, width: Int) -> [[StyledText]] {
    var lines: [[StyledText]] = [[StyledText("Checkpoint", Style(.accent, [.bold, .underline]))]]
    guard let check = state.check(id) else {
      lines.append([StyledText("(question '\(id)' is missing)", Style(.warning))])
      return lines
    }
    if state.passed.contains(id) && check.grade == nil {
      lines += TextWrapper.wrap([StyledText(check.input.question.prompt, Style(.normal, [.bold]))], width: width)
      lines.append([StyledText("✓ Answered correctly.", Style(.correct, [.bold]))])
      return lines
    }
    var model = QuestionView.Model(
      input: check.input, grade: check.grade, response: check.response, canRetry: true, isActive: isActive)
    model.hintsShown = state.session.hintsShown[id] ?? 0
    lines += QuestionView.lines(model, width: width)
    return lines
  }

  private static func endOfLessonLines(_ state: State, width: Int) -> [[StyledText]] {
    let pending = state.lesson.checkpoints.filter { !state.passed.contains($0.questionID) }.count
    if state.isComplete {
      return [[StyledText("✓ Lesson complete. Press → to return to the course.", Style(.correct, [.bold]))]]
    }
    if pending == 0 {
      return [[StyledText("End of the lesson. Press → to finish it.", Style(.hint, [.bold]))]]
    }
    return TextWrapper.wrap(
      "End of the lesson: \(pending) checkpoint\(pending == 1 ? "" : "s") still to answer before it counts as complete.",
      width: width, style: Style(.hint, [.bold]))
  }

  static func render(_ state: State, course: Course, in area: Rect, into grid: inout Grid) {
    let (lines, _) = lines(state, course: course, width: area.width)
    ScrollView.draw(lines, scroll: state.scroll, in: area, into: &grid)
    if state.showsNotes { drawNotes(state, course: course, in: area, into: &grid) }
    if let cursor = state.outlineCursor {
      Chrome.drawBox(
        title: "Outline: " + state.lesson.title, lines: outlineLines(state, cursor: cursor, width: area.width - 6),
        footer: "Enter goes to the step", in: area, into: &grid)
    }
  }

  /// The lesson's steps with their state: where the learner is, checkpoints still to answer.
  static func outlineLines(_ state: State, cursor: Int?, width: Int) -> [[StyledText]] {
    state.lesson.steps.enumerated().map { index, step in
      let pending = step.blocks.contains { block in
        if case .check(let check) = block { !state.passed.contains(check.questionID) } else { false }
      }
      let mark = index == state.step ? "▶ " : (pending ? "● " : "  ")
      var style = index == state.step ? Style(.accent, [.bold]) : Style.normal
      if index == cursor { style = Style(.selection, [.reverse]) }
      let label = DisplayWidth.truncated("\(index + 1). \(step.title)", to: max(10, width - 2))
      return [StyledText(mark, index == cursor ? style : Style(.accent)), StyledText(label, style)]
    } + [[], [StyledText("▶ you are here · ● checkpoints to answer", Style(.muted))]]
  }

  /// The step's glossary terms with their definitions and its sources in full, over the text.
  static func noteLines(_ state: State, course: Course, width: Int) -> [[StyledText]] {
    let (terms, citations) = notes(state)
    var lines: [[StyledText]] = []
    var names: [String: GlossaryTerm] = [:]
    for entry in course.glossary {
      names[entry.term.lowercased()] = entry
      for alias in entry.aliases { names[alias.lowercased()] = entry }
    }
    var shown: Set<String> = []
    if !terms.isEmpty { lines.append([StyledText("Terms", Style(.heading, [.bold]))]) }
    for name in terms {
      guard let entry = names[name.lowercased()], shown.insert(entry.term).inserted else { continue }
      lines += TextWrapper.wrap(
        [StyledText(entry.term + ": ", Style(.term, [.bold])), StyledText(entry.definition)], width: width)
    }
    if !citations.isEmpty {
      if !lines.isEmpty { lines.append([]) }
      lines.append([StyledText("Sources", Style(.heading, [.bold]))])
    }
    for key in citations {
      guard let reference = course.info.references.first(where: { $0.id == key }) else { continue }
      lines += TextWrapper.wrap(
        [StyledText("[\(reference.shortCitation)] ", Style(.citation, [.bold])), StyledText(reference.fullText)],
        width: width)
    }
    return lines
  }

  private static func drawNotes(_ state: State, course: Course, in area: Rect, into grid: inout Grid) {
    // The box covers the lesson's scroll markers (one column right of its text), and the notes'
    // own markers sit inside the border, not on it.
    let right = min(grid.size.width - 1, area.maxX + 1)
    let box = Rect(x: area.x - 1, y: area.y, width: right - area.x + 2, height: area.height)
    let padded = box.insetBy(dx: 2, dy: 1)
    let inner = Rect(x: padded.x, y: padded.y, width: padded.width - 1, height: padded.height)
    let lines = noteLines(state, course: course, width: inner.width)
    grid.fill(box)
    grid.box(box, style: Style(.accent))
    grid.write(" Terms and sources on this page ", x: box.x + 2, y: box.y, style: Style(.title, [.bold]))
    ScrollView.draw(lines, scroll: state.notesScroll, in: inner, into: &grid)
  }
}
