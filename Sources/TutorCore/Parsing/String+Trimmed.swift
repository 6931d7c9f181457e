extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and line breaks. Pure Swift: Foundation's
  /// `trimmingCharacters` bridges through NSString and was a tenth of the start-up time.
  public var trimmed: String {
    // Most text starts and ends with a visible ASCII character: nothing to trim.
    let visibleEnds = utf8.withContiguousStorageIfAvailable { bytes in
      guard let head = bytes.first, let tail = bytes.last else { return false }
      return (0x21..<0x7F).contains(head) && (0x21..<0x7F).contains(tail)
    }
    if visibleEnds == true { return String(self) }
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = lastIndex(where: { !$0.isWhitespace })!
    return String(self[first...last])
  }
}

extension String {
  /// Whether `needle` occurs in the text, compared byte for byte (no locale, no Unicode
  /// equivalence): Foundation's `contains` costs a hundred times more.
  func containsBytes(of needle: String) -> Bool {
    let haystack = Array(utf8)
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty else { return true }
    guard haystack.count >= pattern.count else { return false }
    return (0...(haystack.count - pattern.count)).contains { start in
      haystack[start] == pattern[0] && haystack[start..<(start + pattern.count)].elementsEqual(pattern)
    }
  }
}
