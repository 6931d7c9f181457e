import Foundation

/// The password for an address, found as libpq finds it: in the address, then `PGPASSWORD`, then
/// the password file (`PGPASSFILE`, or `~/.pgpass`), which is skipped with a warning when others
/// may read it.
public enum PostgresPassword {
  public struct Lookup: Equatable, Sendable {
    public let password: String?
    /// Why the password file was not read, for the user to see (never the password).
    public let warning: String?
  }

  public static func find(for address: PostgresAddress, environment: [String: String]) -> Lookup {
    if let password = address.password { return Lookup(password: password, warning: nil) }
    if let password = environment["PGPASSWORD"], !password.isEmpty { return Lookup(password: password, warning: nil) }
    let file =
      environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["HOME"].map { "\($0)/.pgpass" }
    guard let file, let contents = FileManager.default.contents(atPath: file) else {
      return Lookup(password: nil, warning: nil)
    }
    if let attributes = try? FileManager.default.attributesOfItem(atPath: file),
      let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0
    {
      return Lookup(
        password: nil,
        warning: "the password file \(file) was not read: others may read it (chmod 600 '\(file)' to use it)")
    }
    let host = address.socketPath == nil ? address.host : "localhost"
    let password = match(
      String(decoding: contents, as: UTF8.self), host: host, port: address.port, database: address.database,
      user: address.user)
    return Lookup(password: password, warning: nil)
  }

  /// The password of the first line of a password file that matches (`*` matches anything;
  /// `\:` and `\\` are a colon and a backslash).
  static func match(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
    let wanted = [host, String(port), database, user]
    for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
      let fields = split(line)
      guard fields.count == 5 else { continue }
      if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
    }
    return nil
  }

  private static func split(_ line: Substring) -> [String] {
    var fields: [String] = []
    var field = ""
    var escaped = false
    for character in line {
      if escaped {
        field.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == ":" && fields.count < 4 {
        fields.append(field)
        field = ""
      } else {
        field.append(character)
      }
    }
    fields.append(field)
    return fields
  }
}
