import Foundation

/// What the progress review needs of a course and nothing more: titles, step and checkpoint
/// counts, each question's prompt, concepts and options with their feedback. The tutor caches it
/// beside the course summary, so `tutor progress` does not read the whole course again. It is
/// kept as tab-separated lines (`text`, `init(text:)`): as JSON, decoding took a third of the command.
public struct ProgressDigest: Equatable, Sendable {
  public struct Option: Equatable, Sendable {
    var id: String
    var text: String
    var isCorrect: Bool
    var feedback: String?
  }

  public struct Item: Equatable, Sendable {
    var id: String
    var prompt: String
    var concepts: [String]
    var options: [Option]
  }

  public struct ConceptName: Equatable, Sendable {
    var id: String
    var name: String
  }

  public struct LessonEntry: Equatable, Sendable {
    var id: String
    var title: String
    var order: Int
    var steps: Int
    /// By id, as written.
    var conceptNames: [ConceptName]
    /// Checkpoints in reading order: by id, or written in the lesson.
    var checkpoints: [String]
    var inline: [Item]
  }

  public struct QuizEntry: Equatable, Sendable {
    var id: String
    var title: String
    var lesson: String?
    var questions: [Item]
  }

  var info: CourseSummary
  var lessons: [LessonEntry]
  var quizzes: [QuizEntry]
  /// Each question by id (a course that checks clean has no id twice); empty in a digest read
  /// without its text (`init?(bytes:withText: false)`), whose lessons and quizzes hold no
  /// questions either: `lines` finds each question's line in `source` instead.
  private var questionsByID: [String: Item] = [:]
  private var lines = QuestionLines()
  private var source = TextSource.none

  /// Where each question's id, concepts and text are in the digest's bytes, found by the id's
  /// hash: making a string of every id and concept, and a dictionary of them, was a fifth of
  /// `tutor progress`'s instructions; it reads the concepts of the questions answered, and the
  /// text of the options picked wrongly.
  private struct QuestionLines {
    struct Line {
      var id: Range<Int>
      /// The id itself when its field holds an escape (never in a course that checks clean).
      var escapedID: String?
      var concepts: Range<Int>
      var conceptsEscaped: Bool
      var text: Range<Int>
    }
    var lines: [Line] = []
    /// Open addressing: a line's index + 1 at its id's hash (0: none), twice as many as lines.
    var slots: [Int32] = []

    /// `StableHash` (FNV-1a): the ids are short, and the digest is the tutor's own file.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
      var hash = StableHash.Builder()
      hash.add(bytes)
      return Int(truncatingIfNeeded: hash.value)
    }

    mutating func index(_ buffer: UnsafeBufferPointer<UInt8>) {
      var size = 16
      while size < lines.count * 2 { size *= 2 }
      slots = [Int32](repeating: 0, count: size)
      for (index, line) in lines.enumerated() {
        var slot = withID(line, buffer) { Self.hash($0) } & (size - 1)
        while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
        slots[slot] = Int32(index + 1)
      }
    }

    func withID<Result>(
      _ line: Line, _ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    )
      -> Result
    {
      guard var id = line.escapedID else { return body(UnsafeBufferPointer(rebasing: buffer[line.id])) }
      return id.withUTF8(body)
    }

