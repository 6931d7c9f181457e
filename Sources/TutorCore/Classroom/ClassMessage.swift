import Foundation

/// The classroom protocol: newline-delimited JSON, one message per line, versioned. See
/// `Sources/TutorCore/Classroom/PROTOCOL.md`.
public enum ClassProtocol {
  public static let version = 1
  /// A line longer than this is refused (and its sender disconnected).
  public static let maximumLineBytes = 64 * 1024

  /// One encoder and one decoder, made once rather than per message; their settings never change.
  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()
  private static let decoder = JSONDecoder()

  /// One message as the line that carries it (without the newline).
  public static func line<M: Encodable>(_ message: M) throws -> String {
    String(decoding: try encoder.encode(message), as: UTF8.self)
  }

  /// Reads one line; nil when it is not a message of this protocol.
  public static func message<M: Decodable>(_ type: M.Type, from line: Substring) -> M? {
    guard line.utf8.count <= maximumLineBytes else { return nil }
    return try? decoder.decode(type, from: Data(line.utf8))
  }
}

/// What a student's client sends.
public enum ClientMessage: Codable, Equatable, Sendable {
  /// The first message: the protocol version, the join code, a display name, and the resume
  /// token of an earlier connection (to take it over).
  case hello(version: Int, code: String, name: String?, token: String?)
  /// An answer; `key` makes it idempotent (the same key sent twice counts once).
  case answer(questionID: String, key: String, response: Response)
  case heartbeat
  case bye
}

/// What the host sends.
public enum HostMessage: Codable, Equatable, Sendable {
  case welcome(student: String, name: String, token: String, quizTitle: String, questionCount: Int)
  case question(ClassQuestion)
  /// The answer with this key is counted (or was counted before).
  case ack(key: String, questionID: String)
  /// No more answers to this question.
  case lock(questionID: String)
  case reveal(ClassReveal)
  /// The final scores, at the end.
  case scores([ClassScore])
  /// The top of the class after a reveal (unless the host turned the leaderboard off).
  case leaderboard([ClassScore])
  /// Between questions, or before the start: what the student waits for.
  case waiting(String)
  case heartbeat
  case error(code: String, message: String)
  case bye(reason: String)
}

/// A question as a student receives it: the options in that student's order, never the answer.
public struct ClassQuestion: Codable, Equatable, Sendable {
  public struct Option: Codable, Equatable, Sendable {
    public var id: String
    public var text: String
    public init(id: String, text: String) {
      self.id = id
      self.text = text
    }
  }
  public var id: String
  public var number: Int
  public var of: Int
  /// The question type, as course files name it ("single", "order", ...).
  public var type: String
  public var prompt: String
  /// Choices in the order shown to this student.
  public var options: [Option]
  /// Order items, or a match's right-hand items, by their index in the key, in the order shown.
  public var items: [Option]
  /// A match's left-hand items, in the key's order.
  public var left: [String]
  public var blanks: Int
  public var unit: String?
  /// Seconds left to answer (nil: no limit).
  public var secondsLeft: Int?

  public init(
    id: String, number: Int, of: Int, type: String, prompt: String, options: [Option], items: [Option], left: [String],
    blanks: Int, unit: String?, secondsLeft: Int?
  ) {
    self.id = id
    self.number = number
    self.of = of
    self.type = type
    self.prompt = prompt
    self.options = options
    self.items = items
    self.left = left
    self.blanks = blanks
    self.unit = unit
    self.secondsLeft = secondsLeft
  }
}

/// The right answer, after the host reveals it, with how the class answered.
public struct ClassReveal: Codable, Equatable, Sendable {
  public var questionID: String
  public var rightAnswer: String
  public var explanation: String
  /// How many chose each option (by choice id), for choice questions.
  public var distribution: [String: Int]
  public var answered: Int
  public var correct: Int
  /// This student's score on the question (nil: no answer).
  public var yourScore: Double?

  public init(
    questionID: String, rightAnswer: String, explanation: String, distribution: [String: Int], answered: Int,
    correct: Int,
    yourScore: Double?
  ) {
    self.questionID = questionID
    self.rightAnswer = rightAnswer
    self.explanation = explanation
    self.distribution = distribution
    self.answered = answered
    self.correct = correct
    self.yourScore = yourScore
  }
}

/// A line of the scores.
public struct ClassScore: Codable, Equatable, Sendable {
  public var name: String
  public var points: Double
  public var rank: Int
  /// The questions asked so far: a class the teacher ends early is scored on those.
  public var outOf: Int
  public init(name: String, points: Double, rank: Int, outOf: Int) {
    self.name = name
    self.points = points
    self.rank = rank
    self.outOf = outOf
  }

  /// The scores, best first (by name among equals); equal points share a rank.
  public static func ranked(_ points: [(name: String, points: Double)], outOf: Int) -> [ClassScore] {
    var lines: [ClassScore] = []
    for (name, score) in points.sorted(by: { ($1.points, $0.name) < ($0.points, $1.name) }) {
      let rank = lines.last.map { $0.points == score ? $0.rank : lines.count + 1 } ?? 1
      lines.append(ClassScore(name: name, points: score, rank: rank, outOf: outOf))
    }
    return lines
  }
}
