import Foundation
import Logging
import NIOCore
import NIOPosix
import TutorCore

/// The teacher's side of a live class: listens, admits students, and runs the `ClassSession`
/// on one event loop (so its state needs no lock). Bad input from one connection is answered
/// with an error or a disconnection, and logged; the others carry on.
public final class ClassHost: @unchecked Sendable {
  public typealias Event = ClassHostEvent
  public typealias Command = ClassCommand

  /// Touched only on the host's event loop.
  private final class Connection: @unchecked Sendable {
    let channel: Channel
    var student: String?
    /// The OS user at the other end of a Unix socket.
    var osUser: String?
    var linesThisSecond = 0
    var second = 0
    init(channel: Channel) { self.channel = channel }
  }

  private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
  private var loop: EventLoop { group.next() }
  private var session: ClassSession
  private var connections: [ObjectIdentifier: Connection] = [:]
  private let clock: @Sendable () -> Date
  private let onEvent: @Sendable (Event) -> Void
  private var server: Channel?
  private var ticker: RepeatedTask?
  private let logger = Logger(label: "tutor.class.host")
  /// A connection that has not said hello after this long is closed.
  static let helloTimeout: TimeAmount = .seconds(10)
  /// More lines than this in one second from one connection is a flood: it is closed.
  static let linesPerSecond = 50

  /// After each reveal the students see the top five (`--leaderboard off` keeps it to the host).
  private let showsLeaderboard: Bool

  public init(
    session: ClassSession, showsLeaderboard: Bool = true, clock: @escaping @Sendable () -> Date,
    onEvent: @escaping @Sendable (Event) -> Void
  ) {
    self.showsLeaderboard = showsLeaderboard
    self.session = session
    self.clock = clock
    self.onEvent = onEvent
  }

