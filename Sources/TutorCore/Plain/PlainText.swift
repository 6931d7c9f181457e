import Foundation

/// Formats questions and lessons as plain lines and reads typed answers:
/// for screen readers, pipes and dumb terminals.
public enum PlainText {
  static let letters = Array("abcdefghi")

  /// The letter shown for the option at `index` (a, b, c, ...).
  public static func letter(_ index: Int) -> String { String(letters[index]) }

  /// The lines that ask `question` as it is presented.
  public static func questionLines(_ question: Question, presentation: Presentation, number: Int, of total: Int)
    -> [String]
  {
    var lines = ["Question \(number) of \(total)"]
    switch question.body {
    case .trueFalse:
      lines += [question.prompt, "t) True", "f) False", "Answer t or f:"]
    case .single, .multiple:
      lines.append(question.prompt)
      for (index, choice) in choices(question, presentation).enumerated() {
        lines.append("\(letter(index))) \(choice.text)")
      }
      lines.append(
        question.allowsSeveralChoices
          ? "Answer with all letters that apply, separated by commas (for example a,c):"
          : "Answer with one letter:")
    case .short:
      lines += [question.prompt, "Type your answer:"]
    case .numeric(let key):
      lines += [question.prompt, "Type a number" + (key.unit.map { " (in \($0))" } ?? "") + ":"]
    case .cloze(let cloze):
      if question.prompt != "Fill in the blanks." { lines.append(question.prompt) }
      lines.append(cloze.gappedText)
      lines.append("Type one line per blank, [1] first (\(cloze.blanks.count) in all):")
    case .match(let key):
      lines.append(question.prompt)
      for (index, pair) in key.pairs.enumerated() { lines.append("\(index + 1)) \(pair.left)") }
      let rights = key.rightItems
      for (index, item) in presentation.itemOrder.enumerated() { lines.append("\(letter(index))) \(rights[item])") }
      lines.append("Answer with each number followed by a letter, separated by spaces (for example 1b 2a):")
    case .order(let items):
      lines.append(question.prompt)
      for (index, item) in presentation.itemOrder.enumerated() { lines.append("\(letter(index))) \(items[item])") }
      lines.append("Answer with the letters in the right order, separated by spaces (for example c a b):")
    }
    return lines
  }

  /// The choices of a choice question in the order shown.
  public static func choices(_ question: Question, _ presentation: Presentation) -> [Choice] {
    let byID = Dictionary(question.choices.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let shown = presentation.choiceOrder.compactMap { byID[$0] }
    return shown.count == question.choices.count ? shown : question.choices
  }

  /// How many answer lines a question takes in plain mode (one per blank for cloze).
  public static func answerLineCount(_ question: Question) -> Int {
    if case .cloze(let cloze) = question.body { return cloze.blanks.count }
    return 1
  }

  /// Why a typed answer could not be read.
  public struct UnreadableAnswer: Error, Equatable, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    /// The reason as a sentence, for a status line.
    public var sentence: String { reason.prefix(1).uppercased() + reason.dropFirst() + "." }
  }

  /// Reads typed answer lines (one, or one per blank for cloze) for `question` as presented.
  /// The longest answer line read (typed answers are short; a longer line is refused unread).
  public static let maximumAnswerLength = 1000

