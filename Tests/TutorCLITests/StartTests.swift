import Foundation
import GRDB
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorStore

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
    try Data("tutor progress digest 2\ncourse\tcut".utf8).write(to: digest)
    let damaged = try Binary.run(["progress"], environment: environment)
    #expect(damaged.status == 0 && damaged.output == first.output, "\(damaged.output)\(damaged.errors)")
    #expect(try String(contentsOf: digest, encoding: .utf8).count > 1000, "the digest is made again")
  }
}

extension StartTests {
  /// `--json` and `--csv` carry the numbers the text report shows, from the digest or the course alike.
  @Test func progressAsJSONAndCSVHoldTheReportsNumbers() throws {
    let study = try Binary.run(
      ["quiz", "dre-definition", "--plain"], input: "a\nb\nt\nc\n", environment: environment)
    #expect(study.status == 0 || study.status == 3, "\(study.errors)")
    let text = try Binary.run(["progress"], environment: environment)
    let cache = folder.appendingPathComponent("tutor")
    for digest in try FileManager.default.contentsOfDirectory(atPath: cache.path) where digest.hasSuffix(".tsv") {
      try FileManager.default.removeItem(at: cache.appendingPathComponent(digest))
    }
    // First from the course (which leaves the digest), then from the digest.
    for pass in ["course read", "from the digest"] {
      let json = try Binary.run(["progress", "--json"], environment: environment)
      #expect(json.status == 0, "\(pass): \(json.errors)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(pass): \(json.output)")
      #expect(object["format"] as? String == "tutor-progress" && object["version"] as? Int == 1)
      #expect(object["learner"] as? String == "ana")
      let quizzes = try #require(object["quizzes"] as? [[String: Any]])
      let quiz = try #require(quizzes.first { $0["id"] as? String == "dre-definition" })
      let answered = try #require((quiz["inProgress"] as? [String: Any])?["answered"] as? Int)
      #expect(answered >= 1 && quiz["status"] as? String == "in progress, \(answered) of 14 answered", "\(quiz)")
      let concepts = try #require(object["concepts"] as? [[String: Any]])
      #expect(!concepts.isEmpty)
      let masteries = concepts.compactMap { $0["mastery"] as? Int }
      #expect(masteries == masteries.sorted(), "weakest first")
      // Each concept's line in the text report shows the JSON's mastery and counts.
      for concept in concepts {
        let name = try #require(concept["name"] as? String)
        let line = try #require(text.output.split(separator: "\n").first { $0.contains(": \(name) (") }, "\(name)")
        #expect(
          line.hasPrefix(
            String(repeating: " ", count: 2 + 3 - String(concept["mastery"] as! Int).count) + "\(concept["mastery"]!)%"),
          "\(line)")
        #expect(line.contains("(\(concept["right"]!)/\(concept["answers"]!) right)"), "\(line)")
      }
      let activity = try #require(object["activity"] as? [String: Any])
      #expect(activity["streak"] as? Int == 1 && activity["daysStudied"] as? Int == 1, "\(activity)")
    }
    let csv = try Binary.run(["progress", "--csv"], environment: environment)
    let rows = csv.output.components(separatedBy: "\r\n").dropLast()
    #expect(rows.first == "kind,id,title,status,percent,answers,right")
    #expect(rows.contains { $0.hasPrefix("quiz,dre-definition,What makes epilepsy drug-resistant?,") }, "\(rows)")
    #expect(rows.filter { $0.hasPrefix("lesson,") }.count == 10)
    let both = try Binary.run(["progress", "--json", "--csv"], environment: environment)
    #expect(both.status == 64 && both.errors.contains("Choose one of --json and --csv."))
    // The short ways in (no argument parser) print what the parsed ones print.
    let parsedCSV = try Binary.run(["progress", "show", "--csv", "--no-color"], environment: environment)
    #expect(parsedCSV.output == csv.output)
    func withoutTime(_ output: String) throws -> NSDictionary? {
      let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
      return object.map { $0.filter { $0.key != "generatedAt" } as NSDictionary }
    }
    let short = try Binary.run(["progress", "show", "--json"], environment: environment)
    let parsed = try Binary.run(["progress", "show", "--json", "--no-color"], environment: environment)
    #expect(try withoutTime(short.output) == withoutTime(parsed.output) && (try withoutTime(short.output)) != nil)
  }
}

