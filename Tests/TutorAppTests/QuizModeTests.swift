import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// Practice, exam and confidence: what each mode offers and records.
@Suite struct QuizModeTests {
  /// A course whose basics quiz has exam settings.
  static func course(exam: String) -> Course {
    let quiz = Fixtures.quiz.replacingOccurrences(of: "lesson: basics\n", with: "lesson: basics\n" + exam)
    return CourseLoader.load(Fixtures.files(quiz: quiz, typesQuiz: Fixtures.typesQuiz)).course!
  }

  func openTypes(mode: QuizMode = .practice, asksConfidence: Bool = false) -> AppDriver {
    var driver = AppDriver(mode: mode, asksConfidence: asksConfidence)
    driver.press(.down, .down, .enter)
    return driver
  }

  func openBasics(_ driver: inout AppDriver) {
    driver.press(.down, .enter)
  }

  // MARK: - Practice

  @Test func hintsAreShownOneAtATimeAndRecorded() throws {
    var driver = openTypes()
    #expect(driver.screen.last?.contains("Ctrl-T hint") == true)
    driver.press(.control("t"))
    #expect(driver.screen.contains("  Hint 1: It starts with ABC."))
    #expect(!driver.text.contains("Hint 2"))
    driver.press(.control("t"), .control("t"))
    #expect(driver.screen.contains("  Hint 2: It ends with B1."))
    #expect(driver.screen.last?.contains("Ctrl-T") == false, "no hint key once the ladder is used up")
    driver.type("ABCB1")
    var hints = -1
    for case .save(.answerRecorded(let record)) in driver.press(.enter) { hints = record.hintsUsed }
    #expect(hints == 2)
  }

  @Test func openingTheLessonFromAWrongAnswerAndComingBack() throws {
    var driver = openTypes()
    driver.type("XYZ")
    driver.press(.enter)
    #expect(driver.text.contains("✗ Incorrect"))
    #expect(driver.screen.last?.contains("o open lesson") == true)
    let commands = driver.press(.character("o"))
    #expect(commands == [], "a visit does not move the learner's place in the lesson")
    guard case .lesson(let lesson) = driver.state.top else {
      Issue.record("o should open the lesson")
      return
    }
    #expect(lesson.lesson.steps[lesson.step].anchor == "second")
    #expect(driver.screen[0].hasSuffix("step 2 of 2"))
    #expect(driver.state.status == "Reading Basics: q returns to the quiz.")
    #expect(driver.press(.left) == [])
    driver.press(.character("q"))
    #expect(driver.quiz?.question.id == "t-short")
    #expect(driver.text.contains("✗ Incorrect"), "back on the same verdict")
  }

  @Test func undoWithdrawsTheLastAnswerAndAsksAgain() throws {
    var driver = openTypes()
    driver.type("wrong")
    driver.press(.enter)
    let undo = driver.press(.character("u"))
    #expect(undo == [.save(.answerWithdrawn(questionID: "t-short", attempt: 1))])
    #expect(driver.quiz?.phase == .answering)
    #expect(driver.quiz?.input.fields[0].text == "wrong", "the answer stays to be edited")
    #expect(driver.quiz?.run.grades["t-short"] == nil)
    #expect(driver.state.progress.quizzes["types-quiz"]?.openAttempt?.grades["t-short"] == nil)
  }

