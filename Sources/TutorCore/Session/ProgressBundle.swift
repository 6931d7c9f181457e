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
    // The whole bundle first, by the fast reader, else by Foundation's decoder; a failure is
    // then explained from its header: not JSON, not a bundle, a newer version, or damaged.
    let decoded: ProgressBundle
    do {
      decoded = try BundleReader.read(data) ?? JSONDecoder().decode(ProgressBundle.self, from: data)
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

  /// What in a well-formed bundle cannot be right: a repeated id, an answer in an attempt it
  /// does not hold, a date not written as the store writes it.
  var inconsistency: String? {
    var dates: [(String, String?)] = [("exportedAt", exportedAt), ("the resume point's updatedAt", resume?.updatedAt)]
    for lesson in lessons {
      dates += [("a lesson's updatedAt", lesson.updatedAt), ("a lesson's completedAt", lesson.completedAt)]
    }
    for attempt in attempts {
      dates += [("an attempt's startedAt", attempt.startedAt), ("an attempt's finishedAt", attempt.finishedAt)]
    }
    for card in cards { dates += [("a card's due", card.due), ("a card's lastReview", card.lastReview)] }
    for flag in flags { dates.append(("a flag's flaggedAt", flag.flaggedAt)) }
    for case (let name, let date?) in dates where !Self.isStoredDate(date) {
      return "\(name) '\(date)' is not a date written yyyy-MM-dd HH:mm:ss.SSS"
    }
    let attemptIDs = Set(attempts.map(\.uid))
    if attemptIDs.count != attempts.count { return "two attempts have the same uid" }
    for attempt in attempts where attempt.uid.isEmpty || attempt.uid.unicodeScalars.contains(where: { $0.value < 0x20 })
    {
      return "attempt uid \(attempt.uid.debugDescription) is empty or holds a control character"
    }
    var answerIDs = Set<String>(minimumCapacity: answers.count)
    for answer in answers {
      if !Self.isStoredDate(answer.answeredAt) {
        return "an answer's answeredAt '\(answer.answeredAt)' is not a date written yyyy-MM-dd HH:mm:ss.SSS"
      }
      if !answerIDs.insert(answer.uid).inserted { return "two answers have the uid \(answer.uid)" }
      if let attempt = answer.attempt, !attemptIDs.contains(attempt) {
        return "answer \(answer.uid) belongs to an attempt the bundle does not hold (\(attempt))"
      }
      if answer.uid.isEmpty { return "an answer has an empty uid" }
      if answer.uid.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        return "answer uid \(answer.uid.debugDescription) holds a control character"
      }
    }
    return nil
  }

  /// "yyyy-MM-dd HH:mm:ss.SSS", as the store writes its dates.
  static func isStoredDate(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      guard bytes.count == 23 else { return false }
      for (index, separator) in [(4, "-"), (7, "-"), (10, " "), (13, ":"), (16, ":"), (19, ".")]
        as [(Int, Unicode.Scalar)]
      where bytes[index] != UInt8(ascii: separator) {
        return false
      }
      func number(_ from: Int, _ count: Int) -> Int? {
        var value = 0
        for byte in bytes[from..<from + count] {
          guard (48...57).contains(byte) else { return nil }
          value = value * 10 + Int(byte - 48)
        }
        return value
      }
      guard number(0, 4) != nil, let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
        let minute = number(14, 2), let second = number(17, 2), number(20, 3) != nil
      else { return false }
      return (1...12).contains(month) && (1...31).contains(day) && hour < 24 && minute < 60 && second < 60
    }
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
  /// Written by hand (the same text Foundation's encoder writes, in a fifth of the time: a
  /// heavy learner's bundle holds a million answers).
  public func json() throws -> Data {
    var out = JSONWriter()
    out.bytes.reserveCapacity(4_096 + answers.count * 300)
    out.object { out in
      out.key("answers")
      out.array(answers) { out, answer in
        out.object { out in
          out.field("answeredAt", answer.answeredAt)
          out.field("attempt", answer.attempt)
          out.key("chosen")
          out.strings(answer.chosen)
          out.field("confidence", answer.confidence)
          out.field("deferredRating", answer.deferredRating)
          out.field("durationMs", answer.durationMs)
          out.field("given", answer.given)
          out.field("hintsUsed", answer.hintsUsed)
          out.field("lesson", answer.lesson)
          out.field("mode", answer.mode)
          out.field("question", answer.question)
          out.field("questionVersion", answer.questionVersion)
          out.field("quiz", answer.quiz)
          out.field("response", answer.response)
          out.field("score", answer.score)
          if let shown = answer.shownOrder {
            out.key("shownOrder")
            out.strings(shown)
          }
          out.field("stateBefore", answer.stateBefore)
          out.field("uid", answer.uid)
        }
      }
      out.key("attempts")
      out.array(attempts) { out, attempt in
        out.object { out in
          out.field("asksConfidence", attempt.asksConfidence)
          out.field("finishedAt", attempt.finishedAt)
          out.field("mode", attempt.mode)
          out.key("order")
          out.strings(attempt.order)
          out.field("points", attempt.points)
          out.field("quiz", attempt.quiz)
          out.field("seed", Int(attempt.seed))
          out.field("startedAt", attempt.startedAt)
          out.field("total", attempt.total)
          out.field("uid", attempt.uid)
        }
      }
      out.key("cards")
      out.array(cards) { out, card in
        out.object { out in
          out.field("difficulty", card.difficulty)
          out.field("due", card.due)
          out.field("failures", card.failures)
          out.field("isLeech", card.isLeech)
          out.field("lastReview", card.lastReview)
          out.field("question", card.question)
          out.field("questionVersion", card.questionVersion)
          out.field("reps", card.reps)
          out.field("stability", card.stability)
          out.field("state", card.state)
          out.field("step", card.step)
        }
      }
      out.key("course")
      out.object { out in
        out.field("id", course.id)
        out.key("questions")
        out.object { out in
          for (id, version) in course.questions.sorted(by: { $0.key < $1.key }) { out.field(id, version) }
        }
        out.field("title", course.title)
      }
      out.field("exportedAt", exportedAt)
      out.key("flags")
      out.array(flags) { out, flag in
        out.object { out in
          out.field("flaggedAt", flag.flaggedAt)
          out.field("question", flag.question)
        }
      }
      out.field("format", format)
      out.field("learner", learner)
      out.key("lessons")
      out.array(lessons) { out, lesson in
        out.object { out in
          out.field("completedAt", lesson.completedAt)
          out.field("lesson", lesson.lesson)
          out.field("step", lesson.step)
          out.field("updatedAt", lesson.updatedAt)
        }
      }
      if let resume {
        out.key("resume")
        out.object { out in
          out.field("item", resume.item)
          out.field("kind", resume.kind)
          out.field("step", resume.step)
          out.field("updatedAt", resume.updatedAt)
        }
      }
      out.key("settings")
      out.object { out in for (key, value) in settings.sorted(by: { $0.key < $1.key }) { out.field(key, value) } }
      out.field("tutor", tutor)
      out.field("version", version)
    }
    return Data(out.bytes)
  }
}

