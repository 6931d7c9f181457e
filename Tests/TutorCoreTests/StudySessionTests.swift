import Foundation
import Testing
import TutorCore
import TutorTestSupport

/// The rules of a quiz session, the same for every interface, tested as values.
@Suite struct QuizSessionTests {
  static let course = Fixtures.courseWithTypes
  static let quiz = course.quiz(id: "basics-quiz")!
  static func examQuiz(_ settings: ExamSettings) -> Quiz {
    var quiz = Self.quiz
    quiz.exam = settings
    return quiz
  }

  func open(_ id: Int64, mode: QuizMode, grades: [String: Grade] = [:], startedAt: Date = testDate) -> OpenAttempt {
    OpenAttempt(
      id: id, seed: 5, order: ["q-single", "q-multiple", "q-tf"], grades: grades, mode: mode, startedAt: startedAt)
  }

  @Test func anUnfinishedAttemptIsContinuedInTheModeItBeganIn() {
    let start = QuizSession.start(
      Self.quiz, request: .init(mode: .practice), open: open(7, mode: .exam), seed: 1, now: testDate)
    #expect(start.resumed)
    #expect(start.changes.isEmpty)
    #expect(start.session.mode == .exam)
    #expect(start.session.attemptID == 7)
    #expect(start.session.run.seed == 5, "a resumed attempt keeps its shuffle")
  }

  @Test func anExamAskedForOverAPracticeAttemptClosesItAndBegins() {
    let request = QuizSession.Request(mode: .exam, insistsOnMode: true)
    let start = QuizSession.start(Self.quiz, request: request, open: open(7, mode: .practice), seed: 1, now: testDate)
    #expect(!start.resumed)
    #expect(start.replaced == .practice)
    #expect(start.changes.first == .attemptsAbandoned(quizID: "basics-quiz"))
    guard case .attemptBegun("basics-quiz", 1, _, .exam, false)? = start.changes.last else {
      Issue.record("an exam attempt is begun: \(start.changes)")
      return
    }
  }

