/// A problem found in a course file, with its position.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
  /// A note is not a problem: it says what was left out, and counts as neither error nor warning.
  public enum Severity: String, Sendable { case error, warning, note }
  public var file: String
  public var line: Int
  public var column: Int
  public var severity: Severity
  public var message: String

  public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
    self.file = file
    self.line = max(1, line)
    self.column = max(1, column)
    self.severity = severity
    self.message = message
  }

  /// `file:line:column: error: message`, as compilers print it.
  public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Diagnostics are listed stage by stage, so that a root cause comes before what follows from it.
enum DiagnosticStage: Int, Comparable {
  /// A file could not be read at all: unreadable, too large, not text, empty, a YAML syntax error,
  /// no front matter. Everything else about that file, and about names defined in it, follows.
  case reading
  /// A problem inside a file that was read.
  case parsing
  /// Between files: names that resolve nowhere, duplicate ids, prerequisite cycles.
  case linking
  /// What was left unchecked or unlisted.
  case notes

  static func < (a: DiagnosticStage, b: DiagnosticStage) -> Bool { a.rawValue < b.rawValue }
}

/// Collects diagnostics while parsing and validating.
final class DiagnosticSink {
  /// At most this many problems are listed for one file: a flood (a line of a million '****') is
  /// counted, not kept, and summed up in one note.
  static let limitPerFile = 100

  /// The stage of diagnostics reported without one.
  let defaultStage: DiagnosticStage
  private var entries: [(stage: DiagnosticStage, diagnostic: Diagnostic)] = []
  /// How many problems of each file were past the limit.
  private var unlisted: [String: Int] = [:]
  private var listed: [String: Int] = [:]
  /// Files with a problem that stopped them from being read.
  private(set) var unreadFiles: Set<String> = []

  init(defaultStage: DiagnosticStage = .parsing) { self.defaultStage = defaultStage }

  var diagnostics: [Diagnostic] { entries.map(\.diagnostic) }

  func report(_ diagnostic: Diagnostic, stage: DiagnosticStage? = nil) {
    let stage = stage ?? defaultStage
    if stage == .reading { unreadFiles.insert(diagnostic.file) }
    let count = listed[diagnostic.file, default: 0]
    guard count < Self.limitPerFile else {
      unlisted[diagnostic.file, default: 0] += 1
      return
    }
    listed[diagnostic.file] = count + 1
    entries.append((stage, diagnostic))
  }

  /// Takes in what another sink collected, keeping the limit.
  func absorb(_ other: DiagnosticSink) {
    for entry in other.entries { report(entry.diagnostic, stage: entry.stage) }
    for (file, count) in other.unlisted { unlisted[file, default: 0] += count }
  }

  func error(_ file: String, _ line: Int, _ column: Int, _ message: String, stage: DiagnosticStage? = nil) {
    report(Diagnostic(file: file, line: line, column: column, message: message), stage: stage)
  }
  /// An error that stops the whole file from being read; listed before all others.
  func fileError(_ file: String, _ line: Int, _ column: Int, _ message: String) {
    error(file, line, column, message, stage: .reading)
  }
  func warning(_ file: String, _ line: Int, _ column: Int, _ message: String) {
    report(Diagnostic(file: file, line: line, column: column, severity: .warning, message: message))
  }
  func note(_ file: String, _ message: String) {
    report(Diagnostic(file: file, line: 1, column: 1, severity: .note, message: message), stage: .notes)
  }

  /// Stage by stage, then by file and position, each once (a YAML alias used twice would repeat its
  /// node's problems); then a note for each file with problems past the limit.
  var sorted: [Diagnostic] {
    let ordered = entries.enumerated().sorted { a, b in
      (a.element.stage, a.element.diagnostic.file, a.element.diagnostic.line, a.element.diagnostic.column, a.offset)
        < (b.element.stage, b.element.diagnostic.file, b.element.diagnostic.line, b.element.diagnostic.column, b.offset)
    }
    var seen: Set<String> = []
    let distinct = ordered.map(\.element.diagnostic).filter { seen.insert($0.description).inserted }
    return distinct
      + unlisted.keys.sorted().map { file in
        let count = unlisted[file]!
        return Diagnostic(
          file: file, line: 1, column: 1, severity: .note,
          message:
            "\(count) more problem\(count == 1 ? " is" : "s are") not listed for this file; fix the ones above and check again"
        )
      }
  }
}

/// A place in a file, for reporting.
public struct SourcePosition: Equatable, Hashable, Sendable {
  public var file: String
  public var line: Int
  public var column: Int
  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }
}

/// Ids follow kebab-case: lowercase letters and digits separated by single hyphens.
enum Identifier {
  static func isValid(_ id: String) -> Bool {
    // On the bytes: Foundation's `contains("--")` cost more than the rest of a question's parsing.
    var previous: UInt8 = UInt8(ascii: "-")
    for byte in id.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
      case UInt8(ascii: "-"): if previous == byte { return false }
      default: return false
      }
      previous = byte
    }
    return previous != UInt8(ascii: "-")
  }
}
