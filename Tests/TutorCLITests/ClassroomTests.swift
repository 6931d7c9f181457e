import Foundation
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorCLI

/// A live class with real processes on loopback: a host driven by the teacher's commands and two
/// students answering by lines.
@Suite(.serialized) struct ClassroomTests {
  let folder = Fixtures.temporaryFolder()
  var course: String { Fixtures.repositoryRoot.path }

  /// Lines that answer any question of the first quiz sooner or later (unreadable ones are asked again).
  static let answers = String(repeating: "b\nt\n12\na b c d e\na,b\n", count: 30)

  func student(
    _ name: String, address: String, answering: Bool = true, environment: [String: String] = [:]
  ) throws -> Conversation {
    let student = try Conversation(
      [
        "join", address, "2468", "--name", name, "--plain", "--course", course, "--store",
        folder.appendingPathComponent("\(name).sqlite").path,
      ], environment: environment)
    if answering { student.send(Self.answers) }
    return student
  }

  /// A teacher-paced host on loopback (code 2468, a minute a question, CSV files into `csv`),
  /// and the address it listens on.
  func teacherPacedHost(csv: URL) throws -> (Conversation, address: String) {
    let host = try Conversation([
      "host", "dre-definition", "--plain", "--code", "2468", "--seconds", "60", "--csv", csv.path, "--course", course,
      "--store", folder.appendingPathComponent("host.sqlite").path,
    ])
    try #require(host.waitFor("Join: tutor join "), "\(host.printed)")
    let address = try #require(host.printed.firstMatch(of: /tutor join (\S+) 2468/)).1
    return (host, String(address))
  }

  @Test func aTeacherPacedClassOverTCPInPlainMode() throws {
    let csv = folder.appendingPathComponent("results")
    let (host, address) = try teacherPacedHost(csv: csv)
    let students = try ["ana", "ben"].map { try student($0, address: address) }
    #expect(host.waitFor("Joined: ana") && host.waitFor("Joined: ben"), "\(host.printed)")
    host.send("start")
    for number in 1...3 {
      #expect(host.waitFor("Question \(number): 2 of 2 answered."), "\(host.printed)")
      #expect(host.waitFor("Question \(number) is locked."), "everyone answered: the question locks")
      host.send("next")  // the reveal
      #expect(host.waitFor("Question \(number): ") && host.waitFor("right. Right answer:"))
      host.send("next")  // the next question
    }
    #expect(host.waitFor("Question 4: 2 of 2 answered."))
    host.send("end")
    let ended = host.finish()
    #expect(ended.status == 0, "\(ended.errors)")
    #expect(ended.output.contains("The session has ended."))
    #expect(ended.output.contains("Items:"))
    for (name, student) in zip(["ana", "ben"], students) {
      let result = student.finish()
      #expect(result.status == 0, "\(name): \(result.errors)")
      #expect(result.output.contains("Joined What makes epilepsy drug-resistant? as \(name)."))
      #expect(result.output.contains("Leaderboard: 1. "), "the top five after each reveal")
      #expect(
        result.output.split(separator: "\n").contains {
          $0.hasPrefix("Score: ") && $0.hasSuffix("/4 (\($0.split(separator: "(").last ?? "")")
        }, "scored on the four questions asked before the end, not the quiz's fourteen")
    }
    let summary = try String(contentsOf: csv.appendingPathComponent("summary.csv"), encoding: .utf8)
    let rows = summary.split(separator: "\r\n")
    #expect(rows.first?.hasPrefix("student,name,total,percent,") == true)
    #expect(rows.first?.split(separator: ",").count == 8, "one column per question asked")
    #expect(rows.contains { $0.hasPrefix("ana,ana,") } && rows.contains { $0.hasPrefix("ben,ben,") })
    let answers = try String(contentsOf: csv.appendingPathComponent("answers.csv"), encoding: .utf8)
    let given = answers.split(separator: "\r\n").dropFirst()
    #expect(
      given.filter { $0.hasPrefix("ana,") }.count == 4 && given.filter { $0.hasPrefix("ben,") }.count == 4,
      "three questions answered, and the fourth opened before the end: \(answers)")
    #expect(ended.output.contains("Kept as class 1 in the store: tutor classes 1 shows it again."))