  /// Echoes what the learner typed in quotes, safe for a terminal: control characters shown as
  /// `^X` or `\u{..}`, and cut to 40 characters.
  public static func quoted<Text: StringProtocol>(_ text: Text) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count == 40 {
        out += "…"
        break
      }
      switch scalar.value {
      case 0..<32: out += "^" + String(UnicodeScalar(UInt8(scalar.value + 64)))
      case 127: out += "^?"
      case 128..<160, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      default: out.unicodeScalars.append(scalar)
      }
      count += 1
    }
    return "'" + out + "'"
  }

  public static func parseAnswer(_ lines: [String], for question: Question, presentation: Presentation) -> Result<
    Response, UnreadableAnswer
  > {
    func fail(_ reason: String) -> Result<Response, UnreadableAnswer> { .failure(UnreadableAnswer(reason: reason)) }
    if lines.contains(where: { $0.unicodeScalars.count > maximumAnswerLength }) {
      return fail("an answer may be at most \(maximumAnswerLength) characters long")
    }
    let line = lines.first ?? ""
    let text = line.trimmed
    switch question.body {
    case .cloze(let cloze):
      let answers = lines.map(\.trimmed)
      guard answers.count == cloze.blanks.count else {
        return fail("type one line for each of the \(cloze.blanks.count) blanks")
      }
      if let empty = answers.firstIndex(where: \.isEmpty) { return fail("blank [\(empty + 1)] is empty") }
      return .success(.blanks(answers))
    case .short:
      return text.isEmpty ? fail("empty answer") : .success(.text(text))
    case .numeric:
      if text.isEmpty { return fail("empty answer") }
      return NumberReader.read(text) == nil ? fail("\(quoted(text)) is not a number") : .success(.text(text))
    case .trueFalse:
      switch text.lowercased() {
      case "t", "true": return .success(.choices(["t"]))
      case "f", "false": return .success(.choices(["f"]))
      case "": return fail("empty answer")
      default: return fail("answer t (true) or f (false)")
      }
    case .single, .multiple:
      if text.isEmpty { return fail("empty answer") }
      let shown = choices(question, presentation)
      var picked: [String] = []
      for part in text.lowercased().split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
        switch letterIndex(part, count: shown.count) {
        case .failure(let problem): return .failure(problem)
        case .success(let index): if !picked.contains(shown[index].id) { picked.append(shown[index].id) }
        }
      }
      if !question.allowsSeveralChoices && picked.count != 1 { return fail("pick exactly one letter") }
      return .success(.choices(Set(picked)))
    case .match(let key):
      if text.isEmpty { return fail("empty answer") }
      var picks = [Int?](repeating: nil, count: key.pairs.count)
      for token in text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }) {
        let digits = token.prefix { $0.isNumber }
        let rest = String(token.dropFirst(digits.count))
        guard let number = Int(digits), (1...key.pairs.count).contains(number) else {
          return fail("\(quoted(token)) does not start with an item number from 1 to \(key.pairs.count)")
        }
        guard picks[number - 1] == nil else { return fail("item \(number) is matched twice") }
        switch letterIndex(rest, count: presentation.itemOrder.count) {
        case .failure(let problem): return fail("in \(quoted(token)): \(problem.reason)")
        case .success(let index): picks[number - 1] = presentation.itemOrder[index]
        }
      }
      if let missing = picks.firstIndex(where: { $0 == nil }) { return fail("item \(missing + 1) has no match") }
      return .success(.matches(picks))
    case .order(let items):
      if text.isEmpty { return fail("empty answer") }
      let tokens = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
      let letters = tokens.count == 1 && tokens[0].count == items.count ? tokens[0].map(String.init) : tokens
      var placed: [Int] = []
      for token in letters {
        switch letterIndex(token, count: items.count) {
        case .failure(let problem): return .failure(problem)
        case .success(let index):
          let item = presentation.itemOrder[index]
          if placed.contains(item) { return fail("\(token) is placed twice") }
          placed.append(item)
        }
      }
      if placed.count != items.count { return fail("place all \(items.count) items, a to \(letter(items.count - 1))") }
      return .success(.ordering(placed))
    }
  }

  private static func letterIndex(_ token: String, count: Int) -> Result<Int, UnreadableAnswer> {
    guard token.count == 1, let character = token.first, character.isLetter, character.isASCII else {
      return .failure(UnreadableAnswer(reason: "\(quoted(token)) is not an option letter"))
    }
    guard let index = letters.firstIndex(of: character), index < count else {
      return .failure(
        UnreadableAnswer(reason: "there is no option \(token); the options are a to \(letter(count - 1))"))
    }
    return .success(index)
  }

  /// The answer as the learner gave it, in words, for the progress store.
  public static func describe(_ response: Response, for question: Question) -> String {
    switch (response, question.body) {
    case (.choices(let picked), _):
      return question.choices.enumerated().filter { picked.contains($0.element.id) }.map { $0.element.id }.joined(
        separator: ",")
    case (.text(let text), _):
      return text
    case (.blanks(let answers), _):
      return answers.joined(separator: " | ")
    case (.matches(let picks), .match(let key)):
      let rights = key.rightItems
      return zip(key.pairs, picks).map { pair, pick in "\(pair.left) → \(pick.map { rights[$0] } ?? "?")" }.joined(
        separator: "; ")
    case (.ordering(let placed), .order(let items)):
      return placed.map { items[$0] }.joined(separator: " → ")
    default:
      return "\(response)"
    }
  }

  /// The lines that report a graded answer, with the explanation and feedback.
  public static func feedbackLines(
    _ question: Question, presentation: Presentation, grade: Grade, response: Response? = nil
  ) -> [String] {
    var lines: [String] = []
    if grade.isCorrect {
      lines.append(
        grade.acceptedWithTypo ? "Correct (accepted with a typo: the answer is \(question.answerSummary))." : "Correct."
      )
    } else if grade.isPartlyCorrect {
      lines.append("Partly correct (\(Int((grade.score * 100).rounded()))% credit).")
    } else {
      lines.append("Incorrect.")
    }
    if let note = grade.note { lines.append("Note: \(note).") }
    lines += partLines(question, grade: grade, response: response).map { "  " + $0 }
    if !grade.isCorrect {
      switch question.body {
      case .single, .multiple:
        let shown = choices(question, presentation)
        let right = shown.enumerated().filter { $0.element.isCorrect }.map {
          "\(letter($0.offset))) \($0.element.text)"
        }
        lines.append("Right answer: " + right.joined(separator: "; "))
      default:
        lines.append("Right answer: " + question.answerSummary)
      }
    }
    for (choice, text) in Grader.feedback(for: question, grade: grade) {
      lines.append("About \"\(choice.text)\": \(text)")
    }
    if !question.explanation.isEmpty { lines.append(question.explanation) }
    return lines
  }

  /// Per-part verdicts: each blank, each pair, each misplaced link.
  public static func partLines(_ question: Question, grade: Grade, response: Response?) -> [String] {
    switch (question.body, response) {
    case (.cloze(let cloze), .blanks(let typed)?):
      return cloze.blanks.enumerated().map { index, accepted in
        let ok = index < grade.parts.count && grade.parts[index]
        let given = index < typed.count ? typed[index] : ""
        return ok
          ? "✓ [\(index + 1)] \(given)" : "✗ [\(index + 1)] \(given) (right: \(accepted.joined(separator: " / ")))"
      }
    case (.match(let key), .matches(let picks)?):
      let rights = key.rightItems
      return key.pairs.enumerated().map { index, pair in
        let given = index < picks.count ? picks[index].map { rights[$0] } ?? "nothing" : "nothing"
        let ok = index < grade.parts.count && grade.parts[index]
        return ok ? "✓ \(pair.left) → \(given)" : "✗ \(pair.left) → \(given) (right: \(pair.right))"
      }
    case (.order(let items), .ordering(let placed)?):
      var lines: [String] = []
      for (index, ok) in grade.parts.enumerated() where !ok && index + 1 < placed.count {
        lines.append("✗ \"\(items[placed[index]])\" should come after \"\(items[placed[index + 1]])\"")
      }
      return lines
    default:
      return []
    }
  }

  /// The body of a lesson step as wrapped plain lines (diagrams verbatim).
  public static func stepLines(_ step: LessonStep, number: Int, of total: Int, course: Course, width: Int = 78)
    -> [String]
  {
    [stepHeading(step, number: number, of: total)]
      + step.blocks.flatMap { blockLines($0, course: course, width: width) }
  }

  public static func stepHeading(_ step: LessonStep, number: Int, of total: Int) -> String {
    "== \(step.title) (step \(number) of \(total)) =="
  }

  /// A chain's link as "  2. text", wrapped under its text.
  public static func chainLinkLines(_ link: String, number: Int, width: Int = 78) -> [String] {
    let prefix = "  \(number). "
    return wrap(link, width: width - prefix.count).enumerated().map { index, line in
      (index == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line
    }
  }

  /// One block of a step as lines, followed by an empty line (a checkpoint has none: it is asked).
  public static func blockLines(_ block: Block, course: Course, width: Int = 78, chainLinks: Int? = nil) -> [String] {
    var lines: [String] = []
    func wrapped(_ text: String, prefix: String = "") -> [String] {
      wrap(text, width: width - prefix.count).enumerated().map { index, line in
        (index == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line
      }
    }
    // Citations read as in the full screen, "[Kwan et al. 2010]", not as reference ids.
    func text(_ inlines: [Inline]) -> String {
      inlines.map { inline in
        switch inline {
        case .citation(let key): "[" + (course.info.references.first { $0.id == key }?.shortCitation ?? key) + "]"
        case .bold(let inner), .italic(let inner): text(inner)
        default: inline.plainText
        }
      }.joined()
    }
    switch block {
    case .paragraph(let inlines):
      lines += wrapped(text(inlines))
    case .subheading(let title):
      lines.append(title)
    case .list(let ordered, let items):
      for (index, item) in items.enumerated() {
        lines += wrapped(text(item), prefix: ordered ? "\(index + 1). " : "- ")
      }
    case .callout(let kind, let inlines):
      lines += wrapped(text(inlines), prefix: "\(kind.label): ")
    case .diagram(let diagram):
      lines += diagram
    case .chain(let chain):
      lines.append("Mechanism: \(chain.title)")
      for (index, link) in chain.steps.prefix(chainLinks ?? chain.steps.count).enumerated() {
        lines += chainLinkLines(link, number: index + 1, width: width)
      }
      if chainLinks != nil { return lines }
    case .check:
      return []
    }
    lines.append("")
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
