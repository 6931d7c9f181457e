/// What a learner gave as an answer.
public enum Response: Equatable, Hashable, Sendable {
  /// The ids of the picked choices (true/false picks "t" or "f").
  case choices(Set<String>)
}

/// How an answer was graded: the core decides, screens only show it.
public struct Grade: Equatable, Hashable, Sendable, Codable {
  /// From 0 (wrong) to 1 (fully right); partial credit in between.
  public var score: Double
  public var chosenChoiceIDs: [String]

  public init(score: Double, chosenChoiceIDs: [String]) {
    self.score = score
    self.chosenChoiceIDs = chosenChoiceIDs
  }

  public var isCorrect: Bool { score >= 1 - 1e-9 }
  public var isPartlyCorrect: Bool { score > 0 && !isCorrect }
}

/// Grades answers against a question's key.
public enum Grader {
  /// `single` and `truefalse`: 1 if the pick is the right option, else 0.
  /// `multiple`: (right picks − wrong picks) ÷ number of right options, never below 0;
  /// full marks only for exactly the right set.
  public static func grade(_ question: Question, response: Response) -> Grade {
    switch response {
    case .choices(let picked):
      let choices = question.choices
      let chosen = choices.map(\.id).filter(picked.contains)
      switch question.body {
      case .single, .trueFalse:
        let correct = chosen.count == 1 && choices.first { $0.id == chosen[0] }?.isCorrect == true
        return Grade(score: correct ? 1 : 0, chosenChoiceIDs: chosen)
      case .multiple:
        let rightOptions = choices.filter(\.isCorrect)
        let rightPicks = rightOptions.filter { picked.contains($0.id) }.count
        let wrongPicks = chosen.count - rightPicks
        let raw = Double(rightPicks - wrongPicks) / Double(max(1, rightOptions.count))
        return Grade(score: min(1, max(0, raw)), chosenChoiceIDs: chosen)
      }
    }
  }

  /// The feedback lines of the chosen options that carry feedback.
  public static func feedback(for question: Question, grade: Grade) -> [(choice: Choice, text: String)] {
    question.choices.compactMap { choice in
      guard grade.chosenChoiceIDs.contains(choice.id), let text = choice.feedback, !text.isEmpty else { return nil }
      return (choice, text)
    }
  }
}

/// A score over several questions, printed as `7/10 (70%)` or `7.5/10 (75%)`.
public struct Score: Equatable, Hashable, Sendable, Codable {
  public var points: Double
  public var total: Int
  public init(points: Double, total: Int) {
    self.points = points
    self.total = total
  }

  public var fraction: Double { total == 0 ? 0 : points / Double(total) }
  public var percent: Int { Int((fraction * 100).rounded()) }

  public var description: String {
    let rounded = (points * 100).rounded() / 100
    let pointsText =
      rounded == rounded.rounded() ? String(Int(rounded)) : String(format2(rounded))
    return "\(pointsText)/\(total) (\(percent)%)"
  }

  private func format2(_ value: Double) -> String {
    var text = String(value)
    if let dot = text.firstIndex(of: ".") {
      let decimals = text[text.index(after: dot)...]
      if decimals.count > 2 { text = String(text[...text.index(dot, offsetBy: 2)]) }
    }
    return text
  }
}