    // The host's store keeps the class: listed, and its CSV files written again from it alone.
    let store = folder.appendingPathComponent("host.sqlite").path
    let listed = try Binary.run(["classes", "--course", course, "--store", store])
    #expect(listed.status == 0, "\(listed.errors)")
    #expect(listed.output.contains("1. "), "\(listed.output)")
    #expect(listed.output.contains("(dre-definition) · 2 students · 4 questions asked · mean "), "\(listed.output)")
    let again = folder.appendingPathComponent("again")
    let shown = try Binary.run(["classes", "1", "--csv", again.path, "--course", course, "--store", store])
    #expect(shown.status == 0, "\(shown.errors)")
    #expect(shown.output.contains("Items:") && shown.output.contains("  1. "), "\(shown.output)")
    #expect(try String(contentsOf: again.appendingPathComponent("summary.csv"), encoding: .utf8) == summary)
    #expect(try String(contentsOf: again.appendingPathComponent("answers.csv"), encoding: .utf8) == answers)
    let missing = try Binary.run(["classes", "7", "--course", course, "--store", store])
    #expect(missing.status != 0 && missing.errors.contains("No class 7 in this store"))
  }

  @Test func aWrongCodeIsRefusedWithoutDisturbingTheClass() throws {
    let host = try Conversation([
      "host", "dre-definition", "--plain", "--code", "2468", "--course", course, "--store",
      folder.appendingPathComponent("host.sqlite").path,
    ])
    try #require(host.waitFor("Join: tutor join "))
    let address = String(try #require(host.printed.firstMatch(of: /tutor join (\S+) 2468/)).1)
    let wrong = try Conversation([
      "join", address, "0000", "--name", "eve", "--plain", "--course", course, "--store",
      folder.appendingPathComponent("eve.sqlite").path,
    ])
    let refused = wrong.finish()
    #expect(refused.status == 1)
    #expect(refused.output.contains("Refused: That join code is not this session's."))
    #expect(host.waitFor("Refused: "))
    host.send("end")
    #expect(host.finish().status == 0)
  }
}

/// A raw TCP connection for sending what no tutor would send.
final class RawClient {
  let descriptor: Int32

  init?(port: Int) {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if connected != 0 { return nil }
  }

  func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } }
  func send(_ text: String) { send(Array(text.utf8)) }

  /// Everything the host sends until it closes the connection (nil if it is still open after `seconds`).
  func readUntilClosed(seconds: Int) -> String? {
    var limit = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(descriptor, &chunk, chunk.count)
      if count == 0 { return String(decoding: received, as: UTF8.self) }
      if count < 0 { return nil }
      received += chunk[0..<count]
    }
  }
  deinit { close(descriptor) }
}

extension ClassroomTests {
  /// Bad input from other connections while a class runs: each is refused or disconnected, and
  /// every answer of the real students counts.
  @Test func badInputNeverTakesTheClassDown() throws {
    let csv = folder.appendingPathComponent("results")
    let (host, address) = try teacherPacedHost(csv: csv)
    let port = try #require(Int(address.split(separator: ":").last ?? ""))
    let ana = try student("ana", address: address)
    let ben = try student("ben", address: address, answering: false)
    #expect(host.waitFor("Joined: ana") && host.waitFor("Joined: ben"))
    host.send("start")
    #expect(host.waitFor("Question 1: 1 of 2 answered."), "ana answers; ben is thinking")

    let silent = try #require(RawClient(port: port), "connects and says nothing")
    let malformed = try #require(RawClient(port: port))
    malformed.send("{\"hello\": \n")
    malformed.send([0x00, 0xFF, 0xFE, 0x0A])
    malformed.send("{\"shout\":{}}\n")
    let wrongCode = try #require(RawClient(port: port))
    wrongCode.send("{\"hello\":{\"version\":1,\"code\":\"0000\",\"name\":\"eve\"}}\n")
    let sameName = try #require(RawClient(port: port))
    sameName.send("{\"hello\":{\"version\":1,\"code\":\"2468\",\"name\":\"ana\"}}\n")
    let tooLong = try #require(RawClient(port: port))
    tooLong.send(String(repeating: "x", count: 70_000))
    let flood = try #require(RawClient(port: port))
    flood.send(String(repeating: "{\"heartbeat\":{}}\n", count: 400))
    #expect(host.waitFor("Too many messages"), "a flood is cut off: \(host.printed)")
    #expect(host.waitFor("A line was longer than the protocol allows."))
    #expect(host.waitFor("That join code is not this session's."))
    #expect(host.printed.contains("not a message of the class protocol"))
    #expect(host.waitFor("Someone has that name already"), "a second 'ana' without her token is refused")

    ben.send(Self.answers)
    #expect(host.waitFor("Question 1: 2 of 2 answered."), "\(host.printed)")
    host.send("next")
    host.send("next")
    #expect(host.waitFor("Question 2: 2 of 2 answered."))
    let toldSilent = silent.readUntilClosed(seconds: 15)
    #expect(
      toldSilent?.contains("No hello came") == true, "a client that says nothing is closed: \(toldSilent ?? "open")")
    #expect(host.waitFor("No hello came"))
    host.send("end")
    let ended = host.finish()
    #expect(ended.status == 0)
    #expect(ended.errors.isEmpty, "the log stays off the terminal: \(ended.errors)")
    let log = try String(contentsOf: folder.appendingPathComponent("class.log"), encoding: .utf8)
    for reason in ["not a message of the class protocol", "longer than the protocol allows", "Too many", "No hello"] {
      #expect(log.contains(reason), "the log names each refusal: \(log)")
    }
    _ = (ana.finish(), ben.finish())
    let answers = try String(contentsOf: csv.appendingPathComponent("answers.csv"), encoding: .utf8)
    let given = answers.split(separator: "\r\n").dropFirst()
    #expect(
      given.filter { $0.hasPrefix("ana,") }.count == 2 && given.filter { $0.hasPrefix("ben,") }.count == 2, "\(answers)"
    )
  }
}

