import Foundation

/// Moodle's GIFT question format, read as Moodle reads it (question/format/gift/format.php;
/// the rules, with their surprises, are in ../shared/docs/interchange.md, Part 2a). Where Moodle
/// silently does something its author probably did not mean, the reader does the same and says
/// so in a warning; where Moodle accepts nonsense (a numerical answer that is not a number), it
/// reports an error.
public enum GIFT {
  public enum Format: String, Equatable, Sendable, CaseIterable {
    case moodle, html, plain, markdown
  }

  /// A text with the format it is written in.
  public struct Text: Equatable, Sendable {
    public var text: String
    public var format: Format
    public init(_ text: String, _ format: Format = .moodle) {
      self.text = text
      self.format = format
    }
  }

  /// A choice or an accepted answer: its weight is a fraction (1 for 100%, -0.5 for -50%).
  public struct Answer: Equatable, Sendable {
    public var text: Text
    public var weight: Double
    public var feedback: Text
  }

  /// A numerical answer: `value` ± `tolerance`, or any other number when `value` is nil.
  public struct NumberAnswer: Equatable, Sendable {
    public var value: Double?
    public var tolerance: Double
    public var weight: Double
    public var feedback: Text
  }

  /// A matching pair; an empty left side is a distractor (an extra wrong answer).
  public struct Pair: Equatable, Sendable {
    public var left: Text
    public var right: String
  }

  public enum Kind: Equatable, Sendable {
    case description
    case essay
    /// `single`: one answer may be chosen (the block has an `=`), else several.
    case multipleChoice(answers: [Answer], single: Bool)
    case shortAnswer(answers: [Answer])
    /// `wrongFeedback` is shown to a learner who answered wrong, `rightFeedback` to one who was right.
    case trueFalse(correct: Bool, wrongFeedback: Text, rightFeedback: Text)
    case matching(pairs: [Pair])
    case numerical(answers: [NumberAnswer])

    public var name: String {
      switch self {
      case .description: "description"
      case .essay: "essay"
      case .multipleChoice: "multiple choice"
      case .shortAnswer: "short answer"
      case .trueFalse: "true/false"
      case .matching: "matching"
      case .numerical: "numerical"
      }
    }
  }

  public struct Question: Equatable, Sendable {
    /// The `::title::`, if the question has one.
    public var title: String?
    public var text: Text
    public var kind: Kind
    public var generalFeedback: Text
    /// The `$CATEGORY:` in force.
    public var category: String?
    /// `[id:…]` and `[tag:…]` from the question's comment lines.
    public var idNumber: String?
    public var tags: [String]
    /// The answer block stood inside the text: it is now the blank `_____`.
    public var hasBlank: Bool
    /// The question's first line in the file.
    public var line: Int
  }

