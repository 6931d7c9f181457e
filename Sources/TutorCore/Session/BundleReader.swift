import Foundation

/// Reads a bundle's JSON straight into its structs, a byte at a time: a heavy learner's bundle
/// (a million answers, 235 MB) in a tenth of the time Foundation's decoder takes. Strict JSON
/// (RFC 8259, UTF-8) and the same fields the decoder requires; anything it does not take, it
/// leaves to `JSONDecoder`, which reads it or explains what is wrong.
struct BundleReader {
  struct Unreadable: Error {}

  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0

  /// Reads a bundle, its answers in two halves at once; if the halves do not meet, in one.
  static func read(_ data: Data) -> ProgressBundle? { readSaying(data)?.bundle }

  /// The bundle, and whether it was read in halves.
  static func readSaying(_ data: Data) -> (bundle: ProgressBundle, inHalves: Bool)? {
    data.withUnsafeBytes { raw in
      for inHalves in [true, false] {
        var reader = BundleReader(bytes: raw.bindMemory(to: UInt8.self), inHalves: inHalves)
        guard let bundle = try? reader.bundle() else { continue }
        reader.skipSpace()
        return reader.index == reader.bytes.count ? (bundle, inHalves) : nil
      }
      return nil
    }
  }

  private let inHalves: Bool

  private init(bytes: UnsafeBufferPointer<UInt8>, inHalves: Bool) {
    self.bytes = bytes
    self.inHalves = inHalves
  }

  /// A list of answers longer than this is read in halves.
  static let halvesAbove = 1 << 22

  /// The answers, a long list in two halves at once: the second half starts after a "},{" past
  /// the middle, read here, while another thread reads the first from the list's start up to
  /// it. The first half counts only if it ends exactly there (a "},{" inside a text would not
  /// be the end of an answer), else the whole bundle is read again in one.
  private mutating func answers() throws -> [ProgressBundle.Answer] {
    _ = try next()
    let start = index
    guard inHalves, bytes.count - start > Self.halvesAbove,
      let comma = Self.boundary(in: bytes, from: start + (bytes.count - start) / 2)
    else { return try array { try $0.answer() } }
    let firstHalf = UncheckedBuffer(bytes: UnsafeBufferPointer(rebasing: bytes[0..<comma]))
    let first = BackgroundWork { () -> [ProgressBundle.Answer]? in
      var reader = BundleReader(bytes: firstHalf.bytes, inHalves: false)
      reader.index = start
      return try? reader.firstHalf()
    }
    index = comma + 1
    let second = try? elements { try $0.answer() }
    guard let first = first.value(), let second else { throw Unreadable() }
    return first + second
  }

  /// Answers from the list's start to the end of this reader's bytes, which must be the end of one.
  private mutating func firstHalf() throws -> [ProgressBundle.Answer] {
    try expect(UInt8(ascii: "["))
    var items: [ProgressBundle.Answer] = []
    while true {
      items.append(try answer())
      if index == bytes.count { return items }
      try expect(UInt8(ascii: ","))
    }
  }

  /// The "," of the first "},{" from `from` on.
  static func boundary(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    var index = max(from, 1)
    while index + 1 < bytes.count {
      if bytes[index] == UInt8(ascii: ","), bytes[index - 1] == UInt8(ascii: "}"),
        bytes[index + 1] == UInt8(ascii: "{")
      {
        return index
      }
      index += 1
    }
    return nil
  }

