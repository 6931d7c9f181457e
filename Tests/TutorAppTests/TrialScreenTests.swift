import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// Regressions from the trial of November 2026 in the screens: D4, D5, D7, D14, D28.
@Suite struct TrialScreenTests {
  func basicsExam(_ settings: String) -> AppDriver {
    var driver = AppDriver(course: QuizModeTests.course(exam: settings), mode: .exam)
    driver.press(.down, .enter)
    return driver
  }

  func recorded(_ commands: [Command]) -> [AnswerRecord] {
    commands.compactMap { if case .recordAnswer(let record) = $0 { record } else { nil } }
  }

  /// D5: time running out on a question the learner never touched submits nothing for it.
  @Test func anUntouchedQuestionIsUnansweredWhenTimeRunsOut() {
    var driver = basicsExam("exam:\n  time_limit: 60\n  feedback: end\n")
    let submitted = driver.wait(seconds: 61)
    #expect(recorded(submitted).isEmpty, "the highlighted default option is not an answer")
    #expect(submitted.contains(.finishQuizAttempt(attempt: 42, score: Score(points: 0, total: 3))))
  }

  /// D5: an answer the learner composed before time ran out still counts.
  @Test func aTouchedAnswerCountsWhenTimeRunsOut() {
    var driver = basicsExam("exam:\n  time_limit: 60\n  feedback: end\n")
    driver.press(.down)
    let submitted = driver.wait(seconds: 61)
    #expect(recorded(submitted).map(\.questionID) == ["q-single"])
  }

  /// D7: resuming an attempt begun with confidence ratings keeps asking for them, so a digit
  /// typed for confidence never lands in the next answer.
  @Test func aResumedAttemptKeepsAskingForConfidence() throws {
    var driver = AppDriver(mode: .exam, asksConfidence: true)
    driver.press(.down, .enter)
    let begun = driver.commands.first { if case .beginQuizAttempt = $0 { true } else { false } }
    guard case .beginQuizAttempt(_, _, _, _, let asksConfidence)? = begun else {
      Issue.record("an attempt is begun")
      return
    }
    #expect(asksConfidence, "the attempt remembers that it asks for confidence")

    var progress = LearnerProgress()
    progress.quizzes["basics-quiz"] = QuizProgress(
      openAttempt: OpenAttempt(
        id: 7, seed: 1, order: ["q-single", "q-multiple", "q-tf"], grades: [:], mode: "exam", startedAt: driver.now, asksConfidence: true))
    progress.resume = .quiz(id: "basics-quiz")
    var resumed = AppDriver(progress: progress)
    resumed.press(.enter)
    #expect(resumed.quiz?.asksConfidence == true)
    resumed.press(.character("a"), .enter)
    #expect(resumed.text.contains("How sure are you?"))
    let sure = resumed.press(.character("1"))
    #expect(recorded(sure).first?.confidence == "sure")
  }

  /// D14: Continue names the question of the retry, out of the retry's own count.
  @Test func continueCountsTheQuestionsOfARetry() {
    var progress = LearnerProgress()
    progress.quizzes["basics-quiz"] = QuizProgress(
      openAttempt: OpenAttempt(id: 9, seed: 1, order: ["q-single", "q-tf"], grades: ["q-single": Grade(score: 1)], mode: "retry"))
    progress.resume = .quiz(id: "basics-quiz")
    let driver = AppDriver(progress: progress)
    #expect(driver.text.contains("retry, question 2 of 2"), "\(driver.text)")
  }

  /// D28: a text answer stops growing at the longest answer read, and says so.
  @Test func aTextAnswerIsCapped() {
    let question = Question(id: "s", prompt: "Name it", body: .short(ShortAnswerKey(answers: ["x"])))
    var input = AnswerInput(
      question: question, presentation: .stable(for: question))
    for _ in 0..<(PlainText.maximumAnswerLength + 50) { input.update(.typed("x")) }
    #expect(input.fields[0].characters.count == PlainText.maximumAnswerLength)
    #expect(input.isFull)
  }

  /// D4: a failed save stops the session with its reason, instead of carrying on.
  @Test func aFailedSaveStopsTheSession() {
    var driver = AppDriver()
    driver.press(.down, .enter)
    let commands = App.update(&driver.state, .saveFailed("Your last answer was not saved."))
    #expect(commands == [.quit])
    #expect(driver.state.stopReason == "Your last answer was not saved.")
  }
}
