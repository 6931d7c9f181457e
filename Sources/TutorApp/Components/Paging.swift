import TerminalUI

/// The same paging keys on every screen where text scrolls: Space/PgDn a screen down, Ctrl-D
/// half a screen, PgUp/Ctrl-U up, Home/End or g/G to the top and bottom, j/k or ↓/↑ a line.
public enum PageMove: Equatable, Sendable {
  case lineDown, lineUp, pageDown, pageUp, halfDown, halfUp, top, bottom

  /// The key table of paging, as messages of the screen that pages.
  /// `lines`: j/k and ↓/↑ scroll a line (screens that use them to select leave them out).
  static func bindings<M: Sendable>(
    _ message: (PageMove) -> M, lines: Bool = true, printable: Bool = true, footer: Bool = true
  ) -> [KeyBinding<M>] {
    var table: [KeyBinding<M>] = []
    if lines {
      table += [
        KeyBinding(printable ? [.down, .character("j")] : [.down], message(.lineDown), "scroll", footer: false),
        KeyBinding(printable ? [.up, .character("k")] : [.up], message(.lineUp), "scroll back", footer: false),
      ]
    }
    table += [
      KeyBinding(
        printable ? [.character(" "), .pageDown] : [.pageDown], message(.pageDown), "page down", footer: footer),
      KeyBinding([.pageUp], message(.pageUp), "page up", footer: false),
      KeyBinding([.control("d")], message(.halfDown), "half a page down", footer: false),
      KeyBinding([.control("u")], message(.halfUp), "half a page up", footer: false),
      KeyBinding(printable ? [.home, .character("g")] : [.home], message(.top), "top", footer: false),
      KeyBinding(printable ? [.end, .character("G")] : [.end], message(.bottom), "bottom", footer: false),
    ]
    return table
  }

  /// The scroll offset after this move (clamped to the text when it is laid out).
  func scroll(from offset: Int, height: Int) -> Int {
    let page = max(1, height - 1)
    switch self {
    case .lineDown: return offset + 1
    case .lineUp: return max(0, offset - 1)
    case .pageDown: return offset + page
    case .pageUp: return max(0, offset - page)
    case .halfDown: return offset + max(1, height / 2)
    case .halfUp: return max(0, offset - max(1, height / 2))
    case .top: return 0
    case .bottom: return Int.max / 2
    }
  }

  var isDownward: Bool { self == .lineDown || self == .pageDown || self == .halfDown || self == .bottom }
}
