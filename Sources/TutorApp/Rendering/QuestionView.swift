import TerminalUI
import TutorCore

/// Draws a choice question: prompt, options with marks, and after answering the verdict,
/// the feedback of the chosen options and the explanation. Used by quizzes and checkpoints.
enum QuestionView {
  struct Model {
    var question: Question
    var choices: [Choice]
    var highlighted: Int
    var picked: Set<String>
    var grade: Grade?
    /// A checkpoint answered wrong can be tried again.
    var canRetry: Bool = false
  }

  /// The question as wrapped lines, `width` columns wide.
  static func lines(_ model: Model, width: Int) -> [[StyledText]] {
    var lines = TextWrapper.wrap([StyledText(model.question.prompt, Style(.normal, [.bold]))], width: width)
    lines.append([])
    let answered = model.grade != nil
    let several = model.question.allowsSeveralChoices
    for (index, choice) in model.choices.enumerated() {
      let letter = isTrueFalse(model.question) ? (index == 0 ? "t" : "f") : PlainText.letter(index)
      let isPicked = model.picked.contains(choice.id) || (model.grade?.chosenChoiceIDs.contains(choice.id) ?? false)
      var marker = several ? (isPicked ? "[x]" : "[ ]") : (isPicked ? "(•)" : "( )")
      var style = Style.normal
      let revealsKey = model.grade?.isCorrect == true || !model.canRetry
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
      } else if index == model.highlighted {
        style = Style(.selection, [.reverse])
      }
      let prefix = "\(letter)) \(marker) "
      let wrapped = TextWrapper.wrap([StyledText(choice.text, style)], width: max(10, width - DisplayWidth.of(prefix)))
      for (lineIndex, line) in wrapped.enumerated() {
        let head = lineIndex == 0 ? prefix : String(repeating: " ", count: DisplayWidth.of(prefix))
        lines.append([StyledText(head, answered ? style : (index == model.highlighted ? style : Style(.muted)))] + line)
      }
    }
    if let grade = model.grade {
      lines.append([])
      lines += verdict(grade, question: model.question, choices: model.choices, width: width, canRetry: model.canRetry)
    }
    return lines
  }

  static func isTrueFalse(_ question: Question) -> Bool {
    if case .trueFalse = question.body { true } else { false }
  }

  static func verdict(_ grade: Grade, question: Question, choices: [Choice], width: Int, canRetry: Bool) -> [[StyledText]] {
    var lines: [[StyledText]] = []
    if grade.isCorrect {
      lines.append([StyledText("✓ Correct", Style(.correct, [.bold]))])
    } else if grade.isPartlyCorrect {
      lines.append([StyledText("≈ Partly correct: \(Int((grade.score * 100).rounded()))% credit", Style(.hint, [.bold]))])
    } else {
      lines.append([StyledText("✗ Incorrect", Style(.incorrect, [.bold])), StyledText(canRetry ? " — try again" : "", Style(.muted))])
    }
    for (choice, text) in Grader.feedback(for: question, grade: grade) {
      let mark = choice.isCorrect ? "✓" : "✗"
      lines += TextWrapper.wrap([StyledText("\(mark) \(choice.text): ", Style(choice.isCorrect ? .correct : .incorrect, [.bold])), StyledText(text)], width: width)
    }
    if !question.explanation.isEmpty && (grade.isCorrect || !canRetry) {
      lines.append([])
      lines += TextWrapper.wrap([StyledText("Why: ", Style(.hint, [.bold])), StyledText(question.explanation)], width: width)
    }
    return lines
  }
}
