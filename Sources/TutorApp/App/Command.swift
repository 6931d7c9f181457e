import Foundation
import TutorCore

/// I/O that `update` asks for; the runner executes it, and any result comes back as a message.
public enum Command: Equatable, Sendable {
  case recordAnswer(AnswerRecord)
  /// Practice mode's undo: forget the last answer to a question in an attempt.
  case withdrawAnswer(questionID: String, attempt: Int64)
  case beginQuizAttempt(quizID: String, seed: UInt64, order: [String], mode: String, asksConfidence: Bool = false)
  case finishQuizAttempt(attempt: Int64, score: Score)
  case saveLessonPosition(lessonID: String, step: Int)
  case markLessonComplete(lessonID: String)
  /// Reads the review queue again (after answers moved schedules).
  case loadReviewQueue
  /// Reads the learner's answer statistics for the progress review.
  case loadAnswerStats
  case quit
}

/// What a screen's update asks of the app: navigation, or a command to run.
public enum Effect: Equatable, Sendable {
  case run(Command)
  case push(Screen)
  case replaceTop(Screen)
  case pop
  /// A short message in the status line.
  case status(String)
}

/// The screens, as a typed navigation stack.
public enum Screen: Equatable, Sendable {
  case home(HomeScreen.State)
  case lesson(LessonScreen.State)
  case quiz(QuizScreen.State)
  case results(ResultsScreen.State)
  case progress(ProgressScreen.State)
}

/// Read-only facts every screen may consult.
public struct AppContext: Sendable {
  public var course: Course
  public var progress: LearnerProgress
  public var seed: UInt64
  /// The time of the message being handled (the runner's clock; tests set it).
  public var now: Date
  /// How quizzes opened from here run (`--exam`) and whether they ask for confidence.
  public var quizMode: QuizMode
  public var asksConfidence: Bool
  public var reviewBudget: TimeInterval?
}
