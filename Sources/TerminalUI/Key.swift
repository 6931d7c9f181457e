/// A key as the screens see it: never a raw key code.
public enum Key: Hashable, Sendable {
  case character(Character)
  case up, down, left, right
  case pageUp, pageDown, home, end
  case enter, escape, backspace, tab, delete
  /// F1: the help, wherever `?` must be typed as a character.
  case f1
  /// Control plus a lowercase letter, for example `.control("c")`.
  case control(Character)

  /// A short label for help bars, for example "↑", "Enter", "q".
  public var label: String {
    switch self {
    case .character(" "): return "Space"
    case .character(let c): return String(c)
    case .up: return "↑"
    case .down: return "↓"
    case .left: return "←"
    case .right: return "→"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .home: return "Home"
    case .end: return "End"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .backspace: return "Backspace"
    case .tab: return "Tab"
    case .delete: return "Del"
    case .f1: return "F1"
    case .control(let c): return "Ctrl-\(c.uppercased())"
    }
  }
}

/// What the terminal reports to the run loop.
public enum InputEvent: Hashable, Sendable {
  case key(Key)
  case resized(Size)
  /// The terminal went away (hang-up, end of input) or a termination signal arrived.
  case hangUp
}
