import ArgumentParser
import Foundation
import Testing
import TutorTestSupport

import TutorApp
@testable import TutorCLI

@Suite struct CommandLineTests {
  @Test func parsesEverySubcommandAndTheSharedOptions() throws {
    let quiz = try #require(
      try Tutor.parseAsRoot([
        "quiz", "dre-definition", "--plain", "--seed", "7", "--store", "/tmp/x.sqlite", "--learner", "ana",
      ]) as? QuizCommand)
    #expect(quiz.quiz == "dre-definition")
    #expect(quiz.quizOptions.seed == 7)
    #expect(
      try #require(try Tutor.parseAsRoot(["quiz", "x", "--exam", "--confidence"]) as? QuizCommand).quizOptions.mode
        == .exam)
    #expect(quiz.options.plain)
    #expect(quiz.options.storePath == "/tmp/x.sqlite")
    #expect(quiz.options.learnerName == "ana")

    let study = try #require(try Tutor.parseAsRoot(["study", "1", "--course", "/somewhere"]) as? Study)
    #expect(study.lesson == "1")
    #expect(study.options.course == "/somewhere")

    #expect(try Tutor.parseAsRoot([]) is Home)
    #expect(try Tutor.parseAsRoot(["check", "some/dir"]) is Check)
  }

  @Test func rejectsUnknownOptionsAndMissingArguments() {
    #expect(throws: (any Error).self) { try Tutor.parseAsRoot(["quiz"]) }
    #expect(throws: (any Error).self) { try Tutor.parseAsRoot(["--frobnicate"]) }
    #expect(throws: (any Error).self) { try Tutor.parseAsRoot(["quiz", "x", "--seed", "minus-one"]) }
  }

  @Test func theStoreFollowsXDGAndCanBeOverridden() {
    #expect(
      StoreLocation.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/ana"])
        == "/data/tutor/progress.sqlite")
    #expect(
      StoreLocation.defaultPath(environment: ["HOME": "/home/ana"]) == "/home/ana/.local/share/tutor/progress.sqlite")
  }

  @Test func helpNamesEverySubcommand() {
    let help = Tutor.helpMessage()
    var shown: [String] = []
    for command in Tutor.configuration.subcommands {
      let configuration = command.configuration
      if configuration.shouldDisplay { shown.append(configuration.commandName ?? "") }
    }
    #expect(shown.count == 15)
    for name in shown { #expect(help.contains("  \(name) "), "\(name) missing from help") }
    #expect(help.contains("--version"))
    #expect(!help.contains("store-stress"), "the test-only subcommand stays hidden")
    #expect(QuizCommand.helpMessage().contains("Score: X/Y (P%)"))
  }

  @Test func theBundledCourseIsFoundFromTheRepository() throws {
    let folder = try CourseLocation.resolve(explicit: nil, environment: [:])
    #expect(CourseLocation.isCourse(folder.path))
  }

  /// Course paths are made absolute and standardized as strings; a course named relatively or
  /// absolutely, with "." or "..", has one fingerprint (and so one cached digest).
  @Test func aCourseFolderIsNamedOneWayHoweverItIsGiven() throws {
    #expect(CourseLocation.standardized("/a/./b//c/../d/") == "/a/b/d")
    #expect(CourseLocation.standardized("/../..") == "/" && CourseLocation.standardized("/") == "/")
    let root = try CourseLocation.resolvePath(explicit: nil, environment: [:])
    let current = FileManager.default.currentDirectoryPath
    let relative =
      String(repeating: "../", count: current.split(separator: "/").count) + root.dropFirst() + "/Lessons/.."
    for given in [root, root + "/", root + "/./Quizzes/..", relative] {
      #expect(try CourseLocation.resolvePath(explicit: given, environment: [:]) == root, "\(given)")
      #expect(try CourseLocation.resolve(explicit: nil, environment: ["TUTOR_COURSE": given]).path == root)
    }
    #expect(CourseFiles.fingerprint(path: root) == CourseFiles.fingerprint(URL(fileURLWithPath: root + "/.")))
  }
}

@Suite struct CourseCacheTests {
  let folder = Fixtures.temporaryFolder()

