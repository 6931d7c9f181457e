import Foundation
import CNCurses
import TutorCLI
import TutorCore

#if canImport(Glibc)
  import Glibc
#endif

/// A run of a program: from the spawn to the exit (or to the first paint), and its peak memory
/// (nil when timed: a child started from this process inherits its peak, a reason of its own to
/// measure memory through GNU time's child, which starts small).
struct ProgramRun {
  var time: Duration
  var peakKilobytes: Int? = nil
}

/// GNU time, which reports its child's peak memory (`apt-get install time`).
let gnuTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil

/// The start-up figures of issue 14, side by side in one run: `tutor --version` and
/// `tutor progress`, then the home screen's first paint on a pseudo-terminal beside gtypist's
/// menu, each command in turn in every round (this machine's speed drifts from one second to
/// the next, so figures taken apart do not compare). The tutor runs from a fresh copy: the
/// file the linker wrote maps with more page faults than a copy of it (README: Speed).
func startUpBenchmark(course: Course, root: URL, tutor: String, rounds: Int, paintRounds: Int, extraStores: [String])
  throws
{
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-start-up-\(getpid())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let binary = folder.appendingPathComponent("tutor").path
  try FileManager.default.copyItem(atPath: tutor, toPath: binary)
  let learner = "bench"
  let small = folder.appendingPathComponent("300.sqlite").path
  try writeLearnerHistory(course: course, path: small, learnerName: learner, answers: 300)
  let large = folder.appendingPathComponent("100000.sqlite").path
  try writeHeavyHistory(
    course: course, path: large, learnerName: learner, answers: 100_000, items: course.questionsByID.count)
  var stores = [("300 answers", small), ("100,000 answers", large)]
  stores += extraStores.map { (($0 as NSString).lastPathComponent, $0) }
  let gtypist = ["/usr/bin/gtypist", "/usr/games/gtypist"].first { FileManager.default.isExecutableFile(atPath: $0) }

  func environment(store: String) -> [String] {
    var environment = ProcessInfo.processInfo.environment
    environment["TUTOR_STORE"] = store
    environment["TUTOR_COURSE"] = root.path
    environment["TUTOR_LEARNER"] = learner
    environment["TERM"] = "xterm-256color"
    environment["LANG"] = environment["LANG"] ?? "C.UTF-8"
    // The pseudo-terminal's size, which ncurses reads from these when the terminal has none.
    environment["LINES"] = "24"
    environment["COLUMNS"] = "80"
    return environment.map { "\($0.key)=\($0.value)" }
  }

  // Commands: spawn to exit, output to /dev/null.
  var commands: [Program] = [
    Program(name: "tutor --version", argv: [binary, "--version"], environment: environment(store: small))
  ]
  for (name, path) in stores {
    commands.append(
      Program(name: "tutor progress, \(name)", argv: [binary, "progress"], environment: environment(store: path)))
  }
  if let gtypist {
    commands.append(
      Program(name: "gtypist --version", argv: [gtypist, "--version"], environment: environment(store: small)))
  }
  print("Start-up of \(tutor): \(rounds) rounds, each command once a round in turn; medians, spawn to exit.")
  let commandRuns = try inTurn(rounds, commands)
  let version = timed(commandRuns[0])
  for (command, runs) in zip(commands, commandRuns) {
    let time = timed(runs)
    let ratio = command.argv.last == "progress" ? String(format: "  %.2f× --version", time / version) : ""
    print(figureLine(command.name, runs, ratio))
  }

  // First paints: until the home screen's course title (or gtypist's menu) is on the terminal.
  var paints = stores.map {
    Program(
      name: "tutor home screen, \($0.0)", argv: [binary], environment: environment(store: $0.1),
      paint: course.info.title,
      keys: ["q"])
  }
  if let gtypist {
    paints.append(
      Program(
        name: "gtypist menu", argv: [gtypist], environment: environment(store: small), paint: "Speed drills",
        keys: ["\u{1B}"]))
  }
  print(
    "First paint on an 80x24 pseudo-terminal, \(paintRounds) rounds; medians, spawn to the title on the terminal "
      + "(peak memory: painted, then quit).")
  let paintRuns = try inTurn(paintRounds, paints)
  let menu = gtypist.map { _ in timed(paintRuns[paints.count - 1]) }
  for (paint, runs) in zip(paints, paintRuns) {
    let ratio =
      menu.map { paint.argv[0] == binary ? String(format: "  %.2f× gtypist", timed(runs) / $0) : "" }
      ?? ""
    print(figureLine(paint.name, runs, ratio))
  }

  // A short study session: the home screen, a lesson's first steps and a checkpoint, then quit.
  let right = "\u{1B}OC"
  let study = Program(
    name: "study", argv: [binary], environment: environment(store: small), paint: course.info.title,
    keys: ["\r"] + Array(repeating: right, count: 8) + ["a", "\r", "q", "q", "q"])
  if gnuTime != nil {
    let peaks = try (0..<3).compactMap { _ in try run(study, memory: true).peakKilobytes }
    print(String(format: "Study session (300 answers): peak %.1f MB", Double(peaks.sorted()[1]) / 1000))
  } else {
    print("(GNU time is not installed, apt-get install time: no peak memory figures)")
  }
  if gtypist == nil { print("(gtypist is not installed, apt-get install gtypist: no side-by-side figures)") }
}

