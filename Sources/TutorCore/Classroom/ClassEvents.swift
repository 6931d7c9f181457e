/// What happened in a class, as the host's screen or its plain-mode lines show it.
public enum ClassHostEvent: Equatable, Sendable {
  case listening(String)
  case joined(name: String, present: Int)
  case left(name: String)
  case opened(number: Int, of: Int)
  case answered(number: Int, answered: Int, present: Int)
  case locked(number: Int)
  case revealed(number: Int, ClassReveal)
  case scores([ClassScore])
  case ended(ClassReport, [ClassScore])
  case paused, resumed
  case refused(String)
  /// A line for the teacher (where the results were kept).
  case note(String)
}

/// What the teacher asks of the host.
public enum ClassCommand: Equatable, Sendable {
  case start, next, reveal, end, lock, unlock, board, pause, resume
  case kick(String)
  case extend(String, seconds: Int)
}
