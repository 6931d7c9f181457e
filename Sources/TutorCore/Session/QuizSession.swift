import Foundation

/// The rules of one run through questions, the same for every interface: a quiz attempt
/// (practice, exam, retry) or a review or cram session. It takes events (an answer, a hint
/// asked, a tick of the clock) and returns what happened as values, with the progress changes
/// to save. It does no I/O.
public struct QuizSession: Equatable, Sendable {
  public private(set) var run: QuizRun
  public let mode: QuizMode
  /// The exam's settings (exam mode only).
  public let exam: ExamSettings?
  /// The store's id of this attempt; known once the store has begun it (never, in a review).
  public private(set) var attemptID: Int64?
  public let asksConfidence: Bool
  /// When an exam's time runs out; it runs from when the attempt began, across restarts.
  public let deadline: Date?
  /// A review's time budget: after it, the session ends once the question in hand is done.
  public let budgetEnds: Date?
  /// Questions flagged as leeches (a review warns when one slips again).
  public let leeches: Set<String>
  public private(set) var hintsShown = 0
  public private(set) var questionShownAt: Date
  public private(set) var timedOut = false
  public private(set) var budgetReached = false
  public private(set) var responses: [String: Response] = [:]
  public private(set) var confidences: [String: Confidence] = [:]
  /// Questions of this run the learner flagged for review.
  public private(set) var flagged: Set<String> = []

  init(
    run: QuizRun, mode: QuizMode, attemptID: Int64?, asksConfidence: Bool, startedAt: Date, now: Date,
    budget: TimeInterval? = nil, leeches: Set<String> = []
  ) {
    self.run = run
    self.mode = mode
    self.attemptID = attemptID
    self.asksConfidence = asksConfidence
    exam = mode == .exam ? (run.quiz.exam ?? ExamSettings()) : nil
    deadline = exam?.timeLimitSeconds.map { startedAt.addingTimeInterval(TimeInterval($0)) }
    budgetEnds = budget.map { now.addingTimeInterval($0) }
    self.leeches = leeches
    questionShownAt = now
  }

  // MARK: - Starting

  /// How a quiz is asked for.
  public struct Request: Equatable, Sendable {
    public var mode: QuizMode
    public var asksConfidence: Bool
    /// Close an unfinished attempt and start afresh (`--restart`).
    public var restart: Bool
    /// Close an unfinished attempt of another mode (`tutor quiz --exam` over a practice attempt).
    public var insistsOnMode: Bool
    public init(
      mode: QuizMode = .practice, asksConfidence: Bool = false, restart: Bool = false, insistsOnMode: Bool = false
    ) {
      self.mode = mode
      self.asksConfidence = asksConfidence
      self.restart = restart
      self.insistsOnMode = insistsOnMode
    }
  }

  /// What starting a quiz did.
  public struct Start: Equatable, Sendable {
    public var session: QuizSession
    /// To save before the first answer: closing what is replaced, beginning the new attempt.
    public var changes: [ProgressChange]
    /// An unfinished attempt was continued.
    public var resumed: Bool
    /// An unfinished attempt of this mode was closed to start the one asked for.
    public var replaced: QuizMode?
  }

  /// Continues the learner's unfinished attempt at `quiz` (in the mode it began in, with its
  /// confidence setting and an exam's remaining time) or begins one, shuffled from `seed`.
  public static func start(
    _ quiz: Quiz, request: Request, open: OpenAttempt?, seed: UInt64, now: Date, flagged: Set<String> = []
  ) -> Start {
    var changes: [ProgressChange] = []
    var replaced: QuizMode?
    let asksConfidence = request.asksConfidence || quiz.asksConfidence
    if let open {
      let run = QuizRun(quiz: quiz, order: open.order, grades: open.grades, seed: open.seed)
      let otherMode = request.insistsOnMode && open.mode != request.mode
      if !request.restart && !otherMode && !run.isFinished {
        var session = QuizSession(
          run: run, mode: open.mode, attemptID: open.id, asksConfidence: asksConfidence || open.asksConfidence,
          startedAt: open.startedAt, now: now)
        session.responses = open.responses
        session.flagged = flagged.intersection(run.order)
        return Start(session: session, changes: [], resumed: true, replaced: nil)
      }
      if run.isFinished && !request.restart && !otherMode {
        // Every answer was saved but the attempt was never closed: close it with its score.
        changes.append(.attemptFinished(quizID: quiz.id, attempt: open.id, score: run.score))
      } else {
        changes.append(.attemptsAbandoned(quizID: quiz.id))
        if !request.restart { replaced = open.mode }
      }
    }
    var session = QuizSession(
      run: QuizRun(quiz: quiz, seed: seed), mode: request.mode, attemptID: nil, asksConfidence: asksConfidence,
      startedAt: now, now: now)
    session.flagged = flagged.intersection(session.run.order)
    changes.append(session.beginning)
    return Start(session: session, changes: changes, resumed: false, replaced: replaced)
  }

