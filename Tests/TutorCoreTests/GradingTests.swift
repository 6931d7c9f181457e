import Testing
import TutorTestSupport

@testable import TutorCore

@Suite struct GradingTests {
  static let course = Fixtures.courseWithTypes
  static let quiz = course.quiz(id: "basics-quiz")!
  static let types = course.quiz(id: "types-quiz")!
  static func question(_ id: String) -> Question { quiz.question(id: id) ?? types.question(id: id)! }

  @Test(
    arguments: [
      ("q-single", Set(["a"]), 1.0),
      ("q-single", Set(["b"]), 0.0),
      ("q-single", Set(["a", "b"]), 0.0),
      ("q-single", Set<String>(), 0.0),
      // multiple: (right picks − wrong picks) ÷ right options, floored at 0
      ("q-multiple", Set(["a", "c"]), 1.0),
      ("q-multiple", Set(["a"]), 0.5),
      ("q-multiple", Set(["a", "b"]), 0.0),
      ("q-multiple", Set(["a", "b", "c"]), 0.5),
      ("q-multiple", Set(["b"]), 0.0),
      ("q-tf", Set(["f"]), 1.0),
      ("q-tf", Set(["t"]), 0.0),
    ] as [(String, Set<String>, Double)])
  func gradesChoices(id: String, picked: Set<String>, expected: Double) {
    let grade = Grader.grade(Self.question(id), response: .choices(picked))
    #expect(grade.score == expected)
    #expect(grade.isCorrect == (expected == 1))
    #expect(Set(grade.chosenChoiceIDs) == picked)
  }

  /// Typed answers: (question, typed, score, accepted with a typo).
  @Test(arguments: [
    ("t-short", "ABCB1", 1.0, false), ("t-short", "abcb1", 1.0, false), ("t-short", " MDR1 ", 1.0, false),
    ("t-short", "ABCB 1", 1.0, false), ("t-short", "abcb-1", 1.0, false),
    ("t-short", "MDR2", 0.0, false),  // under 5 letters: no typos unless the author allows them
    ("t-short", "ACBB1", 0.0, false),  // a symbol (a word with a digit) gets no typo by default
    ("t-short", "ABCB2", 0.0, false),  // and a changed digit names another gene
    ("t-short", "ABC", 0.0, false), ("t-short", "", 0.0, false),
    ("t-short-long", "p glycoprotein", 1.0, false), ("t-short-long", "Pgp", 1.0, false),
    ("t-short-long", "P-glycoprotien", 1.0, true),  // a swap counts as one typo
    ("t-short-long", "P-glykoprotien", 1.0, true), ("t-short-long", "protein", 0.0, false),
    ("t-alpha", "alpha1", 1.0, false), ("t-alpha", "α1", 1.0, false), ("t-alpha", "Alpha 1", 1.0, false),
    ("t-alpha", "a1", 0.0, false),
    ("t-numeric", "3", 1.0, false), ("t-numeric", "3.0", 1.0, false), ("t-numeric", "3 times", 1.0, false),
    ("t-numeric", "3 time", 1.0, false), ("t-numeric", "4", 0.0, false), ("t-numeric", "3 months", 0.0, false),
    ("t-numeric", "three", 0.0, false),
    ("t-range", "1", 1.0, false), ("t-range", "5", 1.0, false), ("t-range", "2.5", 1.0, false),
    ("t-range", "5.1", 0.0, false),
    ("t-range", "0", 0.0, false),
    ("t-tolerance", "10.5", 1.0, false), ("t-tolerance", "9,5", 1.0, false), ("t-tolerance", "10.6", 0.0, false),
    ("t-tolerance", "-10", 0.0, false),
  ])
  func gradesTypedAnswers(id: String, typed: String, score: Double, typo: Bool) {
    let grade = Grader.grade(Self.question(id), response: .text(typed))
    #expect(grade.score == score, "\(id): '\(typed)'")
    #expect(grade.acceptedWithTypo == typo, "\(id): '\(typed)'")
  }