    func find(_ id: String, _ buffer: UnsafeBufferPointer<UInt8>) -> Line? {
      guard !slots.isEmpty else { return nil }
      var id = id
      return id.withUTF8 { wanted in
        var slot = Self.hash(wanted) & (slots.count - 1)
        while slots[slot] != 0 {
          let line = lines[Int(slots[slot]) - 1]
          let same = withID(line, buffer) {
            $0.count == wanted.count && ($0.isEmpty || memcmp($0.baseAddress!, wanted.baseAddress!, $0.count) == 0)
          }
          if same { return line }
          slot = (slot + 1) & (slots.count - 1)
        }
        return nil
      }
    }
  }

  /// The bytes a digest read without its text reads it from, kept for as long as the digest:
  /// a copy of an array, or a file mapped into memory that `release` unmaps.
  private final class TextSource: @unchecked Sendable {
    static let none = TextSource(UnsafeBufferPointer(start: nil, count: 0), release: {})
    let bytes: UnsafeBufferPointer<UInt8>
    private let release: () -> Void

    init(_ bytes: UnsafeBufferPointer<UInt8>, release: @escaping () -> Void) {
      self.bytes = bytes
      self.release = release
    }

    deinit { release() }
  }

  /// The same course outline and text, however the text is kept.
  public static func == (a: ProgressDigest, b: ProgressDigest) -> Bool {
    a.info == b.info && a.lessons == b.lessons && a.quizzes == b.quizzes
  }

  public init(_ course: Course) {
    func item(_ question: Question) -> Item {
      Item(
        id: question.id, prompt: question.prompt, concepts: question.concepts,
        options: question.choices.map {
          Option(id: $0.id, text: $0.text, isCorrect: $0.isCorrect, feedback: $0.feedback)
        })
    }
    info = CourseSummary(course)
    lessons = course.lessons.map { lesson in
      LessonEntry(
        id: lesson.id, title: lesson.title, order: lesson.order, steps: lesson.steps.count,
        conceptNames: lesson.conceptNames.sorted { $0.key < $1.key }.map { ConceptName(id: $0.key, name: $0.value) },
        checkpoints: lesson.checkpoints.map(\.questionID),
        inline: lesson.checkpoints.compactMap {
          if case .inline(let question) = $0.source { item(question) } else { nil }
        })
    }
    quizzes = course.quizzes.map {
      QuizEntry(id: $0.id, title: $0.title, lesson: $0.lesson, questions: $0.questions.map(item))
    }
    for item in lessons.flatMap(\.inline) + quizzes.flatMap(\.questions) { questionsByID[item.id] = item }
  }

  /// A question's prompt and its option `choiceID` (read now from the digest's bytes, for a
  /// digest read without them: the report shows the few options learners picked wrongly).
  public func choice(_ id: String, _ choiceID: String) -> (prompt: String, choice: Choice)? {
    let found: (prompt: String, option: Option?)
    if let line = lines.find(id, source.bytes) {
      guard let read = Self.readText(source.bytes, line.text, only: choiceID) else { return nil }
      found = (read.prompt, read.options.first)
    } else if let item = questionsByID[id] {
      found = (item.prompt, item.options.first { $0.id == choiceID })
    } else {
      return nil
    }
    guard let option = found.option else { return nil }
    return (
      found.prompt, Choice(id: option.id, text: option.text, isCorrect: option.isCorrect, feedback: option.feedback)
    )
  }

  /// The ids of the course's questions.
  public var questionIDs: [String] {
    lines.lines.isEmpty
      ? Array(questionsByID.keys)
      : lines.lines.map { line in lines.withID(line, source.bytes) { String(decoding: $0, as: UTF8.self) } }
  }

  /// A question's concepts.
  func concepts(_ id: String) -> [String]? {
    guard let line = lines.find(id, source.bytes) else { return questionsByID[id]?.concepts }
    return Lines(source.bytes, 0..<source.bytes.count).list(line.concepts, escaped: line.conceptsEscaped)
  }

  /// What the progress report reads: the outline, each question's concepts, and the text of an
  /// option when the report asks for it.
  public var outline: ProgressReport.Outline {
    // The first lesson's name of a concept: assigned last.
    var conceptNames: [String: String] = [:]
    conceptNames.reserveCapacity(lessons.reduce(0) { $0 + $1.conceptNames.count })
    for lesson in lessons.reversed() { for concept in lesson.conceptNames { conceptNames[concept.id] = concept.name } }
    return ProgressReport.Outline(
      courseID: info.id, courseTitle: info.title,
      lessons: lessons.map {
        .init(id: $0.id, title: $0.title, order: $0.order, steps: $0.steps, checkpoints: $0.checkpoints)
      },
      quizzes: quizzes.map { .init(id: $0.id, title: $0.title) }, conceptNames: conceptNames,
      concepts: concepts, choice: choice)
  }
}

