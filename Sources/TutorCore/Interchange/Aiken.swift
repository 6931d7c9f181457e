import Foundation

/// Moodle's Aiken format, read as Moodle reads it (question/format/aiken/format.php;
/// ../shared/docs/interchange.md, 2b): one line of question text, choice lines `A) text` or
/// `A. text`, then `ANSWER: B`. Single-answer multiple choice only; the letter is the choice's
/// position, whatever the labels say. Errors are at the lines Moodle names: a question with too
/// few choices at its ANSWER line, an unfinished one at the line of the question after it.
public enum Aiken {
  /// Reads a file's bytes: UTF-8 only (a byte-order mark is dropped). The questions are single
  /// multiple choice in GIFT's terms, to be converted as GIFT's are.
  public static func read(_ data: Data) -> GIFT.Reading {
    guard let text = GIFT.text(of: data) else {
      var reading = GIFT.Reading()
      reading.problems.append(.init(line: 1, message: "the file is not UTF-8 (save it as UTF-8)", isError: true))
      return reading
    }
    return read(text)
  }

  public static func read(_ text: String) -> GIFT.Reading {
    var reading = GIFT.Reading()
    var open: (line: Int, text: String, choices: [String])?
    func error(_ line: Int, _ message: String) {
      reading.problems.append(.init(line: line, message: message, isError: true))
    }
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    for (index, raw) in lines.enumerated() {
      let number = index + 1
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard line.count >= 2 else { continue }
      let characters = Array(line)
      if characters[0].isASCII, characters[0].isUppercase, characters[1] == ")" || characters[1] == "." {
        guard open != nil else {
          error(number, "a choice before any question (question not started)")
          continue
        }
        open?.choices.append(String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces))
      } else if line.hasPrefix("ANSWER:") {
        guard let question = open else {
          error(number, "an ANSWER line before any question (question not started)")
          continue
        }
        open = nil
        let letter = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces).first
        guard question.choices.count >= 2 else {
          error(number, "a question needs at least 2 choices")
          continue
        }
        guard let letter, let ascii = letter.asciiValue, (65...90).contains(ascii),
          Int(ascii) - 65 < question.choices.count
        else {
          error(
            number,
            "ANSWER: \(letter.map(String.init) ?? "") names no choice (A is the first of the \(question.choices.count), "
              + "whatever the labels say; upper case)")
          continue
        }
        let right = Int(ascii) - 65
        let answers = question.choices.enumerated().map {
          GIFT.Answer(
            text: GIFT.Text($0.element, .plain), weight: $0.offset == right ? 1 : 0, feedback: GIFT.Text("", .plain))
        }
        reading.questions.append(
          GIFT.Question(
            title: nil, text: GIFT.Text(question.text, .plain), kind: .multipleChoice(answers: answers, single: true),
            generalFeedback: GIFT.Text("", .plain), category: nil, idNumber: nil, tags: [], hasBlank: false,
            line: question.line))
      } else {
        if let unfinished = open {
          error(
            number, "the question \"\(unfinished.text.prefix(40))\" was not completed before this one started")
        }
        open = (number, line, [])
      }
    }
    if let unfinished = open {
      error(unfinished.line, "the question \"\(unfinished.text.prefix(40))\" has no ANSWER line")
    }
    return reading
  }
}
