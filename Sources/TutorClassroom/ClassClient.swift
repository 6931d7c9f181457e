import Foundation
import NIOCore
import NIOPosix
import TutorCore

/// A student's connection to a class: sends hello and answers, passes every host message on.
public final class ClassClient: @unchecked Sendable {
  private let group: EventLoopGroup
  /// The client made its own event loop (and shuts it down); many clients may share one (a load test).
  private let ownsGroup: Bool
  private var channel: Channel?
  private let onMessage: @Sendable (HostMessage) -> Void
  private let onClose: @Sendable () -> Void

  public init(
    group: EventLoopGroup? = nil, onMessage: @escaping @Sendable (HostMessage) -> Void,
    onClose: @escaping @Sendable () -> Void
  ) {
    self.group = group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
    ownsGroup = group == nil
    self.onMessage = onMessage
    self.onClose = onClose
  }

  public func connect(_ address: ClassAddress) throws {
    let bootstrap = ClientBootstrap(group: group).channelInitializer { [self] channel in
      channel.eventLoop.makeCompletedFuture {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFramer()))
        try channel.pipeline.syncOperations.addHandler(ClientHandler(onMessage: onMessage, onClose: onClose))
      }
    }
    switch address {
    case .tcp(let host, let port): channel = try bootstrap.connect(host: host, port: port).wait()
    case .unix(let path): channel = try bootstrap.connect(unixDomainSocketPath: path).wait()
    }
  }

  public func send(_ message: ClientMessage) { channel?.send(message) }

  public func close() {
    try? channel?.close().wait()
    if ownsGroup { try? group.syncShutdownGracefully() }
  }
}

private final class ClientHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = ByteBuffer
  let onMessage: @Sendable (HostMessage) -> Void
  let onClose: @Sendable () -> Void

  init(onMessage: @escaping @Sendable (HostMessage) -> Void, onClose: @escaping @Sendable () -> Void) {
    self.onMessage = onMessage
    self.onClose = onClose
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let line = unwrapInboundIn(data)
    let text = line.getString(at: line.readerIndex, length: line.readableBytes) ?? ""
    if let message = ClassProtocol.message(HostMessage.self, from: Substring(text)) { onMessage(message) }
  }

  func channelInactive(context: ChannelHandlerContext) { onClose() }

  func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
