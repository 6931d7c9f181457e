import Foundation
import Testing
import TutorTestSupport

/// A live class with every party in full screen in its own tmux pane: the teacher's host screen
/// and two students, one of whom is killed mid-question and comes back.
@Suite(.serialized) struct ClassroomScreenTests {
  let folder = Fixtures.temporaryFolder()

  func tutor(_ pane: String, store: String, _ arguments: [String]) throws -> TmuxPane {
    guard let binary = Binary.url else { throw Binary.BinaryMissing() }
    let options = [
      "--course", Fixtures.repositoryRoot.path, "--store", folder.appendingPathComponent("\(store).sqlite").path,
    ]
    return try TmuxPane(
      pane, [binary.path] + arguments + options,
      environment: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_CACHE_HOME": folder.path])
  }

  @Test(.enabled(if: TmuxPane.isAvailable, "tmux is not installed (.ci/run installs it)"))
  func aTeacherPacedClassInFullScreenSurvivesAKilledStudent() throws {
    let csv = folder.appendingPathComponent("results")
    let host = try tutor(
      "host", store: "host", ["host", "dre-definition", "--code", "4242", "--seconds", "60", "--csv", csv.path])
    #expect(host.waitFor("Press s to start"), "\(host.screen)")
    let address = String(try #require(host.screen.firstMatch(of: /tutor join (127\.0\.0\.1:\d+) 4242/)).1)
    let join = { (pane: String, name: String) in
      try self.tutor(pane, store: name, ["join", address, "4242", "--name", name])
    }
    let ana = try join("ana", "ana")
    var ben = try join("ben", "ben")
    #expect(ana.waitFor("Waiting for the teacher to start.") && ben.waitFor("Waiting for the teacher"))
    #expect(host.waitFor("Class: 2 joined"), "\(host.screen)")
    host.send("s")
    #expect(ana.waitFor("question 1 of 14") && ben.waitFor("question 1 of 14"))
    ana.send("a")
    ana.send("Enter")
    #expect(ana.waitFor("Answer saved. Waiting for the others."), "\(ana.screen)")
    #expect(host.waitFor("1 of 2 answered"), "\(host.screen)")

    ben.kill()
    #expect(host.waitFor("1 joined, 1 away"), "\(host.screen)")
    ben = try join("ben-again", "ben")
    #expect(ben.waitFor("question 1 of 14"), "the open question comes back: \(ben.screen) \(host.screen)")
    ben.send("b")
    ben.send("Enter")
    #expect(host.waitFor("locked (n reveals)"), "everyone answered: \(host.screen)")
    host.send("n")
    #expect(host.waitFor("Right answer:"), "\(host.screen)")
    #expect(ana.waitFor("in the class got it right."), "\(ana.screen)")

    host.send("e")
    #expect(host.waitFor("End the class for everyone now?"))
    host.send("y")
    #expect(host.waitFor("Questions, hardest first"), "\(host.screen)")
    #expect(ana.waitFor("Your score: ") && ben.waitFor("Your score: "))
    host.send("q")
    #expect(host.exitStatus() == 0, "\(host.state) \(host.screen)")
    for student in [ana, ben] {
      student.send("q")
      #expect(student.exitStatus() == 0, "\(student.state) \(student.screen)")
    }
    let answers = try String(contentsOf: csv.appendingPathComponent("answers.csv"), encoding: .utf8)
    let rows = answers.split(separator: "\r\n")
    #expect(rows.contains { $0.hasPrefix("ana,dre-two-trials,") }, "\(answers)")
    #expect(rows.contains { $0.hasPrefix("ben,dre-two-trials,") }, "\(answers)")
    #expect(rows.count == 3, "one answer each: \(answers)")
  }
}
