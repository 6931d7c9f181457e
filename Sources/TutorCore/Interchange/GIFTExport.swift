import Foundation

extension GIFT {
  /// A quiz as GIFT that Moodle imports without an error, and what could not be written so.
  public struct Export: Sendable {
    public var text: String
    public var written: Int
    /// A line per question left out or changed, naming it.
    public var notes: [String]
  }

  /// Writes a quiz as Moodle's exporter writes GIFT: a `// [id:…] [tag:…]` line, the title,
  /// the text in markdown (the course's own text), the answer block with every special character
  /// escaped and weights only from Moodle's grade list; the explanation as general feedback.
  /// `order` questions and clozes with several blanks have no GIFT form and are left out.
  public static func write(_ quiz: Quiz) -> Export {
    var out = "// \(escape(quiz.title)) (quiz \(quiz.id)), written by `tutor export gift`.\n\n"
    var notes: [String] = []
    var written = 0
    for question in quiz.questions {
      guard let block = answerBlock(question, notes: &notes) else { continue }
      let tags = question.concepts.map { " [tag:\($0.replacingOccurrences(of: "]", with: "\\]"))]" }.joined()
      out += "// [id:\(question.id)]\(tags)\n"
      out += "::\(escape(question.id))::[markdown]"
      switch block {
      case .after(let answers):
        out += escape(question.prompt, guarded: false) + answers + "\n\n"
      case .inside(let before, let answers, let after):
        out += escape(before, guarded: false) + answers + escape(after, guarded: false) + "\n\n"
      }
      written += 1
    }
    return Export(text: out, written: written, notes: notes)
  }

  enum AnswerPlace {
    /// The answer block after the question text.
    case after(String)
    /// The answer block where the blank is, in a text.
    case inside(before: String, answers: String, after: String)
  }

  static func answerBlock(_ question: TutorCore.Question, notes: inout [String]) -> AnswerPlace? {
    let general = question.explanation.isEmpty ? "" : "\t####\(escape(question.explanation))\n"
    func feedback(_ text: String?) -> String { text.map { $0.isEmpty ? "" : "#\(escape($0))" } ?? "" }
    switch question.body {
    case .single(let choices):
      // A wrong choice that begins like a weight (%20%…) says its 0% outright.
      let lines = choices.map { choice in
        let mark = choice.isCorrect ? "=" : GIFT.weight(choice.text) != nil ? "~%0%" : "~"
        return "\t\(mark)\(escape(choice.text))\(feedback(choice.feedback))\n"
      }
      return .after("{\n" + lines.joined() + general + "}")
    case .multiple(let choices):
      let right = choices.filter(\.isCorrect).count
      let share = moodleShare(of: right)
      let lines = choices.map {
        "\t~%\($0.isCorrect ? share : "-" + share)%\(escape($0.text))\(feedback($0.feedback))\n"
      }
      return .after("{\n" + lines.joined() + general + "}")
    case .trueFalse(let answer, let feedbackTrue, let feedbackFalse):
      let (wrong, right) =
        answer ? (feedbackFalse ?? "", feedbackTrue ?? "") : (feedbackTrue ?? "", feedbackFalse ?? "")
      var block = "{\(answer ? "TRUE" : "FALSE")"
      if !wrong.isEmpty || !right.isEmpty { block += "#\(escape(wrong))" }
      if !right.isEmpty { block += "#\(escape(right))" }
      if !question.explanation.isEmpty { block += "####\(escape(question.explanation))" }
      return .after(" " + block + "}")
    case .short(let key):
      guard !key.answers.contains(where: { $0.contains("->") }) else {
        notes.append(
          "\(question.id): an answer holds \"->\", which would make Moodle read a matching question; left out")
        return nil
      }
      if key.typos != nil {
        notes.append("\(question.id): its typo allowance is not written (Moodle's short answer has none)")
      }
      let lines = key.answers.map { "\t=%100%\(escape($0))#\n" }
      return .after(" {\n" + lines.joined() + general + "}")
    case .numeric(let key):
      let value: Double
      let tolerance: Double
      if let range = key.range {
        value = (range.lowerBound + range.upperBound) / 2
        tolerance = (range.upperBound - range.lowerBound) / 2
      } else {
        value = key.answer ?? 0
        tolerance = key.tolerance
      }
      if let unit = key.unit {
        notes.append("\(question.id): the unit (\(unit)) is not written (GIFT's numerical answers have none)")
      }
      return .after(" {#\n\t=%100%\(NumberText.format(value)):\(NumberText.format(tolerance))#\n" + general + "}")
    case .cloze(let cloze):
      guard cloze.blanks.count == 1 else {
        notes.append(
          "\(question.id): a cloze with \(cloze.blanks.count) blanks has no GIFT form (it needs Moodle's Cloze format); left out"
        )
        return nil
      }
      var before = ""
      var after = ""
      var answers: [String] = []
      for segment in cloze.segments {
        switch segment {
        case .text(let text): if answers.isEmpty { before += text } else { after += text }
        case .blank(let accepted): answers = accepted
        }
      }
      if !question.prompt.isEmpty, question.prompt != before {
        notes.append(
          "\(question.id): the cloze's prompt (\"\(question.prompt.prefix(40))\") is not written, only its text")
      }
      let block =
        "{" + answers.map { "=%100%\(escape($0))#" }.joined(separator: " ")
        + (question.explanation.isEmpty ? "" : "####\(escape(question.explanation))") + "}"
      // Text after the blank keeps it in place; with none, a full stop would add one.
      return .inside(before: before, answers: block, after: after.isEmpty ? "" : after)
    case .match(let key):
      guard !key.pairs.contains(where: { $0.left.contains("->") }) else {
        notes.append("\(question.id): a left item holds \"->\", which GIFT cannot escape; left out")
        return nil
      }
      let lines =
        key.pairs.map { "\t=\(escape($0.left)) -> \(escape($0.right, guarded: false))\n" }
        + key.distractors.map { "\t= -> \(escape($0, guarded: false))\n" }
      return .after(" {\n" + lines.joined() + general + "}")
    case .order:
      notes.append("\(question.id): an order question has no GIFT form; left out")
      return nil
    }
  }

  /// 100% shared among `count` right answers, as Moodle's grade list writes it.
  static func moodleShare(of count: Int) -> String {
    let exact = 100 / Double(max(count, 1))
    let listed = gradeList.min { abs($0 - exact) < abs($1 - exact) } ?? exact
    return NumberText.format(listed)
  }

  /// Every special character escaped; a newline as `\n`, a carriage return dropped. A text that
  /// begins like a format tag (`[html]…`) gets the question's own, `[markdown]`, before it, so
  /// that Moodle does not read its first word as the format.
  public static func escape(_ text: String, guarded: Bool = true) -> String {
    var out = ""
    if guarded, Format.allCases.contains(where: { text.hasPrefix("[\($0.rawValue)]") }) { out = "[markdown]" }
    for character in text {
      switch character {
      case "\\", "~", "=", "#", "{", "}", ":": out += "\\\(character)"
      case "\n": out += "\\n"
      case "\r", "\r\n": if character == "\r\n" { out += "\\n" }
      default: out.append(character)
      }
    }
    return out
  }
}
