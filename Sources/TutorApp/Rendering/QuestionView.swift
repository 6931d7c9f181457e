import TerminalUI
import TutorCore

/// Draws a question of any type: prompt, hints, the answer being composed, and once graded the
/// verdict, the feedback of the chosen options, per-part results and the explanation.
/// Used by quizzes, the results of exams and lesson checkpoints.
enum QuestionView {
  struct Model {
    var input: AnswerInput
    var grade: Grade?
    var response: Response?
    var hintsShown = 0
    /// A checkpoint answered wrong can be tried again: the key stays hidden.
    var canRetry = false
    /// False while the learner is answering elsewhere on the page (no cursor drawn).
    var isActive = true

    var question: Question { input.question }
  }

  static func lines(_ model: Model, width: Int) -> [[StyledText]] {
    var lines = TextWrapper.wrap([StyledText(model.question.prompt, Style(.normal, [.bold]))], width: width)
    for (index, hint) in model.question.hints.prefix(model.hintsShown).enumerated() {
      lines += TextWrapper.wrap(
        [StyledText("Hint \(index + 1): ", Style(.hint, [.bold])), StyledText(hint, Style(.hint))], width: width)
    }
    lines.append([])
    switch model.question.body {
    case .single, .multiple, .trueFalse: lines += choiceLines(model, width: width)
    case .short, .numeric: lines += fieldLines(model, width: width)
    case .cloze(let cloze): lines += clozeLines(model, cloze: cloze, width: width)
    case .match(let key): lines += matchLines(model, key: key, width: width)
    case .order(let items): lines += orderLines(model, items: items, width: width)
    }
    if let grade = model.grade {
      lines.append([])
      lines += verdict(grade, model: model, width: width)
    }
    return lines
  }

  static func isTrueFalse(_ question: Question) -> Bool {
    if case .trueFalse = question.body { true } else { false }
  }

  // MARK: - Answer areas

  private static func choiceLines(_ model: Model, width: Int) -> [[StyledText]] {
    var lines: [[StyledText]] = []
    let answered = model.grade != nil
    let several = model.question.allowsSeveralChoices
    let revealsKey = model.grade?.isCorrect == true || !model.canRetry
    for (index, choice) in model.input.choices.enumerated() {
      let letter = isTrueFalse(model.question) ? (index == 0 ? "t" : "f") : PlainText.letter(index)
      // For a single answer the highlighted option is the pick, once the learner has chosen.
      let isPicked =
        answered
        ? (model.grade?.chosenChoiceIDs.contains(choice.id) ?? false)
        : (several
          ? model.input.picked.contains(choice.id)
          : (model.isActive && model.input.isTouched && index == model.input.cursor))
      var marker = several ? (isPicked ? "[x]" : "[ ]") : (isPicked ? "(•)" : "( )")
      var style = Style.normal
      let highlighted = !answered && model.isActive && index == model.input.cursor
      if answered {
        if choice.isCorrect && revealsKey {
          marker = "✓" + marker
          style = Style(.correct, [.bold])
        } else if isPicked {
          marker = "✗" + marker
          style = Style(.incorrect, [.bold])
        } else {
          marker = " " + marker
          style = Style(.muted)
        }
      } else if highlighted {
        style = Style(.selection, [.reverse])
      }
      let prefix = "\(letter)) \(marker) "
      let wrapped = TextWrapper.wrap([StyledText(choice.text, style)], width: max(10, width - DisplayWidth.of(prefix)))
      for (lineIndex, line) in wrapped.enumerated() {
        let head = lineIndex == 0 ? prefix : String(repeating: " ", count: DisplayWidth.of(prefix))
        lines.append([StyledText(head, answered || highlighted ? style : Style(.muted))] + line)
      }
    }
    return lines
  }

  /// A text field with its cursor shown as a reversed cell.
  static func field(_ field: TextField, active: Bool) -> [StyledText] {
    let text = field.characters
    guard active else { return [StyledText(field.text.isEmpty ? "…" : field.text, Style(.normal, [.underline]))] }
    let before = String(text[..<field.cursor])
    let atCursor = field.cursor < text.count ? String(text[field.cursor]) : " "
    let after = field.cursor + 1 < text.count ? String(text[(field.cursor + 1)...]) : ""
    return [
      StyledText(before, Style(.normal, [.underline])), StyledText(atCursor, Style(.selection, [.reverse])),
      StyledText(after, Style(.normal, [.underline])),
    ]
  }

