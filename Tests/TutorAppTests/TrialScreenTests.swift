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
    commands.compactMap { if case .save(.answerRecorded(let record)) = $0 { record } else { nil } }
  }

  /// D5: time running out on a question the learner never touched submits nothing for it.
  @Test func anUntouchedQuestionIsUnansweredWhenTimeRunsOut() {
    var driver = basicsExam("exam:\n  time_limit: 60\n  feedback: end\n")
    let submitted = driver.wait(seconds: 61)
    #expect(recorded(submitted).isEmpty, "the highlighted default option is not an answer")
    #expect(
      submitted.contains(.save(.attemptFinished(quizID: "basics-quiz", attempt: 1, score: Score(points: 0, total: 3)))))
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
    let begun = driver.commands.first { if case .save(.attemptBegun) = $0 { true } else { false } }
    guard case .save(.attemptBegun(_, _, _, _, let asksConfidence))? = begun else {
      Issue.record("an attempt is begun")
      return
    }
    #expect(asksConfidence, "the attempt remembers that it asks for confidence")

    var progress = LearnerProgress()
    progress.quizzes["basics-quiz"] = QuizProgress(
      openAttempt: OpenAttempt(
        id: 7, seed: 1, order: ["q-single", "q-multiple", "q-tf"], grades: [:], mode: .exam, startedAt: driver.now,
        asksConfidence: true))
    progress.resume = .quiz(id: "basics-quiz")
    var resumed = AppDriver(progress: progress)
    resumed.press(.enter)
    #expect(resumed.quiz?.session.asksConfidence == true)
    resumed.press(.character("a"), .enter)
    #expect(resumed.text.contains("How sure are you?"))
    let sure = resumed.press(.character("1"))
    #expect(recorded(sure).first?.confidence == .sure)
  }

  /// D14: Continue names the question of the retry, out of the retry's own count.
  @Test func continueCountsTheQuestionsOfARetry() {
    var progress = LearnerProgress()
    progress.quizzes["basics-quiz"] = QuizProgress(
      openAttempt: OpenAttempt(
        id: 9, seed: 1, order: ["q-single", "q-tf"], grades: ["q-single": Grade(score: 1)], mode: .retry))
    progress.resume = .quiz(id: "basics-quiz")
    let driver = AppDriver(progress: progress)
    #expect(driver.text.contains("retry, question 2 of 2"), "\(driver.text)")
  }

  /// D28: a text answer stops growing at the longest answer read, and says so.
  @Test func aTextAnswerIsCapped() {
    let question = Question(id: "s", prompt: "Name it", body: .short(ShortAnswerKey(answers: ["x"])))
    var input = AnswerInput(
      question: question, presentation: .authored(for: question))
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

  /// D17: a home-screen line that exactly fills the wrap width keeps its last character, and
  /// a row wider than the screen ends in "…" instead of being cut mid-word.
  @Test func homeLinesKeepTheirLastCharacter() {
    for width in 40...110 {
      var driver = AppDriver(size: Size(width: width, height: 30), course: Fixtures.course)
      driver.state.course.info.description = String(repeating: "abcd efgh ", count: 30).trimmingCharacters(
        in: .whitespaces)
      let rows = driver.screen.filter { $0.contains("abcd") || $0.contains("efgh") }
      for row in rows {
        let words = row.split(separator: " ")
        #expect(words.allSatisfy { $0 == "abcd" || $0 == "efgh" }, "width \(width): '\(row)'")
      }
      #expect(driver.screen.allSatisfy { DisplayWidth.of($0) <= width })
    }
    var narrow = AppDriver(size: Size(width: 40, height: 24))
    narrow.state.course.quizzes[0].title = String(repeating: "Long title ", count: 6)
    #expect(narrow.screen.contains { $0.contains("…") }, "a cut row says so")
  }

  /// D19: on a text question `?` is typed, except on an empty field, where it opens the help;
  /// the footer offers it only where it works.
  @Test func helpOnATextQuestionOpensOnAnEmptyField() throws {
    var driver = AppDriver()
    driver.press(.down, .down, .enter)
    while let quiz = driver.quiz, !quiz.input.capturesText { driver.press(.character("a"), .enter, .enter) }
    #expect(driver.screen.last?.contains("F1 keys") == true, "where ? is typed, F1 is the help")
    driver.press(.character("?"))
    #expect(driver.state.showsHelp, "an empty field: ? opens the help")
    driver.press(.character("x"))
    #expect(!driver.state.showsHelp)
    driver.type("ab?")
    #expect(driver.quiz?.input.fields[0].text == "ab?", "within an answer, ? is a character")
    #expect(driver.screen.last?.contains("? keys") == false, "the footer does not offer what the key will not do")
  }

  /// D20: letters pick a chain's prediction, as they pick a question's options.
  @Test func lettersPickAPrediction() throws {
    var driver = AppDriver()
    driver.press(.enter, .right)
    guard case .lesson(let lesson) = driver.state.top, let chain = lesson.currentStep.chain else {
      Issue.record("the second step has a chain")
      return
    }
    let options = LessonScreen.predictionOptions(lesson, chain, revealed: 1)
    let right = try #require(options.firstIndex(of: "second link"))
    driver.press(.character(Character(UnicodeScalar(UInt8(97 + right)))))
    driver.press(.enter)
    #expect(driver.text.contains("✓ You predicted this link."))
  }

  /// D24: the glossary overlay keeps its border whole and hides the lesson's scroll marker.
  @Test func theNotesOverlayKeepsItsBorder() {
    for size in [Size(width: 80, height: 24), Size(width: 60, height: 14), Size(width: 40, height: 12)] {
      var driver = AppDriver(size: size)
      driver.press(.enter, .character("s"))
      let screen = driver.screen
      guard let top = screen.firstIndex(where: { $0.contains("Terms and sources on this page") }) else {
        Issue.record("the overlay is drawn at \(size)")
        continue
      }
      let bottom = screen.lastIndex { $0.contains("└") } ?? top
      #expect(bottom > top)
      for row in top...bottom {
        var line = screen[row]
        while line.last == " " { line.removeLast() }
        #expect(
          ["┐", "│", "┘"].contains(line.last), "\(size) row \(row): the box's border is the last thing drawn: '\(line)'"
        )
      }
      for row in (top + 1)..<bottom {
        #expect(screen[row].contains("│"), "the right border is whole: '\(screen[row])'")
      }
    }
  }
}