extension ClassroomTests {
  /// A shared server: a self-paced class over a Unix socket, two students who are two OS users.
  /// Their ids in summary.csv are their OS user names, whatever name they give.
  @Test func aSelfPacedClassOverAUnixSocketKnowsStudentsByTheirOSUser() throws {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"),
      FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), let binary = Binary.url
    else {
      print("skipped: needs root, useradd and setpriv to act as two OS users")
      return
    }
    let users = ["tutor-class-a", "tutor-class-b"]
    for user in users {
      _ = try Binary.runProgram("/usr/sbin/useradd", ["--no-create-home", "--shell", "/usr/sbin/nologin", user])
    }
    let room = URL(fileURLWithPath: "/tmp/tutor-class-\(getpid())")
    try FileManager.default.createDirectory(at: room, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: room.path)
    defer { try? FileManager.default.removeItem(at: room) }
    let socket = room.appendingPathComponent("class.sock").path
    let csv = room.appendingPathComponent("results")
    let host = try Conversation([
      "host", "dre-definition", "--plain", "--socket", socket, "--self-paced", "--code", "2468", "--csv", csv.path,
      "--course", course, "--store", room.appendingPathComponent("host.sqlite").path,
    ])
    try #require(host.waitFor("Join: tutor join \(socket) 2468"), "\(host.printed)")
    var students: [Process] = []
    for (user, shown) in zip(users, ["Ada", "Bo"]) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
      process.arguments = [
        "--reuid=\(user)", "--regid=\(user)", "--init-groups", binary.path, "join", socket, "2468", "--name", shown,
        "--plain", "--course", course, "--store", room.appendingPathComponent("\(user).sqlite").path,
      ]
      let input = Pipe()
      process.standardInput = input
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      input.fileHandleForWriting.write(Data(Self.answers.utf8))
      students.append(process)
    }
    #expect(host.waitFor("Joined: Ada") && host.waitFor("Joined: Bo"), "\(host.printed)")
    host.send("start")
    #expect(
      host.waitFor("The session has ended.", seconds: 60), "the session ends when both have finished: \(host.printed)")
    let ended = host.finish()
    #expect(ended.status == 0, "\(ended.errors)")
    for process in students { process.waitUntilExit() }
    let summary = try String(contentsOf: csv.appendingPathComponent("summary.csv"), encoding: .utf8)
    let rows = summary.split(separator: "\r\n")
    #expect(rows.contains { $0.hasPrefix("tutor-class-a,Ada,") }, "\(summary)")
    #expect(rows.contains { $0.hasPrefix("tutor-class-b,Bo,") }, "\(summary)")
    let answers = try String(contentsOf: csv.appendingPathComponent("answers.csv"), encoding: .utf8)
    #expect(answers.split(separator: "\r\n").filter { $0.hasPrefix("tutor-class-a,") }.count == 14)
  }
}

