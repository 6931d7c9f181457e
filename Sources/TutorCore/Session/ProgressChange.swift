import Foundation

/// Something a study session changes in a learner's progress: what the store saves, and what
/// the one fold (`LearnerProgress.apply`) turns into the progress the screens show.
public enum ProgressChange: Equatable, Sendable {
  case answerRecorded(AnswerRecord)
  /// Undo: the last answer to a question in an attempt, or in a review (no attempt), is taken back.
  case answerWithdrawn(questionID: String, attempt: Int64?)
  case attemptBegun(quizID: String, seed: UInt64, order: [String], mode: QuizMode, asksConfidence: Bool)
  /// An attempt closed with its score; an exam's answers move their schedules now.
  case attemptFinished(quizID: String, attempt: Int64, score: Score)
  /// Unfinished attempts closed without a score (starting over).
  case attemptsAbandoned(quizID: String)
  case lessonPositionSaved(lessonID: String, step: Int)
  case lessonCompleted(lessonID: String)
  /// A question flagged for review, or its flag taken off.
  case questionFlagged(questionID: String, isFlagged: Bool)
}

extension LearnerProgress {
  /// The one fold from changes to progress: used for the copy the screens hold and for what
  /// a store reads back. `attemptID` is the store's id of a begun attempt.
  public mutating func apply(_ change: ProgressChange, at date: Date, attemptID: Int64? = nil) {
    switch change {
    case .answerRecorded(let answer):
      switch answer.context {
      case .checkpoint(let lesson) where answer.grade.isCorrect:
        lessons[lesson, default: LessonProgress()].passedCheckpoints.insert(answer.questionID)
      case .prediction(let lesson):
        // A prediction scores on its first try only.
        if lessons[lesson]?.predictions[answer.questionID] == nil {
          lessons[lesson, default: LessonProgress()].predictions[answer.questionID] = answer.grade.isCorrect
        }
      case .quiz(let quiz, let attempt) where quizzes[quiz]?.openAttempt?.id == attempt:
        quizzes[quiz]?.openAttempt?.grades[answer.questionID] = answer.grade
        quizzes[quiz]?.openAttempt?.responses[answer.questionID] = answer.given
      default:
        break
      }
    case .answerWithdrawn(let questionID, let attempt):
      for (id, quiz) in quizzes where quiz.openAttempt?.id == attempt {
        quizzes[id]?.openAttempt?.grades[questionID] = nil
        quizzes[id]?.openAttempt?.responses[questionID] = nil
      }
    case .attemptBegun(let quizID, let seed, let order, let mode, let asksConfidence):
      guard let attemptID else { return }
      quizzes[quizID, default: QuizProgress()].openAttempt = OpenAttempt(
        id: attemptID, seed: seed, order: order, grades: [:], mode: mode, startedAt: date,
        asksConfidence: asksConfidence)
      resume = .quiz(id: quizID)
    case .attemptFinished(let quizID, let attempt, let score):
      guard var quiz = quizzes[quizID], let open = quiz.openAttempt, open.id == attempt else { return }
      quiz.openAttempt = nil
      if open.mode.countsAsScore {
        quiz.lastScore = score
        if quiz.bestScore.map({ score.fraction > $0.fraction }) ?? true { quiz.bestScore = score }
      }
      quizzes[quizID] = quiz
      if resume == .quiz(id: quizID) { resume = nil }
    case .attemptsAbandoned(let quizID):
      quizzes[quizID]?.openAttempt = nil
    case .lessonPositionSaved(let lessonID, let step):
      lessons[lessonID, default: LessonProgress()].step = step
      resume = .lesson(id: lessonID, step: step)
    case .lessonCompleted(let lessonID):
      lessons[lessonID, default: LessonProgress()].isComplete = true
    case .questionFlagged(let questionID, let isFlagged):
      if isFlagged { flagged.insert(questionID) } else { flagged.remove(questionID) }
    }
  }
}
