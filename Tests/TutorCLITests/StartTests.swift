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

extension StartTests {
  /// The first `tutor progress` reads the course and leaves its digest in the cache; the next
  /// one prints the same from the digest alone.
  @Test func progressReadsTheDigestOnceTheCourseIsKnown() throws {
    let study = try Binary.run(["quiz", "dre-definition", "--plain"], input: "a\nb\nc\n", environment: environment)
    #expect(study.status == 0 || study.status == 3, "\(study.errors)")
    let cache = folder.appendingPathComponent("tutor")
    try? FileManager.default.removeItem(at: cache)
    let first = try Binary.run(["progress"], environment: environment)
    let digests = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter {
      $0.hasSuffix(".progress.tsv")
    }
    #expect(digests.count == 1, "\(digests)")
    let second = try Binary.run(["progress"], environment: environment)
    #expect(first.status == 0 && second.status == 0)
    #expect(second.output == first.output, "\(second.output)")
    // `tutor progress` alone skips ArgumentParser: with an option it goes through it, alike.
    let parsed = try Binary.run(["progress", "--learner", "ana"], environment: environment)
    #expect(parsed.output == first.output, "\(parsed.output)")
    #expect(first.output.contains("What makes epilepsy drug-resistant?: in progress"), "\(first.output)")
    // A damaged digest: the course itself is read, and the report is the same.
    let digest = cache.appendingPathComponent(try #require(digests.first))
    try Data("tutor progress digest 1\ncourse\tcut".utf8).write(to: digest)
    let damaged = try Binary.run(["progress"], environment: environment)
    #expect(damaged.status == 0 && damaged.output == first.output, "\(damaged.output)\(damaged.errors)")
    #expect(try String(contentsOf: digest, encoding: .utf8).count > 1000, "the digest is made again")
  }
}
