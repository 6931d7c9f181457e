import NIOCore
import TutorCore

/// Splits a byte stream into lines (without the newline); a line longer than the protocol's
/// limit is an error, and the connection that sent it is closed.
struct LineFramer: ByteToMessageDecoder {
  typealias InboundOut = ByteBuffer

  struct LineTooLong: Error {}

  func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
      let length = newline - buffer.readerIndex
      guard length <= ClassProtocol.maximumLineBytes, let line = buffer.readSlice(length: length) else {
        throw LineTooLong()
      }
      buffer.moveReaderIndex(forwardBy: 1)
      context.fireChannelRead(wrapInboundOut(line))
      return .continue
    }
    if buffer.readableBytes > ClassProtocol.maximumLineBytes { throw LineTooLong() }
    return .needMoreData
  }

  func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
    .needMoreData
  }
}

extension Channel {
  /// Sends one protocol message as a line.
  func send<M: Encodable>(_ message: M) {
    guard let line = try? ClassProtocol.line(message) else { return }
    send(line: line)
  }

  /// Sends a message already encoded.
  func send(line: String) {
    var buffer = allocator.buffer(capacity: line.utf8.count + 1)
    buffer.writeString(line)
    buffer.writeString("\n")
    writeAndFlush(buffer, promise: nil)
  }
}
