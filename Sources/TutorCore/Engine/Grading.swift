/// What a learner gave as an answer.
public enum Response: Equatable, Hashable, Sendable, Codable {
  /// The ids of the picked choices (true/false picks "t" or "f").
  case choices(Set<String>)
  /// A typed answer (short, numeric).
  case text(String)
  /// One typed answer per blank, in order (cloze).
  case blanks([String])
  /// For each left item in the key's order, the index of the chosen right item in
  /// `MatchKey.rightItems`, or nil when left unmatched (match).
  case matches([Int?])
  /// The item indices of the key, in the order the learner put them (order).
  case ordering([Int])
}

/// How an answer was graded: the core decides, screens only show it.
public struct Grade: Equatable, Hashable, Sendable, Codable {
  /// From 0 (wrong) to 1 (fully right); partial credit in between.
  public var score: Double
  public var chosenChoiceIDs: [String]
  /// Typed answers accepted despite a typo.
  public var acceptedWithTypo: Bool
  /// Per part: each blank (cloze), each left item (match), each adjacent pair as placed (order).
  public var parts: [Bool]
  /// A short reason shown with the verdict (for example a wrong unit).
  public var note: String?

  public init(
    score: Double, chosenChoiceIDs: [String] = [], acceptedWithTypo: Bool = false, parts: [Bool] = [],
    note: String? = nil
  ) {
    self.score = score
    self.chosenChoiceIDs = chosenChoiceIDs
    self.acceptedWithTypo = acceptedWithTypo
    self.parts = parts
    self.note = note
  }

  public var isCorrect: Bool { score >= 1 - 1e-9 }
  public var isPartlyCorrect: Bool { score > 0 && !isCorrect }
}

/// Grades answers against a question's key.
///
/// - `single`, `truefalse`: 1 if the pick is the right option, else 0.
/// - `multiple`: (right picks − wrong picks) ÷ number of right options, never below 0.
/// - `short`: 1 if the typed text matches an accepted answer (see `AnswerMatcher`).
/// - `numeric`: 1 if the number is within the tolerance or range; a unit, if typed, must match.
/// - `cloze`: the share of blanks right, each graded like `short`.
/// - `match`: the share of left items paired with their right item.
/// - `order`: the share of adjacent pairs, as placed, that are in the right relative order.
public enum Grader {
  public static func grade(_ question: Question, response: Response) -> Grade {
    switch (question.body, response) {
    case (.single, .choices(let picked)), (.trueFalse, .choices(let picked)):
      let chosen = question.choices.map(\.id).filter(picked.contains)
      let correct = chosen.count == 1 && question.choices.first { $0.id == chosen[0] }?.isCorrect == true
      return Grade(score: correct ? 1 : 0, chosenChoiceIDs: chosen)
    case (.multiple(let choices), .choices(let picked)):
      let chosen = choices.map(\.id).filter(picked.contains)
      let rightOptions = choices.filter(\.isCorrect)
      let rightPicks = rightOptions.filter { picked.contains($0.id) }.count
      let wrongPicks = chosen.count - rightPicks
      let raw = Double(rightPicks - wrongPicks) / Double(max(1, rightOptions.count))
      return Grade(score: min(1, max(0, raw)), chosenChoiceIDs: chosen)
    case (.short(let key), .text(let typed)):
      switch AnswerMatcher.match(typed, accepted: key.answers, typos: key.typos) {
      case .exact: return Grade(score: 1)
      case .typo: return Grade(score: 1, acceptedWithTypo: true)
      case .none: return Grade(score: 0)
      }
    case (.numeric(let key), .text(let typed)):
      return gradeNumber(typed, key: key)
    case (.cloze(let cloze), .blanks(let typed)):
      var parts: [Bool] = []
      var typo = false
      for (index, accepted) in cloze.blanks.enumerated() {
        let answer = index < typed.count ? typed[index] : ""
        let result = AnswerMatcher.match(answer, accepted: accepted, typos: cloze.typos)
        parts.append(result != .none)
        if case .typo = result { typo = true }
      }
      return Grade(score: share(parts), acceptedWithTypo: typo, parts: parts)
    case (.match(let key), .matches(let picks)):
      let rights = key.rightItems
      let parts = key.pairs.enumerated().map { index, pair in
        guard index < picks.count, let pick = picks[index], rights.indices.contains(pick) else { return false }
        return rights[pick] == pair.right
      }
      return Grade(score: share(parts), parts: parts)
    case (.order(let items), .ordering(let placed)):
      guard placed.count == items.count, Set(placed) == Set(items.indices), placed.count > 1 else {
        return Grade(score: 0, note: "not every item was placed")
      }
      let parts = zip(placed, placed.dropFirst()).map { $0 < $1 }
      return Grade(score: share(parts), parts: parts)
    default:
      return Grade(score: 0, note: "this kind of answer does not fit the question")
    }
  }

  private static func share(_ parts: [Bool]) -> Double {
    parts.isEmpty ? 0 : Double(parts.filter { $0 }.count) / Double(parts.count)
  }

  private static func gradeNumber(_ typed: String, key: NumericKey) -> Grade {
    guard let (value, unit) = NumberReader.read(typed) else { return Grade(score: 0, note: "not a number") }
    if !unit.isEmpty, let expected = key.unit, !unitMatches(unit, expected) {
      return Grade(score: 0, note: "the unit is \(expected), not \(unit)")
    }
    let inside: Bool
    if let range = key.range {
      inside = range.contains(value)
    } else if let answer = key.answer {
      inside = abs(value - answer) <= key.tolerance + 1e-9 * max(1, abs(answer))
    } else {
      inside = false
    }
    return Grade(score: inside ? 1 : 0)
  }

  /// A typed unit matches when it folds to the expected one, singular or plural.
  static func unitMatches(_ typed: String, _ expected: String) -> Bool {
    let a = AnswerMatcher.fold(typed)
    let b = AnswerMatcher.fold(expected)
    return a == b || a + "s" == b || a == b + "s"
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
