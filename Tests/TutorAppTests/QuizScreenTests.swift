import TerminalUI
import Testing
import TutorCore

@testable import TutorApp

@Suite struct QuizScreenTests {
  func openQuiz() -> AppDriver {
    var driver = AppDriver()
    driver.press(.down)
    let commands = driver.press(.enter)
    #expect(
      commands == [
        .save(
          .attemptBegun(
            quizID: "basics-quiz", seed: 1, order: ["q-single", "q-multiple", "q-tf"], mode: .practice,
            asksConfidence: false))
      ])
    return driver
  }

  @Test func asksTheFirstQuestion() {
    let driver = openQuiz()
    #expect(driver.screen[0].hasSuffix("question 1 of 3"))
    #expect(driver.screen.contains("  Pick a."))
    #expect(driver.screen.contains("  a) ( ) A"), "nothing is drawn as chosen before the learner chooses")
    #expect(driver.screen.contains("  b) ( ) B"))
  }

  @Test func enterBeforeChoosingAsksForAChoiceAndMovingChooses() {
    var driver = openQuiz()
    #expect(driver.press(.enter).isEmpty)
    #expect(driver.state.status == "Choose an option first: its letter, or ↑/↓ to it.")
    driver.press(.down)
    #expect(driver.screen.contains("  b) (•) B"), "the highlighted option is the pick once the learner moves")
  }

  @Test func answersAreGradedRecordedAndExplained() throws {
    var driver = openQuiz()
    let commands = driver.press(.character("b"), .enter)
    let expected = AnswerRecord(
      questionID: "q-single", questionVersion: 1, context: .quiz(id: "basics-quiz", attempt: 1), response: "b",
      grade: Grade(score: 0, chosenChoiceIDs: ["b"]), mode: .practice, durationMilliseconds: 0,
      scheduling: .now(.again),
      shownOrder: ["a", "b"], given: .choices(["b"]))
    #expect(commands == [.save(.answerRecorded(expected))])
    #expect(driver.screen.contains("  a) ✓( ) A"))
    #expect(driver.screen.contains("  b) ✗(•) B"))
    #expect(driver.screen.contains("  ✗ Incorrect"))
    #expect(driver.screen.contains("  ✗ B: Not B."))
    // A second Enter moves on; the answer cannot be changed.
    #expect(driver.press(.enter) == [])
    #expect(driver.screen[0].hasSuffix("question 2 of 3"))
  }

  @Test func multipleChoiceNeedsTicksAndGivesPartialCredit() {
    var driver = openQuiz()
    driver.press(.character("a"), .enter, .enter)
    #expect(driver.press(.enter) == [])
    #expect(driver.state.status?.contains("Tick the options") == true)
    driver.press(.character(" "))
    #expect(driver.screen.contains("  a) [x] A"))
    driver.press(.enter)
    #expect(driver.screen.contains("  ≈ Partly correct: 50% credit"))
  }

  @Test func theLastAnswerFinishesTheAttemptAndShowsResults() {
    var driver = openQuiz()
    driver.press(.character("a"), .enter, .enter)  // q-single right
    driver.press(.character("a"), .character("c"), .enter, .enter)  // q-multiple right
    driver.press(.character("t"), .enter)  // q-tf wrong
    let finish = driver.press(.enter)
    #expect(finish == [.save(.attemptFinished(quizID: "basics-quiz", attempt: 1, score: Score(points: 2, total: 3)))])
    #expect(driver.screen.contains("  Score: 2/3 (67%)"))
    #expect(driver.screen.contains("  ✗ True?"))
    #expect(driver.screen.contains("  Right answer: False"))
    driver.press(.enter)
    #expect(driver.screen.contains("  Basics quiz  best 2/3 (67%) · 3 questions"))
  }

  @Test func leavingMidQuizKeepsTheAttemptForContinue() {
    var driver = openQuiz()
    driver.press(.character("a"), .enter, .enter)
    driver.press(.character("q"))
    #expect(driver.screen.contains("› ▶ Continue: Basics quiz — question 2 of 3"))
    driver.press(.enter)
    #expect(driver.screen[0].hasSuffix("question 2 of 3"))
  }
}

/// Options come in a fresh order at each encounter, and a resumed attempt looks as it did.
@Suite struct EncounterOrderTests {
  /// The every-type quiz's options and items as shown, question by question.
  func shownOrders(_ driver: AppDriver) -> [String: Presentation] {
    guard let quiz = driver.quiz else { return [:] }
    return Dictionary(uniqueKeysWithValues: quiz.run.quiz.questions.map { ($0.id, quiz.session.presentation(of: $0)) })
  }

  @Test func eachAttemptIsShuffledAfreshAndAResumedOneKeepsItsOrder() throws {
    var driver = AppDriver()
    driver.press(.down, .down, .enter)  // Every type
    let first = shownOrders(driver)
    driver.press(.escape, .escape)  // leave the text field, then the attempt
    driver.press(.enter)  // Continue
    #expect(shownOrders(driver) == first, "a resumed attempt looks as it did")
    // Start over: a new attempt is a new encounter.
    driver.press(.escape, .escape)
    driver.open(.quiz(id: "types-quiz", restart: true))
    #expect(driver.quiz?.run.quiz.id == "types-quiz")
    #expect(driver.quiz?.session.attemptID != 1, "a new attempt")
    let second = shownOrders(driver)
    #expect(!second.isEmpty && second != first, "the next attempt is shuffled afresh")
  }
}
