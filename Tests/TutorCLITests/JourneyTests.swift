import ArgumentParser
import Foundation
import TerminalTesting
import TerminalUI
import Testing
import TutorApp
import TutorCore
import TutorTestSupport

@testable import TutorCLI

/// Whole journeys through the real run loop, with the in-memory terminal and a temporary store.
@Suite struct JourneyTests {
  let folder = Fixtures.temporaryFolder()

  func session(fastStart: Bool = false) throws -> Session {
    var options = try CommonOptions.parse([
      "--course", Fixtures.repositoryRoot.path, "--store", folder.appendingPathComponent("p.sqlite").path, "--learner",
      "ana",
    ])
    options.cacheFolder = folder.appendingPathComponent("cache").path
    return try Session.start(options, fastStart: fastStart)
  }

  /// A course that checked clean is drawn from its cached summary at once, and the full course
  /// arrives before the first key; a changed file makes the summary stale.
  @Test func aFastStartDrawsFromTheSummaryAndTheFullCourseFollows() throws {
    #expect(try session(fastStart: true).pending == nil, "no summary yet: the course is read in full")
    let fast = try session(fastStart: true)
    #expect(fast.pending != nil, "the clean check left a summary")
    let full = try #require(fast.fullCourse()?.course)
    #expect(fast.course.lessons.map(\.id) == full.lessons.map(\.id))
    #expect(fast.course.lessons.map(\.steps.count) == full.lessons.map(\.steps.count))
    #expect(fast.course.quizzes.map(\.questions.count) == full.quizzes.map(\.questions.count))

    let terminal = InMemoryTerminal(size: Size(width: 80, height: 24), events: [.key(.enter)])
    let expected = App.render(AppState(course: full, progress: try fast.progress(), size: terminal.size, seed: 1)).lines
    let state = AppState(course: fast.course, progress: try fast.progress(), size: terminal.size, seed: 1)
    let runner = Runner(state: state, terminal: terminal, execute: fast.execute)
    runner.afterFirstFrame = { .courseLoaded(full) }
    let ended = runner.run()
    for (drawn, wanted) in zip(terminal.frames[0].lines, expected) where drawn != wanted {
      Issue.record("the summary draws '\(drawn)' where the full course draws '\(wanted)'")
    }
    guard case .lesson(let lesson) = ended.top else {
      Issue.record("Enter opens the first lesson of the full course")
      return
    }
    #expect(!lesson.lesson.steps[0].blocks.isEmpty, "the lesson comes from the full course, not the stand-in")
  }

  func run(_ events: [InputEvent], size: Size = Size(width: 80, height: 24)) throws -> (InMemoryTerminal, AppState) {
    let session = try session()
    let terminal = InMemoryTerminal(size: size, events: events)
    let state = AppState(course: session.course, progress: try session.progress(), size: size, seed: 3)
    let runner = Runner(state: state, terminal: terminal, execute: session.execute)
    return (terminal, runner.run())
  }