  /// A retry of the questions missed in `finished`, as a new attempt.
  public static func retry(of finished: QuizSession, seed: UInt64, now: Date) -> (QuizSession, ProgressChange) {
    let run = QuizRun(quiz: finished.run.quiz, seed: seed, only: finished.run.missed.map(\.id))
    let session = QuizSession(
      run: run, mode: .retry, attemptID: nil, asksConfidence: finished.asksConfidence, startedAt: now, now: now)
    return (session, session.beginning)
  }

  /// A review (or cram) of `questions`, which may come from several quizzes and lessons.
  public static func review(
    _ questions: [Question], mode: QuizMode, title: String, seed: UInt64, now: Date, budget: TimeInterval? = nil,
    leeches: Set<String> = [], asksConfidence: Bool = false
  ) -> QuizSession {
    // Options are shuffled at every encounter, so a review is not answered by position.
    let quiz = Quiz(id: mode.rawValue, title: title, shuffle: true, questions: questions)
    var run = QuizRun(quiz: quiz, seed: seed)
    run.keepOrder(questions.map(\.id))
    return QuizSession(
      run: run, mode: mode, attemptID: nil, asksConfidence: asksConfidence, startedAt: now, now: now, budget: budget,
      leeches: leeches)
  }

  /// The change that begins this attempt.
  public var beginning: ProgressChange {
    .attemptBegun(quizID: run.quiz.id, seed: run.seed, order: run.order, mode: mode, asksConfidence: asksConfidence)
  }

  /// The store has begun the attempt.
  public mutating func attemptBegun(_ id: Int64) { attemptID = id }

  // MARK: - Asking

  public var currentQuestion: Question? { run.currentQuestion }
  public func presentation(of question: Question) -> Presentation { run.presentation(of: question) }
  public var isFinished: Bool { run.isFinished }

  /// An exam that gives feedback only at the end says nothing about its answers before then.
  public var showsFeedbackNow: Bool { exam?.feedback != .end }
  public var allowsHints: Bool { mode.helps }
  public var canGoBack: Bool { canNavigate && run.currentIndex > 0 }
  /// An exam that allows going back can be moved through freely: forward, back, to any question.
  public var canNavigate: Bool { exam?.allowsGoingBack ?? false }
  public var unansweredCount: Int { run.order.count - run.answeredCount }

  /// Flags the current question for review, or takes its flag off.
  public mutating func toggleFlag() -> ProgressChange? {
    guard let question = currentQuestion else { return nil }
    let isFlagged = !flagged.contains(question.id)
    if isFlagged { flagged.insert(question.id) } else { flagged.remove(question.id) }
    return .questionFlagged(questionID: question.id, isFlagged: isFlagged)
  }

  /// Moves to the question at `index` in the order asked (exams that allow it).
  public mutating func go(to index: Int, at now: Date) {
    guard canNavigate, run.order.indices.contains(index), !run.isFinished else { return }
    run.currentIndex = index
    showCurrent(at: now)
  }

  /// Submits the exam now, whatever is left unanswered.
  public mutating func submit() -> [ProgressChange] {
    guard !run.isFinished else { return [] }
    return finish()
  }

  /// The next hint of the current question, if hints are allowed and any are left.
  public mutating func askHint() -> String? {
    guard allowsHints, let question = currentQuestion, hintsShown < question.hints.count else { return nil }
    hintsShown += 1
    return question.hints[hintsShown - 1]
  }

  // MARK: - Answering

  /// What answering did.
  public struct Answered: Equatable, Sendable {
    public var question: Question
    public var grade: Grade
    /// The answer to save; nil when no attempt is open to save it in.
    public var change: ProgressChange?
    /// A leech was answered wrong again: its lesson step is worth reading.
    public var leechSlipped: Bool
  }

