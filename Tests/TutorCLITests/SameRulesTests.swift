import ArgumentParser
import Foundation
import Testing
import TerminalUI
import TutorApp
import TutorCore
import TutorTestSupport

@testable import TutorCLI

/// The same scripted answers, given through the full screen, through plain mode and straight to
/// the core's quiz session, leave the same records, scores, ratings and schedules.
@Suite struct SameRulesTests {
  static let examCourse = CourseLoader.load(
    Fixtures.files(quiz: Fixtures.quiz + "\nexam:\n  time_limit: 120\n  feedback: end\n", typesQuiz: Fixtures.typesQuiz)
  ).course!
  static let start = testDate
  static let seed: UInt64 = 7

  /// One question's answer: when it is given, and whether a hint is asked first.
  struct Step {
    var question: Question
    var script: AnswerScript
    var response: Response
    var at: Date
    var hint: Bool
    /// Composed, but time runs out before it is submitted.
    var inProgressAt: Date?
  }

  final class Clock: @unchecked Sendable {
    var now: Date
    init(_ now: Date) { self.now = now }
  }

  func steps(_ quiz: Quiz, times: [TimeInterval], inProgressAt: TimeInterval? = nil) -> [Step] {
    let run = QuizRun(quiz: quiz, seed: Self.seed)
    return run.order.enumerated().compactMap { index, id in
      guard index < times.count, let question = quiz.question(id: id) else { return nil }
      let presentation = run.presentation(of: question)
      let script = AnswerScript.answer(question, presentation: presentation, wrong: index % 3 == 1)
      guard
        case .success(let response) = PlainText.parseAnswer(
          script.plainLines, for: question, presentation: presentation)
      else {
        return nil
      }
      let last = index == times.count - 1
      return Step(
        question: question, script: script, response: response, at: Self.start.addingTimeInterval(times[index]),
        hint: index == 0 && !question.hints.isEmpty,
        inProgressAt: last ? inProgressAt.map { Self.start.addingTimeInterval($0) } : nil)
    }
  }

  // MARK: - The three interfaces

  func bare(_ quiz: Quiz, mode: QuizMode, _ steps: [Step]) throws -> MemoryProgressStore {
    let store = MemoryProgressStore()
    let begun = QuizSession.start(quiz, request: .init(mode: mode), open: nil, seed: Self.seed, now: Self.start)
    var session = begun.session
    for change in begun.changes {
      if case .attemptBegun(let id) = try store.save(change, learner: 1, at: Self.start) { session.attemptBegun(id) }
    }
    for step in steps {
      if let late = step.inProgressAt {
        for change in session.timeOut(at: late, answerInProgress: step.response) ?? [] {
          try store.save(change, learner: 1, at: late)
        }
        break
      }
      if step.hint { _ = session.askHint() }
      if let change = session.answer(step.response, confidence: nil, at: step.at)?.change {
        try store.save(change, learner: 1, at: step.at)
      }
      for change in session.advance(at: step.at) { try store.save(change, learner: 1, at: step.at) }
    }
    return store
  }

  func fullScreen(_ course: Course, quiz: Quiz, mode: QuizMode, _ steps: [Step]) -> MemoryProgressStore {
    let store = MemoryProgressStore()
    let clock = Clock(Self.start)
    let executor = CommandExecutor(store: store, learner: 1, clock: { clock.now })
    var state = AppState(
      course: course, progress: LearnerProgress(), size: Size(width: 80, height: 24), seed: Self.seed, now: Self.start,
      quizMode: mode)
    func run(_ commands: [Command]) {
      var pending = commands
      while !pending.isEmpty {
        if let reply = executor.execute(pending.removeFirst()) { pending += App.update(&state, reply) }
      }
    }
    func tick(_ at: Date) {
      clock.now = at
      run(App.update(&state, .clockTicked(at)))
    }
    func press(_ key: Key) { run(App.update(&state, .key(key))) }
    run(App.open(.quiz(id: quiz.id), in: &state))
    for step in steps {
      tick(step.inProgressAt.map { _ in step.at } ?? step.at)
      if step.hint { press(.control("t")) }
      for case .key(let key) in step.script.keys { press(key) }
      if let late = step.inProgressAt {
        tick(late)
        break
      }
      press(.enter)
      if mode != .exam { press(.enter) }
    }
    return store
  }

