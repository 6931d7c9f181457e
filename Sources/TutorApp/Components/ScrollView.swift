import TerminalUI

/// Draws wrapped lines with a vertical offset and "more" markers.
enum ScrollView {
  static func clampedScroll(_ scroll: Int, lineCount: Int, height: Int) -> Int {
    max(0, min(scroll, lineCount - height))
  }

  static func draw(_ lines: [[StyledText]], scroll: Int, in area: Rect, into grid: inout Grid) {
    guard area.height > 0 else { return }
    let offset = clampedScroll(scroll, lineCount: lines.count, height: area.height)
    for (row, line) in lines.dropFirst(offset).prefix(area.height).enumerated() {
      grid.write(line, x: area.x, y: area.y + row, clip: area)
    }
    // Markers sit in the right margin so they never hide text.
    let column = min(grid.size.width - 1, area.maxX + 1)
    if offset > 0 {
      grid.write("↑", x: column, y: area.y, style: Style(.accent, [.bold]))
    }
    if offset + area.height < lines.count {
      grid.write("↓", x: column, y: area.maxY - 1, style: Style(.accent, [.bold]))
    }
  }
}
