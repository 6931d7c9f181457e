import Foundation

/// What the store keeps of a learner's study beside the progress fold, for the progress review:
/// each scheduled question's memory, the days studied, and every scored attempt.
public struct StudyHistory: Equatable, Sendable {
  /// A question's memory as FSRS models it: how stable, and since when.
  public struct Memory: Equatable, Sendable {
    public var stability: Double
    public var lastReview: Date
    public init(stability: Double, lastReview: Date) {
      self.stability = stability
      self.lastReview = lastReview
    }
  }

  /// One local calendar day with answers.
  public struct Day: Equatable, Sendable {
    public var day: CalendarDay
    public var answers: Int
    /// Time spent answering (each answer counts up to ten minutes).
    public var milliseconds: Int
    public init(day: CalendarDay, answers: Int, milliseconds: Int) {
      self.day = day
      self.answers = answers
      self.milliseconds = milliseconds
    }
  }

  /// A finished attempt that counts as a score (not a retry, not an abandoned exam).
  public struct ScoredAttempt: Equatable, Sendable {
    public var quizID: String
    public var finishedAt: Date
    public var score: Score
    public init(quizID: String, finishedAt: Date, score: Score) {
      self.quizID = quizID
      self.finishedAt = finishedAt
      self.score = score
    }
  }

  public var memory: [String: Memory]
  /// Days with answers, oldest first.
  public var days: [Day]
  /// The learner's local day at the time of the review.
  public var today: CalendarDay
  /// Oldest first.
  public var attempts: [ScoredAttempt]

  public init(memory: [String: Memory] = [:], days: [Day] = [], today: CalendarDay, attempts: [ScoredAttempt] = []) {
    self.memory = memory
    self.days = days
    self.today = today
    self.attempts = attempts
  }
}

/// Everything a progress review reads from the store, as of one moment.
public struct ProgressReview: Equatable, Sendable {
  public var progress: LearnerProgress
  public var stats: [String: AnswerStats]
  public var history: StudyHistory
  public var now: Date

  public init(progress: LearnerProgress, stats: [String: AnswerStats], history: StudyHistory, now: Date) {
    self.progress = progress
    self.stats = stats
    self.history = history
    self.now = now
  }
}

/// A calendar day (proleptic Gregorian), with day arithmetic in integers: no Calendar, no ICU.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public var number: Int

  public init(number: Int) { self.number = number }

  public init(year: Int, month: Int, day: Int) {
    // Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    number = era * 146_097 + dayOfEra - 719_468
  }

  /// "yyyy-MM-dd", as SQLite's date() writes it.
  public init?(_ text: String) {
    // On the bytes in place: splitting and reading the parts as numbers cost 7,000 instructions
    // a day, copying the bytes into an array 500.
    var text = text
    guard let day = text.withUTF8({ $0.count == 10 ? CalendarDay(dateAtStartOf: $0) : nil }) else { return nil }
    self = day
  }

  /// The "yyyy-MM-dd" that `bytes` begin with (a stored date goes on with its time).
  public init?(dateAtStartOf bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value * 10 + Int(digit)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), (1...12).contains(month), let day = number(8..<10),
      (1...31).contains(day)
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// The local day (the TZ environment variable, as SQLite's 'localtime') of a moment.
  public static func local(_ date: Date) -> CalendarDay {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    localtime_r(&seconds, &parts)
    return CalendarDay(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
  }

  public var components: (year: Int, month: Int, day: Int) {
    // civil_from_days.
    let z = number + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shifted = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shifted + 2) / 5 + 1
    let month = shifted < 10 ? shifted + 3 : shifted - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// Monday 0 to Sunday 6 (1970-01-01 was a Thursday).
  public var weekday: Int { ((number + 3) % 7 + 7) % 7 }

  public func adding(days: Int) -> CalendarDay { CalendarDay(number: number + days) }

  public var description: String {
    let (year, month, day) = components
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))"
  }

  public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.number < b.number }
}
