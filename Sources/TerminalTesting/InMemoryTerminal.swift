import TerminalUI

/// A terminal for tests: plays a script of events and keeps every frame drawn.
public final class InMemoryTerminal: Terminal {
  public private(set) var size: Size
  private var events: [InputEvent]
  public private(set) var frames: [Grid] = []
  public private(set) var isShutDown = false

  public init(size: Size, events: [InputEvent] = []) {
    self.size = size
    self.events = events
  }

  /// Queues more input.
  public func send(_ newEvents: [InputEvent]) { events += newEvents }

  /// Plays the next scripted event; when the script is over, the terminal hangs up.
  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    guard !events.isEmpty else { return .hangUp }
    let event = events.removeFirst()
    if case .resized(let newSize) = event { size = newSize }
    return event
  }

  public func draw(_ grid: Grid, previous: Grid?) { frames.append(grid) }

  public func shutdown() { isShutDown = true }

  /// The last frame as text rows.
  public var screen: [String] { frames.last?.lines ?? [] }
}
