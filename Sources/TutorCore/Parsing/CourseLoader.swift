import Foundation

/// A course file as read from disk: its path relative to the course folder, and its bytes.
public struct SourceFile: Sendable {
  public var path: String
  public var contents: [UInt8]
  /// The size of the file on disk: larger than `contents` when the file was too large to read.
  public var size: Int
  /// Why the file could not be read (a permission, an I/O error), if it could not.
  public var readError: String?

  public init(path: String, contents: [UInt8]) {
    self.path = path
    self.contents = contents
    self.size = contents.count
  }
  public init(path: String, text: String) { self.init(path: path, contents: Array(text.utf8)) }

  /// A file larger than `CourseLoader.maximumFileSize`, left unread: only its size is known.
  public init(path: String, tooLargeWithSize size: Int) {
    self.init(path: path, contents: [])
    self.size = size
  }

  /// A file that could not be read, and why.
  public init(path: String, readError: String) {
    self.init(path: path, contents: [])
    self.readError = readError
  }
}

/// A course file not read yet: its path, its size on disk (which orders the parsing) and how to
/// read it, so that each file is read by the worker that parses it.
public struct PendingSourceFile: Sendable {
  public var path: String
  public var size: Int
  public var read: @Sendable () -> SourceFile

  public init(path: String, size: Int, read: @escaping @Sendable () -> SourceFile) {
    self.path = path
    self.size = size
    self.read = read
  }
}

/// The result of loading a course: the course when there were no errors, and every diagnostic.
public struct CourseLoadResult: Sendable {
  public var course: Course?
  public var diagnostics: [Diagnostic]
  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
  public var hasErrors: Bool { !errors.isEmpty }
}

/// The kinds of file a course has.
enum CourseFileKind {
  case course, glossary, lesson, quiz

  /// About how long a byte of the kind takes to parse, against course.yaml's (tutor-bench's
  /// figures for the bundled course: a lesson's Markdown, inline markup and checks cost most).
  var parseCost: Int {
    switch self {
    case .course: 1
    case .glossary, .quiz: 2
    case .lesson: 5
    }
  }
}

/// Parses and validates a whole course from its files. Pure: the caller reads the disk.
public enum CourseLoader {
  /// Files larger than this are refused rather than parsed.
  public static let maximumFileSize = 4 * 1024 * 1024

  /// `files` are paths like `Lessons/course.yaml`, `Lessons/01-x.md`, `Quizzes/x.yaml`.
  /// `itemWriting` adds warnings about item-writing cues (`ItemWritingChecks`), as `tutor check` does.
  public static func load(_ files: [SourceFile], itemWriting: Bool = false) -> CourseLoadResult {
    load(
      reading: files.map { file in PendingSourceFile(path: file.path, size: file.size, read: { file }) },
      itemWriting: itemWriting)
  }

  /// `load` of files that each worker reads just before parsing it: reading and parsing share one
  /// round of threads, and a file's bytes are first touched by the thread that parses them.
  public static func load(reading files: [PendingSourceFile], itemWriting: Bool = false) -> CourseLoadResult {
    let sorted = files.sorted(by: { $0.path < $1.path })
    // Files parse independently, so they are parsed side by side, the longest to parse first (so
    // that no long one is left to parse alone at the end); results merge in path order.
    let results = ResultSlots<FileResult>(count: sorted.count)
    let cost = sorted.map { $0.size * (kind(of: $0.path)?.parseCost ?? 1) }
    let largestFirst = sorted.indices.sorted { cost[$0] > cost[$1] }
    DispatchQueue.concurrentPerform(iterations: sorted.count) { turn in
      let index = largestFirst[turn]
      results[index] = parse(sorted[index].read())
    }
    let sink = DiagnosticSink()
    var record = CourseRecord()
    var info: CourseInfo?
    var glossary: [GlossaryTerm] = []
    var lessons: [Lesson] = []
    var quizzes: [Quiz] = []
    var sawCourseFile = false
    var unread = UnreadFiles()
    let parsedFiles = results.values
    record.usesByFile.reserveCapacity(parsedFiles.count)
    record.definitions.reserveCapacity(parsedFiles.reduce(0) { $0 + $1.record.definitions.count })
    for result in parsedFiles {
      sink.absorb(result.sink)
      record.usesByFile.append(result.record.uses)
      record.definitions += result.record.definitions
      record.references += result.record.references
      if result.sink.unreadFiles.contains(result.path) { unread.add(result.path, kind: result.kind) }
      switch result.parsed {
      case .info(let parsed):
        sawCourseFile = true
        info = parsed
      case .glossary(let terms): glossary = terms ?? []
      case .lesson(let lesson): lessons.append(lesson)
      case .quiz(let quiz): quizzes.append(quiz)
      case .nothing: break
      }
    }
    if !sawCourseFile {
      sink.fileError("Lessons/course.yaml", 1, 1, "the course has no Lessons/course.yaml (id, title, references)")
      unread.courseFile = "Lessons/course.yaml"
    }
    // Broken lesson and quiz files have their own errors: this is for a course with none at all.
    if !parsedFiles.contains(where: { $0.kind == .lesson || $0.kind == .quiz }) {
      sink.fileError("Lessons", 1, 1, "the course has no lessons and no quizzes")
    }

    let course = Course(
      info: info ?? CourseInfo(id: "course", title: "Course"), lessons: lessons, quizzes: quizzes,
      glossary: glossary)
    CourseValidator(course: course, record: record, unread: unread, sink: sink).validate()
    if itemWriting {
      var questionPositions: [String: SourcePosition] = [:]
      for definition in record.definitions where definition.kind == .question && questionPositions[definition.id] == nil
      {
        questionPositions[definition.id] = definition.position
      }
      ItemWritingChecks(course: course, positions: questionPositions, sink: sink).check()
      reportUncitedReferences(record, unread: unread, sink: sink)
    }
    let diagnostics = sink.sorted
    let hasErrors = diagnostics.contains { $0.severity == .error }
    return CourseLoadResult(course: hasErrors || info == nil ? nil : course, diagnostics: diagnostics)
  }

