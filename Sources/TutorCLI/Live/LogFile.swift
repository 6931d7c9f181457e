import Foundation
import Logging

/// swift-log's lines go to a file beside the learner's store, never to the terminal: a full
/// screen belongs to ncurses, and a plain session's output to the person or script reading it.
/// The file is cut back to its newer half when it passes a megabyte.
final class LogFile: LogHandler, @unchecked Sendable {
  static let limit = 1_000_000
  private static let writing = NSLock()

  let url: URL
  var logLevel: Logger.Level = .info
  var metadata: Logger.Metadata = [:]
  private let label: String

  init(label: String, url: URL) {
    self.label = label
    self.url = url
  }

  /// Sends every logger of this process to `class.log` in `folder` (once per process).
  static func bootstrap(folder: URL) {
    let url = folder.appendingPathComponent("class.log")
    LoggingSystem.bootstrap { LogFile(label: $0, url: url) }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let fields = metadata.merging(event.metadata ?? [:]) { $1 }
      .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: .withInternetDateTime)
    append("\(stamp) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n")
  }

  private func append(_ line: String) {
    Self.writing.lock()
    defer { Self.writing.unlock() }
    let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array(line.utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    var status = stat()
    if fstat(descriptor, &status) == 0, Int(status.st_size) > Self.limit, let data = try? Data(contentsOf: url) {
      let newer = data.suffix(Self.limit / 2)
      let start = newer.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? newer.startIndex
      try? newer[start...].write(to: url, options: .atomic)
    }
  }
}
