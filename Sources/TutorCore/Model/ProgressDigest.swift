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

  public struct LessonEntry: Equatable, Sendable {
    var id: String
    var title: String
    var order: Int
    var steps: Int
    var conceptNames: [String: String]
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
        conceptNames: lesson.conceptNames, checkpoints: lesson.checkpoints.map(\.questionID),
        inline: lesson.checkpoints.compactMap {
          if case .inline(let question) = $0.source { item(question) } else { nil }
        })
    }
    quizzes = course.quizzes.map {
      QuizEntry(id: $0.id, title: $0.title, lesson: $0.lesson, questions: $0.questions.map(item))
    }
  }

  /// A stand-in course holding exactly what the progress review reads.
  public var course: Course {
    func question(_ item: Item) -> Question {
      let options = item.options.map {
        Choice(id: $0.id, text: $0.text, isCorrect: $0.isCorrect, feedback: $0.feedback)
      }
      return Question(
        id: item.id, prompt: item.prompt,
        body: options.isEmpty ? .order([]) : .single(options), concepts: item.concepts)
    }
    var result = info.placeholder
    result.lessons = lessons.map { entry in
      let inline = Dictionary(entry.inline.map { ($0.id, question($0)) }, uniquingKeysWith: { first, _ in first })
      let checks = entry.checkpoints.map { id in
        Block.check(Checkpoint(source: inline[id].map(Checkpoint.Source.inline) ?? .reference(id)))
      }
      var steps = Array(repeating: LessonStep(anchor: "", title: "", blocks: []), count: entry.steps)
      if !steps.isEmpty { steps[0].blocks = checks }
      var lesson = Lesson(id: entry.id, title: entry.title, order: entry.order, steps: steps)
      lesson.conceptNames = entry.conceptNames
      return lesson
    }
    result.quizzes = quizzes.map {
      Quiz(id: $0.id, title: $0.title, lesson: $0.lesson, questions: $0.questions.map(question))
    }
    return result
  }
}

extension ProgressDigest {
  static let header = "tutor progress digest 1"