  @Test func aWrongUnitSaysSo() {
    #expect(
      Grader.grade(Self.question("t-numeric"), response: .text("3 months")).note == "the unit is times, not months")
  }

  @Test(arguments: [
    (["ABCB1", "blood"], 1.0, [true, true]),
    (["mdr1", "Blood"], 1.0, [true, true]),
    (["MDR1", "brain"], 0.5, [true, false]),
    (["x", "y"], 0.0, [false, false]),
    (["ABCB1"], 0.5, [true, false]),
  ])
  func gradesClozeBlankByBlank(typed: [String], score: Double, parts: [Bool]) {
    let grade = Grader.grade(Self.question("t-cloze"), response: .blanks(typed))
    #expect(grade.score == score)
    #expect(grade.parts == parts)
  }

  /// Right items are [mTORC1, GABA-A receptor, KCC2]: the pairs' right sides, then distractors.
  @Test(arguments: [
    ([0, 1] as [Int?], 1.0), ([1, 0], 0.0), ([0, 2], 0.5), ([0, nil], 0.5), ([2, 2], 0.0), ([nil, nil], 0.0),
  ])
  func gradesMatchesPairByPair(picks: [Int?], score: Double) {
    #expect(Grader.grade(Self.question("t-match"), response: .matches(picks)).score == score)
  }

  /// Partial credit for order: the share of adjacent pairs, as placed, in the right relative order.
  @Test(arguments: [
    ([0, 1, 2], 1.0, [true, true]), ([0, 2, 1], 0.5, [true, false]), ([1, 0, 2], 0.5, [false, true]),
    ([2, 1, 0], 0.0, [false, false]), ([1, 2, 0], 0.5, [true, false]),
  ])
  func gradesOrderByAdjacentPairs(placed: [Int], score: Double, parts: [Bool]) {
    let grade = Grader.grade(Self.question("t-order"), response: .ordering(placed))
    #expect(grade.score == score)
    #expect(grade.parts == parts)
  }

  @Test func anIncompleteOrderingScoresNothing() {
    #expect(Grader.grade(Self.question("t-order"), response: .ordering([0, 1])).score == 0)
    #expect(Grader.grade(Self.question("t-order"), response: .ordering([0, 0, 1])).score == 0)
  }

  @Test func aResponseOfTheWrongKindScoresNothing() {
    #expect(Grader.grade(Self.question("t-short"), response: .choices(["a"])).score == 0)
  }

  @Test func feedbackComesFromTheChosenWrongOption() {
    let question = Self.question("q-single")
    let grade = Grader.grade(question, response: .choices(["b"]))
    #expect(Grader.feedback(for: question, grade: grade).map(\.text) == ["Not B."])
    #expect(Grader.feedback(for: question, grade: Grader.grade(question, response: .choices(["a"]))).isEmpty)
  }

  @Test(arguments: [
    (7.0, 10, "7/10 (70%)"), (7.5, 10, "7.5/10 (75%)"), (10.0 / 3.0, 12, "3.33/12 (28%)"), (0.0, 0, "0/0 (0%)"),
    (2.0, 2, "2/2 (100%)"),
  ])
  func scoresPrintLikeThePlainModeSpec(points: Double, total: Int, text: String) {
    #expect(Score(points: points, total: total).description == text)
  }
}

@Suite struct AnswerMatcherTests {
  @Test(arguments: [
    ("Löscher", "loscher"), ("P-gp", "pgp"), ("IL-1β", "il1beta"), ("Ca²⁺", "ca2"), ("e\u{301}te\u{301}", "ete"),
    ("  Na⁺/K⁺  ", "nak"), ("GABA‐A", "gabaa"),
  ])
  func foldsCaseAccentsPunctuationAndGreek(text: String, folded: String) {
    #expect(AnswerMatcher.fold(text) == folded)
  }

  @Test(arguments: [
    ("abcd", "abdc", 1), ("kitten", "sitting", 3), ("", "abc", 3), ("same", "same", 0), ("ca", "abc", 3),
  ])
  func measuresEditDistanceWithSwaps(a: String, b: String, distance: Int) {
    #expect(AnswerMatcher.editDistance(Array(a), Array(b)) == distance)
  }

