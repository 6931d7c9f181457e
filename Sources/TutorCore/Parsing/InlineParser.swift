import Foundation

/// Parses inline markup: **bold**, *italic*, `code`, [[term]], [[term|shown]], [@citation].
/// Offsets count Unicode scalars, as the columns of YAML marks do.
enum InlineParser {
  static func parse(
    _ text: String,
    error: (Int, String) -> Void,
    use: (SymbolUse.Kind, String, Int) -> Void
  ) -> [Inline] {
    var bytes = text
    return bytes.withUTF8 { utf8 in
      // A line without markup is its own text (most lines: no copy of it is made).
      if markup(in: utf8, from: 0) == utf8.count { return utf8.isEmpty ? [] : [.text(text)] }
      return parse(utf8, error: error, use: use)
    }
  }

  /// Where the next byte that may start markup is, from `start` (the end if there is none).
  private static func markup(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    ByteSearch.first(UInt8(ascii: "\\"), UInt8(ascii: "*"), UInt8(ascii: "`"), UInt8(ascii: "["), in: utf8, from: start)
  }

  /// The same on the text's bytes, read in place (a bold or italic run is parsed on its own bytes).
  private static func parse(
    _ utf8: UnsafeBufferPointer<UInt8>,
    error: (Int, String) -> Void,
    use: (SymbolUse.Kind, String, Int) -> Void
  ) -> [Inline] {
    // Markup is ASCII, and an ASCII byte never occurs inside another character's UTF-8, so the
    // text is read byte by byte; offsets are turned into scalar counts only where reported.
    let count = utf8.count
    // Offsets are asked for left to right: each count goes on from the last one.
    var counted = (bytes: 0, scalars: 0)
    func scalarOffset(_ byteOffset: Int) -> Int {
      if byteOffset < counted.bytes { counted = (0, 0) }
      var scalars = counted.scalars
      for index in counted.bytes..<byteOffset where utf8[index] & 0xC0 != 0x80 { scalars += 1 }
      counted = (byteOffset, scalars)
      return scalars
    }
    func report(_ byteOffset: Int, _ message: String) { error(scalarOffset(byteOffset), message) }
    func noteUse(_ kind: SymbolUse.Kind, _ name: String, _ byteOffset: Int) {
      use(kind, name, scalarOffset(byteOffset))
    }
    var result: [Inline] = []
    var plain = ""
    var i = 0

    func flushPlain() {
      if !plain.isEmpty {
        result.append(.text(plain))
        plain = ""
      }
    }
    func slice(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self)
    }
    /// `split(separator:maxSplits:)` of the text in `range` (empty pieces left out), on the bytes:
    /// the String's own split walks grapheme clusters, 6,600 instructions a glossary link.
    func pieces(_ range: Range<Int>, separatedBy separator: UInt8, maxSplits: Int = .max) -> [String] {
      var result: [String] = []
      var start = range.lowerBound
      var index = start
      while index < range.upperBound && result.count < maxSplits {
        if utf8[index] == separator {
          if index > start { result.append(slice(start..<index)) }
          start = index + 1
        }
        index += 1
      }
      if start < range.upperBound { result.append(slice(start..<range.upperBound)) }
      return result
    }
    // One search per closing marker. Openers are met left to right, so each search resumes where
    // the last one stopped: a line of a thousand unclosed '[[' is scanned once, not a thousand times.
    var bold = ClosingMarker("**", in: utf8)
    var star = ClosingMarker("*", in: utf8)
    var backtick = ClosingMarker("`", in: utf8)
    var termEnd = ClosingMarker("]]", in: utf8)
    var citationEnd = ClosingMarker("]", in: utf8)
    // An opener with no closer after it means every later one of its kind is unclosed too: say it once.
    var reportedUnclosed: Set<String> = []
    func unclosed(_ opener: String, at index: Int, _ message: String) {
      if reportedUnclosed.insert(opener).inserted { report(index, message) }
    }

