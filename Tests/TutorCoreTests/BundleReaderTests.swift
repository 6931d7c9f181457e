import Foundation
import Testing

@testable import TutorCore

/// The fast bundle reader reads what Foundation's decoder reads, and leaves to the decoder what
/// it does not take, so that `ProgressBundle.read` answers as the decoder alone would.
@Suite struct BundleReaderTests {
  static let bundle: ProgressBundle = {
    var bundle = ProgressBundle(
      tutor: "0.1", exportedAt: "2026-12-01 00:00:00.000", learner: "Zoë \"z\" / \\ \u{1}\u{8}\u{c}\t\n 🧠",
      course: .init(id: "c", title: "Épilepsie ✓", questions: ["b": 2, "a": 1]))
    bundle.answers = [
      .init(
        uid: "u1", question: "q", questionVersion: 1, lesson: nil, quiz: "z", attempt: "a1", response: "1, 2",
        score: 0.5, chosen: ["a", "b\""], hintsUsed: 2, confidence: "sure", durationMs: 1200, mode: "practice",
        answeredAt: "2026-12-01 00:00:01.000", stateBefore: 2, shownOrder: ["b", "a"], deferredRating: nil,
        given: "{\"single\":\"a\"}"),
      .init(
        uid: "u2", question: "q", questionVersion: 1, lesson: "l", quiz: nil, attempt: nil, response: "", score: 1,
        chosen: [], hintsUsed: 0, confidence: nil, durationMs: nil, mode: "checkpoint",
        answeredAt: "2026-12-01 00:00:02.000", stateBefore: nil, shownOrder: nil, deferredRating: 3, given: nil),
    ]
    bundle.attempts = [
      .init(
        uid: "a1", quiz: "z", seed: Int64.min, order: ["q"], mode: "exam", asksConfidence: true,
        startedAt: "2026-12-01 00:00:00.000", finishedAt: nil, points: 2.25, total: 3),
      .init(
        uid: "a2", quiz: "z", seed: Int64.max, order: [], mode: "practice", asksConfidence: false,
        startedAt: "2026-12-01 00:00:00.000", finishedAt: "2026-12-01 00:10:00.000", points: -1e-7, total: 0),
    ]
    bundle.cards = [
      .init(
        question: "q", questionVersion: 1, state: 2, step: nil, stability: 3.1234567891, difficulty: 5,
        lastReview: "2026-12-01 00:00:01.000", due: "2026-12-04 00:00:01.000", reps: 1, failures: 0, isLeech: false)
    ]
    bundle.flags = [.init(question: "q", flaggedAt: "2026-12-01 00:00:00.000")]
    bundle.lessons = [.init(lesson: "l", step: 2, completedAt: nil, updatedAt: "2026-12-01 00:00:00.000")]
    bundle.settings = ["retention": "0.9", "new-per-day": "5"]
    bundle.resume = .init(kind: "quiz", item: "z", step: 0, updatedAt: "2026-12-01 00:00:00.000")
    return bundle
  }()

  static func decoded(_ text: String) -> ProgressBundle? {
    try? JSONDecoder().decode(ProgressBundle.self, from: Data(text.utf8))
  }

  @Test func readsWhatTheTutorWritesAndWhatFoundationWrites() throws {
    #expect(BundleReader.read(try Self.bundle.json()) == Self.bundle)
    let encoder = JSONEncoder()
    for formatting in [JSONEncoder.OutputFormatting.prettyPrinted, [], [.sortedKeys, .prettyPrinted]] {
      encoder.outputFormatting = formatting
      #expect(BundleReader.read(try encoder.encode(Self.bundle)) == Self.bundle, "\(formatting)")
    }
  }

  /// Valid JSON the tutor never writes: escapes, unknown keys, a null resume, exponents.
  @Test func readsTheRestOfJSONAsTheDecoderDoes() throws {
    let text = String(decoding: try Self.bundle.json(), as: UTF8.self)
    let variants = [
      text.replacingOccurrences(of: "\"tutor\":\"0.1\"", with: "\"tutor\":\"0\\/1 \\u00e9\\ud83e\\udde0\\\"\""),
      text.replacingOccurrences(of: "{\"answers\":", with: "{\"later\":{\"x\":[1,-2.5e3,true,null,{}]},\"answers\":"),
      text.replacingOccurrences(
        of: "\"resume\":{\"item\":\"z\",\"kind\":\"quiz\",\"step\":0,\"updatedAt\":\"2026-12-01 00:00:00.000\"}",
        with: "\"resume\":null"),
      text.replacingOccurrences(of: "\"points\":2.25", with: "\"points\":225E-2"),
      text.replacingOccurrences(of: "\"difficulty\":5", with: "\"difficulty\":5.0"),
      " \n\t" + text + " \r\n",
    ]
    for variant in variants {
      #expect(variant != text)
      let expected = Self.decoded(variant)
      #expect(expected != nil, "\(variant.prefix(80))")
      #expect(BundleReader.read(Data(variant.utf8)) == expected, "\(variant.prefix(80))")
    }
  }

