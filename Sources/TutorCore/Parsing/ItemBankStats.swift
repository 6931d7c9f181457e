import Foundation

/// The item bank as a reviewer counts it (`tutor check --stats`): Bloom levels, focus, vignettes,
/// items that hinge on a study's number, and the cues of `ItemWritingChecks`, course-wide and
/// per quiz, from the tags authors write on each item (`level`, `focus`, `vignette`, `study_number`).
public struct ItemBankStats {
  public let course: Course

  public init(course: Course) { self.course = course }

  /// Every item once: quiz questions and inline checkpoints.
  var items: [Question] { course.questionsByID.values.sorted { $0.id < $1.id } }

  static func percent(_ part: Int, _ whole: Int) -> String {
    whole == 0 ? "0%" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
  }

  public var lines: [String] {
    let all = items
    var out: [String] = ["Items: \(all.count)"]
    func share(_ part: Int) -> String { "\(part) (\(Self.percent(part, all.count)))" }
    let levels = ItemTags.Level.allCases.map { level in
      "\(level.rawValue) \(share(all.filter { $0.tags.level == level }.count))"
    }
    let untaggedLevel = all.filter { $0.tags.level == nil }.count
    out.append(
      "Bloom level: " + levels.joined(separator: " · ") + (untaggedLevel > 0 ? " · untagged \(untaggedLevel)" : ""))
    let focuses = ItemTags.Focus.allCases.map { focus in
      "\(focus.rawValue) \(share(all.filter { $0.tags.focus == focus }.count))"
    }
    let untaggedFocus = all.filter { $0.tags.focus == nil }.count
    out.append("Focus: " + focuses.joined(separator: " · ") + (untaggedFocus > 0 ? " · untagged \(untaggedFocus)" : ""))
    out.append("Vignettes: \(share(all.filter(\.tags.vignette).count))")
    out.append("Hinge on a study's number: \(share(all.filter(\.tags.studyNumber).count)) (target: at most 10%)")

    let singles = all.filter { if case .single = $0.body { true } else { false } }
    let longest = singles.filter(ItemWritingChecks.rightOptionIsLongest).count
    out.append(
      "Right option strictly the longest: \(longest) of \(singles.count) single-choice items (\(Self.percent(longest, singles.count)); target: at most a third)"
    )
    let trueFalse = all.compactMap { question -> (Bool, String)? in
      if case .trueFalse(let answer, _, _) = question.body { (answer, question.prompt) } else { nil }
    }
    let trueCount = trueFalse.filter(\.0).count
    out.append(
      "True/false: \(trueCount) true of \(trueFalse.count) (\(Self.percent(trueCount, trueFalse.count)); target: 40-60%)"
    )
    let absoluteTrue = trueFalse.filter { $0.0 && ItemWritingChecks.isAbsolute($0.1) }.count
    let absoluteFalse = trueFalse.filter { !$0.0 && ItemWritingChecks.isAbsolute($0.1) }.count
    out.append(
      "Absolute words in true/false statements: \(absoluteTrue) true, \(absoluteFalse) false (target: as often in each)"
    )
    let hinted = all.filter { $0.hints.contains(where: ItemWritingChecks.revealsTheAnswer) }.count
    out.append("Items with a hint that counts or spells the answer: \(hinted)")
    let absolute = all.filter { ItemWritingChecks.absoluteWordsOnlyInWrongOptions($0) != nil }.count
    out.append("Absolute-word cues in choice items: \(absolute)")
    out.append("Checkpoints asked again in a quiz: \(ItemWritingChecks.checkpointsInQuizzes(course).count)")

    out.append("")
    out.append("Per quiz: items · apply+analyse · vignettes · study numbers · true of true/false")
    for quiz in course.quizzes {
      let questions = quiz.questions
      let applied = questions.filter { $0.tags.level == .apply || $0.tags.level == .analyse }.count
      let vignettes = questions.filter(\.tags.vignette).count
      let numbers = questions.filter(\.tags.studyNumber).count
      let tf = questions.compactMap { question -> Bool? in
        if case .trueFalse(let answer, _, _) = question.body { answer } else { nil }
      }
      out.append(
        "  \(quiz.id): \(questions.count) · \(applied) (\(Self.percent(applied, questions.count))) · \(vignettes) · \(numbers) · \(tf.filter { $0 }.count)/\(tf.count)"
          + (quiz.asksConfidence ? " · confidence on" : ""))
    }
    return out
  }
}
