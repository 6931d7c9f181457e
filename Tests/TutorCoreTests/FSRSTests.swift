import Foundation
import Testing

@testable import TutorCore

@Suite struct FSRSTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures/fsrs")

  static func date(_ text: String) -> Date { try! Timestamp.parse(text).get() }

  /// Our output agrees with py-fsrs 6.3.2's on generated histories: same state, step, instants,
  /// and stability and difficulty within 1e-9.
  @Test(arguments: [1, 2, 3])
  func agreesWithTheReferenceImplementation(seed: Int) throws {
    let input = try String(contentsOf: Self.fixtures.appendingPathComponent("seed\(seed).in.jsonl"), encoding: .utf8)
    let expected = try String(
      contentsOf: Self.fixtures.appendingPathComponent("seed\(seed).expected.jsonl"), encoding: .utf8
    )
    .split(separator: "\n")
    let output = try ReviewLog.simulate(input).get()
    #expect(output.count == expected.count)
    var mismatches = 0
    for (ours, theirs) in zip(output, expected) {
      let a = try #require(FlatJSON.parse(Substring(ours)))
      let b = try #require(FlatJSON.parse(theirs))
      for key in ["card", "at", "rating", "state", "step", "due"] where a[key] != b[key] {
        mismatches += 1
        Issue.record("\(key) differs: ours \(ours) reference \(theirs)")
      }
      for key in ["stability", "difficulty"] {
        guard let x = a[key]?.double, let y = b[key]?.double else {
          Issue.record("\(key) missing in \(ours)")
          continue
        }
        if abs(x - y) > 1e-9 + 1e-9 * abs(y) {
          mismatches += 1
          Issue.record("\(key) \(x) vs \(y) in \(theirs)")
        }
      }
      if mismatches > 5 { break }
    }
  }

  /// py-fsrs' upstream test 1: intervals 0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21 days.
  @Test func reproducesTheUpstreamGoldenTrace() {
    let scheduler = FSRS.Scheduler()
    var card = FSRS.Card(due: Self.date("2022-11-29T12:30:00Z"))
    var now = Self.date("2022-11-29T12:30:00Z")
    var intervals: [Int] = []
    let ratings: [FSRS.Rating] = [
      .good, .good, .good, .good, .good, .good, .again, .again, .good, .good, .good, .good, .good,
    ]
    for rating in ratings {
      card = scheduler.review(card, rating: rating, at: now)
      intervals.append(Int(card.due.timeIntervalSince(now) / 86400))
      now = card.due
    }
    #expect(intervals == [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21])
    #expect(abs(card.stability! - 20.77035728499242) < 1e-9)
    #expect(abs(card.difficulty! - 9.055759917231622) < 1e-9)
  }

  @Test func reproducesUpstreamTest2() {
    let scheduler = FSRS.Scheduler()
    var now = Self.date("2022-11-29T12:30:00Z")
    var card = FSRS.Card(due: now)
    for (rating, gap) in zip([FSRS.Rating.again, .good, .good, .good, .good, .good], [0.0, 0, 1, 3, 8, 21]) {
      now = now.addingTimeInterval(gap * 86400)
      card = scheduler.review(card, rating: rating, at: now)
    }
    #expect(abs(card.stability! - 53.626902917141365) < 1e-9)
    #expect(abs(card.difficulty! - 6.357487083997829) < 1e-9)
  }

  @Test func aFirstEasyGoesToReviewForEightDays() {
    let now = Self.date("2024-01-01T00:00:00Z")
    let card = FSRS.Scheduler().review(FSRS.Card(due: now), rating: .easy, at: now)
    #expect(card.state == .review)
    #expect(card.step == nil)
    #expect(card.due == now.addingTimeInterval(8 * 86400))
  }

  @Test func elapsedDaysAreWholeTwentyFourHourPeriods() {
    let scheduler = FSRS.Scheduler()
    let start = Self.date("2024-01-01T12:00:00Z")
    let graduated = scheduler.review(
      scheduler.review(FSRS.Card(due: start), rating: .good, at: start), rating: .good,
      at: start.addingTimeInterval(600))
    // 23:59:59 later is the same day (short-term update); 24:00:00 later is a day (long-term).
    let sameDay = scheduler.review(graduated, rating: .good, at: graduated.lastReview!.addingTimeInterval(86399))
    let nextDay = scheduler.review(graduated, rating: .good, at: graduated.lastReview!.addingTimeInterval(86400))
    #expect(sameDay.stability == graduated.stability, "a same-day Good leaves S = 2.3065 unchanged")
    #expect(nextDay.stability! > graduated.stability!)
  }

  @Test func fuzzStaysInsideItsBandAndIsReproducible() {
    let scheduler = FSRS.Scheduler()
    #expect(scheduler.fuzzed(2, u: 0.99) == 2)
    let tens = Set(stride(from: 0.0, to: 1.0, by: 0.01).map { scheduler.fuzzed(10, u: $0) })
    #expect(tens == Set(8...13))
    #expect(scheduler.fuzzed(100, u: 0.5) == scheduler.fuzzed(100, u: 0.5))
    #expect(scheduler.fuzzed(36500, u: 0.999) <= 36500)
  }

  @Test func desiredRetentionChangesTheInterval() {
    let strict = FSRS.Scheduler(parameters: FSRS.Parameters(desiredRetention: 0.97))
    let lax = FSRS.Scheduler(parameters: FSRS.Parameters(desiredRetention: 0.7))
    #expect(strict.interval(stability: 100) < FSRS.Scheduler().interval(stability: 100))
    #expect(lax.interval(stability: 100) > FSRS.Scheduler().interval(stability: 100))
  }

  @Test(arguments: [
    ("not json", 1, "not a JSON object"),
    ("{\"card\": \"a\", \"at\": \"2024-01-01T00:00:00\", \"rating\": 3}", 1, "has no time zone"),
    ("{\"card\": \"a\", \"at\": \"2024-02-30T00:00:00Z\", \"rating\": 3}", 1, "is not a valid date and time"),
    ("{\"card\": \"a\", \"at\": \"2024-01-01T00:00:00Z\", \"rating\": 0}", 1, "\"rating\" must be 1, 2, 3 or 4"),
    ("{\"card\": \"a\", \"at\": \"2024-01-01T00:00:00Z\", \"rating\": 2.5}", 1, "\"rating\" must be 1, 2, 3 or 4"),
    ("{\"card\": \"a\", \"at\": \"2024-01-01T00:00:00Z\", \"rating\": true}", 1, "\"rating\" must be 1, 2, 3 or 4"),
    ("{\"card\": \"\", \"at\": \"2024-01-01T00:00:00Z\", \"rating\": 3}", 1, "\"card\" must be a non-empty string"),
    (
      "{\"card\": \"a\", \"at\": \"2024-01-02T00:00:00Z\", \"rating\": 3}\n{\"card\": \"a\", \"at\": \"2024-01-01T23:00:00Z\", \"rating\": 3}",
      2, "goes back in time"
    ),
  ])
  func reportsBadLinesWithTheirNumber(input: String, line: Int, message: String) {
    guard case .failure(let problem) = ReviewLog.simulate(input) else {
      Issue.record("should fail: \(input)")
      return
    }
    #expect(problem.line == line)
    #expect(problem.message.contains(message), "\(problem.message)")
  }

  @Test func otherCardsMayGoBackInTimeAndOffsetsAreNormalised() throws {
    let input = """
      {"card": "a", "at": "2024-01-02T00:00:00Z", "rating": 3}
      {"card": "b", "at": "2024-01-01T02:00:00+02:00", "rating": 4}
      """
    let lines = try ReviewLog.simulate(input).get()
    #expect(
      lines[1].hasPrefix(
        "{\"card\": \"b\", \"at\": \"2024-01-01T00:00:00Z\", \"rating\": 4, \"state\": \"review\", \"step\": null"))
    #expect(lines[1].hasSuffix("\"due\": \"2024-01-09T00:00:00Z\"}"))
  }

  @Test(arguments: [
    "2024-01-03T21:18:43Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z", "2100-03-01T12:00:00.250000Z",
  ])
  func timestampsRoundTrip(text: String) throws {
    #expect(Timestamp.format(try Timestamp.parse(text).get()) == text)
  }
}

extension FlatJSON.Value {
  var double: Double? {
    switch self {
    case .integer(let i): Double(i)
    case .number(let d): d
    default: nil
    }
  }
}
