import Foundation

/// Work on another thread while this one goes on; `value()` waits for it.
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
  private var result: Value?
  private let done = DispatchSemaphore(value: 0)

  public init(_ work: @escaping @Sendable () -> Value) {
    DispatchQueue.global().async {
      self.result = work()
      self.done.signal()
    }
  }

  /// Waits for the work (call once).
  public func value() -> Value {
    done.wait()
    guard let result else { preconditionFailure("the work signalled without a result") }
    return result
  }
}
