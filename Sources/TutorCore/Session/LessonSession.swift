import Foundation

/// The rules of reading a lesson, the same for every interface: moving between steps, answering
/// checkpoints (with hints), predicting the links of mechanism chains, and completion. It
/// returns the progress changes to save; it does no I/O.
public struct LessonSession: Equatable, Sendable {
  public let lesson: Lesson
  public private(set) var step: Int
  /// Checkpoint question ids answered correctly.
  public private(set) var passed: Set<String>
  public private(set) var isComplete: Bool
  /// Opened from a quiz to look something up: moving does not change the learner's place.
  public let isVisit: Bool
  /// Shuffles this visit's checkpoint options and prediction choices.
  public let seed: UInt64
  /// Chain links predicted (by link id): right on the first try or not.
  public private(set) var predictions: [String: Bool]
  /// Hints shown per checkpoint.
  public private(set) var hintsShown: [String: Int] = [:]
  /// The last step has been reached, now or on an earlier visit.
  public private(set) var reachedLastStep: Bool

  public init(lesson: Lesson, progress: LessonProgress?, step: Int? = nil, isVisit: Bool = false, seed: UInt64) {
    self.lesson = lesson
    let last = lesson.steps.count - 1
    self.step = max(0, min(step ?? progress?.step ?? 0, last))
    passed = progress?.passedCheckpoints ?? []
    isComplete = progress?.isComplete ?? false
    predictions = progress?.predictions ?? [:]
    self.isVisit = isVisit
    self.seed = seed
    reachedLastStep = isComplete || self.step == last || progress?.step == last
  }

  public var isOnLastStep: Bool { step == lesson.steps.count - 1 }

  /// Checkpoints not yet answered correctly, in lesson order.
  public var pendingCheckpoints: [String] { lesson.checkpoints.map(\.questionID).filter { !passed.contains($0) } }

  /// The first step holding a pending checkpoint.
  public var firstPendingStep: Int? {
    let pending = Set(pendingCheckpoints)
    return lesson.steps.firstIndex { step in
      step.blocks.contains { if case .check(let c) = $0 { pending.contains(c.questionID) } else { false } }
    }
  }

  // MARK: - Moving

  /// Opens the lesson: its place is saved (it becomes what Continue leads to).
  public var opening: [ProgressChange] {
    isVisit ? [] : [.lessonPositionSaved(lessonID: lesson.id, step: step)]
  }

  /// Moves to `step`, saving the place; reaching the last step with every checkpoint passed
  /// completes the lesson.
  public mutating func move(to step: Int) -> [ProgressChange] {
    self.step = max(0, min(step, lesson.steps.count - 1))
    guard !isVisit else { return [] }
    if isOnLastStep { reachedLastStep = true }
    return [.lessonPositionSaved(lessonID: lesson.id, step: self.step)] + completionIfDue()
  }

  /// A lesson is complete when its checkpoints are passed and its last step has been reached.
  private mutating func completionIfDue() -> [ProgressChange] {
    guard !isComplete, !isVisit, reachedLastStep, pendingCheckpoints.isEmpty else { return [] }
    isComplete = true
    return [.lessonCompleted(lessonID: lesson.id)]
  }

  // MARK: - Checkpoints

  /// How a checkpoint's options are shown on this visit.
  public func presentation(of question: Question) -> Presentation { Presentation.make(for: question, seed: seed) }

  /// The next hint of a checkpoint, if any are left.
  public mutating func askHint(_ question: Question) -> String? {
    let shown = hintsShown[question.id] ?? 0
    guard shown < question.hints.count else { return nil }
    hintsShown[question.id] = shown + 1
    return question.hints[shown]
  }

  /// Grades a checkpoint answer and records it; a right answer passes the checkpoint.
  public mutating func answer(_ question: Question, response: Response) -> (grade: Grade, changes: [ProgressChange]) {
    let grade = Grader.grade(question, response: response)
    let record = AnswerRecord.make(
      question: question, response: response, grade: grade, context: .checkpoint(lesson: lesson.id), mode: .checkpoint,
      hintsUsed: hintsShown[question.id] ?? 0, presentation: presentation(of: question))
    var changes: [ProgressChange] = [.answerRecorded(record)]
    if grade.isCorrect {
      passed.insert(question.id)
      changes += completionIfDue()
    }
    return (grade, changes)
  }

  // MARK: - Mechanism chains

  /// The id a predicted link is recorded under: the lesson, the chain's place and the link.
  public func linkID(step: Int, block: Int, link: Int) -> String {
    "\(lesson.id)/step-\(step + 1)/chain-\(block + 1)/link-\(link + 1)"
  }

  /// The real next link and up to two distractors, in this visit's order.
  public func predictionOptions(_ chain: MechanismChain, revealed: Int) -> [String] {
    chain.predictionOptions(revealed: revealed, seed: seed)
  }

  /// What a prediction showed.
  public struct Prediction: Equatable, Sendable {
    public var wasRight: Bool
    public var picked: String
    /// Why the picked link was wrong, when the chain says.
    public var whyNot: String?
  }

  /// Records the learner's pick for the link after the `revealed` ones; scored on its first try.
  public mutating func predict(_ chain: MechanismChain, step: Int, block: Int, revealed: Int, picked: String)
    -> (Prediction, [ProgressChange])
  {
    let right = chain.steps[revealed]
    let prediction = Prediction(
      wasRight: picked == right, picked: picked, whyNot: chain.whyNot(picked, revealed: revealed))
    let id = linkID(step: step, block: block, link: revealed)
    if predictions[id] == nil { predictions[id] = prediction.wasRight }
    let record = AnswerRecord(
      questionID: id, questionVersion: 1, context: .prediction(lesson: lesson.id), response: picked,
      grade: Grade(score: prediction.wasRight ? 1 : 0), mode: .prediction)
    return (prediction, isVisit ? [] : [.answerRecorded(record)])
  }

  /// Links of a chain predicted right on the first try, and links predicted, on any visit.
  public func predictionScore(step: Int, block: Int, chain: MechanismChain) -> (right: Int, of: Int) {
    let ids = (1..<max(1, chain.steps.count)).map { linkID(step: step, block: block, link: $0) }
    let made = ids.compactMap { predictions[$0] }
    return (made.filter { $0 }.count, made.count)
  }

  // MARK: - The end

  /// What going past the last step leads to.
  public enum End: Equatable, Sendable {
    case complete(changes: [ProgressChange])
    /// Checkpoints are still to answer; the first of them is on `step`.
    case checkpointsPending(count: Int, step: Int)
    /// A visit from a quiz, or a lesson already complete: just close.
    case closed
  }

  public mutating func finish() -> End {
    if isVisit { return .closed }
    reachedLastStep = true
    let pending = pendingCheckpoints
    if !pending.isEmpty { return .checkpointsPending(count: pending.count, step: firstPendingStep ?? step) }
    if isComplete { return .closed }
    return .complete(changes: completionIfDue())
  }
}