extension ProgressDigest {
  static let header = "tutor progress digest 2"

  /// One record per line, fields separated by tabs; a tab, line break or backslash inside a field
  /// is written `\\t`, `\\n`, `\\\\`. The course's outline comes first, then a `text` line with
  /// the size of the questions' text that follows it: a `prompt` line and its `option` lines for
  /// each question, whose `question` line in the outline says where they start and end. So
  /// `tutor progress` reads the outline, and only the text it shows. A feedback is written after
  /// `+`, an absent one as `-`.
  public var text: String {
    var lines = [Self.header, Self.line(["course", info.id, info.title, info.description])]
    var textLines: [String] = []
    var textSize = 0
    func question(_ owner: String, _ item: Item) {
      let start = textSize
      for line in [Self.line(["prompt", item.prompt])]
        + item.options.map({
          Self.line([
            "option", $0.id, $0.isCorrect ? "1" : "0", $0.text, $0.feedback.map { "+" + $0 } ?? "-",
          ])
        })
      {
        textLines.append(line)
        textSize += line.utf8.count + 1
      }
      lines.append(
        Self.line([
          "question", owner, item.id, item.concepts.joined(separator: ","), String(start), String(textSize),
        ]))
    }
    for lesson in lessons {
      let minutes = info.lessons.first { $0.id == lesson.id }?.minutes.map(String.init) ?? ""
      lines.append(Self.line(["lesson", lesson.id, lesson.title, String(lesson.order), String(lesson.steps), minutes]))
      for concept in lesson.conceptNames { lines.append(Self.line(["concept", concept.id, concept.name])) }
      for id in lesson.checkpoints { lines.append(Self.line(["check", id])) }
      for item in lesson.inline { question("lesson", item) }
    }
    for quiz in quizzes {
      lines.append(Self.line(["quiz", quiz.id, quiz.title, quiz.lesson ?? ""]))
      for item in quiz.questions { question("quiz", item) }
    }
    lines.append("text\t\(textSize)")
    return (lines + textLines).joined(separator: "\n") + "\n"
  }

  /// Reads `text` back; nil for anything else (another version, a damaged file).
  public init?(text: String) {
    var text = text
    guard let read = text.withUTF8({ Self.read($0, withText: true) }) else { return nil }
    self = read
  }

  /// Reads the digest's bytes (as written by `text`); nil for anything else. Without `withText`,
  /// the questions stay in the bytes until `outline` or `choice(_:_:)` asks for one (making a
  /// string of each was most of `tutor progress`'s reading), and the digest is for reading only:
  /// its `text` and `==` see lessons and quizzes without questions.
  public init?(bytes: [UInt8], withText: Bool = true) {
    let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
    _ = copy.initialize(from: bytes)
    self.init(mapped: UnsafeBufferPointer(copy), withText: withText) { copy.deallocate() }
  }

  /// Reads a digest from memory that `release` gives back (a file mapped into memory): without
  /// `withText`, it is kept until the digest is gone, to read the questions' text from; with it,
  /// released at once. Only the pages read are loaded: the outline, and the text asked for.
  public init?(mapped bytes: UnsafeBufferPointer<UInt8>, withText: Bool, release: @escaping () -> Void) {
    guard let read = Self.read(bytes, withText: withText) else {
      release()
      return nil
    }
    self = read
    if withText {
      release()
    } else {
      source = TextSource(bytes, release: release)
    }
  }

  /// The lines of a digest, one at a time, as the byte ranges of their fields.
  private struct Lines {
    /// The bytes up to the end of the lines.
    let buffer: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    var index: Int
    var fields: [Range<Int>] = []
    /// A bit per field (up to 63) that holds a backslash.
    var escapedFields = 0
    /// Whether the last line read had no line break.
    var isCut = false

    init(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
      self.buffer = UnsafeBufferPointer(rebasing: buffer[..<range.upperBound])
      index = range.lowerBound
      fields.reserveCapacity(8)
    }

