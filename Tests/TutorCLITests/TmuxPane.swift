import Foundation
import Glibc

/// A program in a tmux pane, read as a person reads the screen (`capture-pane`), for tests of
/// several full-screen tutors at once. Each test process has its own tmux server.
final class TmuxPane {
  static let server = "tutor-tests-\(getpid())"
  static var isAvailable: Bool { (try? run(["-V"])) != nil }

  let name: String

  init(_ name: String, _ command: [String], environment: [String: String] = [:], width: Int = 80, height: Int = 24)
    throws
  {
    self.name = name
    let assignments = environment.map { "\($0.key)=\($0.value)" }.sorted()
    // The pane stays after the program exits, to read its last screen and its exit status.
    try Self.run(
      ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "--", "env"] + assignments + command
        + [";", "set-option", "-w", "-t", name, "remain-on-exit", "on"])
  }

  deinit {
    _ = try? Self.run(["kill-session", "-t", name])
    // The server exits with its last session; its socket file stays unless removed.
    if (try? Self.run(["has-session"])) == nil { unlink("/tmp/tmux-\(getuid())/\(Self.server)") }
  }

  /// What the pane shows now.
  var screen: String { (try? Self.run(["capture-pane", "-p", "-t", name])) ?? "" }

  /// Waits until the screen shows `text`; false after `seconds` without it.
  func waitFor(_ text: String, seconds: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !screen.contains(text) {
      if Date() > deadline { return false }
      usleep(100_000)
    }
    return true
  }

  /// Types keys as tmux names them (`Enter`, `Escape`) or as text.
  func send(_ keys: String...) { _ = try? Self.run(["send-keys", "-t", name] + keys) }

  /// Kills the program at once, as a closed laptop or a crash would.
  func kill() {
    if let pid = Int32((try? Self.run(["display-message", "-p", "-t", name, "#{pane_pid}"]))?.words.first ?? "") {
      Glibc.kill(pid, SIGKILL)
    }
  }

  var state: String {
    (try? Self.run([
      "display-message", "-p", "-t", name, "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}|#{pane_pid}",
    ])) ?? "?"
  }

  /// The program's exit status once it has exited, waiting up to `seconds`: from tmux, or from
  /// the kernel while the exited program waits to be reaped (a tmux server started from a test
  /// runner may not be told at once).
  func exitStatus(within seconds: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let state = (try? Self.run(["display-message", "-p", "-t", name, "#{pane_pid} #{pane_dead_status}"])) ?? ""
      let parts = state.words
      if parts.count > 1 { return Int32(parts[1]) }
      // /proc/PID/stat of a zombie: its state (Z) and, last, its wait status.
      if let pid = parts.first, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let fields = stat.split(separator: ")").last?.split(separator: " "), fields.first == "Z",
        let status = fields.last.flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
      {
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      }
      usleep(100_000)
    }
    return nil
  }

  /// Runs tmux and waits for it. Not with Foundation's Process: it waits until every process
  /// that inherited its watch descriptor has gone, and the tmux server lives on.
  @discardableResult
  fileprivate static func run(_ arguments: [String]) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = (["tmux", "-L", server] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    // The test runner's threads block some signals; the tmux server must see SIGCHLD to know when
    // a pane's program has exited.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGCHLD, SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    guard posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ) == 0 else {
      throw CocoaError(.executableNotLoadable)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // Exited normally (no signal) with status 0.
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { throw CocoaError(.executableLoad) }
    return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
  }
}

extension String {
  /// The words of a line tmux printed.
  fileprivate var words: [String] { split(whereSeparator: \.isWhitespace).map(String.init) }
}
