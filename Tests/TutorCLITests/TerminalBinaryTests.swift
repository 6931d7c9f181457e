import Foundation
import Glibc
import Testing
import TutorTestSupport

/// posix_openpt and its companions, which Swift's Glibc module leaves out (they need _XOPEN_SOURCE).
private enum PseudoTerminalCalls {
  static func function<F>(_ name: String, _ type: F.Type) -> F {
    unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), name), to: type)
  }
  static let open = function("posix_openpt", (@convention(c) (Int32) -> Int32).self)
  static let grant = function("grantpt", (@convention(c) (Int32) -> Int32).self)
  static let unlock = function("unlockpt", (@convention(c) (Int32) -> Int32).self)
  static let name = function("ptsname", (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
}

/// The built `tutor` in full-screen mode on a pseudo-terminal of 80×24, as in a terminal window.
final class TerminalSession {
  private let master: Int32
  private let process = Process()
  private(set) var output = Data()

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  init(_ arguments: [String], environment: [String: String]) throws {
    guard let binary = Binary.url else { throw Binary.BinaryMissing() }
    master = PseudoTerminalCalls.open(O_RDWR | O_NOCTTY)
    guard master >= 0, PseudoTerminalCalls.grant(master) == 0, PseudoTerminalCalls.unlock(master) == 0,
      let name = PseudoTerminalCalls.name(master)
    else {
      throw Failure(description: "no pseudo-terminal")
    }
    let terminal = open(String(cString: name), O_RDWR | O_NOCTTY)
    guard terminal >= 0 else { throw Failure(description: "cannot open the pseudo-terminal") }
    var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(terminal, UInt(TIOCSWINSZ), &size)
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-tests-cache").path
    env["TUTOR_LEARNER"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let handle = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)
    process.standardInput = handle
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  deinit {
    if process.isRunning { process.terminate() }
    close(master)
  }

  /// The output without its control sequences (attributes, cursor moves): the text drawn, row after row.
  var text: String {
    String(decoding: output, as: UTF8.self)
      .replacing(/\x1B(\[[0-?]*[ -\/]*[@-~]|[()][0-9A-Za-z]|[=>78])/, with: "")
  }
  var isRunning: Bool { process.isRunning }

  /// Reads the terminal's output until `marker` appears; false after `seconds` without it.
  @discardableResult
  func read(until marker: String, seconds: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !text.contains(marker) {
      guard Date() < deadline, readAvailable(milliseconds: 100) else { return text.contains(marker) }
    }
    return true
  }

  /// Reads whatever arrives within `seconds`.
  func settle(seconds: Double) {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline, readAvailable(milliseconds: 50) {}
  }

  /// False once the terminal's other side is closed.
  private func readAvailable(milliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, milliseconds) >= 0 else { return false }
    guard descriptor.revents & Int16(POLLIN) != 0 else {
      return descriptor.revents & Int16(POLLHUP | POLLERR) == 0
    }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = Glibc.read(master, &buffer, buffer.count)
    guard count > 0 else { return false }
    output.append(contentsOf: buffer[0..<count])
    return true
  }

  func type(_ bytes: String) {
    _ = bytes.withCString { Glibc.write(master, $0, strlen($0)) }
  }

  /// Waits for the tutor to exit; its status, or nil when it is still running after `seconds`.
  func exitStatus(within seconds: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { settle(seconds: 0.05) }
    return process.isRunning ? nil : process.terminationStatus
  }
}

@Suite(.serialized) struct TerminalBinaryTests {
  static let xtermInUTF8 = ["TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
  let folder = Fixtures.temporaryFolder()
  var arguments: [String] {
    ["--course", Fixtures.repositoryRoot.path, "--store", folder.appendingPathComponent("progress.sqlite").path]
  }

  @Test func homeAndEndSentAsVT220SequencesDoNotQuit() throws {
    // xterm's terminfo says Home is ESC O H; tmux and PuTTY send ESC [ 1 ~, which ncurses leaves undecoded.
    let session = try TerminalSession(arguments, environment: Self.xtermInUTF8)
    #expect(session.read(until: "? keys"), "no first frame: \(session.text)")
    for sequence in ["\u{1B}[4~", "\u{1B}[1~", "\u{1B}[8~", "\u{1B}[7~", "\u{1B}[1;5H", "\u{1B}[200~"] {
      session.type(sequence)
      session.settle(seconds: 0.3)
      #expect(session.isRunning, "the tutor quit on \(sequence.dropFirst())")
    }
    session.type("q")
    #expect(session.exitStatus() == 0)
  }

  @Test func aLoneEscStillQuitsTheHomeScreen() throws {
    let session = try TerminalSession(arguments, environment: Self.xtermInUTF8)
    #expect(session.read(until: "? keys"), "no first frame: \(session.text)")
    session.type("\u{1B}")
    #expect(session.exitStatus(within: 5) == 0)
  }

  /// Ctrl-C in the middle of a quiz: the terminal is given back, the answer given is kept, and
  /// the exit status is the shell's for an interrupted program.
  @Test func ctrlCMidQuizKeepsTheAnswerAndExitsAsInterrupted() throws {
    let session = try TerminalSession(arguments + ["quiz", "dre-definition"], environment: Self.xtermInUTF8)
    #expect(session.read(until: "question 1 of"), "no quiz: \(session.text)")
    for key in ["a", "\r", "\r"] {
      session.type(key)
      session.settle(seconds: 0.4)
    }
    // (ncurses redraws only the digit that changed: the answer count below says it was kept.)
    session.type("\u{3}")
    #expect(session.exitStatus(within: 5) == 130)
    #expect(String(decoding: session.output, as: UTF8.self).contains("\u{1B}[?1049l"), "the screen is given back")
    #expect(try TutorStoreReader.answerIDs(path: folder.appendingPathComponent("progress.sqlite").path).count == 1)
  }

  @Test func theCLocaleStillDrawsUnicodeGlyphs() throws {
    // LANG=C gives ncursesw no multibyte characters: the tutor takes C.UTF-8 for the character type.
    let session = try TerminalSession(arguments, environment: ["TERM": "xterm", "LANG": "C", "LC_ALL": "C"])
    #expect(session.read(until: "? keys"), "no first frame: \(session.text)")
    #expect(session.text.contains("› 1."), "the selection marker")
    #expect(session.text.contains("not started · "), "the middle dot")
    #expect(session.text.contains("↑/k up"))
    session.type("q")
    #expect(session.exitStatus() == 0)
  }
}