extension ClassroomTests {
  /// A student's process killed mid-question and started again takes its place back (its resume
  /// token is kept beside its store) and answers the question still open.
  @Test func aStudentKilledMidQuestionResumes() throws {
    let csv = folder.appendingPathComponent("results")
    let (host, address) = try teacherPacedHost(csv: csv)
    let ana = try student("ana", address: address)
    let first = try student("ben", address: address, answering: false)
    #expect(host.waitFor("Joined: ana") && host.waitFor("Joined: ben"))
    host.send("start")
    #expect(host.waitFor("Question 1: 1 of 2 answered."))
    #expect(first.waitFor("Question 1 of 14"), "ben has the question in front of him")
    kill(first.process.processIdentifier, SIGKILL)
    _ = first.finish()
    #expect(host.waitFor("Left: ben"))
    let again = try student("ben", address: address)
    #expect(again.waitFor("Question 1 of 14"), "the open question comes back: \(again.printed)")
    #expect(host.waitFor("Question 1: 2 of 2 answered."), "\(host.printed)")
    host.send("next")
    host.send("end")
    #expect(host.finish().status == 0)
    _ = (ana.finish(), again.finish())
    let answers = try String(contentsOf: csv.appendingPathComponent("answers.csv"), encoding: .utf8)
    #expect(answers.split(separator: "\r\n").filter { $0.hasPrefix("ben,") }.count == 1, "\(answers)")
  }
}

extension ClassroomTests {
  @Test func aDroppedConnectionComesBackByItselfAndTheAnswerCounts() throws {
    let csv = folder.appendingPathComponent("results")
    let (host, address) = try teacherPacedHost(csv: csv)
    let port = try #require(UInt16(address.split(separator: ":").last ?? ""))
    let network = try CuttableProxy(to: port)
    let ana = try student("ana", address: address)
    let ben = try student("ben", address: "127.0.0.1:\(network.port)", answering: false)
    #expect(host.waitFor("Joined: ana") && host.waitFor("Joined: ben"))
    host.send("start")
    #expect(ben.waitFor("Question 1 of 14"))
    network.cut()
    #expect(ben.waitFor("The connection to the class was lost; reconnecting…"), "\(ben.printed)")
    #expect(ben.waitFor("Back in the class."), "\(ben.printed)")
    #expect(host.waitFor("Left: ben"))
    // Ben answers the question that was in front of him when the connection dropped.
    ben.send(Self.answers)
    #expect(host.waitFor("Question 1: 2 of 2 answered."), "\(host.printed)")
    // Cut again as the second question opens: Ben's answer to it counts once, sent again if lost.
    host.send("next")
    host.send("next")
    #expect(ben.waitFor("Question 2 of 14"))
    network.cut()
    #expect(host.waitFor("Question 2: 2 of 2 answered."), "\(host.printed)")
    // The answer may have reached the host before the cut: Ben must be back before the class ends,
    // or he would try to come back to a host that is gone.
    #expect(ben.waitFor("Back in the class.", times: 2), "\(ben.printed)")
    host.send("end")
    #expect(host.finish().status == 0)
    let left = ben.finish()
    #expect(left.status == 0, "\(left.errors)")
    _ = ana.finish()
    let answers = try String(contentsOf: csv.appendingPathComponent("answers.csv"), encoding: .utf8)
    #expect(answers.split(separator: "\r\n").filter { $0.hasPrefix("ben,") }.count == 2, "\(answers)")
  }
}

/// The CSV the host writes is RFC 4180.
@Suite struct ClassCSVTests {
  @Test func fieldsWithCommasQuotesOrLineBreaksAreQuoted() throws {
    #expect(
      try CSVText.render([["student", "name"], ["ana", "Ana, \"the\" first"], ["ben", "two\nlines"]])
        == "student,name\r\nana,\"Ana, \"\"the\"\" first\"\r\nben,\"two\nlines\"\r\n")
  }
}

extension ClassroomTests {
  /// A host that goes silent without closing the connection (frozen, or a network gone dark) is
  /// noticed by the heartbeat: the student reconnects, and the answer given meanwhile counts.
  @Test func aSilentHostIsNoticedAndTheStudentComesBack() throws {
    let csv = folder.appendingPathComponent("results")
    let (host, address) = try teacherPacedHost(csv: csv)
    let network = try CuttableProxy(to: try #require(UInt16(address.split(separator: ":").last ?? "")))
    let ben = try student(
      "ben", address: "127.0.0.1:\(network.port)", answering: false, environment: ["TUTOR_CLASS_HEARTBEAT": "0.3"])
    #expect(host.waitFor("Joined: ben"))
    host.send("start")
    #expect(ben.waitFor("Question 1 of 14"))
    network.freeze()
    #expect(ben.waitFor("The connection to the class was lost; reconnecting…", seconds: 10), "\(ben.printed)")
    #expect(ben.waitFor("Back in the class."), "\(ben.printed)")
    ben.send(Self.answers)
    #expect(host.waitFor("Question 1: 1 of 1 answered."), "\(host.printed)")
    host.send("end")
    #expect(host.finish().status == 0)
    #expect(ben.finish().status == 0)
  }
}
