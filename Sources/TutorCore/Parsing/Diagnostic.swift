/// A problem found in a course file, with its position.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }
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
  private(set) var diagnostics: [Diagnostic] = []
  func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
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
