/// Reads what follows an ESC that the terminal library could not decode itself.
///
/// Terminals disagree on the bytes of Home, End, PgUp and friends, and terminfo
/// describes only one of them: inside tmux with TERM=xterm-256color, Home arrives
/// as `ESC [ 1 ~` while terminfo says `ESC O H`. Such a sequence must become the
/// key it names, or nothing, but never a press of Esc followed by stray letters.
public enum EscapeSequence {
  /// What the characters read after ESC amount to so far.
  public enum Reading: Hashable, Sendable {
    /// A sequence has begun and is not finished: read another character.
    case needsMore
    /// Finished: the key it names, or nil for a sequence (or Alt+key) to ignore.
    case complete(Key?)
  }

  /// Longer than any key sequence: a run this long is dropped as noise.
  public static let maximumLength = 32

  /// Decodes the characters that followed ESC. `inputPaused` is true once no
  /// further character arrived in time: an ESC alone is then the Esc key.
  public static func decode(_ following: [Unicode.Scalar], inputPaused: Bool) -> Reading {
    guard let introducer = following.first else {
      return inputPaused ? .complete(.escape) : .needsMore
    }
    if following.count > maximumLength { return .complete(nil) }
    switch introducer {
    case "\u{1B}":
      // ESC ESC: Alt+Esc, or Alt with a sequence (rxvt's Alt+arrows); the Alt is dropped.
      let rest = Array(following.dropFirst())
      if rest.isEmpty && inputPaused { return .complete(.escape) }
      return decode(rest, inputPaused: inputPaused)
    case "[": return controlSequence(Array(following.dropFirst()), inputPaused: inputPaused)
    case "O": return singleShift(Array(following.dropFirst()), inputPaused: inputPaused)
    default:
      // Alt+key: not a key the tutor binds, and not Esc either.
      return .complete(nil)
    }
  }

  /// Reads a sequence with `next`, which gives the next character or nil when
  /// none arrived within a short wait. Called after ESC was read; returns the key
  /// to act on, or nil when the sequence is to be ignored.
  public static func read(next: () -> Unicode.Scalar?) -> Key? {
    var following: [Unicode.Scalar] = []
    while true {
      if case .complete(let key) = decode(following, inputPaused: false) { return key }
      guard let scalar = next() else { break }
      following.append(scalar)
    }
    if case .complete(let key) = decode(following, inputPaused: true) { return key }
    // A sequence cut short (or Alt+[ / Alt+O): nothing to act on.
    return nil
  }

  // MARK: - CSI: ESC [ parameters intermediates final

  private static func controlSequence(_ body: [Unicode.Scalar], inputPaused: Bool) -> Reading {
    // The linux console's F1 to F5: ESC [ [ A to ESC [ [ E.
    if body.first == "[" {
      guard body.count >= 2 else { return inputPaused ? .complete(nil) : .needsMore }
      return .complete(body[1] == "A" ? .f1 : nil)
    }
    var parameters = ""
    var hasIntermediates = false
    for scalar in body {
      switch scalar.value {
      case 0x30...0x3F where !hasIntermediates:
        parameters.unicodeScalars.append(scalar)
      case 0x24 where !hasIntermediates && isNumber(parameters):
        // rxvt ends Shift+Home, Shift+PgUp, ... with `$`, where others put `~`.
        return .complete(tildeKey(parameters))
      case 0x20...0x2F:
        hasIntermediates = true
      case 0x40...0x7E:
        return .complete(hasIntermediates ? nil : csiKey(parameters, final: scalar))
      default:
        // Not part of any control sequence: drop what came so far.
        return .complete(nil)
      }
    }
    return inputPaused ? .complete(nil) : .needsMore
  }

  /// Arrows, Home and End: the same finals after CSI (with or without a modifier, `ESC [ 1 ; 5 H`
  /// is Ctrl+Home) and after SS3.
  private static func cursorKey(_ final: Unicode.Scalar) -> Key? {
    switch final {
    case "A": .up
    case "B": .down
    case "C": .right
    case "D": .left
    case "H": .home
    case "F": .end
    default: nil
    }
  }

  private static func csiKey(_ parameters: String, final: Unicode.Scalar) -> Key? {
    if let key = cursorKey(final) { return key }
    switch final {
    // `~` (VT220, xterm, PuTTY, the linux console), `^` and `@` (rxvt with Ctrl, Ctrl+Shift).
    case "~", "^", "@": return isNumber(parameters.prefix { $0 != ";" }) ? tildeKey(parameters) : nil
    default: return nil
    }
  }

  /// The key of `ESC [ n ~`; the modifier after `;` is ignored.
  private static func tildeKey(_ parameters: String) -> Key? {
    switch parameters.split(separator: ";", omittingEmptySubsequences: false).first {
    case "1", "7": return .home
    case "4", "8": return .end
    case "3": return .delete
    case "5": return .pageUp
    case "6": return .pageDown
    case "11": return .f1
    default: return nil
    }
  }

  // MARK: - SS3: ESC O final

  private static func singleShift(_ body: [Unicode.Scalar], inputPaused: Bool) -> Reading {
    for scalar in body {
      switch scalar.value {
      // Some terminals put a modifier between O and the final: ESC O 5 H.
      case 0x30...0x3F: continue
      case 0x40...0x7E: return .complete(ss3Key(scalar))
      default: return .complete(nil)
      }
    }
    return inputPaused ? .complete(nil) : .needsMore
  }

  private static func ss3Key(_ final: Unicode.Scalar) -> Key? {
    if let key = cursorKey(final) { return key }
    switch final {
    // The keypad in application mode: Enter, and the digits and operators.
    case "M": return .enter
    case "P": return .f1
    case "j"..."y": return .character(Character(Unicode.Scalar(final.value - 0x40)!))
    case "X": return .character("=")
    default: return nil
    }
  }

  private static func isNumber(_ text: some StringProtocol) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
  }
}
