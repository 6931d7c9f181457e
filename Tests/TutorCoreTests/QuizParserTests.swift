import Testing

@testable import TutorCore
import TutorTestSupport

@Suite struct QuizParserTests {
  @Test func parsesEveryChoiceType() throws {
    let quiz = try #require(Fixtures.course.quiz(id: "basics-quiz"))
    #expect(quiz.questions.map(\.typeName) == ["single", "multiple", "truefalse"])
    let single = quiz.questions[0]
    #expect(single.choices.map(\.id) == ["a", "b"])
    #expect(single.choices[1].feedback == "Not B.")
    #expect(single.see == "basics#first")
    #expect(quiz.questions[2].choices.map(\.isCorrect) == [false, true])
    #expect(quiz.questions[2].choices[0].feedback == "No.")
  }

  static let header = "id: basics-quiz\ntitle: Q\nquestions:\n"

  @Test func clozeBlanksSplitTheTextWhereWritten() throws {
    let questions = """
        - id: q-single
          type: cloze
          text: "Blocks {{Nav1.1 | SCN1A}} in {{interneurons}}, é{{ü}}ö and {{x}}"
      """
    let quiz = try #require(CourseLoader.load(Fixtures.files(quiz: Self.header + questions + "\n")).course?.quizzes[0])
    guard case .cloze(let cloze) = quiz.questions[0].body else {
      Issue.record("not a cloze: \(quiz.questions[0].body)")
      return
    }
    #expect(
      cloze.segments == [
        .text("Blocks "), .blank(["Nav1.1", "SCN1A"]), .text(" in "), .blank(["interneurons"]), .text(", é"),
        .blank(["ü"]), .text("ö and "), .blank(["x"]),
      ])
  }

  @Test(arguments: [
    (
      "two correct in single",
      "  - id: a\n    type: single\n    prompt: P\n    choices:\n      - { text: A, correct: true }\n      - { text: B, correct: true }\n",
      "7:5: error: single-answer question 'a' has 2 correct choices"
    ),
    (
      "no correct",
      "  - id: a\n    type: multiple\n    prompt: P\n    choices:\n      - { text: A }\n      - { text: B }\n",
      "7:5: error: question 'a' has no correct choice"
    ),
    ("unknown type", "  - id: a\n    type: essay\n    prompt: P\n", "5:11: error: unknown question type 'essay'"),
    (
      "order of one", "  - id: a\n    type: order\n    prompt: P\n    items: [only]\n",
      "7:5: error: question 'a' needs at least two 'items' to put in order"
    ),
    (
      "cloze without blanks", "  - id: a\n    type: cloze\n    text: No gaps here.\n",
      "6:11: error: question 'a' has no blanks"
    ),
    (
      "empty blank", "  - id: a\n    type: cloze\n    text: \"A {{}} gap\"\n",
      "6:11: error: an empty blank '{{}}' in question 'a'"
    ),
    (
      "unclosed blank", "  - id: a\n    type: cloze\n    text: \"A {{gap\"\n",
      "6:11: error: a '{{' blank in question 'a' is not closed"
    ),
    (
      "pair pointing nowhere",
      "  - id: a\n    type: match\n    prompt: P\n    pairs:\n      - { left: A, right: B }\n      - { left: C }\n",
      "9:9: error: a pair of question 'a' is missing 'right'"
    ),
    (
      "distractor that is an answer",
      "  - id: a\n    type: match\n    prompt: P\n    pairs:\n      - { left: A, right: B }\n      - { left: C, right: D }\n    distractors: [B]\n",
      "10:19: error: distractor 'B' is also a right answer"
    ),
    (
      "bad range", "  - id: a\n    type: numeric\n    prompt: P\n    range: [5, one]\n",
      "7:16: error: 'range' must be a number"
    ),
    (
      "reversed range", "  - id: a\n    type: numeric\n    prompt: P\n    range: [5, 1]\n",
      "7:12: error: 'range' must be two numbers, low then high"
    ),
    (
      "numeric without answer", "  - id: a\n    type: numeric\n    prompt: P\n",
      "4:5: error: question 'a' needs 'answer' (a number) or 'range'"
    ),
    (
      "short without answers", "  - id: a\n    type: short\n    prompt: P\n", "4:5: error: question 'a' needs 'answers'"
    ),
    (
      "key of another type", "  - id: a\n    type: short\n    prompt: P\n    answers: [x]\n    items: [a, b]\n",
      "8:5: error: unknown key 'items'"
    ),
    (
      "missing prompt", "  - id: a\n    type: truefalse\n    answer: true\n",
      "4:5: error: question 'a' is missing 'prompt'"
    ),
    (
      "choices not a list", "  - id: a\n    type: single\n    prompt: P\n    choices: A\n",
      "7:14: error: 'choices' must be a list"
    ),
    (
      "duplicate key", "  - id: a\n    id: b\n    type: truefalse\n    prompt: P\n    answer: true\n",
      "4:5: error: duplicate key 'id' in this mapping"
    ),
    (
      "bad answer", "  - id: a\n    type: truefalse\n    prompt: P\n    answer: maybe\n",
      "7:13: error: 'answer' must be true or false"
    ),
    (
      "bad id", "  - id: Bad_Id\n    type: truefalse\n    prompt: P\n    answer: true\n",
      "4:9: error: question id 'Bad_Id' must be kebab-case"
    ),
    ("yaml syntax", "  - id: a\n    type: [\n", "error: YAML syntax"),
  ])
  func reportsPositionedErrors(name: String, questions: String, expected: String) {
    let quizText = Self.header + questions
    let result = CourseLoader.load(Fixtures.files(quiz: quizText))
    let texts = result.diagnostics.map(\.description)
    #expect(texts.contains { $0.contains("Quizzes/basics.yaml:") && $0.contains(expected) }, "\(name): \(texts)")
  }
}
