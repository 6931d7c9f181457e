import Foundation

/// Parses inline markup: **bold**, *italic*, `code`, [[term]], [[term|shown]], [@citation].
/// Offsets count Unicode scalars, as the columns of YAML marks do.
enum InlineParser {
  static func parse(
    _ text: String,
    error: (Int, String) -> Void,
    use: (SymbolUse.Kind, String, Int) -> Void
  ) -> [Inline] {
    // The text's scalars, and where each starts in its UTF-8, read in one pass, so that a slice
    // is one copy of its bytes.
    let utf8 = Array(text.utf8)
    var scalars: [Unicode.Scalar] = []
    var starts: [Int] = []
    scalars.reserveCapacity(utf8.count)
    starts.reserveCapacity(utf8.count + 1)
    var offset = 0
    while offset < utf8.count {
      starts.append(offset)
      let lead = utf8[offset]
      if lead < 0x80 {
        scalars.append(Unicode.Scalar(lead))
        offset += 1
        continue
      }
      let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
      var value = UInt32(lead) & (0x7F >> length)
      for index in 1..<length { value = value << 6 | UInt32(utf8[offset + index] & 0x3F) }
      scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
      offset += length
    }
    starts.append(utf8.count)
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
      String(decoding: utf8[starts[range.lowerBound]..<starts[range.upperBound]], as: UTF8.self)
    }
    // One search per closing marker. Openers are met left to right, so each search resumes where
    // the last one stopped: a line of a thousand unclosed '[[' is scanned once, not a thousand times.
    var bold = ClosingMarker("**", in: scalars)
    var star = ClosingMarker("*", in: scalars)
    var backtick = ClosingMarker("`", in: scalars)
    var termEnd = ClosingMarker("]]", in: scalars)
    var citationEnd = ClosingMarker("]", in: scalars)
    // An opener with no closer after it means every later one of its kind is unclosed too: say it once.
    var reportedUnclosed: Set<String> = []
    func unclosed(_ opener: String, at index: Int, _ message: String) {
      if reportedUnclosed.insert(opener).inserted { error(index, message) }
    }

    while i < scalars.count {
      let c = scalars[i]
      let next: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
      if c == "\\", let next {
        plain.unicodeScalars.append(next)
        i += 2
        continue
      }
      if c == "*" && next == "*" {
        let closing = bold.first(from: i + 2)
        guard let close = closing, close > i + 2 else {
          if closing == nil {
            unclosed("**", at: i, "'**' is not closed")
          } else {
            error(i, "'****' is an empty bold (write \\* for a literal asterisk)")
          }
          plain += "**"
          i += 2
          continue
        }
        flushPlain()
        let start = i + 2
        let inner = parse(slice(start..<close), error: { error(start + $0, $1) }, use: { use($0, $1, start + $2) })
        result.append(.bold(inner))
        i = close + 2
        continue
      }
      if c == "*" {
        guard let close = star.first(from: i + 1), close > i + 1 else {
          unclosed("*", at: i, "'*' is not closed (write \\* for a literal asterisk)")
          plain.append("*")
          i += 1
          continue
        }
        flushPlain()
        let start = i + 1
        let inner = parse(slice(start..<close), error: { error(start + $0, $1) }, use: { use($0, $1, start + $2) })
        result.append(.italic(inner))
        i = close + 1
        continue
      }
      if c == "`" {
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
      if c == "[" && next == "[" {
        guard let close = termEnd.first(from: i + 2) else {
          unclosed("[[", at: i, "'[[' is not closed by ']]'")
          plain += "[["
          i += 2
          continue
        }
        let inside = slice((i + 2)..<close)
        let parts = inside.split(separator: "|", maxSplits: 1).map { $0.trimmed }
        let term = parts.first ?? ""
        if term.isEmpty {
          error(i, "empty glossary link")
        } else {
          use(.glossaryTerm, term, i)
        }
        flushPlain()
        result.append(.term(term: term, shown: parts.count > 1 ? parts[1] : term))
        i = close + 2
        continue
      }
      if c == "[" && next == "@" {
        guard let close = citationEnd.first(from: i + 2) else {
          unclosed("[@", at: i, "'[@' is not closed by ']'")
          plain += "[@"
          i += 2
          continue
        }
        let keys = slice((i + 2)..<close).split(separator: ";").map {
          $0.trimmed.drop { $0 == "@" }.description
        }
        flushPlain()
        for key in keys {
          use(.citation, key, i)
          result.append(.citation(key))
        }
        i = close + 1
        continue
      }
      // A run of ordinary text is copied at once, not one scalar at a time.
      var end = i + 1
      while end < scalars.count, !Self.startsMarkup(scalars[end]) { end += 1 }
      plain += slice(i..<end)
      i = end
    }
    flushPlain()
    return result
  }

  /// Whether a scalar can start markup (or escape it).
  private static func startsMarkup(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\\", "*", "`", "[": true
    default: false
    }
  }

  /// Joins adjacent plain-text runs (collected in one buffer: a paragraph of many lines stays linear).
  static func merged(_ inlines: [Inline]) -> [Inline] {
    var result: [Inline] = []
    var text = ""
    var hasText = false
    func flushText() {
      if hasText { result.append(.text(text)) }
      text = ""
      hasText = false
    }
    for inline in inlines {
      if case .text(let s) = inline {
        text.append(s)
        hasText = true
      } else {
        flushText()
        result.append(inline)
      }
    }
    flushText()
    return result
  }
}

/// Finds a closing marker in a line, searching from left to right. It remembers its last answer:
/// a later search that starts at or before that answer gets it at once, and a search after a
/// failed one fails at once, so searches that only move forward read each character once.
private struct ClosingMarker {
  private let marker: [Unicode.Scalar]
  private let scalars: [Unicode.Scalar]
  /// The last search started here ...
  private var searchedFrom = Int.max
  /// ... and found the marker here (nil: nowhere after `searchedFrom`).
  private var found: Int?

  init(_ marker: String, in scalars: [Unicode.Scalar]) {
    self.marker = Array(marker.unicodeScalars)
    self.scalars = scalars
  }

  mutating func first(from start: Int) -> Int? {
    if start >= searchedFrom {
      guard let found else { return nil }
      if found >= start { return found }
    }
    var j = start
    var result: Int?
    search: while j + marker.count <= scalars.count {
      for k in 0..<marker.count where scalars[j + k] != marker[k] {
        j += 1
        continue search
      }
      result = j
      break
    }
    searchedFrom = start
    found = result
    return result
  }
}
