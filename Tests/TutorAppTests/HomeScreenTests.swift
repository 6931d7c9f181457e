import TerminalUI
import Testing
import TutorCore

@testable import TutorApp

@Suite struct HomeScreenTests {
  @Test func showsTheCourseLessonsAndQuizzesAt80x24() {
    let driver = AppDriver()
    let screen = driver.screen
    #expect(screen.count == 24)
    #expect(screen[0].hasPrefix(" Test course"))
    #expect(screen.contains("› 1. Basics  not started"))
    #expect(screen.contains("  Basics quiz  not taken · 3 questions"))
    #expect(screen[23] == " ↑/k up  ↓/j down  Enter/→ open  / search  q/Esc quit  ? keys")
  }

  @Test func showsProgressAndContinue() {
    var progress = LearnerProgress()
    progress.lessons["basics"] = LessonProgress(step: 1)
    progress.quizzes["basics-quiz"] = QuizProgress(bestScore: Score(points: 2.5, total: 3))
    progress.resume = .lesson(id: "basics", step: 1)
    let driver = AppDriver(progress: progress)
    #expect(driver.screen.contains("› ▶ Continue: Basics — step 2 of 2"))
    #expect(driver.screen.contains("  1. Basics  step 2/2"))
    #expect(driver.screen.contains("  Basics quiz  best 2.5/3 (83%) · 3 questions"))
  }

  @Test func continueAfterAFinishedLessonSuggestsItsQuiz() {
    var progress = LearnerProgress()
    progress.lessons["basics"] = LessonProgress(step: 1, isComplete: true)
    progress.resume = .lesson(id: "basics", step: 1)
    let driver = AppDriver(progress: progress)
    #expect(driver.screen.contains("› ▶ Next: quiz — Basics quiz"))
  }

  @Test func arrowsMoveAndEnterOpensTheLessonAtItsSavedStep() {
    var progress = LearnerProgress()
    progress.lessons["basics"] = LessonProgress(step: 1)
    var driver = AppDriver(progress: progress)
    driver.press(.down, .up, .character("j"), .character("k"))
    let commands = driver.press(.enter)
    #expect(commands == [.save(.lessonPositionSaved(lessonID: "basics", step: 1))])
    guard case .lesson(let lesson) = driver.state.top else {
      Issue.record("expected the lesson screen")
      return
    }
    #expect(lesson.step == 1)
  }

  @Test func qQuits() {
    var driver = AppDriver()
    #expect(driver.press(.character("q")) == [.quit])
    #expect(!driver.state.interrupted)
    #expect(driver.press(.control("c")) == [.quit])
    #expect(driver.state.interrupted, "Ctrl-C is an interruption: the exit status says so")
  }

  @Test func questionMarkShowsEveryKeyAndAnyKeyClosesIt() {
    var driver = AppDriver()
    driver.press(.character("?"))
    #expect(driver.text.contains("Keys"))
    #expect(driver.text.contains("show or hide this help"))
    #expect(driver.press(.character("q")) == [])
    #expect(!driver.text.contains("show or hide this help"))
  }

  @Test func aTinyTerminalSaysSoInsteadOfDrawing() {
    var driver = AppDriver(size: Size(width: 20, height: 6))
    #expect(driver.screen[0] == "Terminal too small:")
    #expect(driver.text.contains("Need 40x12"))
    #expect(driver.press(.enter) == [])
    _ = App.update(&driver.state, .resized(Size(width: 80, height: 24)))
    #expect(driver.screen.contains("› 1. Basics  not started"))
  }
}