  @Test func anAttemptWhoseAnswersWereAllSavedIsClosedBeforeANewOne() {
    let all = ["q-single": Grade(score: 1), "q-multiple": Grade(score: 0.5), "q-tf": Grade(score: 0)]
    let start = QuizSession.start(
      Self.quiz, request: .init(), open: open(7, mode: .practice, grades: all), seed: 1, now: testDate)
    #expect(
      start.changes.first == .attemptFinished(quizID: "basics-quiz", attempt: 7, score: Score(points: 1.5, total: 3)))
    #expect(!start.resumed)
  }

  @Test func eachModeSchedulesItsAnswersByItsOwnRule() {
    func scheduling(_ mode: QuizMode) -> AnswerRecord.Scheduling? {
      var session =
        mode.isSession
        ? QuizSession.review(Self.quiz.questions, mode: mode, title: "t", seed: 1, now: testDate)
        : QuizSession.start(Self.quiz, request: .init(mode: mode), open: nil, seed: 1, now: testDate).session
      session.attemptBegun(3)
      let question = session.currentQuestion!
      let right = Response.choices(Set(question.choices.filter(\.isCorrect).map(\.id)))
      guard
        case .answerRecorded(let record)? = session.answer(right, confidence: nil, at: testDate.addingTimeInterval(60))?
          .change
      else { return nil }
      return record.scheduling
    }
    #expect(scheduling(.practice) == .now(.good))
    #expect(scheduling(.review) == .now(.good))
    #expect(scheduling(.exam) == .atSubmission(.good), "an exam's answers wait for the submission")
    #expect(scheduling(.cram) == AnswerRecord.Scheduling.none, "cram leaves the schedule alone")
  }

  @Test func anExamGivesNoHintsAndPracticeCountsThem() {
    var exam = QuizSession.start(
      Self.examQuiz(ExamSettings()), request: .init(mode: .exam), open: nil, seed: 1, now: testDate
    ).session
    var practice = QuizSession.start(
      Self.course.quiz(id: "types-quiz")!, request: .init(), open: nil, seed: 1, now: testDate
    ).session
    #expect(exam.askHint() == nil)
    #expect(practice.askHint() == "It starts with ABC.")
    #expect(practice.askHint() == "It ends with B1.")
    #expect(practice.askHint() == nil, "the ladder ends")
    practice.attemptBegun(1)
    guard case .answerRecorded(let record)? = practice.answer(.text("ABCB1"), confidence: nil, at: testDate)?.change
    else {
      Issue.record("the answer is recorded")
      return
    }
    #expect(record.hintsUsed == 2)
    #expect(record.scheduling == .now(.hard), "right after a hint is Hard")
  }

  @Test func whenTimeRunsOutTheAnswerInProgressCountsAndTheExamIsSubmitted() {
    var exam = QuizSession.start(
      Self.examQuiz(ExamSettings(timeLimitSeconds: 60)), request: .init(mode: .exam), open: nil, seed: 1, now: testDate
    ).session
    exam.attemptBegun(9)
    #expect(exam.timeOut(at: testDate.addingTimeInterval(59), answerInProgress: nil) == nil, "time is left")
    let changes = exam.timeOut(at: testDate.addingTimeInterval(61), answerInProgress: .choices(["a"]))
    guard let changes, changes.count == 2, case .answerRecorded(let record) = changes[0] else {
      Issue.record("the answer in progress and the submission: \(String(describing: changes))")
      return
    }
    #expect(record.questionID == exam.run.order[0])
    #expect(changes[1] == .attemptFinished(quizID: "basics-quiz", attempt: 9, score: exam.run.score))
    #expect(exam.timedOut && exam.isFinished)
    #expect(exam.timeOut(at: testDate.addingTimeInterval(62), answerInProgress: nil) == nil, "submitted once")
  }

  @Test func practiceTakesBackTheLastAnswerAndAnExamDoesNot() {
    var practice = QuizSession.start(Self.quiz, request: .init(), open: nil, seed: 1, now: testDate).session
    practice.attemptBegun(2)
    _ = practice.answer(.choices(["b"]), confidence: nil, at: testDate)
    #expect(practice.withdraw() == .answerWithdrawn(questionID: "q-single", attempt: 2))
    #expect(practice.run.grades.isEmpty)
    var exam = QuizSession.start(
      Self.examQuiz(ExamSettings()), request: .init(mode: .exam), open: nil, seed: 1, now: testDate
    ).session
    exam.attemptBegun(3)
    _ = exam.answer(.choices(["b"]), confidence: nil, at: testDate)
    #expect(exam.withdraw() == nil)
  }

  @Test func aReviewBudgetEndsTheSessionAfterTheQuestionInHand() {
    var review = QuizSession.review(
      Self.quiz.questions, mode: .review, title: "Review", seed: 1, now: testDate, budget: 60)
    _ = review.answer(.choices(["a"]), confidence: nil, at: testDate.addingTimeInterval(90))
    #expect(review.advance(at: testDate.addingTimeInterval(90)).isEmpty, "a review has no attempt to close")
    #expect(review.isFinished && review.budgetReached)
  }

  @Test func everyEncounterShowsTheOptionsInAFreshOrderAndTheFirstIsReproducible() throws {
    #expect(EncounterSeed.make(42, encounter: 0) == 42, "--seed gives the first encounter its order")
    let seeds = (0..<12).map { EncounterSeed.make(42, encounter: $0) }
    #expect(Set(seeds).count == seeds.count)
    var question = try #require(Self.quiz.question(id: "q-multiple"))
    question.keepsChoiceOrder = false
    let orders = Set(seeds.map { Presentation.make(for: question, seed: $0).choiceOrder })
    #expect(orders.count > 1, "the options do not keep one order from encounter to encounter")
  }

  @Test func theRecordKeepsTheOrderTheOptionsWereShownIn() throws {
    let quiz = try #require(Self.course.quiz(id: "types-quiz"))
    var session = QuizSession.start(quiz, request: .init(), open: nil, seed: 3, now: testDate).session
    session.attemptBegun(1)
    while let question = session.currentQuestion, question.id != "t-order" {
      _ = session.answer(.choices([]), confidence: nil, at: testDate)
      _ = session.advance(at: testDate)
    }
    let question = try #require(session.currentQuestion)
    let shown = session.presentation(of: question).itemOrder
    guard
      case .answerRecorded(let record)? = session.answer(.ordering([0, 1, 2]), confidence: nil, at: testDate)?.change
    else {
      Issue.record("the answer is recorded")
      return
    }
    #expect(record.shownOrder == shown.map(String.init))
  }
}

