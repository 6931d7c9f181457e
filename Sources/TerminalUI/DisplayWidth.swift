/// Display width of text in terminal columns: combining marks take 0, East Asian
/// wide and emoji characters take 2, everything else printable takes 1.
public enum DisplayWidth {
  /// Columns that one grapheme cluster occupies.
  public static func of(_ character: Character) -> Int {
    var width = 0
    for scalar in character.unicodeScalars {
      let w = of(scalar)
      if w > width { width = w }
    }
    return width
  }

  /// Columns that a string occupies.
  public static func of(_ text: some StringProtocol) -> Int {
    var total = 0
    for character in text { total += of(character) }
    return total
  }

  /// Columns of a single scalar.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v == 0 { return 0 }
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if v < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if v == 0x200B || (v >= 0x1160 && v <= 0x11FF) { return 0 }
    if scalar.properties.isEmojiPresentation { return 2 }
    if isWide(v) { return 2 }
    return 1
  }

  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E,
      0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
      0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
      0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return true
    default:
      return false
    }
  }

  /// The longest prefix of `text` that fits in `columns`.
  public static func prefix(of text: String, fitting columns: Int) -> String {
    var used = 0
    var result = ""
    for character in text {
      let w = of(character)
      if used + w > columns { break }
      used += w
      result.append(character)
    }
    return result
  }

  /// The part of `text` from display column `start`, at most `columns` wide (a wide character
  /// cut in half by either edge is left out).
  public static func slice(of text: String, from start: Int, fitting columns: Int) -> String {
    var column = 0
    var result = ""
    var used = 0
    for character in text {
      let w = of(character)
      defer { column += w }
      if column < start { continue }
      if used + w > columns { break }
      used += w
      result.append(character)
    }
    return result
  }

  /// `text` cut to `columns`, ending in "…" when it was cut.
  public static func truncated(_ text: String, to columns: Int) -> String {
    guard columns > 0 else { return "" }
    if of(text) <= columns { return text }
    return prefix(of: text, fitting: columns - 1) + "…"
  }
}