  func plain(_ course: Course, quiz: Quiz, mode: QuizMode, _ steps: [Step]) throws -> (MemoryProgressStore, [String]) {
    let store = MemoryProgressStore()
    let clock = Clock(Self.start)
    let options = try CommonOptions.parse(["--course", Fixtures.repositoryRoot.path])
    var plain = PlainSession(
      session: Session(course: course, store: store, learnerID: 1, options: options.run, clock: { clock.now }))
    var lines: [(String, Date)] = []
    for step in steps {
      if step.hint { lines.append(("?", step.at)) }
      for line in step.script.plainLines { lines.append((line, step.inProgressAt ?? step.at)) }
    }
    var output: [String] = []
    plain.readLine = {
      guard !lines.isEmpty else { return nil }
      let (line, at) = lines.removeFirst()
      clock.now = at
      return line
    }
    plain.write = { output.append($0) }
    try plain.take(quiz, seed: Self.seed, request: .init(mode: mode))
    return (store, output)
  }

  // MARK: - The comparison

  func expectSame(_ stores: [MemoryProgressStore], questions: [String]) throws {
    let first = stores[0]
    for other in stores.dropFirst() {
      #expect(other.answers(learner: 1) == first.answers(learner: 1), "the same records, ratings and shown orders")
      #expect(try other.progress(learner: 1) == first.progress(learner: 1), "the same scores")
      for id in questions {
        #expect(
          try other.reviewCard(learner: 1, questionID: id) == first.reviewCard(learner: 1, questionID: id),
          "\(id) is scheduled alike")
      }
    }
  }

  @Test func aPracticeAttemptRecordsRatesAndSchedulesAlikeEverywhere() throws {
    let course = Self.examCourse
    let quiz = try #require(course.quiz(id: "types-quiz"))
    let steps = steps(quiz, times: quiz.questions.indices.map { 20 * Double($0 + 1) + ($0 == 2 ? 200 : 0) })
    #expect(steps.count == quiz.questions.count, "every question has a scripted answer")
    let stores = [
      try bare(quiz, mode: .practice, steps), fullScreen(course, quiz: quiz, mode: .practice, steps),
      try plain(course, quiz: quiz, mode: .practice, steps).0,
    ]
    let answers = stores[0].answers(learner: 1)
    #expect(answers.count == quiz.questions.count)
    #expect(answers.first?.hintsUsed == 1, "the hint asked first is counted")
    #expect(Set(answers.compactMap(\.rating)).count > 1, "the script earns more than one rating")
    try expectSame(stores, questions: quiz.questions.map(\.id))
  }

  @Test func anExamThatTimesOutWithAnAnswerInProgressEndsAlikeEverywhere() throws {
    let course = Self.examCourse
    let quiz = try #require(course.quiz(id: "basics-quiz"))
    let steps = steps(quiz, times: [30, 60, 100], inProgressAt: 130)
    let (plainStore, output) = try plain(course, quiz: quiz, mode: .exam, steps)
    let stores = [try bare(quiz, mode: .exam, steps), fullScreen(course, quiz: quiz, mode: .exam, steps), plainStore]
    let answers = stores[0].answers(learner: 1)
    #expect(answers.map(\.questionID) == steps.map(\.question.id), "the answer in progress when time ran out counts")
    #expect(answers.allSatisfy { if case .atSubmission = $0.scheduling { true } else { false } })
    #expect(try stores[0].progress(learner: 1).quizzes["basics-quiz"]?.openAttempt == nil, "the exam was submitted")
    #expect(
      try stores[0].reviewCard(learner: 1, questionID: steps[2].question.id) != nil,
      "submitted: its answers are scheduled")
    #expect(output.contains("Time is up: the exam was submitted with that answer."))
    try expectSame(stores, questions: quiz.questions.map(\.id))
  }
}