/// The rules of reading a lesson: completion, predictions, hints and visits.
@Suite struct LessonSessionTests {
  /// The fixture lesson with a summary step after the checkpoints.
  static let course = CourseLoader.load(
    Fixtures.files(lesson: Fixtures.lesson + "\n# Summary {#summary}\n\nWhat to remember.\n")
  ).course!
  static let lesson = course.lesson(id: "basics")!

  func answerEveryCheckpoint(_ session: inout LessonSession) -> [ProgressChange] {
    var changes: [ProgressChange] = []
    for checkpoint in Self.lesson.checkpoints {
      let question = Self.course.questionsByID[checkpoint.questionID]!
      let right = Response.choices(Set(question.choices.filter(\.isCorrect).map(\.id)))
      changes += session.answer(question, response: right).changes
    }
    return changes
  }

  @Test func aLessonIsCompleteOnlyOnceItsLastStepIsReached() {
    var session = LessonSession(lesson: Self.lesson, progress: nil, step: 1, seed: 1)
    let answering = answerEveryCheckpoint(&session)
    #expect(!answering.contains(.lessonCompleted(lessonID: "basics")), "the summary is still unread")
    #expect(!session.isComplete)
    let last = session.move(to: 2)
    #expect(last == [.lessonPositionSaved(lessonID: "basics", step: 2), .lessonCompleted(lessonID: "basics")])
    #expect(session.isComplete)
  }

  @Test func aCheckpointAnsweredAfterTheLastStepWasReachedCompletesTheLesson() {
    var session = LessonSession(lesson: Self.lesson, progress: LessonProgress(step: 2), step: 1, seed: 1)
    #expect(answerEveryCheckpoint(&session).last == .lessonCompleted(lessonID: "basics"))
  }

  @Test func goingPastTheEndWithCheckpointsLeftSendsTheLearnerToThem() {
    var session = LessonSession(lesson: Self.lesson, progress: nil, step: 2, seed: 1)
    #expect(session.finish() == .checkpointsPending(count: 2, step: 1))
  }

  @Test func aVisitFromAQuizNeitherMovesThePlaceNorRecords() {
    var session = LessonSession(lesson: Self.lesson, progress: nil, step: 0, isVisit: true, seed: 1)
    #expect(session.opening.isEmpty)
    #expect(session.move(to: 2).isEmpty)
    #expect(session.finish() == .closed)
  }

  @Test func predictionsAreRecordedAndScoredOnTheFirstTry() throws {
    var session = LessonSession(lesson: Self.lesson, progress: nil, step: 1, seed: 1)
    let chain = try #require(Self.lesson.steps[1].chain)
    let (wrong, changes) = session.predict(chain, step: 1, block: 1, revealed: 1, picked: "wrong link")
    #expect(!wrong.wasRight)
    guard case .answerRecorded(let record)? = changes.first else {
      Issue.record("a prediction is recorded like an answer")
      return
    }
    #expect(record.context == .prediction(lesson: "basics"))
    #expect(record.mode == .prediction)
    #expect(record.grade.score == 0)
    #expect(record.scheduling == AnswerRecord.Scheduling.none, "a chain link is not a review item")
    _ = session.predict(chain, step: 1, block: 1, revealed: 2, picked: "third link")
    #expect(session.predictionScore(step: 1, block: 1, chain: chain) == (right: 1, of: 2))
    var progress = LearnerProgress()
    progress.apply(.answerRecorded(record), at: testDate)
    progress.apply(
      .answerRecorded(
        AnswerRecord(
          questionID: record.questionID, questionVersion: 1, context: record.context, response: "x",
          grade: Grade(score: 1), mode: .prediction)), at: testDate)
    #expect(progress.lessons["basics"]?.predictions == [record.questionID: false], "the first try is the score")
  }

