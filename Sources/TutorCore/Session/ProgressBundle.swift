import Foundation

/// One learner's progress as a portable file (`tutor progress export`, `import`, `tutor report`):
/// every answer, attempt, lesson state, review card, flag and setting, with the course's id and
/// its question versions. Versioned JSON, documented in the README ("Progress that travels").
/// Dates are the store's own text: UTC, "yyyy-MM-dd HH:mm:ss.SSS".
public struct ProgressBundle: Codable, Equatable, Sendable {
  public static let format = "tutor-progress-bundle"
  /// The newest bundle version this tutor reads and the one it writes.
  public static let currentVersion = 1

  public struct CourseStamp: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    /// Each question's version when the bundle was made.
    public var questions: [String: Int]
    public init(id: String, title: String, questions: [String: Int]) {
      self.id = id
      self.title = title
      self.questions = questions
    }
  }

  public struct LessonState: Codable, Equatable, Sendable {
    public var lesson: String
    public var step: Int
    public var completedAt: String?
    public var updatedAt: String
    public init(lesson: String, step: Int, completedAt: String?, updatedAt: String) {
      self.lesson = lesson
      self.step = step
      self.completedAt = completedAt
      self.updatedAt = updatedAt
    }
  }

  public struct Attempt: Codable, Equatable, Sendable {
    public var uid: String
    public var quiz: String
    public var seed: Int64
    public var order: [String]
    public var mode: String
    public var asksConfidence: Bool
    public var startedAt: String
    public var finishedAt: String?
    public var points: Double?
    public var total: Int?
    public init(
      uid: String, quiz: String, seed: Int64, order: [String], mode: String, asksConfidence: Bool, startedAt: String,
      finishedAt: String?, points: Double?, total: Int?
    ) {
      self.uid = uid
      self.quiz = quiz
      self.seed = seed
      self.order = order
      self.mode = mode
      self.asksConfidence = asksConfidence
      self.startedAt = startedAt
      self.finishedAt = finishedAt
      self.points = points
      self.total = total
    }
  }

  public struct Answer: Codable, Equatable, Sendable {
    public var uid: String
    public var question: String
    public var questionVersion: Int
    public var lesson: String?
    public var quiz: String?
    /// The uid of the attempt it belongs to.
    public var attempt: String?
    public var response: String
    public var score: Double
    public var chosen: [String]
    public var hintsUsed: Int
    public var confidence: String?
    public var durationMs: Int?
    public var mode: String
    public var answeredAt: String
    /// The schedule's state when it was given (daily limits count by it).
    public var stateBefore: Int?
    public var shownOrder: [String]?
    public var deferredRating: Int?
    /// The answer as given (the core's Response as JSON), to show it again.
    public var given: String?
    public init(
      uid: String, question: String, questionVersion: Int, lesson: String?, quiz: String?, attempt: String?,
      response: String, score: Double, chosen: [String], hintsUsed: Int, confidence: String?, durationMs: Int?,
      mode: String, answeredAt: String, stateBefore: Int?, shownOrder: [String]?, deferredRating: Int?, given: String?
    ) {
      self.uid = uid
      self.question = question
      self.questionVersion = questionVersion
      self.lesson = lesson
      self.quiz = quiz
      self.attempt = attempt
      self.response = response
      self.score = score
      self.chosen = chosen
      self.hintsUsed = hintsUsed
      self.confidence = confidence
      self.durationMs = durationMs
      self.mode = mode
      self.answeredAt = answeredAt
      self.stateBefore = stateBefore
      self.shownOrder = shownOrder
      self.deferredRating = deferredRating
      self.given = given
    }
  }

  public struct Card: Codable, Equatable, Sendable {
    public var question: String
    public var questionVersion: Int
    public var state: Int
    public var step: Int?
    public var stability: Double?
    public var difficulty: Double?
    public var lastReview: String?
    public var due: String
    public var reps: Int
    public var failures: Int
    public var isLeech: Bool
    public init(
      question: String, questionVersion: Int, state: Int, step: Int?, stability: Double?, difficulty: Double?,
      lastReview: String?, due: String, reps: Int, failures: Int, isLeech: Bool
    ) {
      self.question = question
      self.questionVersion = questionVersion
      self.state = state
      self.step = step
      self.stability = stability
      self.difficulty = difficulty
      self.lastReview = lastReview
      self.due = due
      self.reps = reps
      self.failures = failures
      self.isLeech = isLeech
    }
  }

  public struct Flag: Codable, Equatable, Sendable {
    public var question: String
    public var flaggedAt: String
    public init(question: String, flaggedAt: String) {
      self.question = question
      self.flaggedAt = flaggedAt
    }
  }

  public struct Resume: Codable, Equatable, Sendable {
    public var kind: String
    public var item: String
    public var step: Int
    public var updatedAt: String
    public init(kind: String, item: String, step: Int, updatedAt: String) {
      self.kind = kind
      self.item = item
      self.step = step
      self.updatedAt = updatedAt
    }
  }

  public var format = ProgressBundle.format
  public var version = ProgressBundle.currentVersion
  /// The tutor that wrote it.
  public var tutor: String
  public var exportedAt: String
  public var learner: String
  public var course: CourseStamp
  public var lessons: [LessonState] = []
  public var attempts: [Attempt] = []
  public var answers: [Answer] = []
  public var cards: [Card] = []
  public var flags: [Flag] = []
  public var settings: [String: String] = [:]
  public var resume: Resume?

  public init(tutor: String, exportedAt: String, learner: String, course: CourseStamp) {
    self.tutor = tutor
    self.exportedAt = exportedAt
    self.learner = learner
    self.course = course
  }

  /// Why a file is not a bundle this tutor can take.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    case notJSON(detail: String)
    case notABundle
    case newer(version: Int, tutor: String?)
    case damaged(detail: String)
    case otherCourse(bundle: String, course: String)

    public var description: String {
      switch self {
      case .notJSON(let detail): "it is not a progress bundle (not JSON: \(detail))"
      case .notABundle: "it is not a progress bundle (it has no \"format\": \"\(ProgressBundle.format)\")"
      case .newer(let version, let tutor):
        "it was made by a newer tutor\(tutor.map { " (\($0))" } ?? "") as bundle version \(version); this tutor reads "
          + "up to version \(ProgressBundle.currentVersion). Update the tutor to import it"
      case .damaged(let detail): "it is damaged: \(detail)"
      case .otherCourse(let bundle, let course): "it holds progress in the course '\(bundle)', not in '\(course)'"
      }
    }
  }

  /// Reads a bundle, refusing anything that is not one this tutor can take, for any course.
  public static func read(_ data: Data) -> Result<ProgressBundle, Problem> {
    struct Header: Decodable {
      var format: String?
      var version: Int?
      var tutor: String?
    }
    // The whole bundle first (a large one is parsed once); a failure is then explained from
    // its header: not JSON, not a bundle, a newer version, or damaged.
    let decoded: ProgressBundle
    do {
      decoded = try JSONDecoder().decode(ProgressBundle.self, from: data)
    } catch {
      let header: Header
      do {
        header = try JSONDecoder().decode(Header.self, from: data)
      } catch DecodingError.dataCorrupted(let context) {
        return .failure(
          .notJSON(detail: (context.underlyingError as? NSError)?.localizedDescription ?? context.debugDescription))
      } catch {
        return .failure(.notABundle)
      }
      guard header.format == format, let version = header.version else { return .failure(.notABundle) }
      guard version <= currentVersion else { return .failure(.newer(version: version, tutor: header.tutor)) }
      return .failure(.damaged(detail: (error as? DecodingError).map(describe) ?? "\(error)"))
    }
    guard decoded.format == format else { return .failure(.notABundle) }
    guard decoded.version <= currentVersion else {
      return .failure(.newer(version: decoded.version, tutor: decoded.tutor))
    }
    if let problem = decoded.inconsistency { return .failure(.damaged(detail: problem)) }
    return .success(decoded)
  }

  /// What in a well-formed bundle cannot be right: a repeated id, an answer in an attempt it does not hold.
  var inconsistency: String? {
    let attemptIDs = Set(attempts.map(\.uid))
    if attemptIDs.count != attempts.count { return "two attempts have the same uid" }
    var answerIDs = Set<String>()
    for answer in answers {
      if !answerIDs.insert(answer.uid).inserted { return "two answers have the uid \(answer.uid)" }
      if let attempt = answer.attempt, !attemptIDs.contains(attempt) {
        return "answer \(answer.uid) belongs to an attempt the bundle does not hold (\(attempt))"
      }
      if answer.uid.isEmpty { return "an answer has an empty uid" }
    }
    return nil
  }

  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return path.isEmpty ? "" : " at \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
    }
    switch error {
    case .keyNotFound(let key, let context): return "\"\(key.stringValue)\" is missing\(path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return context.debugDescription + path(context)
    @unknown default: return "\(error)"
    }
  }

  /// Writes the bundle as compact JSON, keys sorted: the same progress makes the same file.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}