    while i < count {
      let c = utf8[i]
      let next: UInt8? = i + 1 < count ? utf8[i + 1] : nil
      if c == UInt8(ascii: "\\"), let next {
        // The whole character after the backslash.
        let length = next < 0x80 ? 1 : next >= 0xF0 ? 4 : next >= 0xE0 ? 3 : 2
        plain += slice((i + 1)..<min(count, i + 1 + length))
        i += 1 + length
        continue
      }
      if c == UInt8(ascii: "*") && next == UInt8(ascii: "*") {
        let closing = bold.first(from: i + 2)
        guard let close = closing, close > i + 2 else {
          if closing == nil {
            unclosed("**", at: i, "'**' is not closed")
          } else {
            report(i, "'****' is an empty bold (write \\* for a literal asterisk)")
          }
          plain += "**"
          i += 2
          continue
        }
        flushPlain()
        let start = scalarOffset(i + 2)
        let inner = parse(
          UnsafeBufferPointer(rebasing: utf8[(i + 2)..<close]), error: { error(start + $0, $1) },
          use: { use($0, $1, start + $2) })
        result.append(.bold(inner))
        i = close + 2
        continue
      }
      if c == UInt8(ascii: "*") {
        guard let close = star.first(from: i + 1), close > i + 1 else {
          unclosed("*", at: i, "'*' is not closed (write \\* for a literal asterisk)")
          plain.append("*")
          i += 1
          continue
        }
        flushPlain()
        let start = scalarOffset(i + 1)
        let inner = parse(
          UnsafeBufferPointer(rebasing: utf8[(i + 1)..<close]), error: { error(start + $0, $1) },
          use: { use($0, $1, start + $2) })
        result.append(.italic(inner))
        i = close + 1
        continue
      }
      if c == UInt8(ascii: "`") {
        guard let close = backtick.first(from: i + 1) else {
          unclosed("`", at: i, "'`' is not closed")
          plain.append("`")
          i += 1
          continue
        }
        flushPlain()
        result.append(.code(slice((i + 1)..<close)))
        i = close + 1
        continue
      }
      if c == UInt8(ascii: "[") && next == UInt8(ascii: "[") {
        guard let close = termEnd.first(from: i + 2) else {
          unclosed("[[", at: i, "'[[' is not closed by ']]'")
          plain += "[["
          i += 2
          continue
        }
        let parts = pieces((i + 2)..<close, separatedBy: UInt8(ascii: "|"), maxSplits: 1).map { $0.trimmed }
        let term = parts.first ?? ""
        if term.isEmpty {
          report(i, "empty glossary link")
        } else {
          noteUse(.glossaryTerm, term, i)
        }
        flushPlain()
        result.append(.term(term: term, shown: parts.count > 1 ? parts[1] : term))
        i = close + 2
        continue
      }
      if c == UInt8(ascii: "[") && next == UInt8(ascii: "@") {
        guard let close = citationEnd.first(from: i + 2) else {
          unclosed("[@", at: i, "'[@' is not closed by ']'")
          plain += "[@"
          i += 2
          continue
        }
        let keys = pieces((i + 2)..<close, separatedBy: UInt8(ascii: ";")).map {
          $0.trimmed.drop { $0 == "@" }.description
        }
        flushPlain()
        for key in keys {
          noteUse(.citation, key, i)
          result.append(.citation(key))
        }
        i = close + 1
        continue
      }
      // A run of ordinary text is copied at once, not one scalar at a time.
      let end = markup(in: utf8, from: i + 1)
      plain += slice(i..<end)
      i = end
    }
    flushPlain()
    return result
  }

}

/// Inline runs joined into one, adjacent plain text merged as it comes (into one buffer: a
/// paragraph of many lines stays linear).
struct InlineJoiner {
  private var result: [Inline] = []
  private var text = ""
  private var hasText = false

  mutating func append(_ inline: Inline) {
    if case .text(let more) = inline {
      text += more
      hasText = true
    } else {
      flushText()
      result.append(inline)
    }
  }

  mutating func joined() -> [Inline] {
    flushText()
    return result
  }

  private mutating func flushText() {
    if hasText { result.append(.text(text)) }
    text = ""
    hasText = false
  }
}

/// Finds a closing marker in a line, searching from left to right. It remembers its last answer:
/// a later search that starts at or before that answer gets it at once, and a search after a
/// failed one fails at once, so searches that only move forward read each character once.
private struct ClosingMarker {
  /// One or two bytes (`second` nil for one).
  private let first: UInt8
  private let second: UInt8?
  private let bytes: UnsafeBufferPointer<UInt8>
  /// The last search started here ...
  private var searchedFrom = Int.max
  /// ... and found the marker here (nil: nowhere after `searchedFrom`).
  private var found: Int?

  init(_ marker: StaticString, in bytes: UnsafeBufferPointer<UInt8>) {
    first = marker.utf8Start[0]
    second = marker.utf8CodeUnitCount > 1 ? marker.utf8Start[1] : nil
    self.bytes = bytes
  }

  mutating func first(from start: Int) -> Int? {
    if start >= searchedFrom {
      guard let found else { return nil }
      if found >= start { return found }
    }
    var j = start
    var result: Int?
    let length = second == nil ? 1 : 2
    while j + length <= bytes.count {
      if bytes[j] == first && (second == nil || bytes[j + 1] == second) {
        result = j
        break
      }
      j += 1
    }
    searchedFrom = start
    found = result
    return result
  }
}
