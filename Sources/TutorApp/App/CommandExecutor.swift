import Foundation
import TutorCore

/// Runs the app's commands against a progress store: the one bridge from the run loop to
/// storage. A failed read becomes a status message; a failed write stops the session
/// (`saveFailed`), never a crash.
public struct CommandExecutor {
  public let store: any ProgressStore
  public let learner: Int64
  public let clock: () -> Date

  public init(store: any ProgressStore, learner: Int64, clock: @escaping () -> Date) {
    self.store = store
    self.learner = learner
    self.clock = clock
  }

  public func execute(_ command: Command) -> AppMessage? {
    do {
      switch command {
      case .save(let change):
        switch try store.save(change, learner: learner, at: clock()) {
        case .saved: return nil
        case .attemptBegun(let id):
          guard case .attemptBegun(let quizID, _, _, _, _) = change else { return nil }
          return .quizAttemptBegan(quizID: quizID, attempt: id)
        case .scheduled(let questionID, let due): return .answerScheduled(questionID: questionID, due: due)
        }
      case .loadReviewQueue:
        return .reviewQueueLoaded(try store.reviewQueue(learner: learner, now: clock()))
      case .loadProgressReview(let questions):
        return .progressReviewLoaded(try store.progressReview(learner: learner, now: clock(), questions: { questions }))
      case .quit, .classSend, .hostCommand:
        return nil
      }
    } catch {
      if case .save(let change) = command { return .saveFailed(Self.notSaved(change, error)) }
      return .commandFailed("\(error)")
    }
  }

  /// What a failed write means to the learner, and what to do next.
  public static func notSaved(_ change: ProgressChange, _ error: any Error) -> String {
    let what: String
    switch change {
    case .answerRecorded: what = "Your last answer was not saved, and it was not counted."
    case .attemptFinished: what = "The quiz could not be closed with its score."
    case .attemptBegun: what = "The quiz attempt could not be opened."
    case .attemptsAbandoned: what = "The unfinished attempt could not be closed."
    case .answerWithdrawn: what = "The answer could not be withdrawn."
    case .lessonPositionSaved, .lessonCompleted: what = "Your place could not be saved."
    case .questionFlagged: what = "The flag could not be saved."
    }
    return "\(what) The session stopped here; every answer before it is kept.\n\(error)"
  }
}
