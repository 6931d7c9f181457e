import Foundation
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// The teacher's full screen in a live class, driven by the host's events as the inbox delivers
/// them and by the teacher's keys, which become commands for the host.
@Suite struct HostScreenTests {
  static let quiz = Fixtures.courseWithTypes.quiz(id: "basics-quiz")!

  func host(seconds: Int? = 20) -> AppDriver {
    var driver = AppDriver()
    driver.state.stack = [
      .host(
        HostScreen.State(
          join: "tutor join 127.0.0.1:4000 4821", quizTitle: Self.quiz.title,
          questionIDs: Self.quiz.questions.map(\.id), secondsPerQuestion: seconds))
    ]
    _ = driver.send(.classHost(.joined(name: "Ana", present: 1)))
    _ = driver.send(.classHost(.joined(name: "Ben", present: 2)))
    return driver
  }

  @Test func theLobbyHidesNamesUntilShownAndStartIsACommand() {
    var driver = host()
    #expect(driver.text.contains("Join: tutor join 127.0.0.1:4000 4821"))
    #expect(driver.text.contains("Class: 2 joined"))
    #expect(!driver.text.contains("Ana"), "names stay off a projected screen until shown")
    driver.press(.character("v"))
    #expect(driver.text.contains("Ana, Ben"))
    #expect(driver.press(.character("s")).contains(.hostCommand(.start)))
    #expect(driver.press(.character("l")).contains(.hostCommand(.lock)))
    #expect(driver.text.contains("lobby locked"))
    // Ending the class for everyone asks first: a stray Esc does not end it.
    #expect(driver.press(.escape).isEmpty)
    #expect(driver.text.contains("End the class for everyone now?"))
    #expect(driver.press(.character("n")).isEmpty)
    #expect(!driver.text.contains("End the class for everyone now?"))
    driver.press(.character("e"))
    #expect(driver.press(.character("y")).contains(.hostCommand(.end)))
  }

  @Test func theOpenQuestionIsProjectedWithItsCountAndTimer() throws {
    var driver = host()
    _ = driver.send(.classHost(.opened(number: 1, of: Self.quiz.questions.count)))
    let first = try #require(Fixtures.courseWithTypes.questionsByID[Self.quiz.questions[0].id])
    #expect(driver.text.contains(String(first.prompt.prefix(20))))
    #expect(driver.screen[0].contains("⏱ 0:20"))
    _ = driver.send(.classHost(.answered(number: 1, answered: 1, present: 2)))
    #expect(driver.text.contains("Question 1 of \(Self.quiz.questions.count): 1 of 2 answered"))
    driver.wait(seconds: 5)
    #expect(driver.screen[0].contains("⏱ 0:15"))
    // Paused for a minute: the clock stands still, and after resuming it goes on from 0:15.
    _ = driver.send(.classHost(.paused))
    driver.wait(seconds: 60)
    #expect(driver.screen[0].contains("⏱ 0:15"))
    #expect(driver.text.contains("paused"))
    _ = driver.send(.classHost(.resumed))
    driver.wait(seconds: 1)
    #expect(driver.screen[0].contains("⏱ 0:14"))
    _ = driver.send(.classHost(.locked(number: 1)))
    #expect(driver.text.contains("locked (n reveals)"))
    #expect(driver.press(.character("n")).contains(.hostCommand(.next)))
  }

  @Test func theRevealShowsTheHistogramTheAnswerAndWhy() {
    var driver = host()
    _ = driver.send(.classHost(.opened(number: 1, of: 3)))
    _ = driver.send(
      .classHost(
        .revealed(
          number: 1,
          ClassReveal(
            questionID: "q-single", rightAnswer: "A", explanation: "Because A.", distribution: ["a": 3, "b": 1],
            answered: 4, correct: 3, yourScore: nil))))
    #expect(driver.text.contains("Question 1: 3 of 4 right"))
    let rows = driver.screen.filter { $0.contains("█") }
    #expect(rows.count == 2)
    let bars = rows.map { $0.filter { $0 == "█" }.count }
    #expect((0...2).contains(bars.max()! - 3 * bars.min()!), "bars in proportion to the answers: \(bars)")
    #expect(driver.text.contains("Right answer: A"))
    #expect(driver.text.contains("Why: Because A."))
  }