extension StartTests {
  /// Progress that travels through the real binary: export, import twice, and every refusal
  /// leaves the store byte for byte as it was.
  @Test func progressExportedAndImportedTwiceHoldsBothSidesAndRefusalsWriteNothing() throws {
    let study = try Binary.run(["quiz", "dre-definition", "--plain"], input: "a\nb\n", environment: environment)
    #expect(study.status == 0 || study.status == 3, "\(study.errors)")
    let bundle = folder.appendingPathComponent("ana.json").path
    let export = try Binary.run(["progress", "export", bundle], environment: environment)
    #expect(export.status == 0 && export.errors.contains("Exported the progress of ana"), "\(export.errors)")

    var other = environment
    other["TUTOR_STORE"] = folder.appendingPathComponent("other.sqlite").path
    other["TUTOR_LEARNER"] = "ben"
    let own = try Binary.run(["quiz", "why-drugs-fail", "--plain"], input: "a\n", environment: other)
    #expect(own.status == 0 || own.status == 3, "\(own.errors)")
    func answers(_ environment: [String: String]) throws -> Int {
      let json = try Binary.run(["progress", "--json"], environment: environment)
      let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
      return object?["answers"] as? Int ?? -1
    }
    let (mine, theirs) = (try answers(environment), try answers(other))
    let first = try Binary.run(["progress", "import", bundle], environment: other)
    #expect(first.status == 0 && first.output.hasPrefix("Imported ana's bundle"), "\(first.output)\(first.errors)")
    #expect(try answers(other) == mine + theirs, "both sides' answers")
    let second = try Binary.run(["progress", "import", bundle], environment: other)
    #expect(second.status == 0 && second.output.hasPrefix("Nothing new in ana's bundle"), "\(second.output)")
    #expect(try answers(other) == mine + theirs)

    // Refused, with nothing written: not a bundle, damaged, newer, another course.
    let text = try String(contentsOfFile: bundle, encoding: .utf8)
    let cases: [(String, String)] = [
      ("not JSON at all", "it is not a progress bundle (not JSON"),
      (String(text.dropLast(40)), "it is not a progress bundle (not JSON"),
      (text.replacingOccurrences(of: "\"version\":1", with: "\"version\":7"), "it was made by a newer tutor"),
      (
        text.replacingOccurrences(of: "\"id\":\"drug-resistant-epilepsy\"", with: "\"id\":\"cardiology\""),
        "it holds progress in the course 'cardiology', not in 'drug-resistant-epilepsy'"
      ),
      (text.replacingOccurrences(of: "\"learner\":\"ana\"", with: "\"learner\":[]"), "it is damaged"),
    ]
    let before = try Data(contentsOf: URL(fileURLWithPath: other["TUTOR_STORE"]!))
    other["TUTOR_LEARNER"] = "cleo"  // not in the store: a refusal must not add her
    for (content, reason) in cases {
      let file = folder.appendingPathComponent("bad.json")
      try content.write(to: file, atomically: true, encoding: .utf8)
      let refused = try Binary.run(["progress", "import", file.path], environment: other)
      #expect(refused.status == 65, "\(reason): \(refused.errors)")
      #expect(refused.errors.contains(reason) && refused.errors.contains("Nothing was written."), "\(refused.errors)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: other["TUTOR_STORE"]!)) == before)
  }
}

extension StartTests {
  /// A day's first study leaves a backup; a damaged store is named, left byte for byte, and
  /// `--restore` brings the backup back with the damaged file kept aside.
  @Test func theDoctorNamesTheNewestGoodBackupAndRestoresIt() throws {
    let study = try Binary.run(["quiz", "dre-definition", "--plain"], input: "a\nb\n", environment: environment)
    #expect(study.status == 0 || study.status == 3, "\(study.errors)")
    let healthy = try Binary.run(["doctor"], environment: environment)
    #expect(healthy.status == 0 && healthy.output.contains("The store is healthy."), "\(healthy.output)")
    #expect(healthy.output.contains("-daily.sqlite"), "the first study of the day made a backup: \(healthy.output)")

    let store = folder.appendingPathComponent("p.sqlite")
    let log = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
    #expect(
      log == 0, "the store was left whole, with nothing in its write-ahead log, though the daily backup was running")
    let handle = try FileHandle(forUpdating: store)
    for page in 1..<6 {
      try handle.seek(toOffset: UInt64(4096 * page))
      handle.write(Data(repeating: 0xFF, count: 32))
    }
    try handle.close()
    let damaged = try Data(contentsOf: store)
    let refused = try Binary.run(["progress"], environment: environment)
    #expect(refused.status == 74 && refused.errors.contains("tutor doctor"), "\(refused.errors)")
    let doctor = try Binary.run(["doctor"], environment: environment)
    #expect(doctor.status == 1, "\(doctor.output)")
    #expect(doctor.output.contains("✗ SQLite integrity check"))
    #expect(
      doctor.output.contains("newest good") && doctor.output.contains("`tutor doctor --restore`"), "\(doctor.output)")
    #expect(try Data(contentsOf: store) == damaged, "the damaged store is left byte for byte")

