import Testing

@testable import TutorCore
import TutorTestSupport

@Suite struct GradingTests {
  static let quiz = Fixtures.course.quiz(id: "basics-quiz")!
  static func question(_ id: String) -> Question { quiz.question(id: id)! }

  @Test(arguments: [
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
  ])
  func grades(id: String, picked: Set<String>, expected: Double) {
    let grade = Grader.grade(Self.question(id), response: .choices(picked))
    #expect(grade.score == expected)
    #expect(grade.isCorrect == (expected == 1))
    #expect(Set(grade.chosenChoiceIDs) == picked)
  }

  @Test func feedbackComesFromTheChosenWrongOption() {
    let question = Self.question("q-single")
    let grade = Grader.grade(question, response: .choices(["b"]))
    #expect(Grader.feedback(for: question, grade: grade).map(\.text) == ["Not B."])
    #expect(Grader.feedback(for: question, grade: Grader.grade(question, response: .choices(["a"]))).isEmpty)
  }

  @Test(arguments: [
    (7.0, 10, "7/10 (70%)"), (7.5, 10, "7.5/10 (75%)"), (10.0 / 3.0, 12, "3.33/12 (28%)"), (0.0, 0, "0/0 (0%)"), (2.0, 2, "2/2 (100%)"),
  ])
  func scoresPrintLikeThePlainModeSpec(points: Double, total: Int, text: String) {
    #expect(Score(points: points, total: total).description == text)
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
    #expect(a.optionOrder == b.optionOrder)
    let orders = Set((0..<20).map { QuizRun(quiz: Self.shuffled, seed: UInt64($0)).order })
    #expect(orders.count > 1, "different seeds should give different orders")
  }

  @Test func anUnshuffledQuizKeepsTheAuthorsOrder() {
    let run = QuizRun(quiz: GradingTests.quiz, seed: 99)
    #expect(run.order == ["q-single", "q-multiple", "q-tf"])
    #expect(run.shownChoices(of: GradingTests.question("q-multiple")).map(\.id) == ["a", "b", "c"])
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
    #expect(run.order == ["q-tf", "q-single", "q-multiple"])
    #expect(run.currentIndex == 0)
    let later = QuizRun(quiz: GradingTests.quiz, order: ["q-single", "q-tf", "q-multiple"], grades: grades, seed: 1)
    #expect(later.currentQuestion?.id == "q-tf")
  }
}

@Suite struct PlainTextTests {
  static let choices = GradingTests.question("q-multiple").choices

  @Test(arguments: [
    ("q-single", "a", Response.choices(["a"])),
    ("q-single", " B ", Response.choices(["b"])),
    ("q-multiple", "a,c", Response.choices(["a", "c"])),
    ("q-multiple", "c, a", Response.choices(["a", "c"])),
    ("q-tf", "t", Response.choices(["t"])),
    ("q-tf", "false", Response.choices(["f"])),
  ])
  func readsAnswers(id: String, line: String, expected: Response) throws {
    let question = GradingTests.question(id)
    #expect(try PlainText.parseAnswer(line, for: question, choices: question.choices).get() == expected)
  }

  @Test(arguments: [
    ("q-single", "", "empty answer"),
    ("q-single", "z", "there is no option z; the options are a to b"),
    ("q-single", "a,b", "pick exactly one letter"),
    ("q-single", "ab", "'ab' is not an option letter"),
    ("q-tf", "yes", "answer t (true) or f (false)"),
  ])
  func explainsUnreadableAnswers(id: String, line: String, reason: String) {
    let question = GradingTests.question(id)
    guard case .failure(let problem) = PlainText.parseAnswer(line, for: question, choices: question.choices) else {
      Issue.record("'\(line)' should not be readable")
      return
    }
    #expect(problem.reason == reason)
  }

  @Test func printsOptionsAsLetters() {
    let question = GradingTests.question("q-multiple")
    let lines = PlainText.questionLines(question, choices: question.choices, number: 2, of: 3)
    #expect(lines == ["Question 2 of 3", "Pick a and c.", "a) A", "b) B", "c) C", "Answer with all letters that apply, separated by commas (for example a,c):"])
  }
}
