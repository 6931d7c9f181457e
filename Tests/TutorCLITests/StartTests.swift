import Foundation
import Testing
import TutorTestSupport

/// `tutor` alone starts without ArgumentParser (for speed): it must do exactly what `tutor home`
/// does with the same course, store and learner, from the environment.
@Suite struct StartTests {
  let folder = Fixtures.temporaryFolder()

  var environment: [String: String] {
    [
      "TUTOR_COURSE": Fixtures.repositoryRoot.path, "TUTOR_STORE": folder.appendingPathComponent("p.sqlite").path,
      "TUTOR_LEARNER": "ana", "XDG_CACHE_HOME": folder.path, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    ]
  }

  @Test func tutorAloneIsTheHomeCommand() throws {
    let alone = try Binary.run([], environment: environment)
    let home = try Binary.run(["home"], environment: environment)
    #expect(alone.status == 0, "\(alone.errors)")
    #expect(alone.output.contains("Drug-resistant epilepsy: the mechanisms"), "\(alone.output)")
    #expect(alone.output == home.output && alone.errors == home.errors)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("p.sqlite").path))
  }

  @Test(.enabled(if: TmuxPane.isAvailable, "tmux is not installed (.ci/run installs it)"))
  func tutorAloneOpensTheHomeScreenAndQuits() throws {
    guard let binary = Binary.url else { throw Binary.BinaryMissing() }
    // Once to leave the course summary the fast start draws from, once drawn from it.
    for pass in ["first", "cached"] {
      let pane = try TmuxPane("start-\(pass)-\(getpid())", [binary.path], environment: environment)
      #expect(pane.waitFor("Lessons"), "\(pass): \(pane.screen)")
      #expect(pane.screen.contains("Drug-resistant epilepsy: the mechanisms"))
      pane.send("q")
      #expect(pane.exitStatus() == 0, "\(pass): \(pane.state)")
    }
  }
}