  @Test func typoAllowanceDefaultsToTheAnswersLength() {
    #expect(AnswerMatcher.defaultTypos(for: "SCN1A") == 0, "a gene symbol is exact: SCN1B is another gene")
    #expect(AnswerMatcher.defaultTypos(for: "glycoprotein") == 1)
    #expect(AnswerMatcher.defaultTypos(for: "KCC2") == 0)
    #expect(AnswerMatcher.match("KCC3", accepted: ["KCC2"], typos: nil) == .none)
    #expect(AnswerMatcher.match("KCC3", accepted: ["KCC2"], typos: 1) == .none, "a changed digit names another protein")
    #expect(AnswerMatcher.match("KCCC2", accepted: ["KCC2"], typos: 1) == .typo(1))
  }

  /// A leading article and a trailing generic word change nothing; near misses still fail.
  @Test(arguments: [
    ("the M-current", ["M-current"], true), ("SCN1A gene", ["SCN1A"], true), ("DRESS syndrome", ["DRESS"], true),
    ("the ILAE", ["ILAE"], true), ("Kir4.1 channel", ["Kir4.1"], true), ("an SCN1A variant", ["SCN1A"], true),
    ("SCN2A gene", ["SCN1A"], false), ("SCN2A", ["SCN1A"], false), ("the", ["ILAE"], false),
    ("Kv7.3", ["Kv7.2"], false),
    ("M", ["M-current"], false), ("the gene", ["SCN1A"], false), ("sodium channel", ["calcium channel"], false),
    ("Cav3.1 channel", ["Cav3.2"], false), ("SNC1A", ["SCN1A"], false), ("SCN1B", ["SCN1A"], false),
    ("mossy fibers", ["mossy fibres"], true),
  ])
  func articlesAndGenericWordsAreIgnored(typed: String, accepted: [String], right: Bool) {
    #expect((AnswerMatcher.match(typed, accepted: accepted, typos: nil) != .none) == right)
  }
}

@Suite struct QuizRunTests {
  static var shuffled: Quiz {
    var quiz = GradingTests.quiz
    quiz.shuffle = true
    return quiz
  }

  @Test func theSameSeedGivesTheSameOrder() {
    let a = QuizRun(quiz: Self.shuffled, seed: 7)
    let b = QuizRun(quiz: Self.shuffled, seed: 7)
    #expect(a.order == b.order)
    #expect(a.presentations == b.presentations)
    let orders = Set((0..<20).map { QuizRun(quiz: Self.shuffled, seed: UInt64($0)).order })
    #expect(orders.count > 1, "different seeds should give different orders")
  }

