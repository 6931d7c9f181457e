import TerminalUI

/// One row of a screen's key table: the keys, the message they send, and the help text.
/// The help bar and the `?` overlay are drawn from the same table that routes keys.
public struct KeyBinding<Message: Sendable>: Sendable {
  public var keys: [Key]
  public var message: Message
  public var help: String
  /// Shown in the footer as well as in the `?` overlay.
  public var inFooter: Bool

  public init(_ keys: [Key], _ message: Message, _ help: String, footer: Bool = true) {
    self.keys = keys
    self.message = message
    self.help = help
    inFooter = footer
  }

  /// "↑/↓" style label of the keys.
  public var keyLabel: String { keys.prefix(2).map(\.label).joined(separator: "/") }
}

extension Array {
  /// The message bound to `key`, if any.
  func message<M>(for key: Key) -> M? where Element == KeyBinding<M> {
    first { $0.keys.contains(key) }?.message
  }
}

/// A key and its help text, without the message type (for drawing help).
public struct HelpEntry: Equatable, Sendable {
  public var keys: String
  public var help: String
  public var inFooter: Bool
}

extension KeyBinding {
  var helpEntry: HelpEntry { HelpEntry(keys: keyLabel, help: help, inFooter: inFooter) }
}
