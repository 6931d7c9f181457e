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
    var records = Self.records(Array(text.utf8)).makeIterator()
    guard let first = records.next(), first == [Self.header] else { return nil }
    var info: (id: String, title: String, description: String)?
    var lessons: [LessonEntry] = []
    var quizzes: [QuizEntry] = []
    var owner = ""
    var minutes: [String: Int] = [:]
    for fields in records {
      switch (fields.first, fields.count) {
      case ("course", 4): info = (fields[1], fields[2], fields[3])
      case ("lesson", 6):
        guard let order = Int(fields[3]), let steps = Int(fields[4]) else { return nil }
        minutes[fields[1]] = Int(fields[5])
        lessons.append(
          LessonEntry(
            id: fields[1], title: fields[2], order: order, steps: steps, conceptNames: [:], checkpoints: [], inline: [])
        )
      case ("concept", 3) where !lessons.isEmpty: lessons[lessons.count - 1].conceptNames[fields[1]] = fields[2]
      case ("check", 2) where !lessons.isEmpty: lessons[lessons.count - 1].checkpoints.append(fields[1])
      case ("quiz", 4):
        quizzes.append(
          QuizEntry(id: fields[1], title: fields[2], lesson: fields[3].isEmpty ? nil : fields[3], questions: []))
      case ("question", 5):
        owner = fields[1]
        let item = Item(
          id: fields[2], prompt: fields[3],
          concepts: fields[4].split(separator: ",").map(String.init), options: [])
        if owner == "lesson", !lessons.isEmpty {
          lessons[lessons.count - 1].inline.append(item)
        } else if owner == "quiz", !quizzes.isEmpty {
          quizzes[quizzes.count - 1].questions.append(item)
        } else {
          return nil
        }
      case ("option", 5):
        let option = Option(
          id: fields[1], text: fields[3], isCorrect: fields[2] == "1",
          feedback: fields[4].first == "+" ? String(fields[4].dropFirst()) : nil)
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
    guard let info else { return nil }
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
    self.info = summary
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

  /// The lines' fields, split and unescaped in one pass over the bytes.
  private static func records(_ bytes: [UInt8]) -> [[String]] {
    bytes.withUnsafeBufferPointer { buffer in
      var records: [[String]] = []
      var fields: [String] = []
      var start = 0
      var escaped = false
      for index in 0..<buffer.count {
        switch buffer[index] {
        case 9, 10:
          let field = UnsafeBufferPointer(rebasing: buffer[start..<index])
          fields.append(escaped ? unescaped(field) : String(decoding: field, as: UTF8.self))
          start = index + 1
          escaped = false
          if buffer[index] == 10 {
            records.append(fields)
            fields = []
          }
        case 92: escaped = true
        default: break
        }
      }
      return records
    }
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
