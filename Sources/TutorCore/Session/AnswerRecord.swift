import Foundation

/// One answer as the store records it.
public struct AnswerRecord: Equatable, Sendable {
  public enum Context: Equatable, Sendable {
    case quiz(id: String, attempt: Int64)
    case checkpoint(lesson: String)
    /// A link predicted in a lesson's mechanism chain; the question id names the link.
    case prediction(lesson: String)
    /// A spaced-review session (or cram), outside any quiz attempt.
    case review
  }

  /// What the answer does to its question's review schedule.
  public enum Scheduling: Equatable, Sendable {
    /// Leaves it alone (cram, predictions).
    case none
    case now(FSRS.Rating)
    /// An exam answer: it moves the schedule only when the exam is submitted, so nothing of
    /// the exam shows in review before then.
    case atSubmission(FSRS.Rating)
  }

  public var questionID: String
  public var questionVersion: Int
  public var context: Context
  public var response: String
  public var grade: Grade
  public var hintsUsed: Int
  public var confidence: Confidence?
  public var mode: StudyMode
  public var durationMilliseconds: Int?
  public var scheduling: Scheduling
  /// The order the options (choice ids) or items (indices) were shown in, so a resumed or
  /// reviewed answer can be shown as the learner saw it.
  public var shownOrder: [String]
  /// The answer as given, so that going back to the question shows it exactly.
  public var given: Response?

  public init(
    questionID: String, questionVersion: Int, context: Context, response: String, grade: Grade,
    hintsUsed: Int = 0, confidence: Confidence? = nil, mode: StudyMode = .practice, durationMilliseconds: Int? = nil,
    scheduling: Scheduling = .none, shownOrder: [String] = [], given: Response? = nil
  ) {
    self.given = given
    self.questionID = questionID
    self.questionVersion = questionVersion
    self.context = context
    self.response = response
    self.grade = grade
    self.hintsUsed = hintsUsed
    self.confidence = confidence
    self.mode = mode
    self.durationMilliseconds = durationMilliseconds
    self.scheduling = scheduling
    self.shownOrder = shownOrder
  }

  /// The rating that moves the schedule as the answer is saved, if any.
  public var rating: FSRS.Rating? {
    if case .now(let rating) = scheduling { rating } else { nil }
  }

  /// The one place an answer becomes a record: described, timed and rated for its schedule by
  /// the rules of the activity it was given in.
  public static func make(
    question: Question, response: Response, grade: Grade, context: Context, mode: StudyMode, hintsUsed: Int = 0,
    confidence: Confidence? = nil, presentation: Presentation? = nil, seconds: Double? = nil
  ) -> AnswerRecord {
    let scheduling: Scheduling
    switch mode {
    case .cram, .prediction:
      scheduling = .none
    case .checkpoint:
      // A checkpoint is answered with its teaching in view: never Easy.
      scheduling = .now(
        ReviewGrading.rating(for: grade, hintsUsed: hintsUsed, confidence: nil, seconds: nil, quickSeconds: 0))
    case .exam:
      scheduling = .atSubmission(
        ReviewGrading.rating(for: grade, of: question, hintsUsed: hintsUsed, confidence: confidence, seconds: seconds))
    case .practice, .retry, .review:
      scheduling = .now(
        ReviewGrading.rating(for: grade, of: question, hintsUsed: hintsUsed, confidence: confidence, seconds: seconds))
    }
    var shown: [String] = []
    if let presentation {
      shown = presentation.itemOrder.isEmpty ? presentation.choiceOrder : presentation.itemOrder.map(String.init)
    }
    return AnswerRecord(
      questionID: question.id, questionVersion: question.version, context: context,
      response: PlainText.describe(response, for: question), grade: grade, hintsUsed: hintsUsed, confidence: confidence,
      mode: mode, durationMilliseconds: seconds.map { max(0, Int(($0 * 1000).rounded())) }, scheduling: scheduling,
      shownOrder: shown, given: response)
  }

  /// An answer as a store reads it back from the columns it keeps (quiz attempt, lesson, mode);
  /// its schedule was applied when it was saved, so it carries none.
  public static func saved(
    questionID: String, questionVersion: Int, quizID: String?, attempt: Int64?, lessonID: String?, mode: StudyMode,
    response: String, grade: Grade, hintsUsed: Int, confidence: Confidence?, durationMilliseconds: Int?,
    shownOrder: [String], given: Response?
  ) -> AnswerRecord {
    let context: Context
    if let quizID, let attempt {
      context = .quiz(id: quizID, attempt: attempt)
    } else if let lessonID {
      context = mode == .prediction ? .prediction(lesson: lessonID) : .checkpoint(lesson: lessonID)
    } else {
      context = .review
    }
    return AnswerRecord(
      questionID: questionID, questionVersion: questionVersion, context: context, response: response, grade: grade,
      hintsUsed: hintsUsed, confidence: confidence, mode: mode, durationMilliseconds: durationMilliseconds,
      shownOrder: shownOrder, given: given)
  }
}
