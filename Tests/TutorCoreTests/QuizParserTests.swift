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

  @Test(arguments: [
    ("two correct in single", "  - id: a\n    type: single\n    prompt: P\n    choices:\n      - { text: A, correct: true }\n      - { text: B, correct: true }\n",
     "7:5: error: single-answer question 'a' has 2 correct choices"),
    ("no correct", "  - id: a\n    type: multiple\n    prompt: P\n    choices:\n      - { text: A }\n      - { text: B }\n",
     "7:5: error: question 'a' has no correct choice"),
    ("unknown type", "  - id: a\n    type: essay\n    prompt: P\n", "5:11: error: unknown question type 'essay'"),
    ("planned type", "  - id: a\n    type: order\n    prompt: P\n", "5:11: error: question type 'order' is not supported yet"),
    ("missing prompt", "  - id: a\n    type: truefalse\n    answer: true\n", "4:5: error: question 'a' is missing 'prompt'"),
    ("choices not a list", "  - id: a\n    type: single\n    prompt: P\n    choices: A\n", "7:14: error: 'choices' must be a list"),
    ("duplicate key", "  - id: a\n    id: b\n    type: truefalse\n    prompt: P\n    answer: true\n", "4:5: error: duplicate key 'id' in this mapping"),
    ("bad answer", "  - id: a\n    type: truefalse\n    prompt: P\n    answer: maybe\n", "7:13: error: 'answer' must be true or false"),
    ("bad id", "  - id: Bad_Id\n    type: truefalse\n    prompt: P\n    answer: true\n", "4:9: error: question id 'Bad_Id' must be kebab-case"),
    ("yaml syntax", "  - id: a\n    type: [\n", "error: YAML syntax"),
  ])
  func reportsPositionedErrors(name: String, questions: String, expected: String) {
    let quizText = Self.header + questions
    let result = CourseLoader.load(Fixtures.files(quiz: quizText))
    let texts = result.diagnostics.map(\.description)
    #expect(texts.contains { $0.contains("Quizzes/basics.yaml:") && $0.contains(expected) }, "\(name): \(texts)")
  }
}