  @Test func aStudentIsGivenMoreTimeOrRemovedAfterAConfirmation() {
    var driver = host()
    driver.press(.character("m"))
    #expect(driver.text.contains("▸ Ana"))
    #expect(driver.press(.character("t")).contains(.hostCommand(.extend("Ana", seconds: HostScreen.extraSeconds))))
    driver.press(.character("j"))
    #expect(driver.press(.character("x")).isEmpty)
    #expect(driver.text.contains("Remove Ben from the class? y removes, n keeps."))
    #expect(driver.press(.character("n")).isEmpty)
    #expect(driver.text.contains("Ben"))
    driver.press(.character("x"))
    #expect(driver.press(.character("y")).contains(.hostCommand(.kick("Ben"))))
    #expect(!driver.text.contains("▸ Ben"))
    _ = driver.send(.classHost(.left(name: "Ana")))
    #expect(driver.text.contains("Ana  (away)"))
    driver.press(.escape)
    #expect(driver.text.contains("Class: 0 joined, 1 away"))
  }

  /// More time for one student keeps the question open longer: the teacher sees how much.
  @Test func theTimerShowsTheExtraTimeStudentsHave() {
    var driver = host()
    driver.press(.character("m"))
    driver.press(.character("t"))
    driver.press(.character("t"))
    #expect(driver.text.contains("Ana  +\(2 * HostScreen.extraSeconds) s a question"))
    driver.press(.escape)
    _ = driver.send(.classHost(.opened(number: 1, of: Self.quiz.questions.count)))
    #expect(driver.screen[0].contains("⏱ 0:20 +1:00"))
    #expect(driver.text.contains("More time: 1 student"), "names stay hidden on a projected screen")
    driver.press(.character("v"))
    #expect(driver.text.contains("More time: Ana +60 s"))
    driver.wait(seconds: 25)
    #expect(driver.screen[0].contains("⏱ 0:00 +0:55"), "the class's time is up; Ana's goes on")
    driver.wait(seconds: 60)
    #expect(driver.screen[0].contains("⏱ 0:00 +0:00"))
    // Gone: the time of a student who left does not count.
    _ = driver.send(.classHost(.left(name: "Ana")))
    #expect(driver.screen[0].contains("⏱ 0:00") && !driver.screen[0].contains("+"))
    #expect(!driver.text.contains("More time:"))
  }

  @Test func theResultsRankTheClassAndAnalyseEachQuestion() {
    var driver = host()
    var session = ClassSession(quiz: Self.quiz, settings: .init(code: "1", secondsPerQuestion: nil), seed: 2)
    for name in ["a1", "a2", "a3"] { _ = session.join(id: name, name: name, code: "1", token: nil) }
    session.start(at: testDate)
    for (index, name) in ["a1", "a2", "a3"].enumerated() {
      _ = session.answer(
        student: name, questionID: "q-single", key: name, response: .choices([index == 0 ? "a" : "b"]), at: testDate)
    }
    session.end()
    _ = driver.send(.classHost(.ended(ClassReport(session, hostedAt: testDate), session.scores)))
    #expect(driver.text.contains("Results"))
    #expect(driver.text.contains("1. ·····  1/"), "names stay hidden until shown")
    driver.press(.character("v"))
    #expect(driver.text.contains("1. a1  1/"))
    #expect(driver.text.contains("33% right · discrimination +1.00"))
    #expect(driver.text.contains("✗ 2× B — Not B."), "the wrong option and the misconception it names")
    #expect(driver.press(.character("q")).contains(.quit))
  }
}
