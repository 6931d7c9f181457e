import Testing
import TutorTestSupport

@testable import TutorCore

/// Item tags and the item-writing checks (issue 9): what `tutor check` and `tutor check --stats` report.
@Suite struct ItemWritingTests {
  static func load(_ questions: String) -> CourseLoadResult {
    let quiz = """
      id: cues-quiz
      title: Cues quiz
      lesson: basics
      questions:
      \(questions)
      """
    return CourseLoader.load(Fixtures.files(typesQuiz: quiz), itemWriting: true)
  }

  /// The cue warnings about the test's own quiz (the fixture course has its own).
  static func warnings(_ questions: String) -> [String] {
    load(questions).warnings.map(\.description).filter { $0.hasPrefix("Quizzes/types.yaml") }
  }

  @Test func tagsAreReadAndUnknownOnesRefused() throws {
    let result = Self.load(
      """
        - id: q-tagged
          type: single
          prompt: A patient…
          level: apply
          focus: mechanism
          vignette: true
          study_number: true
          allow: [longest-option]
          choices:
            - { text: Right but long, correct: true }
            - { text: B }
            - { text: C }
      """)
    let question = try #require(result.course?.quiz(id: "cues-quiz")?.questions.first)
    #expect(
      question.tags
        == ItemTags(level: .apply, focus: .mechanism, vignette: true, studyNumber: true, allowances: [.longestOption]))
    #expect(
      !result.warnings.contains { $0.file == "Quizzes/types.yaml" },
      "the allowance keeps the longest-option warning away")
    let bad = Self.load(
      """
        - id: q-bad
          type: truefalse
          prompt: Is it?
          answer: true
          level: memorise
          allow: [anything]
      """)
    let messages = bad.errors.map(\.message)
    #expect(messages.contains { $0.hasPrefix("unknown level 'memorise'") })
    #expect(messages.contains { $0.hasPrefix("unknown allowance 'anything'") })
  }

  @Test func theRightOptionStrictlyLongestIsFlagged() {
    let flagged = Self.warnings(
      """
        - id: q-long
          type: single
          prompt: Which?
          choices:
            - { text: The one that is clearly right and long, correct: true }
            - { text: Short }
            - { text: Brief }
      """)
    #expect(flagged.contains { $0.contains("the right option of question 'q-long' is the longest") }, "\(flagged)")
    let balanced = Self.warnings(
      """
        - id: q-even
          type: single
          prompt: Which?
          choices:
            - { text: Right, correct: true }
            - { text: Wrong but longer }
            - { text: Brief }
      """)
    #expect(balanced.isEmpty, "\(balanced)")
  }

  @Test func absoluteWordsOnlyInWrongOptionsAreFlagged() {
    let flagged = Self.warnings(
      """
        - id: q-abs
          type: single
          prompt: Which?
          choices:
            - { text: It often helps, correct: true }
            - { text: It always cures }
            - { text: It never works }
      """)
    #expect(flagged.contains { $0.contains("absolute words") }, "\(flagged)")
  }

  @Test(arguments: [
    ("Three of the options are right.", true), ("Four letters, starting with I.", true), ("Two answers apply.", true),
    ("Look for the option that mentions pumps.", true), ("Think of what the pump does at the barrier.", false),
    ("Two trials are the threshold in the definition.", false), ("Its name begins with é.", true),
    ("Deux réponses : the longest one", true), ("Über zwei Optionen", false), ("ÉLÈVES: TWO OPTIONS APPLY", true),
    ("Ça STARTS WITH «k»", true),
  ])
  func hintsThatGiveTheAnswerAwayAreFlagged(hint: String, flagged: Bool) {
    #expect(ItemWritingChecks.revealsTheAnswer(hint) == flagged)
  }

  @Test func aQuizOfTrueFalseItemsAllOneWayIsFlagged() {
    let items = (1...5).map { "  - { id: q-tf\($0), type: truefalse, prompt: Statement \($0)?, answer: false }" }
      .joined(separator: "\n")
    #expect(Self.warnings(items).contains { $0.contains("0 of the 5 true/false items of quiz 'cues-quiz' are true") })
  }

  @Test func aCheckpointAskedAgainInTheQuizIsFlagged() {
    // The fixture lesson's checkpoints point at quiz questions.
    let result = CourseLoader.load(Fixtures.files(), itemWriting: true)
    #expect(result.warnings.contains { $0.message.contains("is a lesson checkpoint and a quiz item") })
    #expect(CourseLoader.load(Fixtures.files()).warnings.isEmpty, "asked for, not always")
  }

  @Test func aReferenceCitedNowhereIsFlaggedWhereItIsListed() {
    let course =
      Fixtures.courseYAML + """

          - id: unused-2020
            authors: Nobody N
            year: 2020
            title: Never cited
            journal: J
        """
    let warnings = CourseLoader.load(Fixtures.files(course: course), itemWriting: true).warnings
    let flagged = warnings.filter { $0.message.contains("cited by no lesson or quiz") }
    #expect(
      flagged.map(\.message) == [
        "reference 'unused-2020' is cited by no lesson or quiz: cite it where a claim relies on it, or remove it"
      ])
    #expect(flagged.first.map { "\($0.file):\($0.line)" } == "Lessons/course.yaml:9")
    // A quiz that cannot be read may be the one citing it: no warning then, only that file's error.
    let broken = CourseLoader.load(Fixtures.files(course: course, quiz: "id: [broken"), itemWriting: true)
    #expect(!broken.diagnostics.contains { $0.message.contains("cited by no lesson or quiz") })
    #expect(!broken.diagnostics.filter { $0.severity == .error }.isEmpty)
  }

  @Test func statsCountTagsAndCues() throws {
    let result = Self.load(
      """
        - { id: q-a, type: truefalse, prompt: A?, answer: true, level: apply, focus: clinical, vignette: true }
        - { id: q-b, type: truefalse, prompt: B always?, answer: false, level: remember, focus: study, study_number: true }
      """)
    let course = try #require(result.course)
    let lines = ItemBankStats(course: course).lines
    #expect(lines.contains { $0.hasPrefix("Bloom level: remember 1") && $0.contains("apply 1") })
    #expect(lines.contains { $0.hasPrefix("Vignettes: 1") })
    #expect(lines.contains { $0.hasPrefix("Hinge on a study's number: 1") })
    #expect(lines.contains("Absolute words in true/false statements: 0 true, 1 false (target: as often in each)"))
    #expect(lines.contains { $0.contains("cues-quiz: 2 · 1 (50%) · 1 · 1 · 1/2") }, "\(lines)")
  }
}

extension ItemWritingTests {
  @Test(arguments: [
    ("Always true", true), ("It is never-ending", true), ("NONE of these", true), ("all-or-none", true),
    ("sometimes helps", false), ("allé", false), ("Naïve, always", true), ("naïve at times", false),
    ("Cannot be given", true), ("smallest", false), ("in 2 of 3 cases only", true),
  ])
  func absoluteWordsAreFoundAsWholeWords(text: String, absolute: Bool) {
    #expect(ItemWritingChecks.isAbsolute(text) == absolute, "\(text)")
  }
}
