import Foundation

/// Turns an answer into the rating FSRS needs: the learner never grades themselves.
///
/// - wrong (score 0): **Again**
/// - right after a hint, only partly right, or marked "unsure" or "guessing": **Hard**
/// - right: **Good**
/// - right with no hint, not marked unsure or guessing, and within the question's quick time: **Easy**
public enum ReviewGrading {
  public static func rating(
    for grade: Grade, hintsUsed: Int, confidence: Confidence?, seconds: Double?, quickSeconds: Double
  ) -> FSRS.Rating {
    if grade.score <= 0 { return .again }
    if !grade.isCorrect || hintsUsed > 0 || confidence?.doubts == true { return .hard }
    if let seconds, seconds <= quickSeconds { return .easy }
    return .good
  }

  /// The rating of an answer to `question`, with the question's own quick time.
  public static func rating(
    for grade: Grade, of question: Question, hintsUsed: Int, confidence: Confidence?, seconds: Double?
  ) -> FSRS.Rating {
    rating(
      for: grade, hintsUsed: hintsUsed, confidence: confidence, seconds: seconds,
      quickSeconds: quickSeconds(for: question))
  }

  /// The time within which a right answer counts as quick: 3 seconds, plus reading time for the
  /// prompt and options at 4 words a second, plus time to act (typing, pairing, ordering).
  public static func quickSeconds(for question: Question) -> Double {
    var words = question.prompt.split(separator: " ").count
    var acting = 1.0
    switch question.body {
    case .single(let choices), .multiple(let choices):
      words += choices.reduce(0) { $0 + $1.text.split(separator: " ").count }
    case .trueFalse:
      acting = 0.5
    case .short, .numeric:
      acting = 4
    case .cloze(let cloze):
      words += cloze.gappedText.split(separator: " ").count
      acting = 4 * Double(cloze.blanks.count)
    case .match(let key):
      words += key.pairs.reduce(0) { $0 + $1.left.split(separator: " ").count + $1.right.split(separator: " ").count }
      acting = 2 * Double(key.pairs.count)
    case .order(let items):
      words += items.reduce(0) { $0 + $1.split(separator: " ").count }
      acting = 2.5 * Double(items.count)
    }
    return 3 + Double(words) / 4 + acting
  }
}
