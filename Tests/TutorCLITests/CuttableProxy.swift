import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP relay on loopback between students and a host, whose connections a test can cut, as
/// a lab's network does: the host and the student see the connection drop, and a new one is
/// relayed again.
final class CuttableProxy: @unchecked Sendable {
  let port: UInt16
  private let listener: Int32
  private let upstreamPort: UInt16
  private let lock = NSLock()
  private var sockets: [Int32] = []
  /// Connections that are kept open but pass nothing on.
  private var frozen: Set<Int32> = []

  init(to upstreamPort: UInt16) throws {
    self.upstreamPort = upstreamPort
    let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = Self.loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(listening, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) }
    }
    listener = listening
    port = UInt16(bigEndian: address.sin_port)
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  /// Stops passing anything on without closing any connection, as a host that froze or a
  /// network that went dark would; new connections are relayed again.
  func freeze() {
    lock.lock()
    frozen = Set(sockets)
    sockets = []
    lock.unlock()
  }

  /// Drops every relayed connection; new ones are relayed again.
  func cut() {
    lock.lock()
    let open = sockets
    sockets = []
    lock.unlock()
    for socket in open { shutdown(socket, Int32(SHUT_RDWR)) }
  }

  private static func loopback(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }

  private func acceptLoop() {
    while true {
      let student = accept(listener, nil, nil)
      guard student >= 0 else { return }
      let host = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = Self.loopback(port: upstreamPort)
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(host, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard connected == 0 else {
        close(student)
        close(host)
        continue
      }
      lock.lock()
      sockets += [student, host]
      lock.unlock()
      Thread.detachNewThread { [self] in pump(from: student, to: host) }
      Thread.detachNewThread { [self] in pump(from: host, to: student) }
    }
  }

  private func pump(from source: Int32, to target: Int32) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
      if count <= 0 { break }
      if lock.withLock({ frozen.contains(source) }) { continue }
      var sent = 0
      while sent < count {
        let written = buffer.withUnsafeBytes {
          send(target, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
        }
        if written <= 0 { break }
        sent += written
      }
    }
    shutdown(source, Int32(SHUT_RDWR))
    shutdown(target, Int32(SHUT_RDWR))
  }
}
