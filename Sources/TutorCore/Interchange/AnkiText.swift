import Foundation

/// Anki's plain-text import format (Anki 2.1.55 and later; ../shared/docs/interchange.md, 2c):
/// a note per question, the question (with its options) on the front, the answer and the
/// explanation on the back, the concepts as tags, a deck per quiz under the course's.
public enum AnkiText {
  public static func write(_ quizzes: [Quiz], course: CourseInfo) -> String {
    var out = "#separator:tab\n#html:true\n#columns:Front\tBack\tTags\tDeck\n#tags column:3\n#deck column:4\n"
    for quiz in quizzes {
      let deck = "\(deckName(course.title))::\(deckName(quiz.title))"
      for question in quiz.questions {
        let (front, back) = sides(question)
        let tags = question.concepts.map { "\(course.id)::\($0)" }.joined(separator: " ")
        out += [front, back, tags, deck].map(field).joined(separator: "\t") + "\n"
      }
    }
    return out
  }

  static func sides(_ question: Question) -> (String, String) {
    var front = html(question.prompt)
    var back: String
    switch question.body {
    case .single(let choices), .multiple(let choices):
      let letters = Array("abcdefghi")
      front +=
        "<br><br>"
        + choices.enumerated().map { "\(letters[$0.offset])) \(html($0.element.text))" }
        .joined(separator: "<br>")
      back = choices.enumerated().filter(\.element.isCorrect)
        .map { "\(letters[$0.offset])) \(html($0.element.text))" }.joined(separator: "<br>")
    case .trueFalse(let answer, _, _):
      back = answer ? "True" : "False"
    case .short(let key):
      back = key.answers.map(html).joined(separator: " / ")
    case .numeric(let key):
      back = html(key.summary)
    case .cloze(let cloze):
      front = html(
        cloze.segments.map { if case .text(let text) = $0 { text } else { "_____" } }.joined())
      if !question.prompt.isEmpty { front = html(question.prompt) + "<br><br>" + front }
      back = html(cloze.filledText)
    case .match(let key):
      front += "<br><br>" + key.pairs.map { html($0.left) }.joined(separator: "<br>")
      back = key.pairs.map { "\(html($0.left)) → \(html($0.right))" }.joined(separator: "<br>")
    case .order(let items):
      back = items.enumerated().map { "\($0.offset + 1). \(html($0.element))" }.joined(separator: "<br>")
    }
    if !question.explanation.isEmpty { back += "<br><br>" + html(question.explanation) }
    return (front, back)
  }

  /// The course's text as HTML: `& < >` escaped, `**bold**` and `*italic*` as tags, newlines as <br>.
  static func html(_ text: String) -> String {
    var out = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
    out = out.replacingOccurrences(of: "\\*\\*([^*\n]+)\\*\\*", with: "<b>$1</b>", options: .regularExpression)
    out = out.replacingOccurrences(
      of: "(?<![*\\w])\\*([^*\n]+)\\*(?![*\\w])", with: "<i>$1</i>", options: .regularExpression)
    return out.replacingOccurrences(of: "\r\n", with: "<br>").replacingOccurrences(of: "\n", with: "<br>")
  }

  /// A field quoted when it holds a tab, a quote or a newline, or starts with `#`.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "\t" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix("#") else {
      return text
    }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A deck name without Anki's hierarchy separator inside it.
  static func deckName(_ title: String) -> String { title.replacingOccurrences(of: "::", with: ":") }
}