  @Test func anUnshuffledQuizKeepsTheAuthorsQuestionOrderButShufflesOptionsAndItemsAtEveryEncounter() {
    let run = QuizRun(quiz: GradingTests.quiz, seed: 99)
    #expect(run.order == ["q-single", "q-multiple", "q-tf"])
    var multiple = GradingTests.question("q-multiple")
    #expect(run.presentation(of: multiple).choiceOrder == ["a", "b", "c"], "shuffle: false keeps the author's order")
    multiple.keepsChoiceOrder = false
    var quiz = GradingTests.quiz
    quiz.questions[1] = multiple
    let orders = Set((0..<20).map { QuizRun(quiz: quiz, seed: UInt64($0)).presentation(of: multiple).choiceOrder })
    #expect(orders.count > 1, "options must not keep one order from encounter to encounter")
    #expect(orders.allSatisfy { Set($0) == ["a", "b", "c"] })
    #expect(
      run.presentation(of: GradingTests.question("q-tf")).choiceOrder == GradingTests.question("q-tf").choices.map(\.id)
    )
    let types = QuizRun(quiz: GradingTests.types, seed: 99)
    for seed in 0..<30 {
      let items = QuizRun(quiz: GradingTests.types, seed: UInt64(seed)).presentation(
        of: GradingTests.question("t-order")
      ).itemOrder
      #expect(Set(items) == [0, 1, 2])
      #expect(items != [0, 1, 2], "order items are never shown in the right order")
    }
    #expect(Set(types.presentation(of: GradingTests.question("t-match")).itemOrder) == [0, 1, 2])
  }

  @Test func answersAdvanceAndScore() {
    var run = QuizRun(quiz: GradingTests.quiz, seed: 1)
    run.answer(.choices(["a"]))
    run.advance()
    run.answer(.choices(["a"]))
    run.advance()
    run.answer(.choices(["t"]))
    run.advance()
    #expect(run.isFinished)
    #expect(run.score == Score(points: 1.5, total: 3))
    #expect(run.missed.map(\.id) == ["q-multiple", "q-tf"])
  }

  @Test func resumingLandsOnTheFirstUnansweredQuestion() {
    let grades = ["q-single": Grade(score: 1, chosenChoiceIDs: ["a"])]
    let run = QuizRun(quiz: GradingTests.quiz, order: ["q-tf", "q-single", "q-gone"], grades: grades, seed: 1)
    #expect(run.order == ["q-tf", "q-single"], "an attempt keeps the questions it started with")
    #expect(run.currentIndex == 0)
    let later = QuizRun(quiz: GradingTests.quiz, order: ["q-single", "q-tf", "q-multiple"], grades: grades, seed: 1)
    #expect(later.currentQuestion?.id == "q-tf")
  }

  @Test func aRetryAsksOnlyTheMissedQuestionsAndFinishingScoresTheRestZero() {
    var run = QuizRun(quiz: GradingTests.quiz, seed: 1, only: ["q-tf", "q-single"])
    #expect(run.order == ["q-single", "q-tf"])
    run.answer(.choices(["a"]))
    run.finish()
    #expect(run.isFinished)
    #expect(run.score == Score(points: 1, total: 2))
    #expect(run.missed.map(\.id) == ["q-tf"])
  }
}

@Suite struct PlainTextTests {
  static func parse(_ id: String, _ lines: [String], presentation: Presentation? = nil) -> Result<
    Response, PlainText.UnreadableAnswer
  > {
    let question = GradingTests.question(id)
    return PlainText.parseAnswer(
      lines, for: question, presentation: presentation ?? Presentation.authored(for: question))
  }

  /// Match and order use a fixed presentation: shown right items b) KCC2... see `presentation`.
  static let shownRights = Presentation(choiceOrder: [], itemOrder: [2, 0, 1])  // a) KCC2 b) mTORC1 c) GABA-A receptor
  static let shownItems = Presentation(choiceOrder: [], itemOrder: [1, 2, 0])  // a) sprout b) excite c) die

  @Test(arguments: [
    ("q-single", ["a"], Response.choices(["a"])),
    ("q-single", [" B "], Response.choices(["b"])),
    ("q-multiple", ["a,c"], Response.choices(["a", "c"])),
    ("q-multiple", ["c, a"], Response.choices(["a", "c"])),
    ("q-tf", ["t"], Response.choices(["t"])),
    ("q-tf", ["false"], Response.choices(["f"])),
    ("t-short", ["  ABCB1 "], Response.text("ABCB1")),
    ("t-numeric", ["3 times"], Response.text("3 times")),
    ("t-cloze", ["ABCB1", "blood"], Response.blanks(["ABCB1", "blood"])),
  ])
  func readsAnswers(id: String, lines: [String], expected: Response) throws {
    #expect(try Self.parse(id, lines).get() == expected)
  }

  @Test func readsMatchesAndOrdersThroughTheShownLetters() throws {
    #expect(try Self.parse("t-match", ["1b 2c"], presentation: Self.shownRights).get() == .matches([0, 1]))
    #expect(try Self.parse("t-match", ["2a, 1b"], presentation: Self.shownRights).get() == .matches([0, 2]))
    #expect(try Self.parse("t-order", ["c a b"], presentation: Self.shownItems).get() == .ordering([0, 1, 2]))
    #expect(try Self.parse("t-order", ["cab"], presentation: Self.shownItems).get() == .ordering([0, 1, 2]))
  }

