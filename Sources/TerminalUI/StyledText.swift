/// A run of text in one style.
public struct StyledText: Hashable, Sendable {
  public var text: String
  public var style: Style
  public init(_ text: String, _ style: Style = .normal) {
    self.text = text
    self.style = style
  }
}

/// Word wrapping by display width.
public enum TextWrapper {
  /// Wraps styled runs into lines of at most `width` columns. Breaks at spaces;
  /// a word longer than a line is broken by columns. `indent` prefixes continuation lines.
  public static func wrap(_ spans: [StyledText], width: Int, indent: Int = 0) -> [[StyledText]] {
    guard width > 0 else { return [] }
    // Split into words (keeping style), with the spaces between them.
    struct Piece {
      var runs: [StyledText]
      var width: Int
    }
    var words: [Piece] = []
    var current = Piece(runs: [], width: 0)
    var pendingBreak = false
    for span in spans {
      var buffer = ""
      func flushBuffer() {
        if !buffer.isEmpty {
          current.runs.append(StyledText(buffer, span.style))
          current.width += DisplayWidth.of(buffer)
          buffer = ""
        }
      }
      for character in span.text {
        if character == " " || character == "\n" || character == "\t" {
          flushBuffer()
          if !current.runs.isEmpty { words.append(current) }
          current = Piece(runs: [], width: 0)
          pendingBreak = true
        } else {
          buffer.append(character)
        }
      }
      flushBuffer()
    }
    _ = pendingBreak
    if !current.runs.isEmpty { words.append(current) }

    var lines: [[StyledText]] = []
    var line: [StyledText] = []
    var used = 0
    func finishLine() {
      lines.append(line)
      line = indent > 0 ? [StyledText(String(repeating: " ", count: indent))] : []
      used = indent
    }
    for word in words {
      let room = width - used
      let needsSpace = used > (lines.isEmpty ? 0 : indent) && !line.isEmpty
      let spaceWidth = needsSpace ? 1 : 0
      if word.width + spaceWidth <= room {
        if needsSpace { line.append(StyledText(" ", word.runs.first?.style ?? .normal)) }
        line.append(contentsOf: word.runs)
        used += word.width + spaceWidth
        continue
      }
      if !line.isEmpty && used > indent { finishLine() }
      // Break words wider than a whole line by columns.
      var remaining = word
      while remaining.width > width - used {
        var taken: [StyledText] = []
        var takenWidth = 0
        var rest: [StyledText] = []
        for run in remaining.runs {
          if !rest.isEmpty {
            rest.append(run)
            continue
          }
          var head = ""
          var tail = ""
          for character in run.text {
            let w = DisplayWidth.of(character)
            if tail.isEmpty && takenWidth + w <= max(1, width - used) {
              head.append(character)
              takenWidth += w
            } else {
              tail.append(character)
            }
          }
          if !head.isEmpty { taken.append(StyledText(head, run.style)) }
          if !tail.isEmpty { rest.append(StyledText(tail, run.style)) }
        }
        line.append(contentsOf: taken)
        used += takenWidth
        finishLine()
        remaining = Piece(runs: rest, width: rest.reduce(0) { $0 + DisplayWidth.of($1.text) })
        if takenWidth == 0 { break }
      }
      if !remaining.runs.isEmpty {
        line.append(contentsOf: remaining.runs)
        used += remaining.width
      }
    }
    if !line.isEmpty && (used > indent || lines.isEmpty) { lines.append(line) }
    return lines
  }

  /// Wraps plain text in one style.
  public static func wrap(_ text: String, width: Int, style: Style = .normal) -> [[StyledText]] {
    wrap([StyledText(text, style)], width: width)
  }
}
