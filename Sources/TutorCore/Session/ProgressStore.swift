import Foundation

/// Where a learner's progress is kept. The store saves what a session tells it and answers
/// queries; every rule (grading, scheduling, daily limits, the progress fold) is in the core,
/// so a second backend is a new type, not a rewrite.
public protocol ProgressStore: AnyObject {
  /// Opened for reading only: every save fails.
  var isReadOnly: Bool { get }
  /// The id of the learner profile `name`, created on first use.
  func learnerID(named name: String, at date: Date) throws -> Int64
  /// The id of a learner the store already knows.
  func existingLearnerID(named name: String) throws -> Int64?
  /// Saves one change in its own transaction.
  @discardableResult
  func save(_ change: ProgressChange, learner: Int64, at date: Date) throws -> SaveReceipt
  func progress(learner: Int64) throws -> LearnerProgress
  func reviewQueue(learner: Int64, now: Date) throws -> ReviewQueue
  func reviewCard(learner: Int64, questionID: String) throws -> ReviewCard?
  func answerStats(learner: Int64) throws -> [String: AnswerStats]
  /// What a progress review reads (the progress with its review queue at `now`, the answer
  /// statistics, the study history), as of one moment. `questions` names the course's
  /// questions, whose statistics and memory are all a report reads (nil: every question's); it
  /// is asked for once the rest is read, so a caller can still be reading its course.
  func progressReview(learner: Int64, now: Date, questions: () -> [String]?) throws -> ProgressReview
  func settings(learner: Int64) throws -> ReviewSettings
  /// Changes one setting after checking it; returns why when the value is not allowed.
  func setSetting(_ key: String, to value: String, learner: Int64) throws -> String?
  /// Keeps a finished live class in the host's store, in one transaction; returns its number.
  @discardableResult
  func saveClass(_ record: ClassRecord) throws -> Int64
  /// The live classes hosted with this store, by number, newest first.
  func classes() throws -> [(number: Int64, record: ClassRecord)]
}

extension ProgressStore {
  /// Every question's statistics.
  public func progressReview(learner: Int64, now: Date) throws -> ProgressReview {
    try progressReview(learner: learner, now: now, questions: { nil })
  }

  /// Without a history of its own: no memory, no study days, no past scores.
  public func progressReview(learner: Int64, now: Date, questions: () -> [String]?) throws -> ProgressReview {
    var progress = try progress(learner: learner)
    progress.review = try reviewQueue(learner: learner, now: now)
    return ProgressReview(
      progress: progress, stats: try answerStats(learner: learner),
      history: StudyHistory(today: CalendarDay.local(now)),
      now: now)
  }
}

/// What saving a change produced.
public enum SaveReceipt: Equatable, Sendable {
  case saved
  /// The store's id of the attempt just begun.
  case attemptBegun(Int64)
  /// The answer moved its question's schedule: when it is next due.
  case scheduled(questionID: String, due: Date)
}