    /// Reads the next line; false at the end, or for a line without a line break (`isCut`).
    mutating func next() -> Bool {
      fields.removeAll(keepingCapacity: true)
      escapedFields = 0
      guard index < buffer.count else { return false }
      var fieldStart = index
      while true {
        // The next tab, line break or backslash, eight bytes at a time.
        index = ByteSearch.first(9, 10, 92, 92, in: buffer, from: index)
        guard index < buffer.count else {
          isCut = true
          return false
        }
        let byte = buffer[index]
        index += 1
        if byte == 92 {
          if fields.count < 63 { escapedFields |= 1 << fields.count }
        } else {
          fields.append(fieldStart..<index - 1)
          fieldStart = index
          if byte == 10 { return true }
        }
      }
    }

    /// Steps over the next line, unsplit, if it is an option whose id is not `id`; `fields` is
    /// then empty.
    mutating func skipOption(otherThan id: UnsafeBufferPointer<UInt8>) -> Bool {
      let record: StaticString = "option\t"
      let start = index + record.utf8CodeUnitCount
      guard start + id.count < buffer.count,
        memcmp(buffer.baseAddress! + index, record.utf8Start, record.utf8CodeUnitCount) == 0
      else { return false }
      if buffer[start + id.count] == 9
        && (id.isEmpty || memcmp(buffer.baseAddress! + start, id.baseAddress!, id.count) == 0)
      {
        return false
      }
      guard let end = memchr(buffer.baseAddress! + start, 10, buffer.count - start) else { return false }
      index = buffer.baseAddress!.distance(to: end.assumingMemoryBound(to: UInt8.self)) + 1
      fields.removeAll(keepingCapacity: true)
      return true
    }

    func string(_ index: Int) -> String {
      string(fields[index], escaped: index < 63 && escapedFields & (1 << index) != 0)
    }

    func string(_ range: Range<Int>, escaped: Bool) -> String {
      let bytes = UnsafeBufferPointer(rebasing: buffer[range])
      return escaped ? ProgressDigest.unescaped(bytes) : String(decoding: bytes, as: UTF8.self)
    }

    func number(_ index: Int) -> Int? {
      let range = fields[index]
      guard !range.isEmpty, range.count < 19 else { return nil }
      var value = 0
      for byte in buffer[range] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }

    /// Whether field `index` is `text`.
    func equals(_ index: Int, _ text: String) -> Bool {
      if index < 63 && escapedFields & (1 << index) != 0 { return string(index) == text }
      var text = text
      return text.withUTF8 { UnsafeBufferPointer(rebasing: buffer[fields[index]]).elementsEqual($0) }
    }

    /// Whether the line has `count` fields and the first is `name`.
    func isRecord(_ name: StaticString, fields count: Int) -> Bool {
      guard fields.count == count else { return false }
      let range = fields[0]
      guard range.count == name.utf8CodeUnitCount else { return false }
      for offset in 0..<range.count where buffer[range.lowerBound + offset] != name.utf8Start[offset] { return false }
      return true
    }

    /// A list of ids separated by commas, split on the bytes (splitting the string by characters
    /// cost more than the rest of the line).
    func list(_ index: Int) -> [String] {
      list(fields[index], escaped: index < 63 && escapedFields & (1 << index) != 0)
    }

    func list(_ range: Range<Int>, escaped: Bool) -> [String] {
      if escaped { return string(range, escaped: true).split(separator: ",").map(String.init) }
      // A loop over the bytes: the generic `split` made an array of slices first.
      var list: [String] = []
      list.reserveCapacity(4)
      var start = range.lowerBound
      for index in range where buffer[index] == UInt8(ascii: ",") {
        if index > start { list.append(string(start..<index, escaped: false)) }
        start = index + 1
      }
      if range.upperBound > start { list.append(string(start..<range.upperBound, escaped: false)) }
      return list
    }

    func isEscaped(_ index: Int) -> Bool { index >= 63 || escapedFields & (1 << index) != 0 }