/// A program to time: to its exit, or with `paint`, on a pseudo-terminal until that text is on it,
/// then `keys` typed.
struct Program {
  var name: String
  var argv: [String]
  var environment: [String]
  var paint: String?
  var keys: [String] = []
}

/// `count` rounds (after one to warm the caches, and make the course's), each program once a
/// round in turn; then three runs each for the peak memory.
private func inTurn(_ count: Int, _ programs: [Program]) throws -> [[ProgramRun]] {
  var runs = programs.map { _ in [ProgramRun]() }
  for round in 0...count {
    for (index, program) in programs.enumerated() {
      let timed = try run(program, memory: false)
      if round > 0 { runs[index].append(timed) }
    }
  }
  if gnuTime != nil {
    for _ in 0..<3 {
      for (index, program) in programs.enumerated() {
        runs[index].append(try run(program, memory: true))
      }
    }
  }
  return runs
}

/// The median time of the timed runs (not those through GNU time, for the memory).
private func timed(_ runs: [ProgramRun]) -> Duration { median(runs.filter { $0.peakKilobytes == nil }.map(\.time)) }

private func figureLine(_ name: String, _ runs: [ProgramRun], _ ratio: String) -> String {
  let times = runs.filter { $0.peakKilobytes == nil }.map(\.time)
  let peaks = runs.compactMap(\.peakKilobytes).sorted()
  let peak = peaks.isEmpty ? "" : String(format: "  peak %.1f MB", Double(peaks[peaks.count / 2]) / 1000)
  return "  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(ms(median(times))) "
    + "(p10 \(ms(percentile(times, 0.1))), p90 \(ms(percentile(times, 0.9))))\(peak)\(ratio)"
}

/// Runs a program once: the time, or (through GNU time) the peak memory.
private func run(_ program: Program, memory: Bool) throws -> ProgramRun {
  let report = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-peak-\(getpid())").path
  let argv = memory ? [gnuTime ?? "", "-f", "%M", "-o", report] + program.argv : program.argv
  let time =
    try program.paint.map { try runToPaint(argv, program.environment, marker: $0, keys: program.keys) }
    ?? runToExit(argv, program.environment)
  guard memory else { return ProgramRun(time: time) }
  defer { unlink(report) }
  let text = try String(contentsOfFile: report, encoding: .utf8)
  guard let kilobytes = Int(text.split(separator: "\n").last ?? "") else { throw BenchError("GNU time said \(text)") }
  return ProgramRun(time: time, peakKilobytes: kilobytes)
}

/// Runs a program with its output thrown away, and waits for it.
private func runToExit(_ argv: [String], _ environment: [String]) throws -> Duration {
  let null = open("/dev/null", O_RDWR)
  defer { close(null) }
  let clock = ContinuousClock()
  let start = clock.now
  try waitFor(try spawn(argv, environment: environment, stdio: null), argv)
  return clock.now - start
}