  public struct Problem: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var isError: Bool
    public var description: String { "\(line): \(isError ? "error" : "warning"): \(message)" }
  }

  public struct Reading: Equatable, Sendable {
    public var questions: [Question] = []
    /// Every category switch, with its line.
    public var categories: [(line: Int, path: String)] = []
    public var problems: [Problem] = []

    public var errors: [Problem] { problems.filter(\.isError) }

    public static func == (a: Reading, b: Reading) -> Bool {
      a.questions == b.questions && a.problems == b.problems
        && a.categories.map(\.line) == b.categories.map(\.line) && a.categories.map(\.path) == b.categories.map(\.path)
    }
  }

  /// Moodle's list of allowed weights, in percent (and their negatives).
  public static let gradeList: [Double] = [
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111,
    10, 5, 0,
  ]

  /// Whether Moodle's import (in its default mode) takes a weight.
  public static func isMoodleWeight(_ fraction: Double) -> Bool {
    gradeList.contains { abs(abs(fraction * 100) - $0) < 0.00001 * 100 }
  }

  /// Reads a file's bytes: UTF-8 only (a byte-order mark is dropped).
  /// A file's text: UTF-8, a byte-order mark dropped; nil if it is not UTF-8.
  static func text(of data: Data) -> String? {
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    return String(validating: bytes, as: UTF8.self)
  }

  public static func read(_ data: Data) -> Reading {
    guard let text = text(of: data) else {
      let bytes = [UInt8](data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...])
      var reading = Reading()
      let line = 1 + (bytes.prefix { $0 < 0x80 }.filter { $0 == 0x0A }.count)
      reading.problems.append(
        Problem(
          line: line,
          message: "the file is not UTF-8 (save it as UTF-8; Moodle refuses it too)", isError: true))
      return reading
    }
    return read(text)
  }

  public static func read(_ text: String) -> Reading {
    var reading = Reading()
    var category: String?
    for block in blocks(text) {
      var comments: [String] = []
      var lines: [String] = []
      for (_, line) in block.lines {
        if line.hasPrefix("//") { comments.append(line) } else { lines.append(line) }
      }
      for (number, line) in block.lines where line == "0" {
        reading.problems.append(
          Problem(
            line: number,
            message: "a line holding only 0 ends the question in Moodle (a quirk of PHP); here it is part of the text",
            isError: false))
      }
      let joined = lines.joined(separator: "\n").trimmingCharacters(in: .phpSpace)
      guard !joined.isEmpty else { continue }
      let text = Escapes.protect(joined)
      if text.hasPrefix("$CATEGORY:") {
        let path = Escapes.restore(String(text.dropFirst(10))).trimmingCharacters(in: .phpSpace)
        if path.contains(where: \.isNewline) {
          reading.problems.append(
            Problem(
              line: block.firstLine,
              message: "the category swallows the lines after it: put a blank line after $CATEGORY", isError: false))
        }
        category = path
        reading.categories.append((block.firstLine, path))
        continue
      }
      let (idNumber, tags) = Self.idAndTags(comments)
      var problems: [Problem] = []
      func problem(_ message: String, error: Bool) {
        problems.append(Problem(line: block.firstLine, message: message, isError: error))
      }
      if var question = Self.question(text, problem: problem) {
        question.category = category
        question.idNumber = idNumber
        question.tags = tags
        question.line = block.firstLine
        if !problems.contains(where: \.isError) { reading.questions.append(question) }
      }
      reading.problems += problems
    }
    return reading
  }

  // MARK: - File level

  struct Block {
    var lines: [(Int, String)]
    var firstLine: Int { lines.first?.0 ?? 0 }
  }

  /// Questions are separated by blank lines; every line is trimmed.
  static func blocks(_ text: String) -> [Block] {
    // Line feeds (a Windows CR LF is one Character), or, in an old Mac file, carriage returns.
    let lineFeeds = text.unicodeScalars.contains("\n")
    let lines = text.split(omittingEmptySubsequences: false) {
      lineFeeds ? $0 == "\n" || $0 == "\r\n" : $0 == "\r"
    }
    var blocks: [Block] = []
    var current = Block(lines: [])
    for (index, raw) in lines.enumerated() {
      let line = raw.trimmingCharacters(in: .phpSpace)
      if line.isEmpty {
        if !current.lines.isEmpty { blocks.append(current) }
        current = Block(lines: [])
      } else {
        current.lines.append((index + 1, line))
      }
    }
    if !current.lines.isEmpty { blocks.append(current) }
    return blocks
  }

  /// The first `[id:…]` and every `[tag:…]` in comment lines (`\]` is a `]`; a token does not
  /// run over a line break).
  static func idAndTags(_ comments: [String]) -> (String?, [String]) {
    var id: String?
    var tags: [String] = []
    for comment in comments {
      var rest = Substring(comment)
      while let open = rest.range(of: "[") {
        let after = rest[open.upperBound...]
        let kind: String? = after.hasPrefix("id:") ? "id" : after.hasPrefix("tag:") ? "tag" : nil
        guard let kind else {
          rest = after
          continue
        }
        var value = ""
        var index = after.index(after.startIndex, offsetBy: kind.count + 1)
        var closed = false
        while index < after.endIndex {
          let character = after[index]
          if character == "\\", after.index(after: index) < after.endIndex, after[after.index(after: index)] == "]" {
            value.append("]")
            index = after.index(index, offsetBy: 2)
            continue
          }
          if character == "]" {
            closed = true
            break
          }
          value.append(character)
          index = after.index(after: index)
        }
        guard closed else { break }
        rest = after[after.index(after: index)...]
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if kind == "id" {
          if id == nil { id = trimmed }
        } else if !trimmed.isEmpty, !trimmed.contains(where: { "<>`".contains($0) }) {
          tags.append(trimmed)
        }
      }
    }
    return (id, tags)
  }

  // MARK: - One question

  static func question(_ protected: String, problem: (String, Bool) -> Void) -> Question? {
    var text = protected
    var title: String?
    if text.hasPrefix("::") {
      let rest = text.dropFirst(2)
      if let end = rest.range(of: "::") {
        let name = Escapes.restore(String(rest[..<end.lowerBound]))
        title = String(stripTags(name).trimmingCharacters(in: .phpSpace).prefix(255))
        text = String(rest[end.upperBound...]).trimmingCharacters(in: .phpSpace)
      } else {
        text = String(rest)
        problem("the title has no closing :: (Moodle drops the opening :: and gives the question no title)", false)
      }
    }
    let open = text.firstIndex(of: "{")
    let close = text.firstIndex(of: "}")
    guard open != nil || close != nil else {
      let (questionText, _) = Self.formatted(text, default: .moodle)
      return Question(
        title: title, text: questionText, kind: .description, generalFeedback: Text("", questionText.format),
        category: nil, idNumber: nil, tags: [], hasBlank: false, line: 0)
    }
    guard let open, let close, open < close else {
      problem("the answer block's braces do not match (write \\{ and \\} for a brace in text)", true)
      return nil
    }
    var answerText = String(text[text.index(after: open)..<close]).trimmingCharacters(in: .phpSpace)
    let before = String(text[..<open])
    let after = String(text[text.index(after: close)...])
    if after.contains("{") {
      problem("a second {…} stays in the question text: GIFT has one answer block per question", false)
    }
    let hasBlank = !text.hasSuffix("}")
    let (questionText, format) = Self.formatted(
      (hasBlank ? before + "_____" + after : before + after).trimmingCharacters(in: .phpSpace), default: .moodle)
    var generalFeedback = Text("", format)
    if let last = answerText.range(of: "####", options: .backwards) {
      generalFeedback = Self.formatted(String(answerText[last.upperBound...]), default: format).0
      answerText = String(answerText[..<last.lowerBound]).trimmingCharacters(in: .phpSpace)
    }
    if answerText == "0" || answerText.hasPrefix("0 ") || answerText.hasPrefix("0~") || answerText.hasPrefix("0=")
      || answerText.hasPrefix("0#")
    {
      problem("Moodle drops a first answer written 0 (a quirk of PHP): write it =0, or \\0", false)
    }
    let kind: Kind?
    if answerText.isEmpty {
      kind = .essay
    } else if answerText.hasPrefix("#") {
      kind = numerical(String(answerText.dropFirst()), format: format, problem: problem)
    } else if answerText.contains("~") {
      kind = multipleChoice(answerText, format: format, problem: problem)
    } else if answerText.contains("="), answerText.contains("->") {
      kind = matching(answerText, format: format, problem: problem)
    } else if let truth = trueFalse(answerText, format: format) {
      kind = truth
    } else {
      let token = String(answerText.prefix { $0 != "#" }).trimmingCharacters(in: .phpSpace)
      if ["t", "true", "f", "false"].contains(token.lowercased()) {
        problem(
          "{\(token)} is a short answer whose answer is \"\(token)\": true/false is written T, TRUE, F or FALSE",
          false)
      }
      kind = shortAnswer(answerText, format: format, problem: problem)
    }
    guard let kind else { return nil }
    return Question(
      title: title, text: questionText, kind: kind, generalFeedback: generalFeedback, category: nil, idNumber: nil,
      tags: [], hasBlank: hasBlank, line: 0)
  }

  /// A weight `%N%` at the start of an answer (N may be negative and have a fraction), as a
  /// fraction, and the answer after it.
  static func weight(_ answer: String) -> (Double, String)? {
    guard answer.hasPrefix("%") else { return nil }
    let body = answer.dropFirst()
    guard let end = body.firstIndex(of: "%") else { return nil }
    let number = body[..<end]
    // Moodle's pattern: minus signs, one or two digits, an optional point, digits.
    let digits = number.drop { $0 == "-" }
    let whole = digits.prefix { $0.isASCII && $0.isNumber }
    guard (1...2).contains(whole.count) || (whole.count == 3 && digits.allSatisfy { $0.isASCII && $0.isNumber }),
      digits.dropFirst(whole.count).drop(while: { $0 == "." }).allSatisfy({ $0.isASCII && $0.isNumber }),
      digits.dropFirst(whole.count).filter({ $0 == "." }).count <= 1,
      let value = Double(number.count - digits.count > 0 ? "-" + digits : String(digits))
    else { return nil }
    return (value / 100, String(body[body.index(after: end)...]))
  }

  /// An answer's weight (`%N%` at its start, else `otherwise`) and the answer after it.
  static func weighted(_ part: String, otherwise: Double) -> (Double, String) {
    Self.weight(part) ?? (otherwise, part)
  }

  /// The answer and its feedback (after the first `#`), each with its format.
  static func answerAndFeedback(_ answer: String, format: Format) -> (Text, Text) {
    let parts = answer.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
    let feedback = parts.count > 1 ? String(parts[1]) : ""
    return (
      formatted(String(parts[0]).trimmingCharacters(in: .phpSpace), default: format).0,
      formatted(feedback.trimmingCharacters(in: .phpSpace), default: format).0
    )
  }

  /// A text's `[format]` prefix taken off (lower case only; an unknown one is text), escapes
  /// restored, trimmed.
  static func formatted(_ text: String, default format: Format) -> (Text, Format) {
    var body = Substring(text)
    var chosen = format
    if body.hasPrefix("["), let end = body.firstIndex(of: "]"),
      let named = Format(rawValue: String(body[body.index(after: body.startIndex)..<end]))
    {
      chosen = named
      body = body[body.index(after: end)...]
    }
    return (Text(Escapes.restore(String(body)).trimmingCharacters(in: .phpSpace), chosen), chosen)
  }

  static func pieces(_ text: String, on separator: Character) -> [String] {
    var parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    if let first = parts.first, first.trimmingCharacters(in: .phpSpace).isEmpty { parts.removeFirst() }
    return parts.map { $0.trimmingCharacters(in: .phpSpace) }
  }

  static func multipleChoice(_ answerText: String, format: Format, problem: (String, Bool) -> Void) -> Kind? {
    let single = answerText.contains("=")
    let parts = pieces(answerText.replacingOccurrences(of: "=", with: "~="), on: "~")
    guard parts.count >= 2 else {
      problem("a multiple-choice question needs at least 2 answers", true)
      return nil
    }
    if let first = parts.first,
      ["T", "TRUE", "F", "FALSE"].contains(first.prefix { $0 != "#" }.trimmingCharacters(in: .phpSpace))
    {
      problem("a ~ in the feedback of a true/false question makes it multiple choice (write \\~)", false)
    }
    for word in equalsInsideFeedback(answerText) {
      problem(
        "an = inside feedback starts a new correct answer \"\(word)\" (write \\= for an equals sign)", false)
    }
    var answers: [Answer] = []
    for part in parts {
      var rest = part
      var weight = 0.0
      if part.hasPrefix("=") {
        weight = 1
        rest = String(part.dropFirst())
        if Self.weight(rest) != nil {
          problem(
            "=\(rest.prefix(8))… is worth 100%: the weight after = is text (write ~%N% for partial credit)", false)
        }
      } else if let (parsed, after) = Self.weight(part) {
        weight = parsed
        rest = after
      }
      let (text, feedback) = answerAndFeedback(rest, format: format)
      answers.append(Answer(text: text, weight: weight, feedback: feedback))
    }
    for answer in answers where !isMoodleWeight(answer.weight) {
      problem(
        "the weight \(percent(answer.weight)) of \"\(answer.text.text)\" is not one Moodle takes "
          + "(its list: 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, …)", false)
    }
    if !single {
      let positive = answers.map(\.weight).filter { $0 > 0 }.reduce(0, +)
      if abs(positive - 1) > 0.0001 {
        problem(
          "the right answers of this multiple-response question add up to \(percent(positive)), not 100%", false)
      }
    }
    return .multipleChoice(answers: answers, single: single)
  }

  /// The answers an `=` right after a non-space inside feedback (`#because 2+2=5`) starts.
  static func equalsInsideFeedback(_ answerText: String) -> [String] {
    var inFeedback = false
    var previous: Character = " "
    var found: [String] = []
    var index = answerText.startIndex
    while index < answerText.endIndex {
      let character = answerText[index]
      switch character {
      case "#": inFeedback = true
      case "~": inFeedback = false
      case "=":
        if inFeedback, !previous.isWhitespace {
          found.append(String(answerText[answerText.index(after: index)...].prefix { !" ~=#".contains($0) }))
        }
        inFeedback = false
      default: break
      }
      previous = character
      index = answerText.index(after: index)
    }
    return found
  }

  static func shortAnswer(_ answerText: String, format: Format, problem: (String, Bool) -> Void) -> Kind? {
    let parts = pieces(answerText, on: "=")
    guard !parts.isEmpty else {
      problem("a short-answer question needs an answer", true)
      return nil
    }
    var answers: [Answer] = []
    for part in parts {
      let (weight, rest) = weighted(part, otherwise: 1)
      let (text, feedback) = answerAndFeedback(rest, format: format)
      answers.append(Answer(text: Text(text.text, format), weight: weight, feedback: feedback))
      if !isMoodleWeight(weight) {
        problem("the weight \(percent(weight)) of \"\(text.text)\" is not one Moodle takes", false)
      }
    }
    return .shortAnswer(answers: answers)
  }

  static func trueFalse(_ answerText: String, format: Format) -> Kind? {
    let parts = answerText.split(separator: "#", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let token = parts[0].trimmingCharacters(in: .phpSpace)
    let correct: Bool
    switch token {
    case "T", "TRUE": correct = true
    case "F", "FALSE": correct = false
    default: return nil
    }
    let wrong = parts.count > 1 ? parts[1] : ""
    let right = parts.count > 2 ? parts[2] : ""
    return .trueFalse(
      correct: correct, wrongFeedback: formatted(wrong.trimmingCharacters(in: .phpSpace), default: format).0,
      rightFeedback: formatted(right.trimmingCharacters(in: .phpSpace), default: format).0)
  }

  static func matching(_ answerText: String, format: Format, problem: (String, Bool) -> Void) -> Kind? {
    let parts = pieces(answerText, on: "=")
    guard parts.count >= 2 else {
      problem("a matching question needs at least 2 pairs", true)
      return nil
    }
    var pairs: [Pair] = []
    for part in parts {
      guard let arrow = part.range(of: "->") else {
        problem("every pair of a matching question needs ->: \"\(Escapes.restore(part))\" has none", true)
        return nil
      }
      let left = formatted(String(part[..<arrow.lowerBound]).trimmingCharacters(in: .phpSpace), default: format).0
      let right = Escapes.restore(String(part[arrow.upperBound...])).trimmingCharacters(in: .phpSpace)
      pairs.append(Pair(left: left, right: right))
    }
    if pairs.filter({ !$0.left.text.isEmpty }).count < 2 {
      problem("a matching question needs at least 2 pairs besides its distractors", true)
      return nil
    }
    return .matching(pairs: pairs)
  }

  static func numerical(_ body: String, format: Format, problem: (String, Bool) -> Void) -> Kind? {
    var answerText = body
    var otherFeedback: String?
    if let tilde = answerText.firstIndex(of: "~") {
      otherFeedback = String(answerText[tilde...])
      answerText = String(answerText[..<tilde])
    }
    let parts = pieces(answerText, on: "=")
    guard !parts.isEmpty else {
      problem("a numerical question needs an answer ({#number})", true)
      return nil
    }
    var answers: [NumberAnswer] = []
    for part in parts {
      let (weight, rest) = weighted(part, otherwise: 1)
      let (text, feedback) = answerAndFeedback(rest, format: format)
      let answer = text.text
      let value: String
      let tolerance: String
      var range: (String, String)?
      if let dots = answer.range(of: ".."), dots.lowerBound > answer.startIndex {
        range = (
          String(answer[..<dots.lowerBound]).trimmingCharacters(in: .phpSpace),
          String(answer[dots.upperBound...]).trimmingCharacters(in: .phpSpace)
        )
        value = ""
        tolerance = ""
      } else if let colon = answer.firstIndex(of: ":"), colon > answer.startIndex {
        value = String(answer[..<colon]).trimmingCharacters(in: .phpSpace)
        tolerance = String(answer[answer.index(after: colon)...]).trimmingCharacters(in: .phpSpace)
      } else {
        value = answer.trimmingCharacters(in: .phpSpace)
        tolerance = "0"
      }
      if let (low, high) = range {
        guard let low = number(low), let high = number(high) else {
          problem("the range \"\(answer)\" is not two numbers", true)
          return nil
        }
        let middle = (low + high) / 2
        answers.append(NumberAnswer(value: middle, tolerance: high - middle, weight: weight, feedback: feedback))
        continue
      }
      guard let number = number(value) else {
        problem(
          "the numerical answer \"\(value)\" is not a number (Moodle would accept any answer for it; "
            + "write a decimal point, not a comma)", true)
        return nil
      }
      guard let margin = Self.number(tolerance) else {
        problem("the tolerance \"\(tolerance)\" of \(value) is not a number", true)
        return nil
      }
      answers.append(NumberAnswer(value: number, tolerance: margin, weight: weight, feedback: feedback))
    }
    if let otherFeedback {
      let (_, feedback) = answerAndFeedback(otherFeedback, format: format)
      answers.append(NumberAnswer(value: nil, tolerance: 0, weight: 0, feedback: feedback))
    }
    return .numerical(answers: answers)
  }

  /// A number as PHP's is_numeric reads one (decimal, optional sign and exponent).
  static func number(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty,
      trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
      let value = Double(trimmed), value.isFinite
    else { return nil }
    return value
  }

  static func percent(_ fraction: Double) -> String {
    let value = fraction * 100
    return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
  }

  static func stripTags(_ text: String) -> String {
    text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
  }

  /// Moodle's escape pre-pass: `\\`, `\:`, `\#`, `\=`, `\{`, `\}`, `\~` and `\n` become
  /// characters the parser does not look at, and come back after.
  enum Escapes {
    static let pairs: [(String, Character)] = [
      ("\\\\", "\u{E000}"), ("\\~", "\u{E001}"), ("\\=", "\u{E002}"), ("\\#", "\u{E003}"), ("\\{", "\u{E004}"),
      ("\\}", "\u{E005}"), ("\\:", "\u{E006}"), ("\\n", "\u{E007}"),
    ]
    static let restored: [Character: String] = [
      "\u{E000}": "\\", "\u{E001}": "~", "\u{E002}": "=", "\u{E003}": "#", "\u{E004}": "{", "\u{E005}": "}",
      "\u{E006}": ":", "\u{E007}": "\n",
    ]

    static func protect(_ text: String) -> String {
      var result = text
      for (escape, mark) in pairs { result = result.replacingOccurrences(of: escape, with: String(mark)) }
      return result
    }

    static func restore(_ text: String) -> String {
      guard text.unicodeScalars.contains(where: { (0xE000...0xE007).contains($0.value) }) else { return text }
      var result = ""
      for character in text { result += restored[character] ?? String(character) }
      return result
    }
  }
}

extension CharacterSet {
  /// What PHP's trim() removes: space, tab, newline, carriage return, NUL, vertical tab.
  static let phpSpace = CharacterSet(charactersIn: " \t\n\r\0\u{0B}")
}