  /// One record per line, fields separated by tabs; a tab, line break or backslash inside a field
  /// is written `\\t`, `\\n`, `\\\\`; an absent feedback is an empty field after `-`.
  public var text: String {
    var lines = [Self.header, Self.line(["course", info.id, info.title, info.description])]
    func question(_ owner: String, _ item: Item) {
      lines.append(Self.line(["question", owner, item.id, item.prompt, item.concepts.joined(separator: ",")]))
      for option in item.options {
        lines.append(
          Self.line([
            "option", option.id, option.isCorrect ? "1" : "0", option.text,
            option.feedback.map { "+" + $0 } ?? "-",
          ]))
      }
    }
    for lesson in lessons {
      let minutes = info.lessons.first { $0.id == lesson.id }?.minutes.map(String.init) ?? ""
      lines.append(Self.line(["lesson", lesson.id, lesson.title, String(lesson.order), String(lesson.steps), minutes]))
      for (id, name) in lesson.conceptNames.sorted(by: { $0.key < $1.key }) {
        lines.append(Self.line(["concept", id, name]))
      }
      for id in lesson.checkpoints { lines.append(Self.line(["check", id])) }
      for item in lesson.inline { question("lesson", item) }
    }
    for quiz in quizzes {
      lines.append(Self.line(["quiz", quiz.id, quiz.title, quiz.lesson ?? ""]))
      for item in quiz.questions { question("quiz", item) }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Reads `text` back; nil for anything else (another version, a damaged file).
  public init?(text: String) {
    var text = text
    guard let digest = text.withUTF8({ Self.read($0) }) else { return nil }
    self = digest
  }

  /// Reads the digest's bytes (as written by `text`); nil for anything else.
  public init?(bytes: [UInt8]) {
    guard let digest = bytes.withUnsafeBufferPointer({ Self.read($0) }) else { return nil }
    self = digest
  }

  /// One pass over the lines: each line's fields are found as byte ranges, and a string is made
  /// only of the fields a record keeps (building every line's fields as strings first, and
  /// comparing them to find the record's kind, took 14 million instructions).
  /// Whether the 8 bytes from `index` hold a tab, a line break or a backslash (a word at a
  /// time: a byte of `word ^ pattern` is zero where the byte matches).
  @inline(__always)
  private static func holdsSeparator(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    let word = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)
    func holds(_ byte: UInt64) -> Bool {
      let x = word ^ (0x0101_0101_0101_0101 &* byte)
      return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }
    return holds(9) || holds(10) || holds(92)
  }

  private static func read(_ buffer: UnsafeBufferPointer<UInt8>) -> ProgressDigest? {
    var info: (id: String, title: String, description: String)?
    var lessons: [LessonEntry] = []
    var quizzes: [QuizEntry] = []
    var owner = ""
    var minutes: [String: Int] = [:]
    var fields: [Range<Int>] = []
    fields.reserveCapacity(8)
    var escapedFields = 0  // a bit per field (up to 63) that holds a backslash
    func string(_ index: Int) -> String {
      let range = fields[index]
      let bytes = UnsafeBufferPointer(rebasing: buffer[range])
      return index < 63 && escapedFields & (1 << index) != 0 ? unescaped(bytes) : String(decoding: bytes, as: UTF8.self)
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
    func kind(_ name: StaticString) -> Bool {
      let range = fields[0]
      guard range.count == name.utf8CodeUnitCount else { return false }
      for offset in 0..<range.count where buffer[range.lowerBound + offset] != name.utf8Start[offset] { return false }
      return true
    }
    var lineNumber = 0
    var start = 0
    var fieldStart = 0
    var index = -1
    while true {
      index += 1
      // Eight bytes at a time past text that holds no tab, line break or backslash.
      while index + 8 <= buffer.count, !Self.holdsSeparator(buffer, at: index) { index += 8 }
      guard index < buffer.count else { break }
      let byte = buffer[index]
      if byte == 92 {
        if fields.count < 63 { escapedFields |= 1 << fields.count }
        continue
      }
      guard byte == 9 || byte == 10 else { continue }
      fields.append(fieldStart..<index)
      fieldStart = index + 1
      guard byte == 10 else { continue }
      defer {
        fields.removeAll(keepingCapacity: true)
        escapedFields = 0
        start = index + 1
        lineNumber += 1
      }
      if lineNumber == 0 {
        guard String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self) == header else {
          return nil
        }
        continue
      }
      switch fields.count {
      case 4 where kind("course"): info = (string(1), string(2), string(3))
      case 6 where kind("lesson"):
        guard let order = number(3), let steps = number(4) else { return nil }
        let id = string(1)
        minutes[id] = number(5)
        lessons.append(
          LessonEntry(
            id: id, title: string(2), order: order, steps: steps, conceptNames: [:], checkpoints: [], inline: []))
      case 3 where kind("concept") && !lessons.isEmpty: lessons[lessons.count - 1].conceptNames[string(1)] = string(2)
      case 2 where kind("check") && !lessons.isEmpty: lessons[lessons.count - 1].checkpoints.append(string(1))
      case 4 where kind("quiz"):
        let lesson = fields[3].isEmpty ? nil : string(3)
        quizzes.append(QuizEntry(id: string(1), title: string(2), lesson: lesson, questions: []))
      case 5 where kind("question"):
        owner = string(1)
        // Split on the bytes (splitting the string by characters cost more than the rest).
        let concepts =
          escapedFields & (1 << 4) != 0
          ? string(4).split(separator: ",").map(String.init)
          : buffer[fields[4]].split(separator: UInt8(ascii: ",")).map {
            String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self)
          }
        let item = Item(id: string(2), prompt: string(3), concepts: concepts, options: [])
        if owner == "lesson", !lessons.isEmpty {
          lessons[lessons.count - 1].inline.append(item)
        } else if owner == "quiz", !quizzes.isEmpty {
          quizzes[quizzes.count - 1].questions.append(item)
        } else {
          return nil
        }
      case 5 where kind("option"):
        let flag = fields[4].first.map { buffer[$0] }
        var feedback: String?
        if flag == UInt8(ascii: "+") {
          fields[4] = fields[4].dropFirst()
          feedback = string(4)
        }
        let correct = fields[2].count == 1 && buffer[fields[2].lowerBound] == UInt8(ascii: "1")
        let option = Option(id: string(1), text: string(3), isCorrect: correct, feedback: feedback)
        if owner == "lesson", !lessons.isEmpty, !lessons[lessons.count - 1].inline.isEmpty {
          let last = lessons[lessons.count - 1].inline.count - 1
          lessons[lessons.count - 1].inline[last].options.append(option)
        } else if owner == "quiz", !quizzes.isEmpty, !quizzes[quizzes.count - 1].questions.isEmpty {
          let last = quizzes[quizzes.count - 1].questions.count - 1
          quizzes[quizzes.count - 1].questions[last].options.append(option)
        } else {
          return nil
        }
      default:
        return nil
      }
    }
    // Nothing may follow the last line break.
    guard let info, lineNumber > 0, start == buffer.count else { return nil }
    var summary = CourseSummary(
      Course(
        info: CourseInfo(id: info.id, title: info.title, description: info.description), lessons: [], quizzes: [],
        glossary: []))
    summary.lessons = lessons.map {
      .init(id: $0.id, title: $0.title, order: $0.order, minutes: minutes[$0.id], steps: $0.steps)
    }
    summary.quizzes = quizzes.map {
      .init(id: $0.id, title: $0.title, lesson: $0.lesson, questions: $0.questions.count)
    }
    return ProgressDigest(info: summary, lessons: lessons, quizzes: quizzes)
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

  private static func unescaped(_ field: UnsafeBufferPointer<UInt8>) -> String {
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
