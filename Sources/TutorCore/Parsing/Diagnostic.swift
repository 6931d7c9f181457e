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

/// Collects diagnostics while parsing and validating.
final class DiagnosticSink {
  /// At most this many problems are listed for one file: a flood (a line of a million '****') is
  /// counted, not kept, and summed up in one note.
  static let limitPerFile = 100

  private(set) var diagnostics: [Diagnostic] = []
  /// How many problems of each file were past the limit.
  private(set) var unlisted: [String: Int] = [:]
  private var listed: [String: Int] = [:]

  func report(_ diagnostic: Diagnostic) {
    let count = listed[diagnostic.file, default: 0]
    guard count < Self.limitPerFile else {
      unlisted[diagnostic.file, default: 0] += 1
      return
    }
    listed[diagnostic.file] = count + 1
    diagnostics.append(diagnostic)
  }

  /// Takes in what another sink collected, keeping the limit.
  func absorb(_ other: DiagnosticSink) {
    other.diagnostics.forEach(report)
    for (file, count) in other.unlisted { unlisted[file, default: 0] += count }
  }

  /// One note for each file that had problems past the limit.
  var unlistedNotes: [Diagnostic] {
    unlisted.keys.sorted().map { file in
      let count = unlisted[file]!
      return Diagnostic(
        file: file, line: 1, column: 1, severity: .note,
        message: "\(count) more problem\(count == 1 ? " is" : "s are") not listed for this file; fix the ones above and check again")
    }
  }
  func error(_ file: String, _ line: Int, _ column: Int, _ message: String) {
    report(Diagnostic(file: file, line: line, column: column, message: message))
  }
  func warning(_ file: String, _ line: Int, _ column: Int, _ message: String) {
    report(Diagnostic(file: file, line: line, column: column, severity: .warning, message: message))
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
    guard !id.isEmpty, !id.hasPrefix("-"), !id.hasSuffix("-"), !id.contains("--") else { return false }
    return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
  }
}