  /// A reference that no lesson or quiz cites backs nothing the learner reads: a warning, once
  /// every lesson and quiz could be read (a file that could not may be the one citing it).
  static func reportUncitedReferences(_ record: CourseRecord, unread: UnreadFiles, sink: DiagnosticSink) {
    guard unread.lessons.isEmpty && unread.quizzes.isEmpty else { return }
    let cited = Set(record.usesByFile.joined().filter { $0.kind == .citation }.map(\.name))
    for (id, position) in record.references where !cited.contains(id) {
      sink.warning(
        position.file, position.line, position.column,
        "reference '\(id)' is cited by no lesson or quiz: cite it where a claim relies on it, or remove it")
    }
  }

  /// What a course file holds, from its folder and name; nil for files the course does not use.
  static func kind(of path: String) -> CourseFileKind? {
    // Split at the last slash (through NSString, 38,000 instructions a path).
    let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
    let name = slash.map { String(path[path.utf8.index(after: $0)...]) } ?? path
    let folder = slash.map { String(path[..<$0]) } ?? ""
    if folder.hasSuffix("Lessons") {
      if name == "course.yaml" { return .course }
      if name == "glossary.yaml" { return .glossary }
      return name.hasSuffix(".md") ? .lesson : nil
    }
    return name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? .quiz : nil
  }

  private enum ParsedFile {
    /// nil: the file could not be read.
    case info(CourseInfo?), glossary([GlossaryTerm]?), lesson(Lesson), quiz(Quiz), nothing
  }

  private struct FileResult {
    var path: String
    var kind: CourseFileKind?
    var parsed: ParsedFile = .nothing
    var record = ParseRecord()
    var sink = DiagnosticSink()
  }

  private static func parse(_ file: SourceFile) -> FileResult {
    let sink = DiagnosticSink()
    var record = ParseRecord()
    let kind = kind(of: file.path)
    let parsed = kind.map { parse(file, kind: $0, sink: sink, record: &record) } ?? .nothing
    return FileResult(path: file.path, kind: kind, parsed: parsed, record: record, sink: sink)
  }

  private static func parse(_ file: SourceFile, kind: CourseFileKind, sink: DiagnosticSink, record: inout ParseRecord)
    -> ParsedFile
  {
    guard let text = decode(file, sink: sink) else {
      switch kind {
      case .course: return .info(nil)
      case .glossary: return .glossary(nil)
      case .lesson, .quiz: return .nothing
      }
    }
    switch kind {
    case .course:
      return .info(CourseInfoParser(file: file.path, sink: sink).parseInfo(text, record: &record))
    case .glossary:
      return .glossary(CourseInfoParser(file: file.path, sink: sink).parseGlossary(text))
    case .lesson:
      return LessonParser(file: file.path, sink: sink).parse(text, record: &record).map(ParsedFile.lesson) ?? .nothing
    case .quiz:
      return QuizParser(file: file.path, sink: sink).parse(text, record: &record).map(ParsedFile.quiz) ?? .nothing
    }
  }

