import TerminalUI
import TutorCore

/// The frame every screen shares: a title bar, a footer of keys, a status line.
enum Chrome {
  /// The text area of a screen's body in a terminal of `size`: below the title bar and a blank
  /// row, above the status and footer rows, at most 100 columns wide.
  static func textArea(for size: Size, withPanel: Bool = false) -> Rect {
    let body = Rect(x: 0, y: 1, width: size.width, height: size.height - 3)
    let width = min(body.width - 4, 100)
    if withPanel, let panel = panelArea(for: size) {
      // The text column keeps its width; the panel takes the room on its right.
      return Rect(x: max(2, panel.x - 4 - width), y: body.y + 1, width: width, height: body.height - 1)
    }
    return Rect(x: body.x + max(2, (body.width - width) / 2), y: body.y + 1, width: width, height: body.height - 1)
  }

  /// From about 140 columns a side panel uses the room beside the text (nil below that).
  static let panelMinimumWidth = 140

  static func panelArea(for size: Size) -> Rect? {
    guard size.width >= panelMinimumWidth else { return nil }
    let width = min(48, size.width - 104 - 4)
    return Rect(x: size.width - width - 2, y: 2, width: width, height: size.height - 5)
  }

  /// Draws a side panel: a titled box of lines.
  static func drawPanel(title: String, lines: [[StyledText]], in area: Rect, into grid: inout Grid) {
    grid.box(area, style: Style(.muted))
    grid.write(" \(title) ", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
    let inner = area.insetBy(dx: 2, dy: 1)
    for (index, line) in lines.prefix(max(0, inner.height)).enumerated() {
      grid.write(line, x: inner.x, y: inner.y + index, clip: inner)
    }
  }

  /// Draws the title bar and footer; returns the area left for the screen's body.
  static func draw(
    title: String, right: String, help: [HelpEntry], status: String?, in area: Rect, into grid: inout Grid
  ) -> Rect {
    let (top, rest) = area.splitTop(1)
    grid.fill(top, style: Style(.title, [.reverse]))
    let rightWidth = DisplayWidth.of(right)
    let titleRoom = max(0, top.width - rightWidth - 3)
    grid.write(
      " " + DisplayWidth.truncated(title, to: titleRoom), x: top.x, y: top.y, style: Style(.title, [.reverse, .bold]))
    if rightWidth + 2 <= top.width {
      grid.write(right, x: top.maxX - rightWidth - 1, y: top.y, style: Style(.title, [.reverse]))
    }
    // The status row is always reserved, so the body does not jump when a message appears.
    let (body, bottom) = rest.splitBottom(2)
    if let status {
      grid.write(
        DisplayWidth.truncated(" " + status, to: bottom.width), x: bottom.x, y: bottom.y, style: Style(.status, [.bold])
      )
    }
    drawFooter(help.filter(\.inFooter), y: bottom.maxY - 1, x: bottom.x, width: bottom.width, into: &grid)
    return body
  }

  /// Draws as many entries as fit; the last two (leave and help) are always kept.
  static func drawFooter(_ entries: [HelpEntry], y: Int, x: Int, width: Int, into grid: inout Grid) {
    func needed(_ entry: HelpEntry) -> Int { DisplayWidth.of(entry.keys) + 1 + DisplayWidth.of(entry.help) + 2 }
    let kept = entries.suffix(2)
    var shown = Array(entries.dropLast(2))
    let room = width - 1 - kept.reduce(0) { $0 + needed($1) }
    // When the row is too narrow, the arrow keys go first (they are the ones people guess).
    func isArrows(_ entry: HelpEntry) -> Bool { entry.keys.hasPrefix("↑") || entry.keys.hasPrefix("↓") }
    while shown.reduce(0, { $0 + needed($1) }) > room,
      let index = shown.lastIndex(where: isArrows) ?? shown.indices.last
    {
      shown.remove(at: index)
    }
    var column = x + 1
    for entry in shown + kept {
      if column + needed(entry) > x + width + 2 { break }
      column += grid.write(entry.keys, x: column, y: y, style: Style(.keyHint, [.bold]))
      column += grid.write(" " + entry.help + "  ", x: column, y: y, style: Style(.muted))
    }
  }

  /// A centred box listing every key of the current screen.
  static func drawHelp(_ entries: [HelpEntry], in area: Rect, into grid: inout Grid) {
    let all = entries + [HelpEntry(keys: "?", help: "show or hide this help", inFooter: false)]
    let keyWidth = all.map { DisplayWidth.of($0.keys) }.max() ?? 1
    let helpWidth = all.map { DisplayWidth.of($0.help) }.max() ?? 1
    let width = min(area.width, keyWidth + helpWidth + 7)
    let height = min(area.height, all.count + 4)
    let box = Rect(
      x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
    grid.fill(box)
    grid.box(box, style: Style(.accent))
    grid.write(" Keys ", x: box.x + 2, y: box.y, style: Style(.title, [.bold]))
    for (index, entry) in all.enumerated() where index + 2 < height - 1 {
      let y = box.y + 2 + index
      grid.write(entry.keys, x: box.x + 2, y: y, style: Style(.keyHint, [.bold]), clip: box.insetBy(dx: 1, dy: 1))
      grid.write(entry.help, x: box.x + 4 + keyWidth, y: y, clip: box.insetBy(dx: 1, dy: 1))
    }
    grid.write(" any key closes ", x: box.maxX - 18, y: box.maxY - 1, style: Style(.muted))
  }

  /// A box of `lines` with a title, centred in `area` (confirmations, the exam's question grid).
  static func drawBox(title: String, lines: [[StyledText]], footer: String? = nil, in area: Rect, into grid: inout Grid)
  {
    let widest = lines.map { $0.reduce(0) { $0 + DisplayWidth.of($1.text) } }.max() ?? 0
    let width = min(area.width, max(widest, DisplayWidth.of(title) + 2, DisplayWidth.of(footer ?? "") + 2) + 4)
    let height = min(area.height, lines.count + 2)
    let box = Rect(
      x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
    grid.fill(box)
    grid.box(box, style: Style(.accent))
    grid.write(" \(title) ", x: box.x + 2, y: box.y, style: Style(.title, [.bold]))
    for (index, line) in lines.prefix(max(0, height - 2)).enumerated() {
      grid.write(line, x: box.x + 2, y: box.y + 1 + index, clip: box.insetBy(dx: 1, dy: 1))
    }
    if let footer {
      grid.write(" \(footer) ", x: box.maxX - DisplayWidth.of(footer) - 4, y: box.maxY - 1, style: Style(.muted))
    }
  }

  /// The message shown instead of a screen when the terminal is below the minimum size.
  static func drawTooSmall(_ size: Size, minimum: Size, into grid: inout Grid) {
    let text =
      "Terminal too small: \(size.width)x\(size.height). Need \(minimum.width)x\(minimum.height). Enlarge the window, or press q to quit."
    let lines = TextWrapper.wrap(text, width: max(1, size.width), style: Style(.warning, [.bold]))
    for (index, line) in lines.prefix(size.height).enumerated() {
      grid.write(line, x: 0, y: index)
    }
  }
}
