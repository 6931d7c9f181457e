import Foundation
import Yams

typealias YAMLNode = Yams.Node

extension GIFT {
  /// A GIFT file as a quiz file of the course format (Quizzes/README.md), with what did not
  /// carry over said as problems at the question's line.
  public struct QuizFile: Sendable {
    public var yaml: String
    public var problems: [Problem]
    public var questions: Int
  }

  /// Converts what `read` found. Each question keeps its text, choices, feedback and general
  /// feedback (as the explanation); GIFT's weights become right or wrong (the course grades
  /// `multiple` by right and wrong picks), and a short answer with its blank inside the text
  /// becomes a cloze. Essays and descriptions, which the tutor cannot grade, stay as comments.
  public static func quiz(_ reading: Reading, id: String, title: String) throws -> QuizFile {
    var problems: [Problem] = []
    var items: [YAMLNode] = []
    var usedIDs = Set<String>()
    var notes: [String] = []
    var written: [String] = []
    for question in reading.questions {
      written.append("")
      func note(_ message: String) { problems.append(Problem(line: question.line, message: message, isError: false)) }
      let itemID = uniqueID(question, used: &usedIDs, quiz: id)
      written[written.count - 1] = itemID
      var fields: [(String, YAMLNode)] = [("id", text(itemID))]
      let prompt = plain(question.text)
      switch question.kind {
      case .description, .essay:
        let what = question.kind == .essay ? "essay" : "description"
        note("the \(what) \"\(prompt.prefix(40))\" is kept as a comment: the tutor cannot grade it")
        notes.append("\(what) (line \(question.line)): \(prompt.replacingOccurrences(of: "\n", with: " "))")
        continue
      case .multipleChoice(let answers, let single):
        let right = answers.filter { $0.weight > 0 }
        let full = answers.filter { $0.weight >= 1 - 1e-9 }
        let asSingle = single && full.count == 1
        if single && full.count != 1 {
          note("\(full.count) answers are worth 100% in a single-answer question: written as `multiple`")
        }
        if asSingle, right.count > 1 {
          note(
            "partial credit (\(right.filter { $0.weight < 1 }.map { "\"\(plain($0.text))\"" }.joined(separator: ", "))) "
              + "is not kept: in a `single` question only the 100% answer is right")
        }
        if !asSingle, Set(right.map(\.weight)).count > 1 {
          note("the right answers' different weights are not kept: `multiple` scores right picks minus wrong picks")
        }
        guard answers.count <= 9 else {
          problems.append(
            Problem(line: question.line, message: "more than 9 choices (the tutor shows a to i)", isError: true))
          continue
        }
        guard !right.isEmpty else {
          problems.append(Problem(line: question.line, message: "no answer has a positive weight", isError: true))
          continue
        }
        fields += [("type", YAMLNode(asSingle ? "single" : "multiple")), ("prompt", text(prompt))]
        let choices: [YAMLNode] = answers.map { answer in
          var choice: [(String, YAMLNode)] = [("text", text(plain(answer.text)))]
          if asSingle ? answer.weight >= 1 - 1e-9 : answer.weight > 0 {
            choice.append(("correct", YAMLNode("true", Tag(.bool))))
          }
          if !answer.feedback.text.isEmpty { choice.append(("feedback", text(plain(answer.feedback)))) }
          return mapping(choice)
        }
        fields.append(("choices", YAMLNode(choices)))
      case .trueFalse(let correct, let wrongFeedback, let rightFeedback):
        fields += [
          ("type", YAMLNode("truefalse")), ("prompt", text(prompt)),
          ("answer", YAMLNode(correct ? "true" : "false", Tag(.bool))),
        ]
        let (ifTrue, ifFalse) = correct ? (rightFeedback, wrongFeedback) : (wrongFeedback, rightFeedback)
        if !ifTrue.text.isEmpty { fields.append(("feedback_true", text(plain(ifTrue)))) }
        if !ifFalse.text.isEmpty { fields.append(("feedback_false", text(plain(ifFalse)))) }
      case .shortAnswer(let answers):
        let accepted = answers.filter { $0.weight >= 1 - 1e-9 && $0.text.text != "*" }
        let dropped = answers.filter { !($0.weight >= 1 - 1e-9 && $0.text.text != "*") }
        guard !accepted.isEmpty else {
          problems.append(Problem(line: question.line, message: "no answer is worth 100%", isError: true))
          continue
        }
        if !dropped.isEmpty {
          note(
            "answers worth less than 100% or the catch-all * are not kept: "
              + dropped.map { "\"\(plain($0.text))\"" }.joined(separator: ", "))
        }
        if question.hasBlank, prompt.components(separatedBy: "_____").count == 2 {
          let blank = "{{" + accepted.map { plain($0.text) }.joined(separator: "|") + "}}"
          fields += [
            ("type", YAMLNode("cloze")), ("text", text(prompt.replacingOccurrences(of: "_____", with: blank))),
          ]
        } else {
          fields += [
            ("type", YAMLNode("short")), ("prompt", text(prompt)),
            ("answers", YAMLNode(accepted.map { text(plain($0.text)) })),
          ]
        }
        let feedback = accepted.map { plain($0.feedback) }.filter { !$0.isEmpty }
        if !feedback.isEmpty, question.generalFeedback.text.isEmpty {
          fields.append(("explanation", text(feedback[0])))
        }
      case .numerical(let answers):
        let full = answers.filter { $0.weight >= 1 - 1e-9 && $0.value != nil }
        guard let first = full.first, let value = first.value else {
          problems.append(Problem(line: question.line, message: "no numerical answer is worth 100%", isError: true))
          continue
        }
        if answers.count > 1 {
          note(
            "only \(NumberText.format(value)) ± \(NumberText.format(first.tolerance)) is kept; the other answers and their credit are not"
          )
        }
        fields += [("type", YAMLNode("numeric")), ("prompt", text(prompt))]
        if first.tolerance > 0 {
          fields += [
            ("answer", YAMLNode(NumberText.format(value), Tag(.float))),
            ("tolerance", YAMLNode(NumberText.format(first.tolerance), Tag(.float))),
          ]
        } else {
          fields.append(("answer", YAMLNode(NumberText.format(value), Tag(.float))))
        }
      case .matching(let pairs):
        let real = pairs.filter { !$0.left.text.isEmpty }
        let distractors = pairs.filter { $0.left.text.isEmpty }.map(\.right)
        guard real.count + distractors.count <= 9 else {
          problems.append(
            Problem(
              line: question.line, message: "more than 9 answers with the distractors (the tutor shows a to i)",
              isError: true))
          continue
        }
        fields += [("type", YAMLNode("match")), ("prompt", text(prompt))]
        fields.append(
          ("pairs", YAMLNode(real.map { mapping([("left", text(plain($0.left))), ("right", text($0.right))]) })))
        if !distractors.isEmpty { fields.append(("distractors", YAMLNode(distractors.map { text($0) }))) }
      }
      if !question.generalFeedback.text.isEmpty {
        fields.append(("explanation", text(plain(question.generalFeedback))))
      }
      items.append(mapping(fields))
    }
    let quiz = mapping([("id", text(id)), ("title", text(title)), ("questions", YAMLNode(items))])
    var yaml = "# Imported from GIFT by `tutor import gift`.\n"
    // What the quiz file has no key for, kept where an author sees it.
    var byCategory: [(String, [String])] = []
    var tagged: [String] = []
    for (question, id) in zip(reading.questions, written) where !id.isEmpty {
      if let category = question.category {
        if byCategory.last?.0 == category {
          byCategory[byCategory.count - 1].1.append(id)
        } else {
          byCategory.append((category, [id]))
        }
      }
      if !question.tags.isEmpty { tagged.append("\(id): \(question.tags.joined(separator: ", "))") }
    }
    for (category, ids) in byCategory {
      yaml += "# Moodle category \(oneLine(category)): \(ids.joined(separator: ", "))\n"
    }
    for line in tagged { yaml += "# Moodle tags of \(oneLine(line))\n" }
    for note in notes { yaml += "# Not imported, \(oneLine(note))\n" }
    yaml += try Yams.serialize(node: quiz, width: -1, allowUnicode: true)
    return QuizFile(yaml: yaml, problems: problems, questions: items.count)
  }

  /// Text for a YAML comment: every kind of line break (libyaml breaks on CR, NEL, LS and PS
  /// too) as a space.
  static func oneLine(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
  }

  /// A string as YAML that reads back as that string (`~`, `true`, `3` or `=` quoted).
  static func text(_ value: String) -> YAMLNode {
    let plain = YAMLNode(value)
    guard Resolver.default.resolveTag(of: plain) == Tag.Name.str, value != "=" else {
      return YAMLNode(value, Tag(.str), .doubleQuoted)
    }
    return plain
  }

  static func mapping(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
    YAMLNode.mapping(Yams.Node.Mapping(pairs.map { (YAMLNode($0.0), $0.1) }))
  }

  /// A kebab-case id from a name ("Unit 1: Basics" → "unit-1-basics"), or `fallback`.
  public static func kebab(_ name: String, fallback: String) -> String {
    let words = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
      .map { $0.isASCII && ($0.isLetter || $0.isNumber) ? String($0) : "-" }.joined()
      .split(separator: "-").joined(separator: "-")
    guard let first = words.first, first.isLetter else { return words.isEmpty ? fallback : "\(fallback)-\(words)" }
    return words
  }

  /// A title from an id ("unit-1-basics" → "Unit 1 basics").
  public static func title(from id: String) -> String {
    let words = id.replacingOccurrences(of: "-", with: " ")
    return words.prefix(1).uppercased() + words.dropFirst()
  }

  /// A kebab-case id from the question's id number, title or text, unique in the file.
  static func uniqueID(_ question: Question, used: inout Set<String>, quiz: String) -> String {
    let source = question.idNumber ?? question.title ?? String(plain(question.text).prefix(40))
    var base = kebab(source, fallback: quiz)
    base = String(base.prefix(48)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    var candidate = base
    var number = 2
    while used.contains(candidate) {
      candidate = "\(base)-\(number)"
      number += 1
    }
    used.insert(candidate)
    return candidate
  }

  /// Text as the course writes it: HTML's bold and italics as ** and *, line breaks kept, other
  /// tags dropped, entities read.
  static func plain(_ text: Text) -> String {
    guard text.format == .html || text.text.contains("<") && text.format == .moodle else { return text.text }
    var result = text.text
    for (pattern, replacement) in [
      ("(?i)<br\\s*/?>", "\n"), ("(?i)</p>\\s*<p[^>]*>", "\n\n"), ("(?i)</?(b|strong)>", "**"),
      ("(?i)</?(i|em)>", "*"), ("</?[A-Za-z][^<>]*>", ""),
    ] {
      result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    for (entity, character) in [
      ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&"),
    ] {
      result = result.replacingOccurrences(of: entity, with: character)
    }
    return result.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
