import Foundation

/// What the store knows about one learner, as plain values the screens can show.
public struct LearnerProgress: Equatable, Sendable {
  public var lessons: [String: LessonProgress]
  public var quizzes: [String: QuizProgress]
  public var resume: ResumePoint?
  /// The spaced-review queue as of the last look.
  public var review = ReviewQueue()
  /// Questions the learner flagged for review (in an exam, or anywhere).
  public var flagged: Set<String> = []

  public init(
    lessons: [String: LessonProgress] = [:], quizzes: [String: QuizProgress] = [:], resume: ResumePoint? = nil
  ) {
    self.lessons = lessons
    self.quizzes = quizzes
    self.resume = resume
  }
}

/// Where a learner is in a lesson.
public struct LessonProgress: Equatable, Sendable {
  public var step: Int
  public var passedCheckpoints: Set<String>
  public var isComplete: Bool
  /// Mechanism-chain links predicted, by link id: right on the first try or not.
  public var predictions: [String: Bool]
  /// With no checkpoints passed, room for a lesson's: the first growth of a set of strings made
  /// the runtime scan the binary's protocol conformances (half a million instructions).
  public init(
    step: Int = 0, passedCheckpoints: Set<String> = Set(minimumCapacity: 16), isComplete: Bool = false,
    predictions: [String: Bool] = [:]
  ) {
    self.step = step
    self.predictions = predictions
    self.passedCheckpoints = passedCheckpoints
    self.isComplete = isComplete
  }
}

/// A learner's results on a quiz, and the attempt left open, if any.
public struct QuizProgress: Equatable, Sendable {
  public var bestScore: Score?
  public var lastScore: Score?
  public var openAttempt: OpenAttempt?
  public init(bestScore: Score? = nil, lastScore: Score? = nil, openAttempt: OpenAttempt? = nil) {
    self.bestScore = bestScore
    self.lastScore = lastScore
    self.openAttempt = openAttempt
  }
}

/// An unfinished quiz attempt, enough to resume it exactly.
public struct OpenAttempt: Equatable, Sendable {
  public var id: Int64
  public var seed: UInt64
  public var order: [String]
  public var grades: [String: Grade]
  /// The answers as given, where the store kept them (to show them again when going back).
  public var responses: [String: Response] = [:]
  public var mode: QuizMode
  public var startedAt: Date
  /// Started with confidence ratings (`--confidence`): a resumed attempt keeps asking.
  public var asksConfidence: Bool
  public init(
    id: Int64, seed: UInt64, order: [String], grades: [String: Grade], mode: QuizMode = .practice,
    startedAt: Date = Date(timeIntervalSince1970: 0), asksConfidence: Bool = false
  ) {
    self.asksConfidence = asksConfidence
    self.id = id
    self.seed = seed
    self.order = order
    self.grades = grades
    self.mode = mode
    self.startedAt = startedAt
  }
}

/// Where Continue takes the learner.
public enum ResumePoint: Equatable, Sendable {
  case lesson(id: String, step: Int)
  case quiz(id: String)
}

/// The learner's spaced-review queue: what is due now and what falls due soon.
public struct ReviewQueue: Equatable, Sendable {
  /// Question ids due now, soonest first.
  public var due: [String]
  /// Items due on each of the next days (index 0: the rest of today).
  public var forecast: [Int]
  /// Questions flagged as leeches (failed again and again).
  public var leeches: [String]
  /// Every question with a schedule.
  public var scheduled: Int
  /// When the next item falls due, if none is due now.
  public var nextDue: Date?

  public init(
    due: [String] = [], forecast: [Int] = [], leeches: [String] = [], scheduled: Int = 0, nextDue: Date? = nil
  ) {
    self.due = due
    self.forecast = forecast
    self.leeches = leeches
    self.scheduled = scheduled
    self.nextDue = nextDue
  }
}