  private static func fieldLines(_ model: Model, width: Int) -> [[StyledText]] {
    var label = "Answer: "
    if case .numeric(let key) = model.question.body, let unit = key.unit { label = "Answer (\(unit)): " }
    let typed = model.input.fields.first ?? TextField()
    return [[StyledText(label, Style(.accent, [.bold]))] + field(typed, active: model.isActive && model.grade == nil)]
  }

  private static func clozeLines(_ model: Model, cloze: ClozeText, width: Int) -> [[StyledText]] {
    var lines = TextWrapper.wrap(cloze.gappedText, width: width)
    lines.append([])
    for (index, typed) in model.input.fields.enumerated() {
      let active = model.isActive && model.grade == nil && index == model.input.activeField
      lines.append(
        [StyledText(active ? "› " : "  ", Style(.accent, [.bold])), StyledText("[\(index + 1)] ", Style(.accent))]
          + field(typed, active: active))
    }
    return lines
  }

  private static func matchLines(_ model: Model, key: MatchKey, width: Int) -> [[StyledText]] {
    let rights = key.rightItems
    let input = model.input
    let answered = model.grade != nil
    var lines: [[StyledText]] = []
    for (index, pair) in key.pairs.enumerated() {
      let current = input.matches.indices.contains(index) ? input.matches[index] : nil
      let shownLetter = current.flatMap { input.presentation.itemOrder.firstIndex(of: $0) }.map(PlainText.letter)
      let highlighted = !answered && model.isActive && input.choosingFor == nil && index == input.cursor
      let waiting = input.choosingFor == index
      var style = highlighted ? Style(.selection, [.reverse]) : (waiting ? Style(.accent, [.bold]) : Style.normal)
      var mark = waiting ? "▸ " : "  "
      var isRight = true
      if answered, index < (model.grade?.parts.count ?? 0) {
        isRight = model.grade!.parts[index]
        mark = isRight ? "✓ " : "✗ "
        style = Style(isRight ? .correct : .incorrect, [.bold])
      }
      let left = TextWrapper.wrap([StyledText("\(index + 1)) \(pair.left)", style)], width: width - 2)
      lines += left.enumerated().map { [StyledText($0.offset == 0 ? mark : "  ", style)] + $0.element }
      let partner = current.map { "→ \(shownLetter ?? "?")) \(rights[$0])" } ?? "→ (not matched yet)"
      lines += indented(
        TextWrapper.wrap(
          [StyledText(partner, current == nil ? Style(.muted) : (answered ? style : Style.normal))], width: width - 5),
        by: 5)
      if answered && !isRight && !model.canRetry {
        lines += indented(
          TextWrapper.wrap([StyledText("right: \(pair.right)", Style(.correct))], width: width - 5), by: 5)
      }
    }
    if !answered {
      lines.append([])
      lines.append([
        StyledText(input.choosingFor.map { "Pick the match for \($0 + 1):" } ?? "Matches:", Style(.accent, [.bold]))
      ])
      for (shown, item) in input.presentation.itemOrder.enumerated() {
        let highlighted = model.isActive && input.choosingFor != nil && shown == input.rightCursor
        let prefix = "\(PlainText.letter(shown))) "
        let style = highlighted ? Style(.selection, [.reverse]) : Style.normal
        for (lineIndex, line) in TextWrapper.wrap([StyledText(rights[item], style)], width: width - 2 - prefix.count)
          .enumerated()
        {
          lines.append(
            [StyledText("  " + (lineIndex == 0 ? prefix : String(repeating: " ", count: prefix.count)), Style(.muted))]
              + line)
        }
      }
    }
    return lines
  }

  private static func indented(_ lines: [[StyledText]], by columns: Int) -> [[StyledText]] {
    lines.map { [StyledText(String(repeating: " ", count: columns))] + $0 }
  }

