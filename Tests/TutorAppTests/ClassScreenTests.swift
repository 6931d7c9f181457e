import Foundation
import SnapshotTesting
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// A student's full screen in a live class, driven by the host's messages as the inbox delivers them.
@Suite struct ClassScreenTests {
  func student() -> AppDriver {
    var driver = AppDriver()
    driver.state.stack = [.classroom(ClassScreen.State())]
    _ = driver.send(
      .classroom(.welcome(student: "ana", name: "Ana", token: "t", quizTitle: "Basics quiz", questionCount: 3)))
    return driver
  }

  static let question = ClassQuestion(
    id: "q-single", number: 1, of: 3, type: "single", prompt: "Pick a.",
    options: [.init(id: "b", text: "B"), .init(id: "a", text: "A")], items: [], left: [], blanks: 0, unit: nil,
    secondsLeft: 20)

  @Test func aQuestionFromTheHostIsAnsweredInThePracticeView() throws {
    var driver = student()
    #expect(driver.text.contains("Joining the class…") || driver.text.contains("Basics quiz"))
    _ = driver.send(.classroom(.question(Self.question)))
    #expect(driver.screen[0].contains("⏱ 0:20 · question 1 of 3 · Ana"))
    #expect(driver.screen.contains("  a) ( ) B"), "the host's order for this student")
    let answered = driver.press(.character("b"), .enter)
    #expect(
      answered.contains(.classSend(.answer(questionID: "q-single", key: "q-single-1", response: .choices(["a"])))))
    #expect(
      answered.contains {
        if case .save(.answerRecorded(let r)) = $0 { r.questionID == "q-single" && r.context == .review } else { false }
      },
      "the answer also feeds the student's own review queue")
    #expect(driver.text.contains("Answer saved. Waiting for the others."))
    assertSnapshot(of: App.render(driver.state).framedText, as: .lines, named: "answered")
  }

  @Test func moreTimeFromTheTeacherKeepsTheAnswerBeingMade() {
    var driver = student()
    _ = driver.send(.classroom(.question(Self.question)))
    driver.press(.character("b"))
    driver.wait(seconds: 15)
    #expect(driver.screen[0].contains("⏱ 0:05"))
    var longer = Self.question
    longer.secondsLeft = 35
    _ = driver.send(.classroom(.question(longer)))
    #expect(driver.screen[0].contains("⏱ 0:35"))
    #expect(driver.screen.contains("  b) (•) A"), "the option chosen before stays chosen")
  }

  @Test func aDroppedConnectionIsShownAndTheAnswerSentStands() {
    var driver = student()
    _ = driver.send(.classroom(.question(Self.question)))
    driver.press(.character("b"), .enter)
    _ = driver.send(.classConnection(.reconnecting))
    #expect(driver.screen[0].contains("offline · Ana"))
    #expect(driver.state.status == "The connection to the class was lost; reconnecting…")
    _ = driver.send(.classroom(.question(Self.question)))
    _ = driver.send(.classConnection(.reconnected))
    #expect(!driver.screen[0].contains("offline"))
    #expect(driver.text.contains("Answer saved. Waiting for the others."), "asked again: the answer sent stands")
    _ = driver.send(.classConnection(.closed))
    #expect(driver.text.contains("The class cannot be reached any more."))
  }

  @Test func theRevealTheLeaderboardAndTheScoreFollow() {
    var driver = student()
    _ = driver.send(.classroom(.question(Self.question)))
    _ = driver.send(.classroom(.lock(questionID: "q-single")))
    #expect(driver.state.status == "Time is up for this question.")
    _ = driver.send(
      .classroom(
        .reveal(
          ClassReveal(
            questionID: "q-single", rightAnswer: "A", explanation: "", distribution: ["a": 1, "b": 1], answered: 2,
            correct: 1, yourScore: nil))))
    _ = driver.send(
      .classroom(
        .leaderboard([
          ClassScore(name: "Ben", points: 1, rank: 1, outOf: 1), ClassScore(name: "Ana", points: 0, rank: 2, outOf: 1),
        ])))
    #expect(driver.text.contains("– Not answered"))
    #expect(driver.text.contains("1 of 2 in the class got it right."))
    #expect(driver.text.contains("1. Ben  1"))
    _ = driver.send(.classroom(.scores([ClassScore(name: "Ana", points: 2.5, rank: 1, outOf: 3)])))
    #expect(driver.text.contains("Your score: 2.5/3 (83%)"))
    #expect(driver.press(.character("q")).contains(.quit))
  }
}
