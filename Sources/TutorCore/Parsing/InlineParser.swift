import Foundation

/// Parses inline markup: **bold**, *italic*, `code`, [[term]], [[term|shown]], [@citation].
enum InlineParser {
  static func parse(
    _ text: String,
    error: (Int, String) -> Void,
    use: (SymbolUse.Kind, String, Int) -> Void
  ) -> [Inline] {
    let characters = Array(text)
    var result: [Inline] = []
    var plain = ""
    var i = 0

    func flushPlain() {
      if !plain.isEmpty {
        result.append(.text(plain))
        plain = ""
      }
    }
    func find(_ marker: String, from start: Int) -> Int? {
      let m = Array(marker)
      var j = start
      outer: while j + m.count <= characters.count {
        for k in 0..<m.count where characters[j + k] != m[k] {
          j += 1
          continue outer
        }
        return j
      }
      return nil
    }

    while i < characters.count {
      let c = characters[i]
      let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
      if c == "\\", let next {
        plain.append(next)
        i += 2
        continue
      }
      if c == "*" && next == "*" {
        guard let close = find("**", from: i + 2), close > i + 2 else {
          error(i, "'**' is not closed")
          plain.append("**")
          i += 2
          continue
        }
        flushPlain()
        let start = i + 2
        let inner = parse(String(characters[start..<close]), error: { error(start + $0, $1) }, use: { use($0, $1, start + $2) })
        result.append(.bold(inner))
        i = close + 2
        continue
      }
      if c == "*" {
        guard let close = find("*", from: i + 1), close > i + 1 else {
          error(i, "'*' is not closed (write \\* for a literal asterisk)")
          plain.append("*")
          i += 1
          continue
        }
        flushPlain()
        let start = i + 1
        let inner = parse(String(characters[start..<close]), error: { error(start + $0, $1) }, use: { use($0, $1, start + $2) })
        result.append(.italic(inner))
        i = close + 1
        continue
      }
      if c == "`" {
        guard let close = find("`", from: i + 1) else {
          error(i, "'`' is not closed")
          plain.append("`")
          i += 1
          continue
        }
        flushPlain()
        result.append(.code(String(characters[(i + 1)..<close])))
        i = close + 1
        continue
      }
      if c == "[" && next == "[" {
        guard let close = find("]]", from: i + 2) else {
          error(i, "'[[' is not closed by ']]'")
          plain.append("[[")
          i += 2
          continue
        }
        let inside = String(characters[(i + 2)..<close])
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
        guard let close = find("]", from: i + 2) else {
          error(i, "'[@' is not closed by ']'")
          plain.append("[@")
          i += 2
          continue
        }
        let keys = String(characters[(i + 2)..<close]).split(separator: ";").map {
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
      plain.append(c)
      i += 1
    }
    flushPlain()
    return result
  }

  /// Joins adjacent plain-text runs.
  static func merged(_ inlines: [Inline]) -> [Inline] {
    var result: [Inline] = []
    for inline in inlines {
      if case .text(let s) = inline, case .text(let previous)? = result.last {
        result[result.count - 1] = .text(previous + s)
      } else {
        result.append(inline)
      }
    }
    return result
  }
}