  /// Grades and records an answer to the current question (it stays current until `advance`).
  public mutating func answer(_ response: Response, confidence: Confidence?, at now: Date) -> Answered? {
    guard let question = currentQuestion, let grade = run.answer(response) else { return nil }
    responses[question.id] = response
    confidences[question.id] = confidence
    let context: AnswerRecord.Context? =
      mode.isSession ? .review : attemptID.map { .quiz(id: run.quiz.id, attempt: $0) }
    let record = context.map {
      AnswerRecord.make(
        question: question, response: response, grade: grade, context: $0, mode: mode.studyMode, hintsUsed: hintsShown,
        confidence: confidence, presentation: presentation(of: question),
        seconds: now.timeIntervalSince(questionShownAt))
    }
    return Answered(
      question: question, grade: grade, change: record.map(ProgressChange.answerRecorded),
      leechSlipped: record?.rating == .again && leeches.contains(question.id))
  }

  /// Practice mode's undo: takes back the answer to the current question.
  public mutating func withdraw() -> ProgressChange? {
    guard mode.canUndo, let question = currentQuestion, run.grades[question.id] != nil,
      mode.isSession || attemptID != nil
    else { return nil }
    run.withdrawAnswer()
    responses[question.id] = nil
    confidences[question.id] = nil
    return .answerWithdrawn(questionID: question.id, attempt: attemptID)
  }

  /// Moves on: to the next question (an exam that allows going back skips those answered), or
  /// to the end, when the questions run out or a review's time budget is spent.
  public mutating func advance(at now: Date) -> [ProgressChange] {
    if canNavigate {
      // The next unanswered question, from the start again if need be; none left ends the exam.
      guard let next = nextUnanswered(after: run.currentIndex) else { return finish() }
      run.currentIndex = next
      showCurrent(at: now)
      return []
    }
    run.advance()
    if let budgetEnds, now >= budgetEnds, !run.isFinished {
      budgetReached = true
      return finish()
    }
    while let question = run.currentQuestion, exam != nil, run.grades[question.id] != nil { run.advance() }
    if run.isFinished { return finish() }
    showCurrent(at: now)
    return []
  }

  /// The first unanswered question after `index`, wrapping round; nil when all are answered.
  public func nextUnanswered(after index: Int) -> Int? {
    let count = run.order.count
    guard count > 0 else { return nil }
    return (1...count).lazy.map { (index + $0) % count }.first { run.grades[run.order[$0]] == nil }
  }

  /// Back to the previous question (exams that allow it).
  public mutating func goBack(at now: Date) {
    guard canGoBack else { return }
    run.goBack()
    showCurrent(at: now)
  }

  // MARK: - The clock

  public func isPastDeadline(_ now: Date) -> Bool { deadline.map { now >= $0 } ?? false }

  /// Ends an exam whose time has run out: the answer in progress counts if the learner composed
  /// one (an untouched default is no answer), then the exam is submitted. Returns the changes
  /// to save (the answer, the submission), or nil while there is time left.
  public mutating func timeOut(at now: Date, answerInProgress: Response?, confidence: Confidence? = nil)
    -> [ProgressChange]?
  {
    guard isPastDeadline(now), !timedOut else { return nil }
    timedOut = true
    var changes: [ProgressChange] = []
    if let response = answerInProgress, let question = currentQuestion, run.grades[question.id] == nil,
      let change = answer(response, confidence: confidence, at: now)?.change
    {
      changes.append(change)
    }
    run.finish()
    return changes + finish()
  }

  private mutating func finish() -> [ProgressChange] {
    run.finish()
    guard let attemptID, !mode.isSession else { return [] }
    return [.attemptFinished(quizID: run.quiz.id, attempt: attemptID, score: run.score)]
  }

  private mutating func showCurrent(at now: Date) {
    hintsShown = 0
    questionShownAt = now
  }
}

/// Seeds that differ at every encounter (each attempt, retry, review, lesson visit) in a run of
/// the tutor, yet are reproducible from `--seed`: the first encounter uses the seed itself.
public enum EncounterSeed {
  public static func make(_ base: UInt64, encounter: Int) -> UInt64 {
    guard encounter > 0 else { return base }
    var generator = SeededGenerator(seed: base ^ (UInt64(encounter) &* 0x9E37_79B9_7F4A_7C15))
    return generator.next()
  }
}
