/// What a piece of text means; only the terminal backend turns roles into colours.
public enum Role: Hashable, Sendable, CaseIterable {
  case normal, title, heading, selection, correct, incorrect, hint, muted, accent
  case keyHint, code, term, citation, warning, status
}

/// Text attributes that carry no meaning by themselves.
public struct Emphasis: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let bold = Emphasis(rawValue: 1)
  public static let italic = Emphasis(rawValue: 2)
  public static let underline = Emphasis(rawValue: 4)
  public static let reverse = Emphasis(rawValue: 8)
}

/// A semantic role plus emphasis.
public struct Style: Hashable, Sendable {
  public var role: Role
  public var emphasis: Emphasis
  public init(_ role: Role = .normal, _ emphasis: Emphasis = []) {
    self.role = role
    self.emphasis = emphasis
  }
  public static let normal = Style()
  public func adding(_ extra: Emphasis) -> Style { Style(role, emphasis.union(extra)) }
}