    func option() -> Option {
      let feedback = fields[4]
      let hasFeedback = feedback.first.map { buffer[$0] } == UInt8(ascii: "+")
      return Option(
        id: string(1), text: string(3),
        isCorrect: fields[2].count == 1 && buffer[fields[2].lowerBound] == UInt8(ascii: "1"),
        feedback: hasFeedback ? string(feedback.dropFirst(), escaped: escapedFields & (1 << 4) != 0) : nil)
    }
  }

  /// Reads the outline, then each question's text (`withText`) or where it is.
  private static func read(_ buffer: UnsafeBufferPointer<UInt8>, withText: Bool) -> ProgressDigest? {
    var lines = Lines(buffer, 0..<buffer.count)
    guard lines.next(), lines.fields.count == 1,
      String(decoding: UnsafeBufferPointer(rebasing: buffer[lines.fields[0]]), as: UTF8.self) == header
    else { return nil }
    var info: (id: String, title: String, description: String)?
    var lessons: [LessonEntry] = []
    var minutes: [Int?] = []
    var quizzes: [QuizEntry] = []
    /// Each question's place (in a lesson or a quiz, which, and where in it) and text.
    var questions: [(inLesson: Bool, owner: Int, index: Int, text: Range<Int>)] = []
    /// Without the text: each question's line, and each quiz's number of questions.
    var light = QuestionLines()
    var quizQuestions: [Int] = []
    var textSize: Int?
    while textSize == nil {
      guard lines.next() else { return nil }
      if lines.isRecord("question", fields: 6) {
        guard let start = lines.number(4), let end = lines.number(5), start <= end else { return nil }
        let inLesson = lines.equals(1, "lesson")
        guard inLesson ? !lessons.isEmpty : lines.equals(1, "quiz") && !quizzes.isEmpty else { return nil }
        if !withText {
          // Only where it is; its quiz counts it.
          light.lines.append(
            .init(
              id: lines.fields[2], escapedID: lines.isEscaped(2) ? lines.string(2) : nil, concepts: lines.fields[3],
              conceptsEscaped: lines.isEscaped(3), text: start..<end))
          if !inLesson { quizQuestions[quizzes.count - 1] += 1 }
          continue
        }
        let item = Item(id: lines.string(2), prompt: "", concepts: lines.list(3), options: [])
        if inLesson {
          questions.append((true, lessons.count - 1, lessons[lessons.count - 1].inline.count, start..<end))
          lessons[lessons.count - 1].inline.append(item)
        } else {
          questions.append((false, quizzes.count - 1, quizzes[quizzes.count - 1].questions.count, start..<end))
          quizzes[quizzes.count - 1].questions.append(item)
        }
      } else if lines.isRecord("concept", fields: 3), !lessons.isEmpty {
        lessons[lessons.count - 1].conceptNames.append(ConceptName(id: lines.string(1), name: lines.string(2)))
      } else if lines.isRecord("check", fields: 2), !lessons.isEmpty {
        lessons[lessons.count - 1].checkpoints.append(lines.string(1))
      } else if lines.isRecord("lesson", fields: 6) {
        guard let order = lines.number(3), let steps = lines.number(4) else { return nil }
        minutes.append(lines.number(5))
        lessons.append(
          LessonEntry(
            id: lines.string(1), title: lines.string(2), order: order, steps: steps, conceptNames: [], checkpoints: [],
            inline: []))
      } else if lines.isRecord("quiz", fields: 4) {
        let lesson = lines.fields[3].isEmpty ? nil : lines.string(3)
        quizzes.append(QuizEntry(id: lines.string(1), title: lines.string(2), lesson: lesson, questions: []))
        quizQuestions.append(0)
      } else if lines.isRecord("course", fields: 4) {
        info = (lines.string(1), lines.string(2), lines.string(3))
      } else if lines.isRecord("text", fields: 2) {
        textSize = lines.number(1)
      } else {
        return nil
      }
    }
    // The text is all that follows, and every question's is inside it.
    let textStart = lines.index
    guard let info, let textSize, textStart + textSize == buffer.count else { return nil }
    var questionsByID: [String: Item] = [:]
    questionsByID.reserveCapacity(questions.count)
    for question in questions {
      guard question.text.upperBound <= textSize,
        let text = readText(buffer, textStart + question.text.lowerBound..<textStart + question.text.upperBound)
      else { return nil }
      if question.inLesson {
        lessons[question.owner].inline[question.index].prompt = text.prompt
        lessons[question.owner].inline[question.index].options = text.options
        questionsByID[lessons[question.owner].inline[question.index].id] =
          lessons[question.owner].inline[question.index]
      } else {
        quizzes[question.owner].questions[question.index].prompt = text.prompt
        quizzes[question.owner].questions[question.index].options = text.options
        questionsByID[quizzes[question.owner].questions[question.index].id] =
          quizzes[question.owner].questions[question.index]
      }
    }
    for index in light.lines.indices {
      guard light.lines[index].text.upperBound <= textSize else { return nil }
      light.lines[index].text =
        textStart + light.lines[index].text.lowerBound..<textStart + light.lines[index].text.upperBound
    }
    light.index(buffer)
    var summary = CourseSummary(
      Course(
        info: CourseInfo(id: info.id, title: info.title, description: info.description), lessons: [], quizzes: [],
        glossary: []))
    summary.lessons = lessons.indices.map {
      let lesson = lessons[$0]
      return .init(id: lesson.id, title: lesson.title, order: lesson.order, minutes: minutes[$0], steps: lesson.steps)
    }
    summary.quizzes = quizzes.indices.map {
      .init(
        id: quizzes[$0].id, title: quizzes[$0].title, lesson: quizzes[$0].lesson,
        questions: quizzes[$0].questions.count + quizQuestions[$0])
    }
    var digest = ProgressDigest(info: summary, lessons: lessons, quizzes: quizzes)
    digest.questionsByID = questionsByID
    digest.lines = light
    return digest
  }

