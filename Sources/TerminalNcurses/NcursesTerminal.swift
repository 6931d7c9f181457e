import CNCurses
import Glibc
import TerminalUI

nonisolated(unsafe) private var receivedSignal: Int32 = 0

/// The real terminal, through ncursesw. It only translates: keys in, cells out.
public final class NcursesTerminal: Terminal {
  public struct StartError: Error, CustomStringConvertible {
    public var description: String
  }

  private let screen: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private let usesColor: Bool
  private var isShutDown = false

  /// Starts curses on the controlling terminal. `color` false gives a monochrome theme.
  /// Refuses to start without a UTF-8 locale (see `TerminalLocale`) rather than draw garbled glyphs.
  public init(color: Bool) throws {
    guard TerminalLocale.usesUTF8 else { throw StartError(description: TerminalLocale.advice + " Or use --plain.") }
    guard let screen = tutor_newterm() else {
      throw StartError(
        description:
          "cannot start the full-screen interface on this terminal (TERM=\(getenv("TERM").map { String(cString: $0) } ?? "unset")); use --plain"
      )
    }
    self.screen = screen
    _ = set_term(screen)
    window = tutor_stdscr()
    raw()
    noecho()
    nonl()
    keypad(window, true)
    set_escdelay(25)
    curs_set(0)
    usesColor = color && has_colors()
    if usesColor {
      start_color()
      use_default_colors()
      for (index, role) in Role.allCases.enumerated() {
        init_pair(Int16(index + 1), Self.foreground(role), -1)
      }
    }
    tutor_install_crash_handlers()
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
      signal(sig) { receivedSignal = $0 }
    }
  }

  deinit { shutdown() }

  /// The signal that ended the session (SIGTERM, SIGHUP, SIGINT or SIGQUIT), if one did.
  public var stoppingSignal: Int32? { receivedSignal == 0 ? nil : receivedSignal }

  public var size: Size { Size(width: Int(getmaxx(window)), height: Int(getmaxy(window))) }

  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    if receivedSignal != 0 { return .hangUp }
    wtimeout(window, Int32(timeoutMilliseconds))
    var character: wint_t = 0
    let result = wget_wch(window, &character)
    if receivedSignal != 0 { return .hangUp }
    if result == ERR {
      return inputIsGone() ? .hangUp : nil
    }
    if result == KEY_CODE_YES {
      return Self.special(Int32(character), size: size)
    }
    if character == 27 { return readEscapeSequence().map { .key($0) } }
    return Self.character(UInt32(character))
  }

  /// How long to wait for each character after ESC, on top of ncurses' own escape delay.
  private static let escapeSequenceWait: Int32 = 25

  /// ncurses hands over ESC and then the rest of any sequence it does not know (Home as
  /// `ESC [ 1 ~` under TERM=xterm-256color): read and decode it rather than act on Esc.
  private func readEscapeSequence() -> Key? {
    wtimeout(window, Self.escapeSequenceWait)
    return EscapeSequence.read {
      var character: wint_t = 0
      let result = wget_wch(window, &character)
      if result == KEY_CODE_YES {
        // A key ncurses did decode ends the sequence; it is read again as itself.
        ungetch(Int32(character))
        return nil
      }
      guard result != ERR, receivedSignal == 0 else { return nil }
      return Unicode.Scalar(UInt32(character))
    }
  }

  /// True when standard input hung up (the terminal closed).
  private func inputIsGone() -> Bool {
    var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, 0) >= 0 else { return true }
    return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
  }

  static func special(_ code: Int32, size: Size) -> InputEvent? {
    switch code {
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_NPAGE: return .key(.pageDown)
    case KEY_PPAGE: return .key(.pageUp)
    case KEY_HOME: return .key(.home)
    case KEY_END: return .key(.end)
    case KEY_ENTER: return .key(.enter)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_F0 + 1: return .key(.f1)
    case KEY_RESIZE: return .resized(size)
    default: return nil
    }
  }

  static func character(_ value: UInt32) -> InputEvent? {
    switch value {
    case 10, 13: return .key(.enter)
    case 27: return .key(.escape)
    case 8, 127: return .key(.backspace)
    case 9: return .key(.tab)
    case 1...26: return .key(.control(Character(Unicode.Scalar(value + 96)!)))
    default:
      guard let scalar = Unicode.Scalar(value) else { return nil }
      return .key(.character(Character(scalar)))
    }
  }

  public func draw(_ grid: Grid, previous: Grid?) {
    if previous == nil || previous?.size != grid.size { werase(window) }
    for y in grid.changedRows(since: previous) {
      wmove(window, Int32(y), 0)
      var run = ""
      var runStyle: Style?
      for x in 0..<grid.size.width {
        let cell = grid[x, y]
        if cell.isContinuation { continue }
        if cell.style != runStyle {
          flush(run, style: runStyle)
          run = ""
          runStyle = cell.style
        }
        run += cell.text
      }
      flush(run, style: runStyle)
    }
    wnoutrefresh(window)
    doupdate()
  }

  private func flush(_ text: String, style: Style?) {
    guard !text.isEmpty, let style else { return }
    wattrset(window, Int32(bitPattern: attributes(for: style)))
    _ = text.withCString { waddstr(window, $0) }
  }

  private func attributes(for style: Style) -> UInt32 {
    var attributes = tutor_a_normal()
    if style.emphasis.contains(.bold) { attributes |= tutor_a_bold() }
    if style.emphasis.contains(.italic) { attributes |= tutor_a_italic() }
    if style.emphasis.contains(.underline) { attributes |= tutor_a_underline() }
    if style.emphasis.contains(.reverse) { attributes |= tutor_a_reverse() }
    if usesColor, let index = Role.allCases.firstIndex(of: style.role), style.role != .normal {
      attributes |= tutor_color_pair(Int32(index + 1))
    } else if style.role == .muted || style.role == .citation {
      attributes |= tutor_a_dim()
    }
    return UInt32(attributes)
  }

  private static func foreground(_ role: Role) -> Int16 {
    switch role {
    case .normal: -1
    case .title, .heading, .keyHint, .term: Int16(COLOR_CYAN)
    case .selection: Int16(COLOR_BLUE)
    case .correct: Int16(COLOR_GREEN)
    case .incorrect, .warning: Int16(COLOR_RED)
    case .hint, .status, .code: Int16(COLOR_YELLOW)
    case .muted, .citation: -1
    case .accent: Int16(COLOR_MAGENTA)
    }
  }

  public func shutdown() {
    guard !isShutDown else { return }
    isShutDown = true
    curs_set(1)
    endwin()
    delscreen(screen)
  }
}