  @Test func quitMidQuizThenContinueLandsOnTheSameQuestion() throws {
    // Home lists ten lessons, then the quizzes: go down to the first quiz, answer question 1,
    // move on, then quit with q and q.
    let down = [InputEvent](repeating: .key(.down), count: 10)
    let count = try #require(try session().course.quiz(id: "dre-definition")).questions.count
    let (first, _) = try run(
      down + [.key(.enter), .key(.down), .key(.enter), .key(.enter), .key(.character("q")), .key(.character("q"))])
    #expect(first.frames.contains { $0.lines.contains { $0.hasSuffix("question 2 of \(count)") } })

    let (second, state) = try run([.key(.enter)])
    #expect(
      second.frames[0].lines.contains("› ▶ Continue: What makes epilepsy drug-resistant? — question 2 of \(count)"))
    #expect(second.screen[0].hasSuffix("question 2 of \(count)"))
    guard case .quiz(let quiz) = state.top else {
      Issue.record("Continue should open the quiz")
      return
    }
    #expect(quiz.run.grades.count == 1)
  }

  /// Acceptance: the same answers give the same score in the full-screen tutor and in plain mode.
  @Test func theSameAnswersScoreTheSameInBothInterfaces() throws {
    let run = try BinaryTests.bundledQuizRun(seed: 11)
    let script = AnswerScript(run: run, mistakes: true)
    let session = try session()
    let terminal = InMemoryTerminal(size: Size(width: 80, height: 24), events: script.keys)
    var state = AppState(course: session.course, progress: try session.progress(), size: terminal.size, seed: 11)
    let opening = App.open(.quiz(id: "dre-definition"), in: &state)
    let runner = Runner(state: state, terminal: terminal, execute: session.execute)
    #expect(runner.perform(opening))
    let ended = runner.run()
    guard case .results(let results) = ended.top else {
      Issue.record("the quiz should end on the results screen: \(terminal.screen.joined(separator: "\n"))")
      return
    }
    let fullScreenScore = results.run.score

    let plain = try Binary.run(
      [
        "quiz", "dre-definition", "--plain", "--seed", "11", "--restart", "--course", Fixtures.repositoryRoot.path,
        "--store",
        folder.appendingPathComponent("plain.sqlite").path,
      ],
      input: script.plainLines.joined(separator: "\n") + "\n")
    #expect(plain.output.split(separator: "\n").last == "Score: \(fullScreenScore.description)")
    #expect(
      fullScreenScore.points < 17 && fullScreenScore.points > 12,
      "mistakes give partial credit: \(fullScreenScore.description)")
  }

  /// A plain review with a time budget: the clock moves a minute at each look; the session
  /// ends after the answer in hand once the budget is spent, and that answer is kept.
  @Test func aTimeBudgetEndsAPlainReviewAfterTheAnswerInHand() throws {
    let session = try session()
    var study = PlainSession(session: session)
    let lesson = try #require(session.course.lesson(id: "dre-definition"))
    var lines = AnswerScript.lessonLines(lesson, course: session.course)
    var output: [String] = []
    study.readLine = { lines.isEmpty ? nil : lines.removeFirst() }
    study.write = { output.append($0) }
    try study.study(lesson, seed: 1)
    #expect(lines.isEmpty, "the lesson took every scripted answer")
    var minutes = 0.0
    let tomorrow = Date().addingTimeInterval(86400 * 2)
    var review = PlainSession(
      session: Session(
        course: session.course, store: session.store, learnerID: session.learnerID, options: session.options,
        clock: { tomorrow }))
    review.clock = {
      minutes += 1
      return tomorrow.addingTimeInterval(minutes * 60)
    }
    lines = ["a", "b", "c", "d", "e", "f"]
    review.readLine = { lines.isEmpty ? nil : lines.removeFirst() }
    review.write = { output.append($0) }
    try review.review(cram: nil, budget: 90, asksConfidence: false, seed: 1)
    #expect(output.contains("Time budget reached: the session ends here; every answer is saved."))
    #expect(
      output.last?.hasPrefix("Score: ") == true && output.last?.contains("/\(lesson.checkpoints.count) ") == true,
      "\(output.suffix(3))")
    let reviewed =
      try session.store.answerStats(learner: session.learnerID).values.map(\.answers).reduce(0, +)
      - lesson.checkpoints.count
    #expect(reviewed == 1, "the session ends after the answer in hand")
  }

  @Test func pagingALessonIsRememberedAcrossRuns() throws {
    let steps = try #require(try session().course.lesson(id: "dre-definition")).steps.count
    _ = try run([.key(.enter), .key(.right), .key(.right), .key(.control("c"))])
    let (terminal, _) = try run([])
    #expect(terminal.frames[0].lines.contains("› ▶ Continue: What makes epilepsy drug-resistant? — step 3 of \(steps)"))
    #expect(
      terminal.frames[0].lines.contains { $0.contains("1. What makes epilepsy drug-resistant?  step 3/\(steps)") })
  }

  @Test func resizingToATinyTerminalAndBackRecovers() throws {
    let (terminal, _) = try run([
      .key(.enter), .resized(Size(width: 20, height: 6)), .key(.right), .resized(Size(width: 120, height: 40)),
    ])
    let tiny = terminal.frames[terminal.frames.count - 2]
    #expect(tiny.size == Size(width: 20, height: 6))
    #expect(tiny.lines[0] == "Terminal too small:")
    let big = try #require(terminal.frames.last)
    #expect(big.size == Size(width: 120, height: 40))
    let lesson = try #require(try session().course.lesson(id: "dre-definition"))
    #expect(
      big.lines[0].hasSuffix("step 1 of \(lesson.steps.count)"), "keys are ignored while the terminal is too small")
    #expect(big.lines.contains { $0.contains(lesson.steps[0].title) })
  }

  @Test func aHangUpEndsTheLoopWithEverythingSaved() throws {
    let (terminal, state) = try run([.key(.enter), .key(.right), .hangUp])
    #expect(terminal.frames.count == 3)
    #expect(state.progress.lessons["dre-definition"]?.step == 1)
    #expect(try session().progress().lessons["dre-definition"]?.step == 1)
  }
}
