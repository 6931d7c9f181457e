import Foundation
import TerminalUI
import TutorCore

/// The only loop: take a message (from the terminal, the clock or the inbox), update, draw the
/// changed rows, run the commands.
public final class Runner {
  /// Messages from any other source (a background job, a network peer), taken before each key.
  public let inbox = Inbox()
  public private(set) var state: AppState
  private let terminal: any Terminal
  private let execute: (Command) -> AppMessage?
  private let clock: () -> Date
  private var lastFrame: Grid?
  /// Run once after the first frame is drawn, before any key is read (the full course arrives here).
  public var afterFirstFrame: (() -> AppMessage?)?

  /// `execute` performs a command's I/O and may answer with a message; `clock` tells the time.
  public init(
    state: AppState, terminal: any Terminal, clock: @escaping () -> Date = Date.init,
    execute: @escaping (Command) -> AppMessage?
  ) {
    self.state = state
    self.terminal = terminal
    self.clock = clock
    self.execute = execute
  }

  /// Runs until a quit command; returns the final state.
  @discardableResult
  public func run() -> AppState {
    state.size = terminal.size
    draw()
    if let message = afterFirstFrame?() {
      guard send(message) else { return state }
    }
    while true {
      for message in inbox.takeAll() {
        guard send(message) else { return state }
      }
      // The clock ticks before every event and four times a second while idle (timers).
      guard send(.clockTicked(clock())) else { break }
      guard let event = terminal.nextEvent(timeoutMilliseconds: 250) else {
        drawIfChanged()
        continue
      }
      let message: AppMessage
      switch event {
      case .key(let key): message = .key(key)
      case .resized(let size):
        message = .resized(size)
        lastFrame = nil
      case .hangUp: message = .hangUp
      }
      if !send(message) { break }
      draw()
    }
    return state
  }

  /// Runs commands produced outside a message (for example by `App.open`); false once the app quits.
  public func perform(_ commands: [Command]) -> Bool {
    for command in commands {
      if command == .quit { return false }
      if let reply = execute(command), !send(reply) { return false }
    }
    return true
  }

  /// Updates with `message` and runs the resulting commands; false once the app quits.
  public func send(_ message: AppMessage) -> Bool {
    var pending = [message]
    while !pending.isEmpty {
      let next = pending.removeFirst()
      for command in App.update(&state, next) {
        if command == .quit { return false }
        if let reply = execute(command) { pending.append(reply) }
      }
    }
    return true
  }

  private func drawIfChanged() {
    let frame = App.render(state)
    if frame != lastFrame { draw(frame) }
  }

  private func draw(_ frame: Grid) {
    terminal.draw(frame, previous: lastFrame)
    lastFrame = frame
  }

  private func draw() {
    let frame = App.render(state)
    terminal.draw(frame, previous: lastFrame)
    lastFrame = frame
  }
}