    let restore = try Binary.run(["doctor", "--restore"], environment: environment)
    #expect(
      restore.status == 0 && restore.output.contains("The store is healthy."), "\(restore.output)\(restore.errors)")
    let aside = try #require(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).first {
        $0.hasPrefix("p.sqlite.damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm")
      })
    #expect(try Data(contentsOf: folder.appendingPathComponent(aside)) == damaged)
    let progress = try Binary.run(["progress"], environment: environment)
    #expect(progress.status == 0, "\(progress.errors)")
  }
}

extension StartTests {
  @Test func aResetAsksFirstAndBacksTheStoreUp() throws {
    let study = try Binary.run(["quiz", "dre-definition", "--plain"], input: "a\nb\n", environment: environment)
    #expect(study.status == 0 || study.status == 3, "\(study.errors)")
    let ambiguous = try Binary.run(["progress", "reset", "dre-definition"], environment: environment)
    #expect(ambiguous.status == 64 && ambiguous.errors.contains("is both a lesson and a quiz"))
    let unasked = try Binary.run(["progress", "reset", "--quiz", "dre-definition"], environment: environment)
    #expect(unasked.status == 64 && unasked.errors.contains("needs confirmation"), "\(unasked.errors)")
    let reset = try Binary.run(["progress", "reset", "--quiz", "dre-definition", "--yes"], environment: environment)
    #expect(reset.status == 0 && reset.output.hasPrefix("Reset the quiz What makes epilepsy drug-resistant?"))
    let backup = try #require(reset.output.components(separatedBy: "is in ").last?.components(separatedBy: ";").first)
    #expect(backup.hasSuffix("-before-reset.sqlite") && FileManager.default.fileExists(atPath: String(backup)))
    let after = try Binary.run(["progress"], environment: environment)
    #expect(after.output.contains("What makes epilepsy drug-resistant?: not taken"), "\(after.output)")
    // Going back: by name only, since the store is healthy.
    let unnamed = try Binary.run(["doctor", "--restore"], environment: environment)
    #expect(unnamed.status == 1 && unnamed.errors.contains("the store is healthy"), "\(unnamed.errors)")
    let name = URL(fileURLWithPath: String(backup)).lastPathComponent
    let back = try Binary.run(["doctor", "--restore", "--backup", name], environment: environment)
    #expect(back.status == 0 && back.output.contains("kept aside as"), "\(back.output)\(back.errors)")
    let restored = try Binary.run(["progress"], environment: environment)
    #expect(restored.output.contains("What makes epilepsy drug-resistant?: in progress"), "\(restored.output)")
  }
}

