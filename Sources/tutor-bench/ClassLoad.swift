import Foundation
import Histogram
import NIOPosix
import TutorClassroom
import TutorCore

/// Simulated students on loopback: they join, the host opens a question, and everyone answers at
/// once; each acknowledgement's latency is recorded (microseconds, HdrHistogram).
final class ClassLoad: @unchecked Sendable {
  private let lock = NSLock()
  private var sentAt: [Int: ContinuousClock.Instant] = [:]
  private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
  private(set) var welcomed = 0
  private(set) var acked = 0
  private let clock = ContinuousClock()

  func welcome() { locked { welcomed += 1 } }

  func sent(_ index: Int) { locked { sentAt[index] = clock.now } }

  func ack(_ index: Int) {
    locked {
      guard let start = sentAt[index] else { return }
      let elapsed = clock.now - start
      let micros =
        UInt64(elapsed.components.seconds) * 1_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000_000)
      _ = histogram.record(micros)
      acked += 1
    }
  }

  func percentile(_ p: Double) -> Double { locked { Double(histogram.valueAtPercentile(p)) / 1000 } }
  var maximum: Double { locked { Double(histogram.max) / 1000 } }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  /// Waits until `done` holds, up to `seconds`.
  func wait(seconds: Double, until done: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while !locked(done) {
      if Date() > end { return false }
      usleep(2000)
    }
    return true
  }
}

/// The resident memory of this process, from /proc (kB).
func residentKilobytes() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
  else { return 0 }
  return Int(line.split(whereSeparator: \.isWhitespace)[1]) ?? 0
}

/// CPU time of this process so far (user and system), in seconds.
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    / 1e6
}

func classBenchmark(quiz: Quiz, students: Int, idle: Int, generatorThreads: Int) throws {
  // 1. A lecture hall: every student answers within the same second after the question
  // arrives (at a random moment in it), then, as a harder test, all at the same instant.
  for window in [1000, 0] {
    try answerRound(quiz: quiz, students: students, windowMilliseconds: window, generatorThreads: generatorThreads)
  }
  // 2. A quiet room: the host's CPU with idle students connected.
  let quiet = ClassHost(
    session: ClassSession(quiz: quiz, settings: .init(code: "1", secondsPerQuestion: 60), seed: 2), clock: Date.init,
    onEvent: { _ in })
  guard case .tcp(_, let quietPort) = try quiet.listen(.tcp(host: "127.0.0.1", port: 0)) else { return }
  let idleGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
  var idleClients: [ClassClient] = []
  for index in 0..<idle {
    let client = ClassClient(group: idleGroup, onMessage: { _ in }, onClose: {})
    try client.connect(.tcp(host: "127.0.0.1", port: quietPort))
    client.send(.hello(version: ClassProtocol.version, code: "1", name: "i\(index)", token: nil))
    idleClients.append(client)
  }
  // Each sends a heartbeat every 5 s, as ClassLink does.
  let clients = idleClients
  let beats = idleGroup.next().scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in
    for client in clients { client.send(.heartbeat) }
  }
  Thread.sleep(forTimeInterval: 1)
  let cpuBefore = cpuSeconds()
  Thread.sleep(forTimeInterval: 10)
  let share = (cpuSeconds() - cpuBefore) / 10 * 100
  print(
    String(
      format:
        "class, %d idle students (heartbeats every 5 s) for 10 s: %.2f%% of one core (host and idle clients together)",
      idle, share)
  )
  beats.cancel()
  for client in idleClients { client.close() }
  quiet.shutdown()
  try idleGroup.syncShutdownGracefully()
}

/// Students join, the host opens a question, and each student answers after a random wait of
/// up to `windowMilliseconds` (0: at once); the latency is from sending an answer to its ack.
func answerRound(quiz: Quiz, students: Int, windowMilliseconds: Int, generatorThreads: Int) throws {
  let load = ClassLoad()
  let host = ClassHost(
    session: ClassSession(quiz: quiz, settings: .init(code: "1", secondsPerQuestion: 60), seed: 1), clock: Date.init,
    onEvent: { _ in })
  let before = residentKilobytes()
  guard case .tcp(_, let port) = try host.listen(.tcp(host: "127.0.0.1", port: 0)) else { return }
  let hostMemory = residentKilobytes()
  // The load generator's own loops (the host has one of its own).
  let group = MultiThreadedEventLoopGroup(numberOfThreads: generatorThreads)
  final class Box: @unchecked Sendable { var client: ClassClient? }
  var clients: [ClassClient] = []
  for index in 0..<students {
    let box = Box()
    let client = ClassClient(
      group: group,
      onMessage: { message in
        switch message {
        case .welcome: load.welcome()
        case .question(let question):
          let answer = ClientMessage.answer(
            questionID: question.id, key: "k\(index)", response: .choices([question.options[0].id]))
          let wait = windowMilliseconds > 0 ? Int64.random(in: 0..<Int64(windowMilliseconds)) : 0
          group.next().scheduleTask(in: .milliseconds(wait)) {
            load.sent(index)
            box.client?.send(answer)
          }
        case .ack: load.ack(index)
        default: break
        }
      }, onClose: {})
    box.client = client
    try client.connect(.tcp(host: "127.0.0.1", port: port))
    client.send(.hello(version: ClassProtocol.version, code: "1", name: "s\(index)", token: nil))
    clients.append(client)
  }
  guard load.wait(seconds: 60, until: { load.welcomed == students }) else {
    print("class: only \(load.welcomed) of \(students) students joined in 60 s")
    return
  }
  let joined = residentKilobytes()
  host.perform(.start)
  let complete = load.wait(seconds: 60, until: { load.acked == students })
  let how = windowMilliseconds > 0 ? "within the same second" : "all at the same instant"
  print(
    "class, \(students) students on loopback answering \(how): \(load.acked) of \(students) answers acknowledged"
      + (complete ? "" : " (timed out)"))
  print(
    String(
      format: "  acknowledgement latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", load.percentile(50),
      load.percentile(90), load.percentile(99), load.maximum))
  print(
    "  memory: \((joined - hostMemory) / max(1, students)) kB per connected student (host and load generator in one process: "
      + "\(before) kB before, \(joined) kB with everyone joined)")
  for client in clients { client.close() }
  host.shutdown()
  try group.syncShutdownGracefully()
}
