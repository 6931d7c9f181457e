import Foundation

/// Where a school's store is: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as libpq and
/// every PostgreSQL tool write it (`postgres://` too). Its description never holds the password.
public struct PostgresAddress: Equatable, Sendable, CustomStringConvertible {
  public var user: String
  public var password: String?
  /// A host name or address; a path (written `%2Fvar%2Frun%2Fpostgresql`) is the folder of the
  /// server's Unix socket.
  public var host: String
  public var port: Int
  public var database: String

  public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String) {
    self.user = user
    self.password = password
    self.host = host
    self.port = port
    self.database = database
  }

  /// Whether a `--store` value names a PostgreSQL server rather than a SQLite file.
  public static func isAddress(_ text: String) -> Bool {
    text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
  }

  /// The socket file when `host` is a folder.
  public var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

  /// `user@host:port/database`, for messages and logs.
  public var description: String {
    let shownHost = host.contains(":") ? "[\(host)]" : host
    return "postgresql://\(user)@\(shownHost):\(port)/\(database)"
  }

  public struct Problem: Error, Equatable, CustomStringConvertible {
    public let description: String
  }

  /// Reads an address; the problem says what is wrong without repeating a password.
  public static func parse(_ text: String) throws(Problem) -> PostgresAddress {
    let schemes = ["postgresql://", "postgres://"]
    guard let scheme = schemes.first(where: text.hasPrefix) else {
      throw Problem(description: "a PostgreSQL store is written postgresql://USER@HOST[:PORT]/DATABASE")
    }
    var rest = Substring(text.dropFirst(scheme.count))
    if let query = rest.firstIndex(of: "?") {
      throw Problem(
        description: "options after '?' in a PostgreSQL address are not supported (\(rest[query...].prefix(40)))")
    }
    var database: String?
    if let slash = rest.firstIndex(of: "/") {
      database = try decoded(rest[rest.index(after: slash)...], part: "database")
      rest = rest[..<slash]
    }
    var user: String?
    var password: String?
    if let at = rest.lastIndex(of: "@") {
      let userInfo = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = userInfo.firstIndex(of: ":") {
        user = try decoded(userInfo[..<colon], part: "user name")
        password = try decoded(userInfo[userInfo.index(after: colon)...], part: "password")
      } else {
        user = try decoded(userInfo, part: "user name")
      }
    }
    var host: String
    var port = 5432
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { throw Problem(description: "an IPv6 address needs its ']'") }
      host = String(rest[rest.index(after: rest.startIndex)..<close])
      rest = rest[rest.index(after: close)...]
      if !rest.isEmpty {
        guard rest.hasPrefix(":") else { throw Problem(description: "unexpected text after the IPv6 address") }
        port = try Self.port(rest.dropFirst())
      }
    } else if let colon = rest.lastIndex(of: ":") {
      host = try decoded(rest[..<colon], part: "host")
      port = try Self.port(rest[rest.index(after: colon)...])
    } else {
      host = try decoded(rest, part: "host")
    }
    if host.isEmpty { host = "localhost" }
    guard let user, !user.isEmpty else {
      throw Problem(description: "the address names no user (postgresql://USER@HOST/DATABASE)")
    }
    let name = database.flatMap { $0.isEmpty ? nil : $0 } ?? user
    return PostgresAddress(user: user, password: password, host: host, port: port, database: name)
  }

  private static func port(_ text: Substring) throws(Problem) -> Int {
    guard let port = Int(text), (1...65535).contains(port) else {
      throw Problem(description: "the port '\(text.prefix(12))' is not a number from 1 to 65535")
    }
    return port
  }

  private static func decoded(_ text: Substring, part: String) throws(Problem) -> String {
    guard let value = text.removingPercentEncoding else {
      throw Problem(description: "the \(part) holds a '%' that is not followed by two hexadecimal digits")
    }
    return value
  }
}
