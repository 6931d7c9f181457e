import Foundation

/// Formats questions and lessons as plain lines and reads typed answers:
/// for screen readers, pipes and dumb terminals.
public enum PlainText {
  static let letters = Array("abcdefghi")

  /// The letter shown for the option at `index` (a, b, c, ...).
  public static func letter(_ index: Int) -> String { String(letters[index]) }

  /// The lines that ask `question`; `choices` are in the order shown.
  public static func questionLines(_ question: Question, choices: [Choice], number: Int, of total: Int) -> [String] {
    var lines = ["Question \(number) of \(total)", question.prompt]
    if case .trueFalse = question.body {
      lines.append("t) True")
      lines.append("f) False")
      lines.append("Answer t or f:")
      return lines
    }
    for (index, choice) in choices.enumerated() {
      lines.append("\(letter(index))) \(choice.text)")
    }
    lines.append(
      question.allowsSeveralChoices
        ? "Answer with all letters that apply, separated by commas (for example a,c):"
        : "Answer with one letter:")
    return lines
  }

  /// Why a typed answer could not be read.
  public struct UnreadableAnswer: Error, Equatable, Sendable {
    public var reason: String
  }

  /// Reads one typed answer line for `question` whose options are shown as `choices`.
  public static func parseAnswer(_ line: String, for question: Question, choices: [Choice]) -> Result<Response, UnreadableAnswer> {
    let text = line.trimmed.lowercased()
    if text.isEmpty { return .failure(UnreadableAnswer(reason: "empty answer")) }
    if case .trueFalse = question.body {
      switch text {
      case "t", "true": return .success(.choices(["t"]))
      case "f", "false": return .success(.choices(["f"]))
      default: return .failure(UnreadableAnswer(reason: "answer t (true) or f (false)"))
      }
    }
    let parts = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    var picked: [String] = []
    for part in parts {
      guard part.count == 1, let character = part.first, character.isLetter, character.isASCII else {
        return .failure(UnreadableAnswer(reason: "'\(part)' is not an option letter"))
      }
      guard let index = letters.firstIndex(of: character), index < choices.count else {
        return .failure(UnreadableAnswer(reason: "there is no option \(part); the options are a to \(letter(choices.count - 1))"))
      }
      if !picked.contains(choices[index].id) { picked.append(choices[index].id) }
    }
    if !question.allowsSeveralChoices && picked.count != 1 {
      return .failure(UnreadableAnswer(reason: "pick exactly one letter"))
    }
    return .success(.choices(Set(picked)))
  }

  /// The lines that report a graded answer, with the explanation and feedback.
  public static func feedbackLines(_ question: Question, choices: [Choice], grade: Grade) -> [String] {
    var lines: [String] = []
    if grade.isCorrect {
      lines.append("Correct.")
    } else if grade.isPartlyCorrect {
      lines.append("Partly correct (\(Int((grade.score * 100).rounded()))% credit).")
    } else {
      lines.append("Incorrect.")
    }
    if !grade.isCorrect {
      let right = choices.enumerated().filter { $0.element.isCorrect }
      let names = right.map { item -> String in
        if case .trueFalse = question.body { return item.element.text }
        return "\(letter(item.offset))) \(item.element.text)"
      }
      lines.append("Right answer: " + names.joined(separator: "; "))
    }
    for (choice, text) in Grader.feedback(for: question, grade: grade) {
      lines.append("About \"\(choice.text)\": \(text)")
    }
    if !question.explanation.isEmpty { lines.append(question.explanation) }
    return lines
  }

  /// The body of a lesson step as wrapped plain lines (diagrams verbatim).
  public static func stepLines(_ step: LessonStep, number: Int, of total: Int, course: Course, width: Int = 78) -> [String] {
    var lines = ["== \(step.title) (step \(number) of \(total)) =="]
    func wrapped(_ text: String, prefix: String = "") -> [String] {
      wrap(text, width: width - prefix.count).enumerated().map { index, line in
        (index == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line
      }
    }
    for block in step.blocks {
      switch block {
      case .paragraph(let inlines):
        lines += wrapped(inlines.plainText)
      case .subheading(let title):
        lines.append(title)
      case .list(let ordered, let items):
        for (index, item) in items.enumerated() {
          lines += wrapped(item.plainText, prefix: ordered ? "\(index + 1). " : "- ")
        }
      case .callout(let kind, let inlines):
        lines += wrapped(inlines.plainText, prefix: "\(kind.label): ")
      case .diagram(let diagram):
        lines += diagram
      case .chain(let chain):
        lines.append("Mechanism: \(chain.title)")
        for (index, link) in chain.steps.enumerated() { lines += wrapped(link, prefix: "  \(index + 1). ") }
      case .check:
        break
      }
      lines.append("")
    }
    return lines
  }

  /// Greedy word wrap by characters (plain output has no styling).
  public static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if line.isEmpty {
        line = String(word)
      } else if line.count + 1 + word.count <= max(10, width) {
        line += " " + word
      } else {
        lines.append(line)
        line = String(word)
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
