import Foundation
import Testing
import TutorCore
import TutorTestSupport

/// A live class as the host keeps it: joining, the clock, answers, the reveal and the report.
@Suite struct ClassSessionTests {
  static let quiz = Fixtures.courseWithTypes.quiz(id: "basics-quiz")!
  let start = testDate

  func session(_ settings: ClassSession.Settings = .init(code: "4821", secondsPerQuestion: 20)) -> ClassSession {
    var session = ClassSession(quiz: Self.quiz, settings: settings, seed: 7)
    for name in ["ana", "ben", "cy"] { _ = session.join(id: name, name: nil, code: "4821", token: nil) }
    return session
  }

  @Test func joiningChecksTheCodeTheRosterTheLockAndNames() throws {
    var session = ClassSession(
      quiz: Self.quiz, settings: .init(code: "4821", roster: ["ana", "ben", "dee"]), seed: 1)
    #expect(session.join(id: "ana", name: nil, code: "0000", token: nil) == .failure(.wrongCode))
    #expect(session.join(id: "ana", name: nil, code: "4821", token: nil, version: 2) == .failure(.wrongVersion))
    #expect(session.join(id: "zed", name: nil, code: "4821", token: nil) == .failure(.notOnRoster))
    let ana = try session.join(id: "ana", name: "Ana", code: "4821", token: nil).get()
    #expect(session.join(id: "ben", name: "Ana", code: "4821", token: nil) == .failure(.nameTaken))
    session.lockLobby(true)
    #expect(session.join(id: "dee", name: nil, code: "4821", token: nil) == .failure(.lobbyLocked))
    // Back in after a dropped connection, by token or by an identity the OS proves, even when locked;
    // the name alone is not enough.
    #expect(try session.join(id: "other-connection", name: nil, code: "4821", token: ana.token).get().id == "ana")
    #expect(session.join(id: "ana", name: nil, code: "4821", token: nil) == .failure(.nameTaken))
    #expect(
      try session.join(id: "ana", name: nil, code: "4821", token: nil, identityIsProven: true).get().token == ana.token)
    session.remove("ana")
    #expect(session.join(id: "ana", name: nil, code: "4821", token: ana.token) == .failure(.removed))
  }

  @Test func eachStudentSeesTheirOwnOrderAndNeverTheAnswer() throws {
    var session = session()
    session.start(at: start)
    let ana = try #require(session.question(0, for: "ana", at: start))
    #expect(ana.secondsLeft == 20)
    #expect(Set(ana.options.map(\.id)) == ["a", "b"])
    let line = try ClassProtocol.line(HostMessage.question(ana))
    #expect(!line.contains("correct") && !line.contains("feedback") && !line.contains("Not B"), "\(line)")
    var questions = Self.quiz
    questions.questions = questions.questions.map { question in
      var copy = question
      copy.keepsChoiceOrder = false
      return copy
    }
    var shuffled = ClassSession(quiz: questions, settings: .init(code: "1"), seed: 3)
    for index in 0..<12 { _ = shuffled.join(id: "s\(index)", name: nil, code: "1", token: nil) }
    shuffled.start(at: start)
    let orders = Set((0..<12).compactMap { shuffled.question(1, for: "s\($0)", at: start)?.options.map(\.id) })
    #expect(orders.count > 1, "a neighbour's letter is no help")
  }

  @Test func answersLockWhenEveryoneHasAnsweredOrTimeIsUpWithGraceAndExtraTime() {
    var session = session()
    session.start(at: start)
    do {
      let result = session.answer(
        student: "ana", questionID: "q-single", key: "k1", response: .choices(["a"]), at: start.addingTimeInterval(3))
      #expect(result == .success(true))
    }
    do {
      let result = session.answer(
        student: "ana", questionID: "q-single", key: "k1", response: .choices(["a"]), at: start.addingTimeInterval(4))
      #expect(result == .success(false), "the same key counts once")
    }
    do {
      let result = session.answer(
        student: "ana", questionID: "q-single", key: "k2", response: .choices(["b"]), at: start.addingTimeInterval(4))
      #expect(result == .failure(.notOpen), "one answer per question")
    }
    do {
      let result = session.answer(student: "ben", questionID: "q-tf", key: "x", response: .choices(["t"]), at: start)
      #expect(result == .failure(.notOpen), "not the open question")
    }
    // The deadline is 20 s; one second of grace; cy has 10 s more.
    session.extend("cy", seconds: 10)
    do {
      let result = session.answer(
        student: "ben", questionID: "q-single", key: "b1", response: .choices(["b"]), at: start.addingTimeInterval(20.5)
      )
      #expect(result == .success(true))
    }
    let early = session.tick(at: start.addingTimeInterval(25))
    #expect(!early, "cy still has time")
    do {
      let result = session.answer(
        student: "cy", questionID: "q-single", key: "c1", response: .choices(["a"]), at: start.addingTimeInterval(29))
      #expect(result == .success(true))
    }
    let locked = session.tick(at: start.addingTimeInterval(29))
    #expect(locked, "everyone has answered")
    #expect(session.phase == .locked(question: 0))

  }

  @Test func theRevealCountsTheClassAndTheScoresRankIt() throws {
    var session = session()
    session.start(at: start)
    _ = session.answer(student: "ana", questionID: "q-single", key: "1", response: .choices(["a"]), at: start)
    _ = session.answer(student: "ben", questionID: "q-single", key: "2", response: .choices(["b"]), at: start)
    _ = session.answer(student: "cy", questionID: "q-single", key: "3", response: .choices(["b"]), at: start)
    let revealed = session.next(at: start)
    #expect(revealed == .revealed(question: 0))
    let reveal = session.reveal(0, for: "ben")
    #expect(reveal.distribution == ["a": 1, "b": 2])
    #expect(reveal.answered == 3 && reveal.correct == 1)
    #expect(reveal.yourScore == 0)
    #expect(reveal.rightAnswer == "A")
    let opened = session.next(at: start)
    #expect(opened == .open(question: 1, openedAt: start, closesAt: start.addingTimeInterval(20)))
    _ = session.answer(student: "ben", questionID: "q-multiple", key: "4", response: .choices(["a", "c"]), at: start)
    #expect(session.scores.map(\.name) == ["ana", "ben", "cy"])
    #expect(session.scores.map(\.rank) == [1, 1, 3], "equal points share a rank")
    _ = session.next(at: start)
    _ = session.next(at: start)
    _ = session.next(at: start)
    let last = session.next(at: start)
    #expect(last == .ended, "after the last question, the end")
  }

  @Test func aStudentPacedSessionEndsWhenAllHaveFinishedOrAtTheDeadline() {
    let deadline = start.addingTimeInterval(600)
    var session = session(.init(code: "4821", pacing: .student(deadline: deadline)))
    session.start(at: start)
    #expect(session.phase == .running)
    for id in ["q-single", "q-multiple", "q-tf"] {
      do {
        let result = session.answer(student: "ana", questionID: id, key: id, response: .choices(["a"]), at: start)
        #expect(result == .success(true))
      }
    }
    let working = session.tick(at: start.addingTimeInterval(60))
    #expect(!working, "ben and cy are still working")
    do {
      let result = session.answer(
        student: "ben", questionID: "q-tf", key: "late", response: .choices(["f"]), at: deadline.addingTimeInterval(5))
      #expect(result == .failure(.notOpen))
    }
    let ended = session.tick(at: deadline.addingTimeInterval(2))
    #expect(ended)
    #expect(session.phase == .ended)
  }

  @Test func theReportAnalysesEveryItemAndFillsTheCSVRows() throws {
    var session = ClassSession(quiz: Self.quiz, settings: .init(code: "1", secondsPerQuestion: nil), seed: 2)
    let names = ["a1", "a2", "a3", "a4", "a5", "a6"]
    for name in names { _ = session.join(id: name, name: name.uppercased(), code: "1", token: nil) }
    session.start(at: start)
    // The strong half gets q-single right, the weak half picks b ("Not B.").
    for (index, name) in names.enumerated() {
      _ = session.answer(
        student: name, questionID: "q-single", key: name, response: .choices([index < 3 ? "a" : "b"]),
        at: start.addingTimeInterval(Double(index)))
    }
    _ = session.next(at: start)
    _ = session.next(at: start)
    for (index, name) in names.enumerated() where index < 2 {
      _ = session.answer(
        student: name, questionID: "q-multiple", key: name + "m", response: .choices(["a", "c"]), at: start)
    }
    let report = ClassReport(session, hostedAt: start)
    let single = try #require(report.items.first)
    #expect(single.shareCorrect == 0.5)
    #expect(single.discrimination == 1, "the top third all right, the bottom third all wrong")
    #expect(single.wrongChoices == [.init(text: "B", times: 3, feedback: "Not B.")])
    // Ended after the second question: the third was never asked, so it is not scored.
    #expect(report.items.map(\.questionID) == ["q-single", "q-multiple"])
    #expect(report.summaryRows[0] == ["student", "name", "total", "percent", "q-single", "q-multiple"])
    #expect(report.summaryRows[1] == ["a1", "A1", "2", "100", "1", "1"])
    #expect(report.summaryRows[4] == ["a4", "A4", "0", "0", "0", ""])
    #expect(session.scores.first?.outOf == 2)
    #expect(report.answerRows[0] == ["student", "question", "response", "correct", "fraction", "seconds", "attempts"])
    #expect(report.answerRows.contains(["a4", "q-single", "b", "false", "0", "3", "1"]))
  }

  @Test func messagesRoundTripAndBadLinesAreRefused() throws {
    let hello = ClientMessage.hello(version: 1, code: "4821", name: "Ana", token: nil)
    let line = try ClassProtocol.line(hello)
    #expect(ClassProtocol.message(ClientMessage.self, from: Substring(line)) == hello)
    let answer = ClientMessage.answer(questionID: "q", key: "k", response: .ordering([2, 0, 1]))
    #expect(ClassProtocol.message(ClientMessage.self, from: Substring(try ClassProtocol.line(answer))) == answer)
    #expect(ClassProtocol.message(ClientMessage.self, from: "{\"hello\":") == nil)
    #expect(ClassProtocol.message(ClientMessage.self, from: "{\"shout\":{}}") == nil)
    #expect(ClassProtocol.message(ClientMessage.self, from: Substring(String(repeating: "x", count: 70_000))) == nil)
  }

  @Test func pausingStopsTheClockAndResumingGivesBackTheTimeLeft() {
    var session = session()
    session.start(at: start)
    session.pause(at: start.addingTimeInterval(5))
    #expect(session.isPaused)
    let paused = session.answer(
      student: "ana", questionID: "q-single", key: "p", response: .choices(["a"]), at: start.addingTimeInterval(6))
    #expect(paused == .failure(.notOpen), "no answers while the clock is stopped")
    let frozen = session.tick(at: start.addingTimeInterval(120))
    #expect(!frozen, "time does not run out while paused")
    session.resume(at: start.addingTimeInterval(120))
    #expect(
      session.phase == .open(question: 0, openedAt: start, closesAt: start.addingTimeInterval(135)), "15 s were left")
    let resumed = session.answer(
      student: "ana", questionID: "q-single", key: "r", response: .choices(["a"]), at: start.addingTimeInterval(130))
    #expect(resumed == .success(true))
  }
}