  /// Each edit of a course leaves a new summary and digest: the cache keeps only the newest.
  @Test func theCacheKeepsTheNewestSummariesEachWithItsDigest() throws {
    let cache = folder.appendingPathComponent("tutor")
    try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    let count = CourseFiles.cachedCourses + 3
    for index in 0..<count {
      for suffix in [".json", ".progress.tsv"] {
        let file = cache.appendingPathComponent("course-\(index)\(suffix)")
        try Data("x".utf8).write(to: file)
        let time = Date(timeIntervalSince1970: 1_800_000_000 + Double(index) * 60)
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: file.path)
      }
    }
    try Data("mine".utf8).write(to: cache.appendingPathComponent("notes.txt"))
    CourseFiles.pruneCache(cache.path)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: cache.path))
    let kept = (count - CourseFiles.cachedCourses)..<count
    #expect(left == Set(kept.flatMap { ["course-\($0).json", "course-\($0).progress.tsv"] } + ["notes.txt"]))
  }
}

@Suite struct SharedOptionsTests {
  /// `tutor --store X progress` reads as `tutor progress --store X`: the subcommand holds the options.
  @Test func sharedOptionsBeforeTheSubcommandMoveAfterIt() {
    #expect(Tutor.sharedOptionsLast(["--store", "x.sqlite", "progress"]) == ["progress", "--store", "x.sqlite"])
    #expect(
      Tutor.sharedOptionsLast(["--plain", "--learner=ana", "quiz", "channels", "--exam"])
        == ["quiz", "channels", "--exam", "--plain", "--learner=ana"])
    #expect(Tutor.sharedOptionsLast(["--plain"]) == ["--plain"], "options alone are the home command's")
    #expect(Tutor.sharedOptionsLast(["quiz", "--store", "x"]) == ["quiz", "--store", "x"])
    #expect(Tutor.sharedOptionsLast(["--version"]) == ["--version"])
    let parsed = try? Tutor.parseAsRoot(Tutor.sharedOptionsLast(["--store", "/tmp/x.sqlite", "progress", "--json"]))
    #expect((parsed as? ProgressShow)?.options.store == "/tmp/x.sqlite" && (parsed as? ProgressShow)?.json == true)
  }

  /// The commands read without the parser read exactly as the parser reads them; anything
  /// unusual is left to the parser.
  @Test func theFastCommandsReadAsTheParserReadsThem() throws {
    let accepted: [[String]] = [
      [], ["--store", "/tmp/x.sqlite"], ["--plain", "--course=/c"], ["progress"], ["progress", "show"],
      ["progress", "--json"], ["progress", "show", "--csv"], ["--store", "/tmp/x.sqlite", "progress"],
      [
        "progress", "--course", "/c", "--store=postgresql://ana@h/db", "--learner", "ana", "--now",
        "2026-05-01T10:00:00Z",
      ],
      ["--no-color", "progress", "show", "--json", "--plain"],
      ["check"], ["check", "/c"], ["check", "a course"],
    ]
    for arguments in accepted {
      let fast = try #require(Tutor.fastCommand(arguments), "\(arguments)")
      let parsed = try Tutor.parseAsRoot(Tutor.sharedOptionsLast(arguments))
      switch fast {
      case .home(let options):
        let home = try #require(parsed as? Home, "\(arguments)")
        #expect(home.options.run == options, "\(arguments)")
      case .progress(let options, let output):
        let show = try #require(parsed as? ProgressShow, "\(arguments)")
        #expect(show.options.run == options, "\(arguments)")
        #expect(output == (show.json ? .json : show.csv ? .csv : .text), "\(arguments)")
      case .check(let folder):
        let check = try #require(parsed as? Check, "\(arguments)")
        #expect(check.folder == folder && check.course == nil && !check.stats, "\(arguments)")
      case .version:
        Issue.record("\(arguments) read as --version")
      }
    }
    #expect(Tutor.fastCommand(["--version"]).map { if case .version = $0 { true } else { false } } == true)
    let leftToTheParser: [[String]] = [
      ["--help"], ["-h"], ["progress", "--help"], ["quiz", "channels"], ["progress", "export"], ["--json"],
      ["progress", "--json", "--csv"], ["progress", "--store", "a", "--store", "b"], ["progress", "--store"],
      ["progress", "--store", "--json"], ["progress", "--store="], ["progress", "--now", "yesterday"],
      ["progress", "--plain=yes"], ["progress", "--store", "x", "show"], ["--", "progress"], ["--version", "--plain"],
      ["check", "--stats"], ["check", "--course", "/c"], ["check", "/c", "--stats"], ["check", "a", "b"],
      ["check", "-h"], ["check", "help"], ["check", "--plain"],
    ]
    for arguments in leftToTheParser { #expect(Tutor.fastCommand(arguments) == nil, "\(arguments)") }
  }
}
