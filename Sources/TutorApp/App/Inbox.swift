import Foundation

/// Where any source posts messages for the run loop: command replies, a background job, a
/// network connection. Safe to post from any thread; the runner takes them in order.
public final class Inbox: @unchecked Sendable {
  private let lock = NSLock()
  private var messages: [AppMessage] = []

  public init() {}

  public func post(_ message: AppMessage) {
    lock.lock()
    messages.append(message)
    lock.unlock()
  }

  /// Everything posted so far, oldest first; the inbox is left empty.
  func takeAll() -> [AppMessage] {
    lock.lock()
    defer { lock.unlock() }
    let taken = messages
    messages = []
    return taken
  }
}
