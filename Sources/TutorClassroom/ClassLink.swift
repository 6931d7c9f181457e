import Foundation
import NIOCore
import NIOPosix
import TutorCore

/// A student's place in a class, kept across dropped connections: it joins with the resume
/// token, keeps each answer until the host acknowledges it, and after a dropped connection
/// connects again with a growing wait, joins with the token and sends the unacknowledged answers
/// again (their keys make that safe). Both student interfaces use it.
public final class ClassLink: @unchecked Sendable {
  public enum Event: Sendable, Equatable {
    case message(HostMessage)
    /// The connection dropped; trying again.
    case reconnecting
    /// Back in the class after a dropped connection.
    case reconnected
    /// The connection is gone for good: the host said goodbye, the class ended, the link gave
    /// up, or it was never joined.
    case closed
  }

  private let address: ClassAddress
  private let code: String
  private let name: String?
  private let tokens: (load: @Sendable () -> String?, save: @Sendable (String) -> Void)
  private let onEvent: @Sendable (Event) -> Void
  private let giveUpAfter: TimeInterval
  private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
  private let lock = NSLock()
  private var client: ClassClient?
  /// Answers sent but not yet acknowledged, in the order given.
  private var pending: [(key: String, questionID: String, message: ClientMessage)] = []
  private var joined = false
  private var finished = false
  /// Between a dropped connection and the next one.
  private var inBackoff = false
  /// A drop was announced; the next welcome is announced as the way back.
  private var dropAnnounced = false
  /// A heartbeat goes out this often; a host not heard from for three of them is taken as gone
  /// (a host that vanished without closing the connection would otherwise be waited for forever).
  private let heartbeat: TimeInterval
  private var lastHeard = Date()
  private var watchdog: DispatchSourceTimer?

  public init(
    address: ClassAddress, code: String, name: String?, loadToken: @escaping @Sendable () -> String?,
    saveToken: @escaping @Sendable (String) -> Void, giveUpAfter: TimeInterval = 120, heartbeat: TimeInterval = 5,
    onEvent: @escaping @Sendable (Event) -> Void
  ) {
    self.heartbeat = heartbeat
    self.address = address
    self.code = code
    self.name = name
    tokens = (loadToken, saveToken)
    self.giveUpAfter = giveUpAfter
    self.onEvent = onEvent
  }

  /// Connects and says hello; throws when the class cannot be reached at all.
  public func start() throws {
    let client = makeClient()
    try client.connect(address)
    locked {
      self.client = client
      lastHeard = Date()
    }
    client.send(.hello(version: ClassProtocol.version, code: code, name: name, token: tokens.load()))
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + heartbeat, repeating: heartbeat)
    timer.setEventHandler { [weak self] in self?.beat() }
    locked { watchdog = timer }
    timer.resume()
  }

  /// Sends a heartbeat, or drops a connection the host has been silent on for too long.
  private func beat() {
    let (current, isSilent): (ClassClient?, Bool) = locked {
      guard !finished, !inBackoff, let client else { return (nil, false) }
      return (client, Date().timeIntervalSince(lastHeard) > 3 * heartbeat)
    }
    if isSilent {
      current?.close()  // reported as a drop: the link reconnects
    } else {
      current?.send(.heartbeat)
    }
  }

  /// Sends an answer now, or after the connection is back.
  public func send(_ message: ClientMessage) {
    let current: ClassClient? = locked {
      if case .answer(let questionID, let key, _) = message {
        pending.removeAll { $0.questionID == questionID }
        pending.append((key, questionID, message))
      }
      return inBackoff ? nil : client
    }
    current?.send(message)
  }

  /// Leaves the class: says goodbye and does not come back.
  public func leave() {
    let current: ClassClient? = locked {
      finished = true
      return client
    }
    current?.send(.bye)
    close()
  }

  /// Closes the connection for good; a second call does nothing.
  public func close() {
    let current: ClassClient? = locked {
      finished = true
      watchdog?.cancel()
      watchdog = nil
      defer { client = nil }
      return client
    }
    guard let current else { return }
    current.close()
    try? group.syncShutdownGracefully()
  }

  // MARK: - What the host sends

  private func makeClient() -> ClassClient {
    ClassClient(
      group: group, onMessage: { [weak self] in self?.received($0) }, onClose: { [weak self] in self?.dropped() })
  }

  private func received(_ message: HostMessage) {
    var resend: [ClientMessage] = []
    var wasReconnecting = false
    let forward: Bool = locked {
      lastHeard = Date()
      switch message {
      case .welcome(_, _, let token, _, _):
        tokens.save(token)
        wasReconnecting = dropAnnounced
        dropAnnounced = false
        joined = true
        resend = pending.map(\.message)
      case .ack(let key, _):
        pending.removeAll { $0.key == key }
      case .question(let asked):
        // Asked again after a reconnect while its answer is on its way: the answer counts.
        if pending.contains(where: { $0.questionID == asked.id }) { return false }
      case .scores, .bye:
        finished = true
      case .error:
        // Refused on the way back in (the class closed, or this student was removed).
        if dropAnnounced { finished = true }
      case .lock(let questionID):
        pending.removeAll { $0.questionID == questionID }
      default:
        break
      }
      return true
    }
    if case .welcome = message, let client = locked({ client }) { resend.forEach(client.send) }
    if forward { onEvent(.message(message)) }
    if wasReconnecting { onEvent(.reconnected) }
  }

  private func dropped() {
    enum Next { case reconnect, alreadyTrying, closed }
    let next: Next = locked {
      guard joined, !finished else { return .closed }
      if inBackoff { return .alreadyTrying }
      inBackoff = true
      dropAnnounced = true
      return .reconnect
    }
    switch next {
    case .closed: onEvent(.closed)
    case .alreadyTrying: return
    case .reconnect: onEvent(.reconnecting)
    }
    guard next == .reconnect else { return }
    // Not on the event loop: closing the old connection waits for it.
    DispatchQueue.global().async { [self] in reconnectWithBackoff() }
  }

  private func reconnectWithBackoff() {
    locked { client }?.close()
    var wait = 0.25
    let giveUp = Date().addingTimeInterval(giveUpAfter)
    while !locked({ finished }) {
      let client = makeClient()
      do {
        try client.connect(address)
        locked {
          self.client = client
          inBackoff = false
          lastHeard = Date()
        }
        client.send(.hello(version: ClassProtocol.version, code: code, name: name, token: tokens.load()))
        return
      } catch {
        client.close()
        if Date().addingTimeInterval(wait) > giveUp { break }
        Thread.sleep(forTimeInterval: wait)
        wait = min(wait * 2, 8)
      }
    }
    locked {
      inBackoff = false
      finished = true
      watchdog?.cancel()
      watchdog = nil
    }
    onEvent(.closed)
  }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }
}