  @Test(arguments: [
    ("q-single", [""], "empty answer"),
    ("q-single", ["z"], "there is no option z; the options are a to b"),
    ("q-single", ["a,b"], "pick exactly one letter"),
    ("q-single", ["ab"], "'ab' is not an option letter"),
    ("q-tf", ["yes"], "answer t (true) or f (false)"),
    ("t-short", ["   "], "empty answer"),
    ("t-numeric", ["three"], "'three' is not a number"),
    ("t-cloze", ["ABCB1", ""], "blank [2] is empty"),
    ("t-match", ["1b"], "item 2 has no match"),
    ("t-match", ["1b 1c"], "item 1 is matched twice"),
    ("t-match", ["3a 1b"], "'3a' does not start with an item number from 1 to 2"),
    ("t-match", ["1z 2a"], "in '1z': there is no option z; the options are a to c"),
    ("t-order", ["a b"], "place all 3 items, a to c"),
    ("t-order", ["a a b"], "a is placed twice"),
  ])
  func explainsUnreadableAnswers(id: String, lines: [String], reason: String) {
    guard
      case .failure(let problem) = Self.parse(
        id, lines, presentation: id == "t-match" ? Self.shownRights : (id == "t-order" ? Self.shownItems : nil))
    else {
      Issue.record("'\(lines)' should not be readable")
      return
    }
    #expect(problem.reason == reason)
  }

  @Test func printsEveryTypeAsTheSpecSays() {
    let multiple = GradingTests.question("q-multiple")
    #expect(
      PlainText.questionLines(multiple, presentation: .authored(for: multiple), number: 2, of: 3) == [
        "Question 2 of 3", "Pick a and c.", "a) A", "b) B", "c) C",
        "Answer with all letters that apply, separated by commas (for example a,c):",
      ])
    #expect(
      PlainText.questionLines(GradingTests.question("t-match"), presentation: Self.shownRights, number: 1, of: 1) == [
        "Question 1 of 1", "Match each drug to its main target.", "1) Everolimus", "2) Stiripentol", "a) KCC2",
        "b) mTORC1", "c) GABA-A receptor",
        "Answer with each number followed by a letter, separated by spaces (for example 1b 2a):",
      ])
    #expect(
      PlainText.questionLines(GradingTests.question("t-order"), presentation: Self.shownItems, number: 1, of: 1).suffix(
        4) == [
          "a) Granule cell axons sprout", "b) Granule cells excite one another", "c) Hilar mossy cells die",
          "Answer with the letters in the right order, separated by spaces (for example c a b):",
        ])
    let cloze = GradingTests.question("t-cloze")
    #expect(
      PlainText.questionLines(cloze, presentation: .authored(for: cloze), number: 1, of: 1) == [
        "Question 1 of 1", "P-glycoprotein is encoded by [1] and pumps drugs back into the [2].",
        "Type one line per blank, [1] first (2 in all):",
      ])
  }

  @Test func feedbackNamesTyposBlanksPairsAndMisplacedLinks() {
    let short = GradingTests.question("t-short-long")
    let typo = Grader.grade(short, response: .text("P-glycoprotien"))
    #expect(
      PlainText.feedbackLines(short, presentation: .authored(for: short), grade: typo).first
        == "Correct (accepted with a typo: the answer is P-glycoprotein / P-gp).")
    let order = GradingTests.question("t-order")
    let response = Response.ordering([0, 2, 1])
    let lines = PlainText.feedbackLines(
      order, presentation: Self.shownItems, grade: Grader.grade(order, response: response), response: response)
    #expect(lines.contains("  ✗ \"Granule cells excite one another\" should come after \"Granule cell axons sprout\""))
    #expect(
      lines.contains(
        "Right answer: Hilar mossy cells die → Granule cell axons sprout → Granule cells excite one another"))
  }
}
