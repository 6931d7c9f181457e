import Foundation
import SnapshotTesting
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// Every screen at 80x24 as the learner sees it, compared whole with the text files in
/// `__Snapshots__/ScreenSnapshotTests` (a failure shows the diff). After a deliberate change,
/// record them again with `SNAPSHOT_TESTING_RECORD=all swift test --filter ScreenSnapshotTests`.
@Suite struct ScreenSnapshotTests {
  func expectScreen(
    _ driver: AppDriver, _ name: String, fileID: StaticString = #fileID, file: StaticString = #filePath,
    testName: String = #function, line: UInt = #line, column: UInt = #column
  ) {
    assertSnapshot(
      of: App.render(driver.state).framedText, as: .lines, named: name, fileID: fileID, file: file, testName: testName,
      line: line, column: column)
  }

  @Test func home() {
    expectScreen(AppDriver(), "fresh")
    var progress = LearnerProgress()
    progress.apply(.lessonPositionSaved(lessonID: "basics", step: 1), at: testDate)
    progress.quizzes["basics-quiz"] = QuizProgress(bestScore: Score(points: 2.5, total: 3))
    progress.review = ReviewQueue(
      due: ["q-single", "q-tf"], forecast: [2] + Array(repeating: 0, count: 13), leeches: ["q-tf"], scheduled: 5)
    expectScreen(AppDriver(progress: progress), "continue-and-review")
  }

  @Test func lesson() {
    var driver = AppDriver()
    driver.press(.enter)
    expectScreen(driver, "first-step")
    driver.press(.right)
    expectScreen(driver, "chain-to-predict")
    driver.press(.enter, .enter)
    driver.press(.down, .down, .down, .down, .down, .down, .down, .down)
    expectScreen(driver, "checkpoint")
    driver.press(.character("?"))
    expectScreen(driver, "help")
  }

  @Test func quiz() {
    var driver = AppDriver()
    driver.press(.down, .enter)
    expectScreen(driver, "question")
    driver.press(.character("b"), .enter)
    expectScreen(driver, "feedback")
    driver.press(.enter, .character("a"), .character("c"), .enter, .enter, .character("t"), .enter, .enter)
    expectScreen(driver, "results")
  }

  @Test func typedQuestions() {
    var driver = AppDriver()
    driver.press(.down, .down, .enter)
    driver.type("ABCB")
    driver.press(.control("t"))
    expectScreen(driver, "short-answer-with-hint")
  }

  @Test func exam() {
    var driver = AppDriver(
      course: QuizModeTests.course(exam: "exam:\n  time_limit: 90\n  feedback: end\n"), mode: .exam,
      asksConfidence: true)
    driver.press(.down, .enter)
    driver.wait(seconds: 20)
    driver.press(.character("a"), .enter)
    expectScreen(driver, "confidence")
    driver.press(.character("1"))
    driver.wait(seconds: 80)
    expectScreen(driver, "results-after-time-ran-out")
  }

  @Test func review() {
    var progress = LearnerProgress()
    progress.review = ReviewQueue(due: ["q-single", "t-short"], forecast: Array(repeating: 0, count: 14), scheduled: 2)
    var driver = AppDriver(progress: progress)
    driver.press(.enter)
    expectScreen(driver, "item")
  }

  @Test func progress() {
    var progress = LearnerProgress()
    progress.apply(.lessonPositionSaved(lessonID: "basics", step: 1), at: testDate)
    progress.lessons["basics"]?.passedCheckpoints = ["q-single"]
    progress.lessons["basics"]?.predictions = [
      "basics/step-2/chain-2/link-2": true, "basics/step-2/chain-2/link-3": false,
    ]
    progress.quizzes["basics-quiz"] = QuizProgress(
      bestScore: Score(points: 2, total: 3), lastScore: Score(points: 1, total: 3))
    progress.review = ReviewQueue(
      due: ["q-single"], forecast: [1, 0, 2] + Array(repeating: 0, count: 11), leeches: [], scheduled: 3)
    var driver = AppDriver(progress: progress)
    driver.press(.end, .enter)
    _ = driver.send(
      .reviewLoaded([
        "q-single": AnswerStats(answers: 3, right: 1, wrongPicks: ["b": 2]), "q-tf": AnswerStats(answers: 2, right: 2),
      ]))
    expectScreen(driver, "report")
  }

  @Test func progressWithDrills() {
    expectScreen(ActionableProgressTests().progressWithDrills(), "drills")
  }

  @Test func search() {
    var driver = AppDriver()
    driver.press(.character("/"))
    driver.type("kcc2")
    expectScreen(driver, "kcc2")
    driver.press(.enter)
    expectScreen(driver, "glossary-at-the-term")
  }

  /// At 160x48 the text column keeps its width and a side panel uses the room.
  @Test func wide() {
    let size = Size(width: 160, height: 48)
    var lesson = AppDriver(size: size)
    lesson.press(.enter)
    expectScreen(lesson, "lesson-with-outline-and-terms")
    var exam = AppDriver(
      size: size, course: QuizModeTests.course(exam: "exam:\n  feedback: end\n  allow_back: true\n"), mode: .exam)
    exam.press(.down, .enter, .character("a"), .enter, .character("m"))
    expectScreen(exam, "exam-with-question-grid")
    expectScreen(AppDriver(size: size), "home")
    var search = AppDriver(size: size)
    search.press(.character("/"))
    search.type("kcc2")
    expectScreen(search, "search")
    search.press(.enter)
    expectScreen(search, "glossary")
    var progress = ActionableProgressTests().progressWithDrills()
    _ = progress.send(.resized(size))
    expectScreen(progress, "progress-with-drills")
    var results = AppDriver(size: size)
    results.press(.down, .enter, .character("b"), .enter, .enter, .character("a"), .character("c"), .enter, .enter)
    results.press(.character("t"), .enter, .enter)
    expectScreen(results, "results-with-revisit")
    var exam80 = AppDriver(
      course: QuizModeTests.course(exam: "exam:\n  feedback: end\n  allow_back: true\n"), mode: .exam)
    exam80.press(.down, .enter, .character("a"), .enter, .character("m"), .control("g"))
    expectScreen(exam80, "exam-grid-at-80x24")
    exam80.press(.character("e"))
    expectScreen(exam80, "exam-end-confirmation-at-80x24")
  }

  @Test func tooSmall() {
    var driver = AppDriver()
    _ = driver.send(.resized(Size(width: 30, height: 8)))
    expectScreen(driver, "30x8")
  }
}