extension StartTests {
  /// A large import counts study days itself, an hour at a time, where the trigger asks SQLite
  /// answer by answer: in zones where midnight falls inside an hour of UTC, and across their
  /// clock changes, the two give the same days.
  @Test(arguments: ["Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu"])
  func aLargeImportCountsStudyDaysAsTheTriggerDoesInEveryZone(zone: String) throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/\(zone)") else {
      print("Skipped: no time zone data for \(zone) (Debian's tzdata package)")
      return
    }
    let study = try Binary.run(["quiz", "dre-definition", "--plain"], input: "a\n", environment: environment)
    #expect(study.status == 0 || study.status == 3, "\(study.errors)")
    let exported = folder.appendingPathComponent("ana-\(zone.replacingOccurrences(of: "/", with: "-")).json")
    #expect(try Binary.run(["progress", "export", exported.path], environment: environment).status == 0)
    var bundle = try ProgressBundle.read(try Data(contentsOf: exported)).get()
    let template = try #require(bundle.answers.first)
    // Every 97 minutes for over a year: every minute of the hour, both clock changes.
    let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC
    bundle.answers = (0..<6_000).map { index in
      var answer = template
      answer.uid = "tz-\(index)"
      answer.attempt = nil
      answer.durationMs = index * 1_000
      answer.answeredAt = StoredDate.text(start.addingTimeInterval(Double(index) * 97 * 60))
      return answer
    }
    func days(importing parts: [ArraySlice<ProgressBundle.Answer>], as name: String) throws -> [String] {
      var zoned = environment
      zoned["TZ"] = zone
      zoned["TUTOR_STORE"] = folder.appendingPathComponent("\(name).sqlite").path
      for (number, part) in parts.enumerated() {
        var piece = bundle
        piece.answers = Array(part)
        let file = folder.appendingPathComponent("\(name)-\(number).json")
        try piece.json().write(to: file)
        let imported = try Binary.run(["progress", "import", file.path], environment: zoned)
        #expect(imported.status == 0, "\(imported.errors)")
      }
      return try DatabaseQueue(path: zoned["TUTOR_STORE"]!).read { db in
        try Row.fetchAll(db, sql: "SELECT day, answers, milliseconds FROM studyDay ORDER BY day").map(\.description)
      }
    }
    let whole = try days(importing: [bundle.answers[...]], as: "whole")
    let halves = try days(importing: [bundle.answers.prefix(3_000), bundle.answers.suffix(3_000)], as: "halves")
    #expect(whole.count > 300)
    #expect(whole == halves)
  }
}

extension StartTests {
  /// Questions in and out through the real binary: Moodle's GIFT into a quiz that `tutor check`
  /// passes, a file that is not UTF-8 refused with nothing written, a quiz out to GIFT and back.
  @Test func giftComesInAsAQuizTheCourseChecksAndGoesOutAndBack() throws {
    let course = folder.appendingPathComponent("course")
    for part in ["Lessons", "Quizzes"] {
      try FileManager.default.copyItem(
        at: Fixtures.repositoryRoot.appendingPathComponent(part), to: course.appendingPathComponent(part))
    }
    let gift = Fixtures.repositoryRoot.appendingPathComponent("Tests/TutorCoreTests/Fixtures/gift")
    let quiz = course.appendingPathComponent("Quizzes/moodle.yaml").path
    let imported = try Binary.run(
      ["import", "gift", gift.appendingPathComponent("questions.gift.txt").path, "-o", quiz], environment: environment)
    #expect(imported.status == 0 && imported.errors.contains("Wrote 8 questions to"), "\(imported.errors)")
    #expect(imported.errors.contains("questions.gift.txt:1: warning: the essay"))
    let check = try Binary.run(["check", course.path], environment: environment)
    #expect(check.status == 0, "\(check.output)\(check.errors)")

    let refusedFile = course.appendingPathComponent("Quizzes/refused.yaml").path
    let refused = try Binary.run(
      [
        "import", "gift", gift.appendingPathComponent("questions_encoding_windows-1252.gift.txt").path, "-o",
        refusedFile,
      ],
      environment: environment)
    #expect(
      refused.status == 65 && refused.errors.contains("not UTF-8") && refused.errors.contains("nothing was written"))
    #expect(!FileManager.default.fileExists(atPath: refusedFile))

    let out = folder.appendingPathComponent("dre.gift").path
    let exported = try Binary.run(["export", "gift", "dre-definition", "-o", out], environment: environment)
    #expect(exported.status == 0 && exported.errors.contains("Note: dre-referral-order: an order question"))
    let back = course.appendingPathComponent("Quizzes/dre-back.yaml").path
    let again = try Binary.run(["import", "gift", out, "-o", back, "--id", "dre-back"], environment: environment)
    #expect(again.status == 0 && !again.errors.contains("warning"), "\(again.errors)")
    // The same question ids twice in one course: check names them, as it should.
    let twice = try Binary.run(["check", course.path], environment: environment)
    #expect(twice.status == 1 && twice.output.contains("dre-two-trials"), "\(twice.output)")
    let anki = try Binary.run(["export", "anki", "dre-definition"], environment: environment)
    #expect(anki.status == 0 && anki.output.hasPrefix("#separator:tab\n#html:true\n"))
  }
}
