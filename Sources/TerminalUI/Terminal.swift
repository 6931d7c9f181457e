/// The seam between the run loop and a real or in-memory terminal.
public protocol Terminal: AnyObject {
  /// The current size in cells.
  var size: Size { get }
  /// Waits for the next event; `nil` when `timeoutMilliseconds` passed without one.
  func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
  /// Shows `grid`; `previous` is the frame on screen, so only changed rows need drawing.
  func draw(_ grid: Grid, previous: Grid?)
  /// Restores the terminal to the state it was in before the program started.
  func shutdown()
}