  private static func orderLines(_ model: Model, items: [String], width: Int) -> [[StyledText]] {
    var lines: [[StyledText]] = []
    let input = model.input
    let answered = model.grade != nil
    let placed: [Int] = {
      if case .ordering(let p)? = model.response, answered { return p }
      return input.arrangement
    }()
    for (position, item) in placed.enumerated() {
      let highlighted = !answered && model.isActive && position == input.cursor
      var style = highlighted ? Style(.selection, input.isHolding ? [.reverse, .bold] : [.reverse]) : Style.normal
      var mark = highlighted && input.isHolding ? "⇕ " : "  "
      if answered {
        // A link is right when this item and the next are in the right relative order.
        let before = position > 0 ? placed[position - 1] < item : true
        let after = position + 1 < placed.count ? item < placed[position + 1] : true
        let ok = before && after
        mark = ok ? "✓ " : "✗ "
        style = Style(ok ? .correct : .incorrect, [.bold])
      }
      let prefix = "\(mark)\(position + 1). "
      for (lineIndex, line) in TextWrapper.wrap(
        [StyledText(items[item], style)], width: width - DisplayWidth.of(prefix)
      ).enumerated() {
        lines.append(
          [StyledText(lineIndex == 0 ? prefix : String(repeating: " ", count: DisplayWidth.of(prefix)), style)] + line)
      }
    }
    return lines
  }

  // MARK: - Verdict

  static func verdict(_ grade: Grade, model: Model, width: Int) -> [[StyledText]] {
    let question = model.question
    var lines: [[StyledText]] = []
    if grade.isCorrect {
      var text = [StyledText("✓ Correct", Style(.correct, [.bold]))]
      if grade.acceptedWithTypo {
        text.append(StyledText(" — accepted with a typo; the answer is \(question.answerSummary)", Style(.hint)))
      }
      lines += TextWrapper.wrap(text, width: width)
    } else if grade.isPartlyCorrect {
      lines.append([
        StyledText("≈ Partly correct: \(Int((grade.score * 100).rounded()))% credit", Style(.hint, [.bold]))
      ])
    } else {
      lines.append([
        StyledText("✗ Incorrect", Style(.incorrect, [.bold])),
        StyledText(model.canRetry ? " — try again" : "", Style(.muted)),
      ])
    }
    if let note = grade.note { lines += TextWrapper.wrap("(\(note))", width: width, style: Style(.hint)) }
    if case .order = question.body {
      for line in PlainText.partLines(question, grade: grade, response: model.response) {
        lines += TextWrapper.wrap(line, width: width, style: Style(.incorrect))
      }
    }
    if case .cloze = question.body {
      for (index, line) in PlainText.partLines(question, grade: grade, response: model.response).enumerated() {
        let ok = index < grade.parts.count && grade.parts[index]
        if !ok || !model.canRetry {
          lines += TextWrapper.wrap(line, width: width, style: Style(ok ? .correct : .incorrect))
        }
      }
    }
    if grade.acceptedWithTypo && !grade.isCorrect {
      lines.append([StyledText("(a typo was forgiven)", Style(.hint))])
    }
    if !grade.isCorrect && !model.canRetry {
      switch question.body {
      case .short, .numeric:
        lines += TextWrapper.wrap(
          [StyledText("Right answer: ", Style(.correct, [.bold])), StyledText(question.answerSummary)], width: width)
      case .order(let items):
        lines.append([StyledText("Right order:", Style(.correct, [.bold]))])
        for (index, item) in items.enumerated() {
          lines += TextWrapper.wrap([StyledText("\(index + 1). \(item)", Style(.correct))], width: width)
        }
      default:
        break
      }
    }
    for (choice, text) in Grader.feedback(for: question, grade: grade) {
      let mark = choice.isCorrect ? "✓" : "✗"
      lines += TextWrapper.wrap(
        [
          StyledText("\(mark) \(choice.text): ", Style(choice.isCorrect ? .correct : .incorrect, [.bold])),
          StyledText(text),
        ], width: width)
    }
    if !question.explanation.isEmpty && (grade.isCorrect || !model.canRetry) {
      lines.append([])
      lines += TextWrapper.wrap(
        [StyledText("Why: ", Style(.hint, [.bold])), StyledText(question.explanation)], width: width)
    }
    return lines
  }
}
