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
  public var hasErrors: Bool { !errors.isEmpty }
}

/// Parses and validates a whole course from its files. Pure: the caller reads the disk.
public enum CourseLoader {
  /// Files larger than this are refused rather than parsed.
  public static let maximumFileSize = 4 * 1024 * 1024

  /// `files` are paths like `Lessons/course.yaml`, `Lessons/01-x.md`, `Quizzes/x.yaml`.
  public static func load(_ files: [SourceFile]) -> CourseLoadResult {
    let sink = DiagnosticSink()
    var record = ParseRecord()
    var info: CourseInfo?
    var glossary: [GlossaryTerm] = []
    var lessons: [Lesson] = []
    var quizzes: [Quiz] = []
    var sawCourseFile = false

    for file in files.sorted(by: { $0.path < $1.path }) {
      guard let text = decode(file, sink: sink) else { continue }
      let name = (file.path as NSString).lastPathComponent
      let folder = (file.path as NSString).deletingLastPathComponent
      switch (folder.hasSuffix("Lessons"), name) {
      case (true, "course.yaml"):
        sawCourseFile = true
        info = CourseInfoParser(file: file.path, sink: sink).parseInfo(text)
      case (true, "glossary.yaml"):
        glossary = CourseInfoParser(file: file.path, sink: sink).parseGlossary(text)
      case (true, _) where name.hasSuffix(".md"):
        if let lesson = LessonParser(file: file.path, sink: sink).parse(text, record: &record) {
          lessons.append(lesson)
        }
      case (false, _) where name.hasSuffix(".yaml") || name.hasSuffix(".yml"):
        if let quiz = QuizParser(file: file.path, sink: sink).parse(text, record: &record) {
          quizzes.append(quiz)
        }
      default:
        break
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
    }
    let hasErrors = diagnostics.contains { $0.severity == .error }
    return CourseLoadResult(course: hasErrors || info == nil ? nil : course, diagnostics: diagnostics)
  }

  private static func decode(_ file: SourceFile, sink: DiagnosticSink) -> String? {
    if file.contents.count > maximumFileSize {
      sink.error(file.path, 1, 1, "the file is \(file.contents.count / 1024) KiB; course files may be at most \(maximumFileSize / 1024 / 1024) MiB")
      return nil
    }
    guard let text = String(validating: file.contents, as: UTF8.self) else {
      sink.error(file.path, 1, 1, "the file is not UTF-8 text")
      return nil
    }
    if let nul = text.firstIndex(of: "\0") {
      let line = text[..<nul].filter { $0 == "\n" }.count + 1
      sink.error(file.path, line, 1, "the file contains a NUL byte: it looks binary, not text")
      return nil
    }
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
  }
}