  /// Starts listening; returns the address bound (with the real port when 0 was asked for).
  public func listen(_ address: ClassAddress) throws -> ClassAddress {
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 1024)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { [self] channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFramer()))
          try channel.pipeline.syncOperations.addHandler(HostConnectionHandler(host: self))
        }
      }
    let bound: ClassAddress
    switch address {
    case .tcp(let host, let port):
      let channel = try bootstrap.bind(host: host, port: port).wait()
      server = channel
      bound = .tcp(host: host, port: channel.localAddress?.port ?? port)
    case .unix(let path):
      try? FileManager.default.removeItem(atPath: path)
      let channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
      server = channel
      // Other users of the machine connect to it; the host knows each one from the OS.
      chmod(path, 0o666)
      bound = address
    }
    ticker = loop.scheduleRepeatedTask(initialDelay: .milliseconds(200), delay: .milliseconds(200)) { [self] _ in tick()
    }
    onEvent(.listening(bound.description))
    return bound
  }

  private var encodedQuestions: [String: String] = [:]
  private let shutdownLock = NSLock()
  private var isShutDown = false

  /// Carries out a teacher's command on the host's loop.
  public func perform(_ command: Command) {
    loop.execute { [self] in handle(command) }
  }

  /// Stops listening and closes every connection; a second call does nothing.
  public func shutdown() {
    shutdownLock.lock()
    defer { shutdownLock.unlock() }
    guard !isShutDown else { return }
    isShutDown = true
    ticker?.cancel()
    try? server?.close().wait()
    try? group.syncShutdownGracefully()
  }

  // MARK: - Connections (on the loop)

  fileprivate func connected(_ channel: Channel) {
    let connection = Connection(channel: channel)
    connections[ObjectIdentifier(channel)] = connection
    if case .unixDomainSocket? = channel.localAddress {
      PeerIdentity.user(of: channel) { connection.osUser = $0 }
    }
    channel.eventLoop.scheduleTask(in: Self.helloTimeout) { [weak connection] in
      guard let connection, connection.student == nil, connection.channel.isActive else { return }
      self.refuse(connection, code: "join", "No hello came: the connection is closed.", close: true)
    }
  }

  fileprivate func disconnected(_ channel: Channel) {
    guard let connection = connections.removeValue(forKey: ObjectIdentifier(channel)) else { return }
    if let id = connection.student, let student = session.student(id),
      !connections.values.contains(where: { $0.student == id })
    {
      onEvent(.left(name: student.name))
    }
  }

  fileprivate func received(_ line: ByteBuffer, from channel: Channel) {
    guard let connection = connections[ObjectIdentifier(channel)] else { return }
    let second = Int(clock().timeIntervalSince1970)
    if second != connection.second {
      connection.second = second
      connection.linesThisSecond = 0
    }
    connection.linesThisSecond += 1
    if connection.linesThisSecond > Self.linesPerSecond {
      refuse(connection, code: "flood", "Too many messages: the connection is closed.", close: true)
      return
    }
    let text = line.getString(at: line.readerIndex, length: line.readableBytes) ?? ""
    guard let message = ClassProtocol.message(ClientMessage.self, from: Substring(text)) else {
      refuse(connection, code: "malformed", "That line is not a message of the class protocol.")
      return
    }
    switch message {
    case .hello(let version, let code, let name, let token):
      hello(connection, version: version, code: code, name: name, token: token)
    case .answer(let questionID, let key, let response):
      answer(connection, questionID: questionID, key: key, response: response)
    case .heartbeat:
      channel.send(HostMessage.heartbeat)
    case .bye:
      channel.close(promise: nil)
    }
  }

  fileprivate func failed(_ channel: Channel, _ error: Error) {
    guard let connection = connections[ObjectIdentifier(channel)] else { return }
    guard error is LineFramer.LineTooLong else {
      // A connection reset or the like: the student's client reconnects if it wants to.
      logger.debug("a connection failed", metadata: ["error": "\(error)"])
      return
    }
    refuse(connection, code: "too-long", "A line was longer than the protocol allows.", close: true)
  }

  private func refuse(_ connection: Connection, code: String, _ text: String, close: Bool = false) {
    logger.warning(
      "refused: \(text)",
      metadata: [
        "code": "\(code)", "student": "\(connection.student ?? connection.osUser ?? "-")",
        "peer": "\(connection.channel.remoteAddress.map { "\($0)" } ?? "-")",
      ])
    onEvent(.refused("\(connection.student ?? "a connection"): \(text)"))
    connection.channel.send(HostMessage.error(code: code, message: text))
    if close { connection.channel.close(promise: nil) }
  }

  private func hello(_ connection: Connection, version: Int, code: String, name: String?, token: String?) {
    // On a Unix socket the student is the OS user at the other end: nobody answers for another.
    let id = connection.osUser ?? name.flatMap { $0.isEmpty ? nil : $0 } ?? "student-\(session.students.count + 1)"
    switch session.join(
      id: id, name: name, code: code, token: token, version: version, identityIsProven: connection.osUser != nil)
    {
    case .failure(let failure):
      refuse(connection, code: failure.message.code, failure.message.text, close: true)
    case .success(let student):
      // A second connection of the same student takes over the first.
      for other in connections.values where other !== connection && other.student == student.id {
        other.channel.send(HostMessage.bye(reason: "This session was taken over by a new connection."))
        other.student = nil
        other.channel.close(promise: nil)
      }
      connection.student = student.id
      connection.channel.send(
        HostMessage.welcome(
          student: student.id, name: student.name, token: student.token, quizTitle: session.quiz.title,
          questionCount: session.quiz.questions.count))
      onEvent(.joined(name: student.name, present: session.presentCount))
      sendCurrent(to: connection)
    }
  }

  private func answer(_ connection: Connection, questionID: String, key: String, response: Response) {
    guard let id = connection.student else {
      refuse(connection, code: "join", ClassSession.Failure.notJoined.message.text)
      return
    }
    switch session.answer(student: id, questionID: questionID, key: key, response: response, at: clock()) {
    case .failure(let failure):
      refuse(connection, code: failure.message.code, failure.message.text)
    case .success:
      connection.channel.send(HostMessage.ack(key: key, questionID: questionID))
      if let index = session.currentIndex {
        onEvent(.answered(number: index + 1, answered: session.answerCount(questionID), present: session.presentCount))
      }
      if session.phase == .running { sendCurrent(to: connection) }
      tick()
    }
  }

  /// What a student should see now: the open question, their next one (self-paced), or a wait.
  private func sendCurrent(to connection: Connection) {
    guard let id = connection.student else { return }
    let now = clock()
    switch session.phase {
    case .lobby:
      connection.channel.send(HostMessage.waiting("Waiting for the teacher to start."))
    case .open(let index, _, _):
      if session.student(id)?.answers[session.quiz.questions[index].id] == nil,
        let question = session.question(index, for: id, at: now)
      {
        connection.channel.send(line: encoded(question))
      } else {
        connection.channel.send(HostMessage.waiting("Answer saved. Waiting for the others."))
      }
    case .locked, .revealed:
      connection.channel.send(HostMessage.waiting("Waiting for the next question."))
    case .running:
      let answers = session.student(id)?.answers ?? [:]
      if let index = session.quiz.questions.firstIndex(where: { answers[$0.id] == nil }),
        let question = session.question(index, for: id, at: now)
      {
        connection.channel.send(HostMessage.question(question))
      } else {
        connection.channel.send(HostMessage.waiting("Every question answered. Waiting for the end."))
      }
    case .ended:
      connection.channel.send(HostMessage.scores(session.scores))
    }
  }

  /// Sends every student what they should see now, a few dozen at a time: answers that come
  /// back meanwhile are taken between the batches, so a large class is not kept waiting.
  private func sendCurrentToAll(_ pending: [Connection]? = nil, from start: Int = 0) {
    let pending = pending ?? Array(connections.values)
    let end = min(pending.count, start + 32)
    for connection in pending[start..<end] { sendCurrent(to: connection) }
    if end < pending.count { loop.execute { [self] in sendCurrentToAll(pending, from: end) } }
  }

  /// A question as a line. Students see it in only a few orders, so a large class reuses the
  /// encoding instead of encoding it again for each student.
  private func encoded(_ question: ClassQuestion) -> String {
    let key =
      "\(question.id)|\(question.secondsLeft ?? -1)|\(question.options.map(\.id))|\(question.items.map(\.id))"
    if let line = encodedQuestions[key] { return line }
    if encodedQuestions.count > 4096 { encodedQuestions.removeAll() }
    let line = (try? ClassProtocol.line(HostMessage.question(question))) ?? ""
    encodedQuestions[key] = line
    return line
  }

  private func broadcast(_ message: (String) -> HostMessage?) {
    for connection in connections.values {
      guard let id = connection.student, let outgoing = message(id) else { continue }
      connection.channel.send(outgoing)
    }
  }

  private func tick() {
    let before = session.phase
    guard session.tick(at: clock()) else { return }
    switch (before, session.phase) {
    case (.open(let index, _, _), .locked):
      broadcast { _ in .lock(questionID: self.session.quiz.questions[index].id) }
      onEvent(.locked(number: index + 1))
    case (_, .ended):
      finish()
    default:
      break
    }
  }

  // MARK: - The teacher's commands (on the loop)

  private func handle(_ command: Command) {
    switch command {
    case .start:
      session.start(at: clock())
      announcePhase()
    case .next:
      _ = session.next(at: clock())
      announcePhase()
    case .reveal:
      session.reveal()
      announcePhase()
    case .end:
      session.end()
      finish()
    case .lock: session.lockLobby(true)
    case .unlock: session.lockLobby(false)
    case .board: onEvent(.scores(session.scores))
    case .pause:
      guard !session.isPaused else { return }
      session.pause(at: clock())
      guard session.isPaused else { return }
      broadcast { _ in .waiting("Paused by the teacher: the clock has stopped.") }
      onEvent(.paused)
    case .resume:
      guard session.isPaused else { return }
      session.resume(at: clock())
      sendCurrentToAll()
      onEvent(.resumed)
    case .kick(let name):
      guard let student = session.students.first(where: { $0.name == name || $0.id == name }) else { return }
      session.remove(student.id)
      for connection in connections.values where connection.student == student.id {
        connection.channel.send(HostMessage.bye(reason: ClassSession.Failure.removed.message.text))
        connection.channel.close(promise: nil)
      }
    case .extend(let name, let seconds):
      session.extend(name, seconds: seconds)
      // The student's clock shows the new time at once.
      guard let student = session.students.first(where: { $0.name == name || $0.id == name }) else { return }
      for connection in connections.values where connection.student == student.id { sendCurrent(to: connection) }
    }
  }

  private func announcePhase() {
    switch session.phase {
    case .open(let index, _, _):
      sendCurrentToAll()
      onEvent(.opened(number: index + 1, of: session.quiz.questions.count))
    case .revealed(let index):
      broadcast { id in .reveal(self.session.reveal(index, for: id)) }
      if showsLeaderboard {
        let top = Array(session.scores.prefix(5))
        broadcast { _ in .leaderboard(top) }
      }
      onEvent(.revealed(number: index + 1, session.reveal(index, for: nil)))
    case .running:
      sendCurrentToAll()
      onEvent(.opened(number: 1, of: session.quiz.questions.count))
    case .ended:
      finish()
    default:
      break
    }
  }

  private var finished = false

  private func finish() {
    guard !finished else { return }
    finished = true
    let scores = session.scores
    for connection in connections.values where connection.student != nil {
      connection.channel.send(HostMessage.scores(scores))
      connection.channel.send(HostMessage.bye(reason: "The session has ended."))
    }
    onEvent(.ended(ClassReport(session, hostedAt: clock()), scores))
  }

  /// A student's points, for their own score line.
}

/// Passes a connection's lines and state changes to the host.
private final class HostConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = ByteBuffer
  unowned let host: ClassHost

  init(host: ClassHost) { self.host = host }

  func channelActive(context: ChannelHandlerContext) {
    host.connected(context.channel)
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    host.disconnected(context.channel)
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    host.received(unwrapInboundIn(data), from: context.channel)
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    host.failed(context.channel, error)
    context.close(promise: nil)
  }
}