  @Test func checkpointHintsAreCountedInTheRecord() throws {
    var session = LessonSession(lesson: Self.lesson, progress: nil, step: 1, seed: 1)
    let question = try #require(Self.course.questionsByID["q-single"])
    #expect(session.askHint(question) == nil, "q-single has no hints")
    let (_, changes) = session.answer(question, response: .choices(["a"]))
    guard case .answerRecorded(let record)? = changes.first else { return }
    #expect(record.scheduling == .now(.good), "a checkpoint answered with its teaching in view is never Easy")
    let inline = try #require(Self.course.questionsByID["inline-tf"])
    #expect(session.askHint(inline) == "Look at the first step.")
    #expect(session.askHint(inline) == nil)
    guard case .answerRecorded(let hinted)? = session.answer(inline, response: .choices(["t"])).changes.first else {
      return
    }
    #expect(hinted.hintsUsed == 1)
  }
}

/// Where Continue leads.
@Suite struct ContinuationTests {
  static let course = Fixtures.courseWithTypes

  @Test func aFreshLearnerHasNoContinue() {
    #expect(Continuation.of(Self.course, progress: LearnerProgress()) == nil)
  }

  @Test func anUnfinishedExamIsNeverLostFromContinue() {
    var progress = LearnerProgress()
    progress.quizzes["types-quiz"] = QuizProgress(
      openAttempt: OpenAttempt(id: 1, seed: 1, order: [], grades: [:], mode: .exam))
    progress.resume = .lesson(id: "basics", step: 0)
    #expect(Continuation.of(Self.course, progress: progress) == Continuation(.continuing, .quiz(id: "types-quiz")))
  }

  @Test func whatWasStartedComesBeforeWhatIsNext() {
    var progress = LearnerProgress()
    progress.apply(.lessonPositionSaved(lessonID: "basics", step: 1), at: testDate)
    #expect(
      Continuation.of(Self.course, progress: progress) == Continuation(.continuing, .lesson(id: "basics", step: 1)))
  }

  @Test func aLessonBegunEarlierIsContinuedOnceAnExamIsOver() {
    var progress = LearnerProgress()
    progress.apply(.lessonPositionSaved(lessonID: "basics", step: 1), at: testDate)
    progress.apply(
      .attemptBegun(quizID: "types-quiz", seed: 1, order: [], mode: .exam, asksConfidence: false), at: testDate,
      attemptID: 4)
    progress.apply(.attemptFinished(quizID: "types-quiz", attempt: 4, score: Score(points: 0, total: 9)), at: testDate)
    #expect(progress.resume == nil)
    #expect(
      Continuation.of(Self.course, progress: progress) == Continuation(.continuing, .lesson(id: "basics", step: 1)))
  }

  @Test func afterALessonItsQuizIsNextAndAfterTheQuizNothingIsLost() {
    var progress = LearnerProgress()
    progress.apply(.lessonPositionSaved(lessonID: "basics", step: 1), at: testDate)
    progress.apply(.lessonCompleted(lessonID: "basics"), at: testDate)
    #expect(Continuation.of(Self.course, progress: progress) == Continuation(.next, .quiz(id: "basics-quiz")))
    progress.quizzes["basics-quiz"] = QuizProgress(bestScore: Score(points: 3, total: 3))
    #expect(Continuation.of(Self.course, progress: progress) == Continuation(.next, .quiz(id: "types-quiz")))
  }
}
