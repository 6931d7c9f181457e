/// One terminal cell. A wide character fills its first cell; the cell after it
/// holds an empty `text` and is skipped when drawing.
public struct Cell: Hashable, Sendable {
  public var text: String
  public var style: Style
  public init(_ text: String = " ", style: Style = .normal) {
    self.text = text
    self.style = style
  }
  public static let blank = Cell()
  /// True for the second half of a wide character.
  public var isContinuation: Bool { text.isEmpty }
}

/// An in-memory frame: screens draw into it, the backend copies what changed.
public struct Grid: Equatable, Sendable {
  public let size: Size
  public private(set) var cells: [Cell]

  public init(size: Size) {
    self.size = Size(width: max(0, size.width), height: max(0, size.height))
    cells = Array(repeating: .blank, count: self.size.width * self.size.height)
  }

  public var bounds: Rect { Rect(size: size) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * size.width + x] }
    set { cells[y * size.width + x] = newValue }
  }

  /// Writes `text` at (x, y), clipped to `clip` (default: the whole grid).
  /// Returns the number of columns written.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .normal, clip: Rect? = nil
  ) -> Int {
    let area = clip ?? bounds
    guard y >= area.y, y < area.maxY, y >= 0, y < size.height else { return 0 }
    let limit = min(area.maxX, size.width)
    var column = x
    for character in text {
      if character == "\n" || character == "\r" { break }
      let width = DisplayWidth.of(character)
      if width == 0 {
        // Combining mark: attach it to the previous cell so it renders with its base.
        if column > area.x, column - 1 < size.width, column - 1 >= 0 {
          var previous = column - 1
          if self[previous, y].isContinuation, previous > 0 { previous -= 1 }
          self[previous, y].text.append(character)
        }
        continue
      }
      if column + width > limit { break }
      if column >= area.x && column >= 0 {
        clearWideNeighbour(x: column, y: y)
        self[column, y] = Cell(String(character), style: style)
        if width == 2 {
          if column + 1 < size.width {
            clearWideNeighbour(x: column + 1, y: y)
            self[column + 1, y] = Cell("", style: style)
          }
        }
      }
      column += width
    }
    return column - x
  }

  /// Overwriting half of a wide character blanks its other half.
  private mutating func clearWideNeighbour(x: Int, y: Int) {
    let cell = self[x, y]
    if cell.isContinuation, x > 0 {
      self[x - 1, y] = Cell(" ", style: self[x - 1, y].style)
    } else if DisplayWidth.of(cell.text) == 2, x + 1 < size.width {
      self[x + 1, y] = Cell(" ", style: cell.style)
    }
  }

  /// Fills a rectangle with blanks of a style.
  public mutating func fill(_ rect: Rect, style: Style = .normal) {
    for y in max(0, rect.y)..<min(size.height, rect.maxY) {
      for x in max(0, rect.x)..<min(size.width, rect.maxX) {
        self[x, y] = Cell(" ", style: style)
      }
    }
  }

  /// Applies a style to the cells of a rectangle without changing their text.
  public mutating func restyle(_ rect: Rect, style: Style) {
    for y in max(0, rect.y)..<min(size.height, rect.maxY) {
      for x in max(0, rect.x)..<min(size.width, rect.maxX) {
        self[x, y].style = style
      }
    }
  }

  /// Draws a run of styled spans at (x, y).
  @discardableResult
  public mutating func write(_ spans: [StyledText], x: Int, y: Int, clip: Rect? = nil) -> Int {
    var column = x
    for span in spans {
      column += write(span.text, x: column, y: y, style: span.style, clip: clip)
    }
    return column - x
  }

  /// Draws a single-line box border around `rect`.
  public mutating func box(_ rect: Rect, style: Style = Style(.muted)) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let horizontal = String(repeating: "─", count: rect.width - 2)
    write("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
    write("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
    for y in (rect.y + 1)..<(rect.maxY - 1) {
      write("│", x: rect.x, y: y, style: style)
      write("│", x: rect.maxX - 1, y: y, style: style)
    }
  }

  /// The text of one row, trailing blanks removed.
  public func line(_ y: Int) -> String {
    var text = ""
    for x in 0..<size.width { text += self[x, y].text }
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }

  /// Every row as text: what a test reads.
  public var lines: [String] { (0..<size.height).map(line) }

  /// The rows as one string, each row wrapped in `|...|` (for snapshots).
  public var framedText: String {
    (0..<size.height).map { y in
      var text = ""
      for x in 0..<size.width { text += self[x, y].text }
      return "|" + text + "|"
    }.joined(separator: "\n")
  }

  /// Rows that differ from `previous`; every row when the size changed.
  public func changedRows(since previous: Grid?) -> [Int] {
    guard let previous, previous.size == size else { return Array(0..<size.height) }
    var rows: [Int] = []
    for y in 0..<size.height {
      let start = y * size.width
      if cells[start..<(start + size.width)] != previous.cells[start..<(start + size.width)] {
        rows.append(y)
      }
    }
    return rows
  }
}
