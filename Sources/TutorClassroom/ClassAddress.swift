import Foundation

/// Where a class listens or is joined: `HOST:PORT` over TCP, or a path to a Unix socket.
public enum ClassAddress: Equatable, Sendable, CustomStringConvertible {
  case tcp(host: String, port: Int)
  case unix(path: String)

  /// Reads `HOST:PORT`, `:PORT` (every interface) or a path (a Unix socket, when it contains a `/`).
  public init?(_ text: String) {
    if text.contains("/") {
      self = .unix(path: text)
      return
    }
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65535).contains(port)
    else { return nil }
    let host = String(text[..<colon])
    self = .tcp(host: host.isEmpty ? "0.0.0.0" : host, port: port)
  }

  public var description: String {
    switch self {
    case .tcp(let host, let port): "\(host):\(port)"
    case .unix(let path): path
    }
  }
}