/// Runs a program on a new pseudo-terminal until `marker` is on it, then types `keys` (a key
/// every 120 ms after the first, as a person would) and waits for the exit.
private func runToPaint(_ argv: [String], _ environment: [String], marker: String, keys: [String]) throws -> Duration {
  var name = [CChar](repeating: 0, count: 128)
  let master = tutor_open_pseudo_terminal(O_RDWR | O_NOCTTY, &name, name.count)
  guard master >= 0 else { throw BenchError("no pseudo-terminal: \(String(cString: strerror(errno)))") }
  defer { close(master) }
  let terminal = open(name, O_RDWR | O_NOCTTY)
  guard terminal >= 0 else { throw BenchError("cannot open the pseudo-terminal") }
  let clock = ContinuousClock()
  let start = clock.now
  let pid: pid_t
  do {
    defer { close(terminal) }
    pid = try spawn(argv, environment: environment, stdio: terminal)
  }
  var seen: Duration?
  var output: [UInt8] = []
  let wanted = Array(marker.utf8)
  var buffer = [UInt8](repeating: 0, count: 65536)
  while seen == nil, clock.now - start < .seconds(10) {
    var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&poller, 1, 50) > 0 else { continue }
    let count = read(master, &buffer, buffer.count)
    guard count > 0 else { break }
    let searched = max(0, output.count - wanted.count + 1)
    output += buffer[..<count]
    if contains(output, wanted, from: searched) { seen = clock.now - start }
  }
  for (index, key) in keys.enumerated() {
    if index > 0 { drain(master, for: 120) }
    _ = key.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count - 1) }
  }
  // Whatever it writes while it quits is read, so that it never blocks on a full terminal.
  let deadline = clock.now + .seconds(5)
  var status: Int32 = 0
  while waitpid(pid, &status, WNOHANG) == 0 {
    if clock.now > deadline {
      kill(pid, SIGKILL)
      _ = waitpid(pid, &status, 0)
      throw BenchError("\(argv.joined(separator: " ")) did not quit")
    }
    drain(master, for: 10)
  }
  guard let seen else { throw BenchError("\(argv.joined(separator: " ")) never showed '\(marker)'") }
  return seen
}

/// Whether `wanted` is in `bytes` at or after `from` (the output read before is searched already).
private func contains(_ bytes: [UInt8], _ wanted: [UInt8], from: Int) -> Bool {
  guard bytes.count >= wanted.count, from <= bytes.count - wanted.count else { return false }
  return (from...(bytes.count - wanted.count)).contains { bytes[$0..<$0 + wanted.count].elementsEqual(wanted) }
}

/// Reads what the program writes until it has been quiet for `milliseconds`.
private func drain(_ master: Int32, for milliseconds: Int32) {
  var buffer = [UInt8](repeating: 0, count: 65536)
  var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
  while poll(&poller, 1, milliseconds) > 0, read(master, &buffer, buffer.count) > 0 {}
}

private func spawn(_ argv: [String], environment: [String], stdio: Int32) throws -> pid_t {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  for target: Int32 in 0...2 { posix_spawn_file_actions_adddup2(&actions, stdio, target) }
  let arguments = argv.map { strdup($0) } + [nil]
  let variables = environment.map { strdup($0) } + [nil]
  defer { (arguments + variables).forEach { free($0) } }
  var pid: pid_t = 0
  let result = posix_spawn(&pid, argv[0], &actions, nil, arguments, variables)
  guard result == 0 else { throw BenchError("cannot start \(argv[0]): \(String(cString: strerror(result)))") }
  return pid
}

/// Waits for the program, which must succeed.
private func waitFor(_ pid: pid_t, _ argv: [String]) throws {
  var status: Int32 = 0
  guard waitpid(pid, &status, 0) == pid else { throw BenchError("lost \(argv[0])") }
  guard status == 0 else { throw BenchError("\(argv.joined(separator: " ")) ended with status \(status)") }
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