  /// A question's text: its prompt line and option lines (`only` the one with that id).
  private static func readText(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, only choiceID: String? = nil)
    -> (prompt: String, options: [Option])?
  {
    var lines = Lines(buffer, range)
    guard lines.next(), lines.isRecord("prompt", fields: 2) else { return nil }
    let prompt = lines.string(1)
    var options: [Option] = []
    // Looking for one option, the others' lines are stepped over whole (their text and feedback
    // were most of the bytes read), unless the id is one that the file writes escaped.
    var wanted = choiceID.flatMap { $0.utf8.contains { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 } ? nil : $0 }
    while wanted?.withUTF8({ lines.skipOption(otherThan: $0) }) == true || lines.next() {
      guard lines.fields.count > 0 else { continue }
      guard lines.isRecord("option", fields: 5) else { return nil }
      if let choiceID, !lines.equals(1, choiceID) { continue }
      options.append(lines.option())
    }
    return lines.isCut ? nil : (prompt, options)
  }

  private init(info: CourseSummary, lessons: [LessonEntry], quizzes: [QuizEntry]) {
    self.info = info
    self.lessons = lessons
    self.quizzes = quizzes
  }

  private static func line(_ fields: [String]) -> String {
    fields.map { field in
      guard field.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 }) else { return field }
      var bytes: [UInt8] = []
      for byte in field.utf8 {
        switch byte {
        case 9: bytes += [92, UInt8(ascii: "t")]
        case 10: bytes += [92, UInt8(ascii: "n")]
        case 13: bytes += [92, UInt8(ascii: "r")]
        case 92: bytes += [92, 92]
        default: bytes.append(byte)
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    }.joined(separator: "\t")
  }

  fileprivate static func unescaped(_ field: UnsafeBufferPointer<UInt8>) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(field.count)
    var escaping = false
    for byte in field {
      if escaping {
        switch byte {
        case UInt8(ascii: "t"): bytes.append(9)
        case UInt8(ascii: "n"): bytes.append(10)
        case UInt8(ascii: "r"): bytes.append(13)
        default: bytes.append(byte)
        }
        escaping = false
      } else if byte == 92 {
        escaping = true
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