  @Test func retryingTheMissedQuestionsStartsARetryAttempt() throws {
    var driver = AppDriver()
    openBasics(&driver)
    driver.press(.character("b"), .enter, .enter)  // q-single wrong
    driver.press(.character("a"), .character("c"), .enter, .enter)  // q-multiple right
    driver.press(.character("f"), .enter, .enter)  // q-tf right
    #expect(driver.screen.last?.contains("r retry the missed") == true)
    let retry = driver.press(.character("r"))
    guard case .save(.attemptBegun("basics-quiz", _, let order, .retry, false))? = retry.first else {
      Issue.record("a retry begins an attempt of its own: \(retry)")
      return
    }
    #expect(order == ["q-single"])
    #expect(driver.screen[0].hasSuffix("retry · question 1 of 1"))
    driver.press(.character("a"), .enter, .enter)
    #expect(driver.screen.contains("  Score: 1/1 (100%)"))
    driver.press(.enter)
    #expect(
      driver.screen.contains { $0.contains("Basics quiz  best 2/3 (67%)") }, "a retry does not replace the quiz score")
  }

  // MARK: - Exam

  @Test func anExamGivesNoHintsAndNoFeedbackUntilTheEnd() throws {
    var driver = AppDriver(course: Self.course(exam: "exam:\n  feedback: end\n"), mode: .exam)
    openBasics(&driver)
    #expect(driver.screen[0].contains("exam · question 1 of 3"))
    #expect(driver.press(.control("t")).isEmpty)
    #expect(driver.quiz?.session.hintsShown == 0)
    let first = driver.press(.character("b"), .enter)
    guard case .save(.answerRecorded(let record))? = first.first else {
      Issue.record("an exam answer is recorded at once")
      return
    }
    #expect(record.mode == .exam)
    #expect(driver.screen[0].contains("question 2 of 3"), "no verdict: straight to the next question")
    #expect(!driver.text.contains("Incorrect"))
    driver.press(.character("a"), .enter)
    driver.press(.character("f"), .enter)
    #expect(driver.text.contains("Every question:"))
    #expect(driver.text.contains("✗ Pick a."))
    #expect(driver.text.contains("Your answer: B"))
    #expect(driver.text.contains("Right answer: A"))
    #expect(driver.screen.last?.contains("retry") == false, "no retry after an exam")
  }

  @Test func anExamThatAllowsGoingBackLetsTheLearnerChangeAnAnswer() {
    var driver = AppDriver(course: Self.course(exam: "exam:\n  feedback: end\n  allow_back: true\n"), mode: .exam)
    openBasics(&driver)
    driver.press(.character("b"), .enter)
    #expect(driver.screen.last?.contains("PgUp/p previous") == true)
    driver.press(.pageUp)
    #expect(driver.screen[0].contains("question 1 of 3"))
    #expect(driver.screen.contains { $0.contains("b) (•) B") }, "the earlier answer is shown")
    driver.press(.character("a"), .enter)
    #expect(driver.screen[0].contains("question 2 of 3"), "back to the first unanswered question")
    driver.press(.character("a"), .character("c"), .enter)
    driver.press(.character("f"), .enter)
    #expect(driver.screen.contains("  Score: 3/3 (100%)"))
  }

  @Test func anExamThatForbidsGoingBackHasNoPreviousKey() {
    var driver = AppDriver(course: Self.course(exam: "exam:\n  allow_back: false\n"), mode: .exam)
    openBasics(&driver)
    driver.press(.character("b"), .enter)
    #expect(driver.screen.last?.contains("previous") == false)
    driver.press(.pageUp)
    #expect(driver.screen[0].contains("question 2 of 3"))
  }

  @Test func theTimeLimitCountsDownAndSubmitsWhenItRunsOut() throws {
    var driver = AppDriver(course: Self.course(exam: "exam:\n  time_limit: 90\n  feedback: end\n"), mode: .exam)
    openBasics(&driver)
    #expect(driver.screen[0].contains("⏱ 1:30 · exam · question 1 of 3"))
    driver.press(.character("a"), .enter)
    driver.wait(seconds: 60)
    #expect(driver.screen[0].contains("⏱ 0:30"))
    driver.press(.character(" "))  // the answer in progress: one tick on q-multiple
    let submitted = driver.wait(seconds: 31)
    #expect(
      submitted.contains { if case .save(.answerRecorded(let r)) = $0 { r.questionID == "q-multiple" } else { false } },
      "the answer in progress counts")
    #expect(
      submitted.contains(
        .save(.attemptFinished(quizID: "basics-quiz", attempt: 1, score: Score(points: 1.5, total: 3)))))
    #expect(driver.text.contains("⏱ Time ran out: unanswered questions score 0."))
    #expect(driver.state.status == "Time is up: the exam was submitted.")
    #expect(driver.text.contains("– True?"))
    #expect(driver.text.contains("Not answered."))
  }

  // MARK: - Confidence

  @Test func confidenceIsAskedRecordedAndSureButWrongAnswersAreSingledOut() throws {
    var driver = AppDriver(asksConfidence: true)
    openBasics(&driver)
    driver.press(.character("b"), .enter)
    #expect(driver.text.contains("How sure are you? 1 sure · 2 unsure · 3 guessing"))
    #expect(!driver.text.contains("Incorrect"), "the verdict waits for the confidence")
    let sure = driver.press(.character("1"))
    guard case .save(.answerRecorded(let record))? = sure.first else {
      Issue.record("the answer is recorded with its confidence")
      return
    }
    #expect(record.confidence == .sure)
    #expect(driver.text.contains("✗ Incorrect"))
    driver.press(
      .enter, .character("a"), .enter, .character("3"), .enter, .character("f"), .enter, .character("2"), .enter)
    #expect(driver.text.contains("Sure, but wrong (1): look at these first"))
    #expect(driver.text.contains("• Pick a."))
  }
}
