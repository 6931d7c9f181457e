import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// An exam works like an exam simulator: move freely, flag, see every question, end early,
/// and leave only after saying so.
@Suite struct ExamNavigationTests {
  func exam(_ settings: String = "exam:\n  feedback: end\n  allow_back: true\n") -> AppDriver {
    var driver = AppDriver(course: QuizModeTests.course(exam: settings), mode: .exam)
    driver.press(.down, .enter)
    return driver
  }

  @Test func forwardAndBackMoveWithoutAnsweringAndKeepWhatWasChosen() throws {
    var driver = exam()
    #expect(driver.screen[0].contains("question 1 of 3"))
    driver.press(.character("b"))  // chosen, not submitted
    let moved = driver.press(.character("n"))
    #expect(
      moved.contains { if case .save(.answerRecorded(let r)) = $0 { r.questionID == "q-single" } else { false } },
      "a choice left behind is saved, as exam software keeps it")
    #expect(driver.screen[0].contains("question 2 of 3"))
    driver.press(.pageDown)
    #expect(driver.screen[0].contains("question 3 of 3"))
    driver.press(.character("p"), .pageUp)
    #expect(driver.screen[0].contains("question 1 of 3"))
    #expect(driver.screen.contains("  b) (•) B"), "going back shows the answer that was saved")
  }

  @Test func flagsShowInTheTitleAndTheGridAndAreSaved() throws {
    var driver = exam()
    let flagged = driver.press(.character("m"))
    #expect(flagged == [.save(.questionFlagged(questionID: "q-single", isFlagged: true))])
    #expect(driver.screen[0].contains("⚑ exam · question 1 of 3"))
    driver.press(.control("g"))
    #expect(driver.text.contains("All questions"))
    #expect(driver.text.contains("  1⚑"))
    #expect(driver.text.contains("0 answered · 3 unanswered · ⚑ 1 flagged"))
    driver.press(.right, .right, .enter)
    #expect(driver.screen[0].contains("question 3 of 3"), "the grid jumps to any question")
    #expect(driver.state.progress.flagged == ["q-single"], "the flag is kept with the learner's progress")
  }

  @Test func endingEarlyAsksWithWhatIsLeftThenSubmits() throws {
    var driver = exam()
    driver.press(.character("a"), .enter)
    driver.press(.character("m"))
    driver.press(.control("g"), .character("e"))
    #expect(driver.text.contains("End the exam now and see the results?"))
    #expect(driver.text.contains("2 unanswered: they score 0."))
    #expect(driver.text.contains("1 flagged for review."))
    driver.press(.character("n"))
    #expect(driver.quiz != nil, "n keeps the exam going")
    driver.press(.control("g"), .character("e"))
    let submitted = driver.press(.character("y"))
    #expect(
      submitted.contains(.save(.attemptFinished(quizID: "basics-quiz", attempt: 1, score: Score(points: 1, total: 3)))))
    #expect(driver.screen[0].hasPrefix(" Results: Basics quiz"))
  }

  @Test func leavingAnUnfinishedExamAsksFirstAndKeepsItForContinue() throws {
    var driver = exam()
    driver.press(.character("a"), .enter)
    driver.press(.character("q"))
    #expect(driver.text.contains("Leave the exam?"))
    #expect(driver.quiz != nil)
    driver.press(.escape)
    #expect(driver.quiz != nil, "Esc answers no")
    driver.press(.character("q"), .character("y"))
    #expect(driver.quiz == nil)
    #expect(driver.screen.contains("› ▶ Continue: Basics quiz — exam, question 2 of 3"))
  }

  @Test func anExamThatDoesNotAllowGoingBackHasNoNavigation() {
    var driver = exam("exam:\n  feedback: end\n  allow_back: false\n")
    driver.press(.character("n"))
    #expect(driver.screen[0].contains("question 1 of 3"))
    #expect(driver.screen.last?.contains("grid") == false)
  }

  @Test func aFlaggedQuestionLeftLastOpensTheGridInsteadOfSubmitting() {
    var driver = exam()
    driver.press(.character("m"), .character("a"), .enter)
    driver.press(.character("a"), .character("c"), .enter)
    driver.press(.character("f"), .enter)
    #expect(driver.quiz != nil, "a flagged question is worth a look before submitting")
    #expect(driver.text.contains("All questions"))
    #expect(
      driver.state.status == "Every question is answered; 1 is flagged. e ends the exam, Enter goes to a question.")
  }
}
