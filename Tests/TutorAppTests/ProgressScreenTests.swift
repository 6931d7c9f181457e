import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

@Suite struct ProgressReportTests {
  static let course = Fixtures.courseWithTypes

  @Test func conceptsAreMasteredOrWeakAndWrongPicksNameTheirMisconception() {
    var progress = LearnerProgress()
    progress.lessons["basics"] = LessonProgress(step: 1, passedCheckpoints: ["q-single"])
    progress.quizzes["basics-quiz"] = QuizProgress(bestScore: Score(points: 2, total: 3))
    // q-single has no concepts in the fixture: give the types quiz's questions stats instead.
    let stats: [String: AnswerStats] = [
      "q-single": AnswerStats(answers: 3, right: 1, wrongPicks: ["b": 2]),
      "q-tf": AnswerStats(answers: 1, right: 0, wrongPicks: ["t": 1]),
    ]
    let report = ProgressReport(course: Self.course, progress: progress, stats: stats)
    #expect(report.lessons[0].status == "step 2 of 2, 1/2 checkpoints")
    #expect(report.quizzes[0].status == "best 2/3 (67%)")
    #expect(report.misconceptions.map(\.choice) == ["B", "True"], "most picked first")
    #expect(report.misconceptions[0].feedback == "Not B.")
    #expect(report.answered == 4)
  }

  @Test func masteryNeedsEightyPercentOverThreeAnswers() {
    var files = Fixtures.files(typesQuiz: Fixtures.typesQuiz)
    files[3] = SourceFile(
      path: "Quizzes/basics.yaml",
      text: Fixtures.quiz.replacingOccurrences(
        of: "    see: basics#first", with: "    see: basics#first\n    concepts: [alpha]"))
    let course = CourseLoader.load(files).course!
    let strong = ProgressReport(
      course: course, progress: LearnerProgress(), stats: ["q-single": AnswerStats(answers: 5, right: 4)])
    #expect(strong.mastered.map(\.concept) == ["alpha"])
    let shaky = ProgressReport(
      course: course, progress: LearnerProgress(), stats: ["q-single": AnswerStats(answers: 2, right: 2)])
    #expect(shaky.mastered.isEmpty, "two answers are not enough to call it mastered")
    #expect(shaky.weak.isEmpty)
    let weak = ProgressReport(
      course: course, progress: LearnerProgress(), stats: ["q-single": AnswerStats(answers: 4, right: 1)])
    #expect(weak.weak.map(\.concept) == ["alpha"])
    #expect(weak.lines.contains("  ✗ weak: alpha (1/4); drill it: tutor review --cram alpha"))
  }

  @Test func theForecastDrawsAsBars() {
    #expect(ProgressScreen.sparkline([0, 1, 8, 4]) == " ▁█▄")
  }
}

@Suite struct ProgressScreenTests {
  @Test func homeOpensTheProgressReviewAndTheStoreFillsIt() {
    var progress = LearnerProgress()
    progress.review = ReviewQueue(
      due: ["q-single"], forecast: [1, 0, 2] + Array(repeating: 0, count: 11), leeches: [], scheduled: 3)
    var driver = AppDriver(progress: progress)
    // Review, lesson, two quizzes, Progress: End jumps to the last row.
    let commands = driver.press(.end, .enter)
    #expect(commands == [.loadAnswerStats])
    #expect(driver.screen[0].hasPrefix(" Progress: Test course"))
    #expect(!driver.text.contains("Reading your answers…"), "the store answered at once")
    _ = App.update(
      &driver.state, .answerStatsLoaded(["q-single": AnswerStats(answers: 2, right: 1, wrongPicks: ["b": 1])]))
    #expect(driver.text.contains("1 due now · 3 questions scheduled"))
    #expect(driver.text.contains("Next 14 days  ▄ █"))
    #expect(driver.text.contains("1× “B” — Pick a."))
    #expect(driver.text.contains("· 1. Basics — not started"))
    driver.press(.escape)
    #expect(driver.state.stack.count == 1)
  }
}

/// Progress you can act on: drills from the progress review, revisits from the results.
@Suite struct ActionableProgressTests {
  func progressWithDrills() -> AppDriver {
    var progress = LearnerProgress()
    progress.flagged = ["t-short"]
    var driver = AppDriver(progress: progress)
    driver.press(.end, .enter)
    _ = driver.send(
      .answerStatsLoaded([
        "q-single": AnswerStats(answers: 2, right: 1, wrongPicks: ["b": 1], lastRight: false),
        "q-tf": AnswerStats(answers: 1, right: 1, lastRight: true),
      ]))
    return driver
  }

  @Test func progressOffersDrillsAndEnterStartsOne() throws {
    var driver = progressWithDrills()
    #expect(driver.text.contains("› Answered wrong lately — 1 question"))
    #expect(driver.text.contains("· Flagged for review — 1 question"))
    driver.press(.down)
    #expect(driver.text.contains("› Flagged for review"))
    driver.press(.up, .enter)
    guard let quiz = driver.quiz else {
      Issue.record("Enter starts the drill")
      return
    }
    #expect(quiz.mode == .cram, "a drill leaves the schedule alone")
    #expect(quiz.run.order == ["q-single"])
    #expect(driver.screen[0].hasPrefix(" Drill: Answered wrong lately"))
    #expect(driver.screen.last?.contains("lesson") == true, "the question's lesson step is one key away")
  }

  @Test func resultsOpenTheStepToRevisitAndComeBack() throws {
    var driver = AppDriver()
    driver.press(.down, .enter)
    driver.press(.character("b"), .enter, .enter)  // q-single wrong: it has a see: link
    driver.press(.character("a"), .character("c"), .enter, .enter)
    driver.press(.character("f"), .enter, .enter)
    #expect(driver.text.contains("› Revisit: Basics › First step (step 1)"))
    driver.press(.enter)
    guard case .lesson(let lesson) = driver.state.top else {
      Issue.record("Enter opens the step")
      return
    }
    #expect(lesson.step == 0 && lesson.isVisit)
    driver.press(.character("q"))
    #expect(driver.screen[0].hasPrefix(" Results: Basics quiz"), "q comes back to the results")
  }
}