  /// Bytes handed to another thread, read-only, that outlive it (the caller waits for it).
  struct UncheckedBuffer: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
  }

  // MARK: The bundle's structs

  private mutating func bundle() throws -> ProgressBundle {
    var format: String?
    var version: Int?
    var tutor: String?
    var exportedAt: String?
    var learner: String?
    var course: ProgressBundle.CourseStamp?
    var lessons: [ProgressBundle.LessonState]?
    var attempts: [ProgressBundle.Attempt]?
    var answers: [ProgressBundle.Answer]?
    var cards: [ProgressBundle.Card]?
    var flags: [ProgressBundle.Flag]?
    var settings: [String: String]?
    var resume: ProgressBundle.Resume?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "format":
        try reader.once(&seen, 0)
        format = try reader.string()
      case "version":
        try reader.once(&seen, 1)
        version = try reader.int()
      case "tutor":
        try reader.once(&seen, 2)
        tutor = try reader.string()
      case "exportedAt":
        try reader.once(&seen, 3)
        exportedAt = try reader.string()
      case "learner":
        try reader.once(&seen, 4)
        learner = try reader.string()
      case "course":
        try reader.once(&seen, 5)
        course = try reader.course()
      case "lessons":
        try reader.once(&seen, 6)
        lessons = try reader.array { try $0.lesson() }
      case "attempts":
        try reader.once(&seen, 7)
        attempts = try reader.array { try $0.attempt() }
      case "answers":
        try reader.once(&seen, 8)
        answers = try reader.answers()
      case "cards":
        try reader.once(&seen, 9)
        cards = try reader.array { try $0.card() }
      case "flags":
        try reader.once(&seen, 10)
        flags = try reader.array { try $0.flag() }
      case "settings":
        try reader.once(&seen, 11)
        settings = try reader.stringMap { try $0.string() }
      case "resume":
        try reader.once(&seen, 12)
        resume = try reader.orNull { try $0.resume() }
      default: try reader.skipValue()
      }
    }
    guard let format, let version, let tutor, let exportedAt, let learner, let course, let lessons, let attempts,
      let answers, let cards, let flags, let settings
    else { throw Unreadable() }
    var bundle = ProgressBundle(tutor: tutor, exportedAt: exportedAt, learner: learner, course: course)
    bundle.format = format
    bundle.version = version
    bundle.lessons = lessons
    bundle.attempts = attempts
    bundle.answers = answers
    bundle.cards = cards
    bundle.flags = flags
    bundle.settings = settings
    bundle.resume = resume
    return bundle
  }

  private mutating func course() throws -> ProgressBundle.CourseStamp {
    var id: String?
    var title: String?
    var questions: [String: Int]?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "id":
        try reader.once(&seen, 0)
        id = try reader.string()
      case "title":
        try reader.once(&seen, 1)
        title = try reader.string()
      case "questions":
        try reader.once(&seen, 2)
        questions = try reader.stringMap { try $0.int() }
      default: try reader.skipValue()
      }
    }
    guard let id, let title, let questions else { throw Unreadable() }
    return .init(id: id, title: title, questions: questions)
  }

  private mutating func lesson() throws -> ProgressBundle.LessonState {
    var lesson: String?
    var step: Int?
    var completedAt: String?
    var updatedAt: String?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "lesson":
        try reader.once(&seen, 0)
        lesson = try reader.string()
      case "step":
        try reader.once(&seen, 1)
        step = try reader.int()
      case "completedAt":
        try reader.once(&seen, 2)
        completedAt = try reader.orNull { try $0.string() }
      case "updatedAt":
        try reader.once(&seen, 3)
        updatedAt = try reader.string()
      default: try reader.skipValue()
      }
    }
    guard let lesson, let step, let updatedAt else { throw Unreadable() }
    return .init(lesson: lesson, step: step, completedAt: completedAt, updatedAt: updatedAt)
  }

  private mutating func attempt() throws -> ProgressBundle.Attempt {
    var uid: String?
    var quiz: String?
    var seed: Int?
    var order: [String]?
    var mode: String?
    var asksConfidence: Bool?
    var startedAt: String?
    var finishedAt: String?
    var points: Double?
    var total: Int?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "uid":
        try reader.once(&seen, 0)
        uid = try reader.string()
      case "quiz":
        try reader.once(&seen, 1)
        quiz = try reader.string()
      case "seed":
        try reader.once(&seen, 2)
        seed = try reader.int()
      case "order":
        try reader.once(&seen, 3)
        order = try reader.array { try $0.string() }
      case "mode":
        try reader.once(&seen, 4)
        mode = try reader.string()
      case "asksConfidence":
        try reader.once(&seen, 5)
        asksConfidence = try reader.bool()
      case "startedAt":
        try reader.once(&seen, 6)
        startedAt = try reader.string()
      case "finishedAt":
        try reader.once(&seen, 7)
        finishedAt = try reader.orNull { try $0.string() }
      case "points":
        try reader.once(&seen, 8)
        points = try reader.orNull { try $0.double() }
      case "total":
        try reader.once(&seen, 9)
        total = try reader.orNull { try $0.int() }
      default: try reader.skipValue()
      }
    }
    guard let uid, let quiz, let seed, let order, let mode, let asksConfidence, let startedAt else {
      throw Unreadable()
    }
    return .init(
      uid: uid, quiz: quiz, seed: Int64(seed), order: order, mode: mode, asksConfidence: asksConfidence,
      startedAt: startedAt, finishedAt: finishedAt, points: points, total: total)
  }

  private mutating func answer() throws -> ProgressBundle.Answer {
    var uid: String?
    var question: String?
    var questionVersion: Int?
    var lesson: String?
    var quiz: String?
    var attempt: String?
    var response: String?
    var score: Double?
    var chosen: [String]?
    var hintsUsed: Int?
    var confidence: String?
    var durationMs: Int?
    var mode: String?
    var answeredAt: String?
    var stateBefore: Int?
    var shownOrder: [String]?
    var deferredRating: Int?
    var given: String?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "uid":
        try reader.once(&seen, 0)
        uid = try reader.string()
      case "question":
        try reader.once(&seen, 1)
        question = try reader.string()
      case "questionVersion":
        try reader.once(&seen, 2)
        questionVersion = try reader.int()
      case "lesson":
        try reader.once(&seen, 3)
        lesson = try reader.orNull { try $0.string() }
      case "quiz":
        try reader.once(&seen, 4)
        quiz = try reader.orNull { try $0.string() }
      case "attempt":
        try reader.once(&seen, 5)
        attempt = try reader.orNull { try $0.string() }
      case "response":
        try reader.once(&seen, 6)
        response = try reader.string()
      case "score":
        try reader.once(&seen, 7)
        score = try reader.double()
      case "chosen":
        try reader.once(&seen, 8)
        chosen = try reader.array { try $0.string() }
      case "hintsUsed":
        try reader.once(&seen, 9)
        hintsUsed = try reader.int()
      case "confidence":
        try reader.once(&seen, 10)
        confidence = try reader.orNull { try $0.string() }
      case "durationMs":
        try reader.once(&seen, 11)
        durationMs = try reader.orNull { try $0.int() }
      case "mode":
        try reader.once(&seen, 12)
        mode = try reader.string()
      case "answeredAt":
        try reader.once(&seen, 13)
        answeredAt = try reader.string()
      case "stateBefore":
        try reader.once(&seen, 14)
        stateBefore = try reader.orNull { try $0.int() }
      case "shownOrder":
        try reader.once(&seen, 15)
        shownOrder = try reader.orNull { try $0.array { try $0.string() } }
      case "deferredRating":
        try reader.once(&seen, 16)
        deferredRating = try reader.orNull { try $0.int() }
      case "given":
        try reader.once(&seen, 17)
        given = try reader.orNull { try $0.string() }
      default: try reader.skipValue()
      }
    }
    guard let uid, let question, let questionVersion, let response, let score, let chosen, let hintsUsed, let mode,
      let answeredAt
    else { throw Unreadable() }
    return .init(
      uid: uid, question: question, questionVersion: questionVersion, lesson: lesson, quiz: quiz, attempt: attempt,
      response: response, score: score, chosen: chosen, hintsUsed: hintsUsed, confidence: confidence,
      durationMs: durationMs, mode: mode, answeredAt: answeredAt, stateBefore: stateBefore, shownOrder: shownOrder,
      deferredRating: deferredRating, given: given)
  }

  private mutating func card() throws -> ProgressBundle.Card {
    var question: String?
    var questionVersion: Int?
    var state: Int?
    var step: Int?
    var stability: Double?
    var difficulty: Double?
    var lastReview: String?
    var due: String?
    var reps: Int?
    var failures: Int?
    var isLeech: Bool?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "question":
        try reader.once(&seen, 0)
        question = try reader.string()
      case "questionVersion":
        try reader.once(&seen, 1)
        questionVersion = try reader.int()
      case "state":
        try reader.once(&seen, 2)
        state = try reader.int()
      case "step":
        try reader.once(&seen, 3)
        step = try reader.orNull { try $0.int() }
      case "stability":
        try reader.once(&seen, 4)
        stability = try reader.orNull { try $0.double() }
      case "difficulty":
        try reader.once(&seen, 5)
        difficulty = try reader.orNull { try $0.double() }
      case "lastReview":
        try reader.once(&seen, 6)
        lastReview = try reader.orNull { try $0.string() }
      case "due":
        try reader.once(&seen, 7)
        due = try reader.string()
      case "reps":
        try reader.once(&seen, 8)
        reps = try reader.int()
      case "failures":
        try reader.once(&seen, 9)
        failures = try reader.int()
      case "isLeech":
        try reader.once(&seen, 10)
        isLeech = try reader.bool()
      default: try reader.skipValue()
      }
    }
    guard let question, let questionVersion, let state, let due, let reps, let failures, let isLeech else {
      throw Unreadable()
    }
    return .init(
      question: question, questionVersion: questionVersion, state: state, step: step, stability: stability,
      difficulty: difficulty, lastReview: lastReview, due: due, reps: reps, failures: failures, isLeech: isLeech)
  }

  private mutating func flag() throws -> ProgressBundle.Flag {
    var question: String?
    var flaggedAt: String?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "question":
        try reader.once(&seen, 0)
        question = try reader.string()
      case "flaggedAt":
        try reader.once(&seen, 1)
        flaggedAt = try reader.string()
      default: try reader.skipValue()
      }
    }
    guard let question, let flaggedAt else { throw Unreadable() }
    return .init(question: question, flaggedAt: flaggedAt)
  }

  private mutating func resume() throws -> ProgressBundle.Resume {
    var kind: String?
    var item: String?
    var step: Int?
    var updatedAt: String?
    var seen: UInt32 = 0
    try object { reader, key in
      switch key {
      case "kind":
        try reader.once(&seen, 0)
        kind = try reader.string()
      case "item":
        try reader.once(&seen, 1)
        item = try reader.string()
      case "step":
        try reader.once(&seen, 2)
        step = try reader.int()
      case "updatedAt":
        try reader.once(&seen, 3)
        updatedAt = try reader.string()
      default: try reader.skipValue()
      }
    }
    guard let kind, let item, let step, let updatedAt else { throw Unreadable() }
    return .init(kind: kind, item: item, step: step, updatedAt: updatedAt)
  }

  // MARK: JSON

  private mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  private mutating func next() throws -> UInt8 {
    skipSpace()
    guard index < bytes.count else { throw Unreadable() }
    return bytes[index]
  }

  private mutating func expect(_ byte: UInt8) throws {
    guard try next() == byte else { throw Unreadable() }
    index += 1
  }

  /// A member seen twice is left to the decoder (which keeps the first, where this reader would
  /// keep the last).
  private func once(_ seen: inout UInt32, _ bit: UInt32) throws {
    guard seen & (1 << bit) == 0 else { throw Unreadable() }
    seen |= 1 << bit
  }

  /// Nesting deeper than Foundation's decoder takes (512) is left to it, which refuses it.
  private var depth = 0
  static let maximumDepth = 512

  /// A member's name, as it stands in the file (a name with escapes is left to the decoder).
  struct Key {
    let bytes: UnsafeBufferPointer<UInt8>

    static func ~= (name: StaticString, key: Key) -> Bool {
      name.utf8CodeUnitCount == key.bytes.count
        && memcmp(name.utf8Start, key.bytes.baseAddress!, key.bytes.count) == 0
    }

    func string() throws -> String {
      guard let text = String(validating: bytes, as: UTF8.self) else { throw Unreadable() }
      return text
    }
  }

  private mutating func key() throws -> Key {
    try expect(UInt8(ascii: "\""))
    let start = index
    var ascii = true
    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
      guard bytes[index] >= 0x20, bytes[index] != UInt8(ascii: "\\") else { throw Unreadable() }
      if bytes[index] >= 0x80 { ascii = false }
      index += 1
    }
    guard index < bytes.count, index > start else { throw Unreadable() }
    index += 1
    let key = Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]))
    if !ascii { _ = try Self.text(key.bytes, ascii: false) }
    return key
  }

  /// Each member in turn; a repeated key counts once, its last value.
  @inline(__always)
  private mutating func object(_ member: (inout BundleReader, Key) throws -> Void) throws {
    try expect(UInt8(ascii: "{"))
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maximumDepth else { throw Unreadable() }
    if try next() == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      let key = try key()
      try expect(UInt8(ascii: ":"))
      try member(&self, key)
      switch try next() {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return
      default: throw Unreadable()
      }
    }
  }

  @inline(__always)
  private mutating func array<T>(_ element: (inout BundleReader) throws -> T) throws -> [T] {
    try expect(UInt8(ascii: "["))
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maximumDepth else { throw Unreadable() }
    if try next() == UInt8(ascii: "]") {
      index += 1
      return []
    }
    return try elements(element)
  }

  /// A list's elements from here to its "]".
  @inline(__always)
  private mutating func elements<T>(_ element: (inout BundleReader) throws -> T) throws -> [T] {
    var items: [T] = []
    while true {
      items.append(try element(&self))
      switch try next() {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return items
      default: throw Unreadable()
      }
    }
  }

  @inline(__always)
  private mutating func stringMap<T>(_ value: (inout BundleReader) throws -> T) throws -> [String: T] {
    var map: [String: T] = [:]
    try object { reader, key in
      let name = try key.string()
      guard map[name] == nil else { throw Unreadable() }
      map[name] = try value(&reader)
    }
    return map
  }

  /// nil for `null`, else the value.
  @inline(__always)
  private mutating func orNull<T>(_ value: (inout BundleReader) throws -> T) throws -> T? {
    guard try next() == UInt8(ascii: "n") else { return try value(&self) }
    try literal("null")
    return nil
  }

  private mutating func literal(_ word: StaticString) throws {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw Unreadable() }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Unreadable() }
    index += count
  }

  private mutating func bool() throws -> Bool {
    if try next() == UInt8(ascii: "t") {
      try literal("true")
      return true
    }
    try literal("false")
    return false
  }

  /// The extent of a JSON number, and whether it is whole (no fraction, no exponent).
  private mutating func number() throws -> (Range<Int>, whole: Bool) {
    _ = try next()
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    func digits(_ reader: inout BundleReader) throws {
      let first = reader.index
      while reader.index < reader.bytes.count, (48...57).contains(reader.bytes[reader.index]) { reader.index += 1 }
      guard reader.index > first else { throw Unreadable() }
    }
    let integerStart = index
    try digits(&self)
    // No leading zeros (RFC 8259).
    if bytes[integerStart] == 48, index - integerStart > 1 { throw Unreadable() }
    var whole = true
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      try digits(&self)
      whole = false
    }
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      try digits(&self)
      whole = false
    }
    return (start..<index, whole)
  }

  /// A whole number that fits an Int; a fraction or an exponent is left to the decoder.
  private mutating func int() throws -> Int {
    let (range, whole) = try number()
    guard whole, let value = wholeNumber(range) else { throw Unreadable() }
    return value
  }

  private mutating func double() throws -> Double {
    let (range, whole) = try number()
    if whole, range.count <= 15, let value = wholeNumber(range) { return Double(value) }
    guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)),
      value.isFinite
    else { throw Unreadable() }
    return value
  }

  private func wholeNumber(_ range: Range<Int>) -> Int? {
    let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
    var value = 0
    for position in (negative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound {
      let digit = Int(bytes[position] - 48)
      let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
      let (sum, carry) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
      guard !overflow, !carry else { return nil }
      value = sum
    }
    return value
  }

  private mutating func string() throws -> String {
    try expect(UInt8(ascii: "\""))
    let start = index
    var ascii = true
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        return try Self.text(text, ascii: ascii)
      }
      if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
      guard byte >= 0x20 else { throw Unreadable() }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    throw Unreadable()
  }

  /// UTF-8 as a String, refusing what is not UTF-8 (decoding would repair it, and the repair
  /// shows as a change of bytes).
  private static func text(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) throws -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    guard ascii || text.utf8.elementsEqual(bytes) else { throw Unreadable() }
    return text
  }

  /// The rest of a string that holds escapes.
  private mutating func escapedString(from start: Int) throws -> String {
    var text = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return try text.withUnsafeBufferPointer { try Self.text($0, ascii: false) }
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { throw Unreadable() }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar) {
            try literal("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Unreadable() }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw Unreadable() }
          text += Array(String(Character(unicode)).utf8)
        default: throw Unreadable()
        }
      default:
        guard byte >= 0x20 else { throw Unreadable() }
        text.append(byte)
      }
    }
    throw Unreadable()
  }

  private mutating func hex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw Unreadable() }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      index += 1
      let digit: UInt8 =
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: throw Unreadable()
        }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  private mutating func skipValue() throws {
    switch try next() {
    case UInt8(ascii: "{"): try object { reader, _ in try reader.skipValue() }
    case UInt8(ascii: "["): _ = try array { try $0.skipValue() }
    case UInt8(ascii: "\""): _ = try string()
    case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
    case UInt8(ascii: "n"): try literal("null")
    default: _ = try number()
    }
  }
}
