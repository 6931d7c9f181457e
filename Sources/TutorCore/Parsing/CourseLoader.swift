import Foundation

/// A course file as read from disk: its path relative to the course folder, and its bytes.
public struct SourceFile: Sendable {
  public var path: String
  public var contents: [UInt8]
  public init(path: String, contents: [UInt8]) {
    self.path = path
    self.contents = contents
  }
  public init(path: String, text: String) { self.init(path: path, contents: Array(text.utf8)) }
}

/// The result of loading a course: the course when there were no errors, and every diagnostic.
public struct CourseLoadResult: Sendable {
  public var course: Course?
  public var diagnostics: [Diagnostic]
  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
  public var hasErrors: Bool { !errors.isEmpty }
}

/// Parses and validates a whole course from its files. Pure: the caller reads the disk.
public enum CourseLoader {
  /// Files larger than this are refused rather than parsed.
  public static let maximumFileSize = 4 * 1024 * 1024

  /// `files` are paths like `Lessons/course.yaml`, `Lessons/01-x.md`, `Quizzes/x.yaml`.
  public static func load(_ files: [SourceFile]) -> CourseLoadResult {
    let sorted = files.sorted(by: { $0.path < $1.path })
    // Files parse independently, so they are parsed side by side; results merge in path order.
    let results = ResultSlots<FileResult>(count: sorted.count)
    DispatchQueue.concurrentPerform(iterations: sorted.count) { index in
      results[index] = parse(sorted[index])
    }
    let sink = DiagnosticSink()
    var record = ParseRecord()
    var info: CourseInfo?
    var glossary: [GlossaryTerm] = []
    var lessons: [Lesson] = []
    var quizzes: [Quiz] = []
    var sawCourseFile = false
    for result in results.values {
      sink.absorb(result.sink)
      record.uses += result.record.uses
      record.definitions += result.record.definitions
      switch result.parsed {
      case .info(let parsed):
        sawCourseFile = true
        info = parsed
      case .glossary(let terms): glossary = terms
      case .lesson(let lesson): lessons.append(lesson)
      case .quiz(let quiz): quizzes.append(quiz)
      case .nothing: break
      }
    }
    if !sawCourseFile {
      sink.error("Lessons/course.yaml", 1, 1, "the course has no Lessons/course.yaml (id, title, references)")
    }
    if lessons.isEmpty && quizzes.isEmpty {
      sink.error("Lessons", 1, 1, "the course has no lessons and no quizzes")
    }

    let course = Course(
      info: info ?? CourseInfo(id: "course", title: "Course"), lessons: lessons, quizzes: quizzes,
      glossary: glossary)
    CourseValidator(course: course, record: record, sink: sink).validate()
    let diagnostics = sink.diagnostics.sorted {
      ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column)
    } + sink.unlistedNotes
    let hasErrors = diagnostics.contains { $0.severity == .error }
    return CourseLoadResult(course: hasErrors || info == nil ? nil : course, diagnostics: diagnostics)
  }

  private enum ParsedFile {
    case info(CourseInfo?), glossary([GlossaryTerm]), lesson(Lesson), quiz(Quiz), nothing
  }

  private struct FileResult {
    var parsed: ParsedFile = .nothing
    var record = ParseRecord()
    var sink = DiagnosticSink()
  }

  private static func parse(_ file: SourceFile) -> FileResult {
    let sink = DiagnosticSink()
    var record = ParseRecord()
    let parsed = parse(file, sink: sink, record: &record)
    return FileResult(parsed: parsed, record: record, sink: sink)
  }

  private static func parse(_ file: SourceFile, sink: DiagnosticSink, record: inout ParseRecord) -> ParsedFile {
    let name = (file.path as NSString).lastPathComponent
    let folder = (file.path as NSString).deletingLastPathComponent
    let isLessonsFolder = folder.hasSuffix("Lessons")
    let isCourseFile = isLessonsFolder && (name == "course.yaml" || name == "glossary.yaml" || name.hasSuffix(".md"))
    let isQuizFile = !isLessonsFolder && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    guard isCourseFile || isQuizFile else { return .nothing }
    guard let text = decode(file, sink: sink) else {
      return isLessonsFolder && name == "course.yaml" ? .info(nil) : .nothing
    }
    switch (isLessonsFolder, name) {
    case (true, "course.yaml"):
      return .info(CourseInfoParser(file: file.path, sink: sink).parseInfo(text))
    case (true, "glossary.yaml"):
      return .glossary(CourseInfoParser(file: file.path, sink: sink).parseGlossary(text))
    case (true, _):
      return LessonParser(file: file.path, sink: sink).parse(text, record: &record).map(ParsedFile.lesson) ?? .nothing
    default:
      return QuizParser(file: file.path, sink: sink).parse(text, record: &record).map(ParsedFile.quiz) ?? .nothing
    }
  }

  private static func decode(_ file: SourceFile, sink: DiagnosticSink) -> String? {
    if file.contents.count > maximumFileSize {
      sink.error(file.path, 1, 1, "the file is \(file.contents.count / 1024) KiB; course files may be at most \(maximumFileSize / 1024 / 1024) MiB")
      return nil
    }
    if let nul = file.contents.firstIndex(of: 0) {
      let line = file.contents[..<nul].filter { $0 == 10 }.count + 1
      sink.error(file.path, line, 1, "the file contains a NUL byte: it looks binary, not text")
      return nil
    }
    guard let text = String(validating: file.contents, as: UTF8.self) else {
      sink.error(file.path, 1, 1, "the file is not UTF-8 text")
      return nil
    }
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
  }
}

/// Fixed slots that concurrent workers fill, each its own index; read after they finish.
private final class ResultSlots<Value>: @unchecked Sendable {
  private var slots: [Value?]
  private let lock = NSLock()
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  subscript(index: Int) -> Value? {
    get { lock.withLock { slots[index] } }
    set { lock.withLock { slots[index] = newValue } }
  }
  var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