  /// The file's bytes, checked to be UTF-8 text, with LF line ends and no byte-order mark.
  private static func decode(_ file: SourceFile, sink: DiagnosticSink) -> [UInt8]? {
    if let reason = file.readError {
      sink.fileError(file.path, 1, 1, "cannot read the file: \(reason)")
      return nil
    }
    let size = max(file.size, file.contents.count)
    if size > maximumFileSize {
      sink.fileError(
        file.path, 1, 1,
        "the file is \(mebibytes(size)); course files may be at most \(maximumFileSize / 1024 / 1024) MiB")
      return nil
    }
    // Windows (CRLF) and old Mac (CR) line ends become LF, so every parser sees one kind of line
    // end; line numbers do not change and the removed CRs were at the ends of lines.
    let bytes = normalizingLineEnds(file.contents)
    if holds(0, bytes), let nul = bytes.firstIndex(of: 0) {
      let (line, column) = position(of: nul, in: bytes)
      sink.fileError(file.path, line, column, "the file contains a NUL byte: it looks binary, not text")
      return nil
    }
    guard isValidUTF8(bytes) else {
      let offset = firstInvalidUTF8(bytes)
      let (line, column) = position(of: offset, in: bytes)
      let byte = "0x" + String(bytes[min(offset, bytes.count - 1)], radix: 16, uppercase: true)
      sink.fileError(
        file.path, line, column, "the file is not UTF-8 text: byte \(byte) here is not UTF-8 (save the file as UTF-8)")
      return nil
    }
    return bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(byteOrderMark.count)) : bytes
  }

  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// Whether `bytes` is UTF-8 as `String(validating:)` judges it (no overlong forms, surrogates or
  /// scalars past U+10FFFF), eight ASCII bytes at a time: the standard library's check reads one
  /// byte at a time, and course files are almost all ASCII.
  static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { bytes in
      let count = bytes.count
      var index = 0
      while index < count {
        if index + 8 <= count,
          UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
        {
          index += 8
          continue
        }
        let lead = bytes[index]
        if lead < 0x80 {
          index += 1
          continue
        }
        // The length of the sequence, and the range its second byte must be in.
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return false
        }
        guard index + length <= count, second.contains(bytes[index + 1]) else { return false }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
        index += length
      }
      return true
    }
  }

  /// A size over the limit in MiB with one decimal, rounded up so that it never reads as the limit.
  static func mebibytes(_ bytes: Int) -> String {
    let tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024)
    return "\(tenths / 10).\(tenths % 10) MiB"
  }

  /// Whether `bytes` holds `byte`, found by the C library's vectorised search.
  static func holds(_ byte: UInt8, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { memchr($0, Int32(byte), buffer.count) != nil } ?? false
    }
  }

  static func normalizingLineEnds(_ bytes: [UInt8]) -> [UInt8] {
    let cr: UInt8 = 13
    let lf: UInt8 = 10
    guard holds(cr, bytes) else { return bytes }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    for (index, byte) in bytes.enumerated() {
      if byte != cr {
        result.append(byte)
      } else if index + 1 == bytes.count || bytes[index + 1] != lf {
        result.append(lf)  // a lone CR ends a line too
      }
    }
    return result
  }

  /// The offset of the first byte that does not belong to valid UTF-8 (the text is known to be invalid).
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
    var offset = 0
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while case .scalarValue(let scalar) = decoder.decode(&iterator) {
      offset += UTF8.width(scalar)
    }
    return offset
  }

  /// Line and column (in Unicode scalars, as YAML marks count) of a byte offset.
  static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    let lineStart = bytes[..<offset].lastIndex(of: 10).map { $0 + 1 } ?? 0
    let line = bytes[..<lineStart].count(where: { $0 == 10 }) + 1
    // Bytes before the offset are valid UTF-8: count the first byte of each scalar.
    let column = bytes[lineStart..<offset].count(where: { $0 & 0xC0 != 0x80 }) + 1
    return (line, column)
  }
}

/// Fixed slots that concurrent workers fill, each its own index; read after they finish.
public final class ResultSlots<Value>: @unchecked Sendable {
  private var slots: [Value?]
  private let lock = NSLock()
  public init(count: Int) { slots = Array(repeating: nil, count: count) }
  public subscript(index: Int) -> Value? {
    get { lock.withLock { slots[index] } }
    set { lock.withLock { slots[index] = newValue } }
  }
  /// The filled slots, in index order.
  public var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