/// Compact JSON into bytes, as Foundation's encoder writes it (strings escaped the same way,
/// whole numbers without a fraction, nil fields left out).
public struct JSONWriter {
  var bytes: [UInt8] = []

  /// A JSON string literal, escaped as Foundation's encoder escapes it.
  public static func quoted(_ text: String) -> String {
    var writer = JSONWriter()
    writer.string(text)
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// A JSON list of strings, written as Foundation's encoder writes it.
  public static func list(_ items: [String]) -> String {
    var writer = JSONWriter()
    writer.strings(items)
    return String(decoding: writer.bytes, as: UTF8.self)
  }
  private var first = true

  mutating func object(_ body: (inout JSONWriter) -> Void) {
    bytes.append(UInt8(ascii: "{"))
    first = true
    body(&self)
    bytes.append(UInt8(ascii: "}"))
    first = false
  }

  mutating func array<T>(_ items: [T], _ body: (inout JSONWriter, T) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (index, item) in items.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      body(&self, item)
    }
    bytes.append(UInt8(ascii: "]"))
    first = false
  }

  mutating func strings(_ items: [String]) { array(items) { $0.string($1) } }

  mutating func key(_ name: String) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    first = false
    string(name)
    bytes.append(UInt8(ascii: ":"))
  }

  mutating func field(_ name: String, _ value: String?) {
    guard let value else { return }
    key(name)
    string(value)
  }

  mutating func field(_ name: String, _ value: Int?) {
    guard let value else { return }
    key(name)
    integer(value)
  }

  /// Decimal digits, without a String on the way.
  mutating func integer(_ value: Int) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      )
    var count = 0
    var rest = value.magnitude
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[19 - count] = UInt8(rest % 10) + 48
        rest /= 10
        count += 1
      } while rest > 0
      bytes.append(contentsOf: buffer[(20 - count)...])
    }
  }

  mutating func field(_ name: String, _ value: Bool?) {
    guard let value else { return }
    key(name)
    bytes += Array((value ? "true" : "false").utf8)
  }

  mutating func field(_ name: String, _ value: Double?) {
    guard let value else { return }
    key(name)
    if value == value.rounded(), abs(value) < 1e15 {
      integer(Int(value))
    } else {
      bytes += Array("\(value)".utf8)
    }
  }

  mutating func string(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    // Most text has nothing to escape: copied whole.
    var text = text
    let plain = text.withUTF8 { utf8 in
      guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
        return false
      }
      bytes.append(contentsOf: utf8)
      return true
    }
    if plain {
      bytes.append(UInt8(ascii: "\""))
      return
    }
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
      case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        bytes += [
          UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
          hex[Int(byte & 15)],
        ]
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