  /// What the reader does not take, the decoder refuses too, or reads (and `read` then takes
  /// the decoder's reading).
  @Test func leavesWhatItDoesNotTakeToTheDecoder() throws {
    let text = String(decoding: try Self.bundle.json(), as: UTF8.self)
    let broken = [
      String(text.dropLast()), text + "x", text + "{}",
      text.replacingOccurrences(of: "\"step\":2", with: "\"step\":02"),
      text.replacingOccurrences(of: "\"step\":2", with: "\"step\":2.5"),
      text.replacingOccurrences(of: "\"step\":2", with: "\"step\":\"2\""),
      text.replacingOccurrences(of: "\"step\":2", with: "\"step\":99999999999999999999"),
      text.replacingOccurrences(of: ",\"uid\":\"u1\"", with: ""),
      text.replacingOccurrences(of: "\"uid\":\"u1\"", with: "\"uid\":null"),
      text.replacingOccurrences(of: "\"tutor\":\"0.1\"", with: "\"tutor\":\"\\ud83e\""),
      text.replacingOccurrences(of: "\"tutor\":\"0.1\"", with: "\"tutor\":\"\\x\""),
      text.replacingOccurrences(of: "\"tutor\":\"0.1\"", with: "\"tutor\":\"a\tb\""),
      text.replacingOccurrences(of: "\"isLeech\":false", with: "\"isLeech\":fals"),
      text.replacingOccurrences(of: "\"score\":1", with: "\"score\":-"),
      text.replacingOccurrences(of: "[\"q\"]", with: "[\"q\",]"),
    ]
    for (number, variant) in broken.enumerated() {
      #expect(variant != text, "variant \(number)")
      #expect(BundleReader.read(Data(variant.utf8)) == nil, "variant \(number)")
      // Refused by both, or read as the decoder reads it (it takes a trailing comma).
      let read = try? ProgressBundle.read(Data(variant.utf8)).get()
      #expect(read == Self.decoded(variant), "variant \(number)")
      #expect(read == nil || variant.contains(",]"), "variant \(number)")
    }
    var invalidUTF8 = Array(try Self.bundle.json())
    let at = invalidUTF8.firstIndex(of: UInt8(ascii: "Z"))!
    invalidUTF8[at] = 0xFF
    #expect(BundleReader.read(Data(invalidUTF8)) == nil)
  }

  @Test func aStoredDateIsWrittenAsTheStoreWritesIt() {
    #expect(ProgressBundle.isStoredDate("2026-12-01 23:59:59.999"))
    for text in [
      "2026-12-01 24:00:00.000", "2026-13-01 00:00:00.000", "2026-12-00 00:00:00.000", "2026-12-01T00:00:00.000",
      "2026-12-01 00:00:00", "2026-12-01 00:60:00.000", "2026-1a-01 00:00:00.000", "",
    ] {
      #expect(!ProgressBundle.isStoredDate(text), "\(text)")
    }
  }
}

extension BundleReaderTests {
  /// Many answers, or a few with one long text full of "},{" (where a half would begin inside it).
  static func long(trap: Bool) -> ProgressBundle {
    var bundle = Self.bundle
    let template = bundle.answers[0]
    bundle.answers = (0..<(trap ? 3 : 25_000)).map { index in
      var answer = template
      answer.uid = "u\(index)"
      answer.given = trap && index == 1 ? String(repeating: "{\"a\":1},{", count: 600_000) : nil
      answer.score = Double(index % 3) / 2
      return answer
    }
    return bundle
  }

  /// A long list of answers is read in two halves at once, and comes out whole and in order;
  /// where the halves would not meet, it is read in one.
  @Test(arguments: [false, true])
  func aLongListOfAnswersReadsInHalvesAsInOne(trap: Bool) throws {
    let bundle = Self.long(trap: trap)
    let data = try bundle.json()
    #expect(data.count > BundleReader.halvesAbove)
    #expect(BundleReader.read(data) == bundle)
    #expect(BundleReader.readSaying(data)?.inHalves == !trap, "the halves meet unless a text holds \"},{\"")
    #expect(BundleReader.read(data) == (try JSONDecoder().decode(ProgressBundle.self, from: data)))
    // Damage in either half is found.
    for position in [data.count / 4, data.count * 3 / 4] {
      var damaged = data
      let at = damaged[position...].firstIndex(of: UInt8(ascii: trap ? "{" : ":"))!
      damaged[at] = trap ? 0x01 : UInt8(ascii: ";")
      #expect(BundleReader.read(damaged) == nil)
    }
  }
}

extension BundleReaderTests {
  /// A key given twice: the decoder keeps the first value, so the reader leaves it to the decoder.
  @Test func aRepeatedKeyReadsAsTheDecoderReadsIt() throws {
    let text = String(decoding: try Self.bundle.json(), as: UTF8.self)
    for variant in [
      text.replacingOccurrences(of: "\"uid\":\"u1\"", with: "\"uid\":\"u1\",\"uid\":\"x\""),
      text.replacingOccurrences(of: "\"tutor\":\"0.1\"", with: "\"tutor\":\"0.1\",\"tutor\":\"9\""),
      text.replacingOccurrences(of: "\"new-per-day\":\"5\"", with: "\"new-per-day\":\"5\",\"new-per-day\":\"7\""),
    ] {
      #expect(variant != text)
      #expect(BundleReader.read(Data(variant.utf8)) == nil)
      #expect((try? ProgressBundle.read(Data(variant.utf8)).get()) == Self.decoded(variant))
    }
  }

  /// Deep nesting in an unknown member is refused (as the decoder does past 512 levels), not a
  /// crash of the stack.
  @Test func deepNestingIsRefusedNotACrash() throws {
    let text = String(decoding: try Self.bundle.json(), as: UTF8.self)
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let variant = text.replacingOccurrences(of: "{\"answers\":", with: "{\"deep\":\(deep),\"answers\":")
    #expect(BundleReader.read(Data(variant.utf8)) == nil)
    let shallow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    let fine = text.replacingOccurrences(of: "{\"answers\":", with: "{\"deep\":\(shallow),\"answers\":")
    #expect(BundleReader.read(Data(fine.utf8)) == Self.bundle)
  }
}
