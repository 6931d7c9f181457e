import Foundation
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// Who is at the other end of a Unix socket, from the kernel (`SO_PEERCRED`): the OS user name.
enum PeerIdentity {
  /// Linux's `struct ucred`, which Swift's Glibc does not import.
  private struct Credentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
  }

  /// Calls `found` with the peer's user name (inline, on the channel's loop).
  static func user(of channel: Channel, _ found: @escaping @Sendable (String?) -> Void) {
    #if canImport(Glibc)
      guard let provider = channel as? SocketOptionProvider else { return found(nil) }
      let future: EventLoopFuture<Credentials> = provider.unsafeGetSocketOption(
        level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
      future.whenComplete { result in
        guard case .success(let credentials) = result, let entry = getpwuid(credentials.uid),
          let name = entry.pointee.pw_name
        else { return found(nil) }
        found(String(cString: name))
      }
    #else
      found(nil)
    #endif
  }
}
