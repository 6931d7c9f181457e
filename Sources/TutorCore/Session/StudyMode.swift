/// How a quiz runs: practice (feedback at once, hints, undo), exam (no help, timer), a
/// retry of the questions missed in practice, a spaced review of due questions, or cram
/// (review that leaves the schedule alone).
public enum QuizMode: String, Equatable, Sendable, CaseIterable {
  case practice, exam, retry, review, cram

  /// Review and cram sessions are not attempts at a quiz.
  public var isSession: Bool { self == .review || self == .cram }
  /// Hints, the lesson link and feedback written for the option chosen: everywhere but an exam.
  public var helps: Bool { self != .exam }
  /// Everywhere but an exam the learner may take back the last answer.
  public var canUndo: Bool { self != .exam }
  /// Finished retries are not scores of the whole quiz.
  public var countsAsScore: Bool { self == .practice || self == .exam }
  /// Every answer moves its question's review schedule, except in cram.
  public var movesSchedule: Bool { self != .cram }
  /// The activity an answer given in this mode is recorded under.
  public var studyMode: StudyMode {
    switch self {
    case .practice: .practice
    case .exam: .exam
    case .retry: .retry
    case .review: .review
    case .cram: .cram
    }
  }
}

/// What an answer was given in: a quiz mode, a lesson checkpoint, or a chain prediction.
public enum StudyMode: String, Equatable, Sendable, CaseIterable {
  case practice, exam, retry, review, cram, checkpoint, prediction
}

/// How sure a learner said they were of an answer.
public enum Confidence: String, Equatable, Sendable, CaseIterable {
  case sure, unsure, guessing

  /// Unsure and guessing answers are not known well, even when right.
  public var doubts: Bool { self != .sure }
}
