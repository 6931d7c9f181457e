import Foundation
import Testing
import TutorTestSupport

/// `tutor report` over three students' bundles: the table, the CSV, and the HTML page, rendered
/// in headless Chromium to a screenshot.
@Suite struct ReportTests {
  let folder = Fixtures.temporaryFolder()

  func environment(_ learner: String) -> [String: String] {
    [
      "TUTOR_COURSE": Fixtures.repositoryRoot.path, "TUTOR_STORE": folder.appendingPathComponent("class.sqlite").path,
      "TUTOR_LEARNER": learner, "XDG_CACHE_HOME": folder.path, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    ]
  }

  /// Three students: two took the first quiz (differently), one only read.
  func bundles() throws -> [String] {
    var files: [String] = []
    for (learner, input) in [("ana", "a\nb\nt\n"), ("ben", "c\nd\nf\n"), ("cleo", "")] {
      if !input.isEmpty {
        let quiz = try Binary.run(
          ["quiz", "dre-definition", "--plain"], input: input, environment: environment(learner))
        #expect(quiz.status == 0 || quiz.status == 3, "\(quiz.errors)")
      }
      let file = folder.appendingPathComponent("\(learner).json").path
      let export = try Binary.run(["progress", "export", file], environment: environment(learner))
      #expect(export.status == 0, "\(export.errors)")
      files.append(file)
    }
    return files
  }

  /// `--all` reads every learner of the store in place: the same rows as their bundles give.
  @Test func aReportOverTheWholeStoreAgreesWithOneOverTheBundles() throws {
    let files = try bundles()
    let fromBundles = try Binary.run(["report", "--csv"] + files, environment: environment("teacher"))
    let fromStore = try Binary.run(["report", "--csv", "--all"], environment: environment("teacher"))
    #expect(fromStore.status == 0, "\(fromStore.errors)")
    let rows = { (output: String) in output.split(whereSeparator: \.isNewline).map(String.init) }
    let learners = rows(fromStore.output).dropFirst().map { $0.prefix { $0 != "," } }
    #expect(learners.contains("ana") && learners.contains("ben"), "\(fromStore.output)")
    for row in rows(fromStore.output) { #expect(rows(fromBundles.output).contains(row), "\(row)") }
    let both = try Binary.run(["report", "--all"] + files, environment: environment("teacher"))
    #expect(both.status == 64 && both.errors.contains("--all reads the store"))
  }

  @Test func aReportOverThreeBundlesAsATableCSVAndAPage() throws {
    let files = try bundles()
    let table = try Binary.run(["report"] + files, environment: environment("teacher"))
    #expect(table.status == 0, "\(table.errors)")
    let lines = table.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "Class report: Drug-resistant epilepsy: the mechanisms (3 students)")
    for name in ["ana", "ben", "cleo"] {
      #expect(lines.contains { $0.hasPrefix(name + " ") }, "\(name): \(table.output)")
    }
    #expect(lines.contains { $0.hasPrefix("cleo ") && $0.contains(" 0/11 ") && $0.hasSuffix("never") })
    #expect(lines.contains { $0.hasPrefix("ana ") && $0.contains(" 2  2026-") }, "two answers, studied today")
    #expect(table.output.contains("The ILAE 2010 definition (2 of 3)"), "two of the three answered it")
    #expect(table.output.contains("Most-missed questions"))

    let csv = try Binary.run(["report", "--csv"] + files, environment: environment("teacher"))
    let rows = csv.output.components(separatedBy: "\r\n").dropLast()
    #expect(rows.count == 4 && rows.first?.hasPrefix("student,lessons_completed,quizzes_taken,mean_best,") == true)
    #expect(rows.first?.contains(",quiz:dre-definition,") == true)
    #expect(rows.dropFirst().map { $0.prefix { $0 != "," } } == ["ana", "ben", "cleo"])

    let page = folder.appendingPathComponent("report.html")
    let html = try Binary.run(["report", "--html", page.path] + files, environment: environment("teacher"))
    #expect(html.status == 0 && html.errors.contains("Wrote the report on 3 students"), "\(html.errors)")
    let text = try String(contentsOf: page, encoding: .utf8)
    #expect(
      text.contains("<svg") && text.contains("Scores per quiz") && text.contains("<title>Mean mastery per concept"))
    #expect(!text.contains("<script") && !text.contains("<link") && !text.contains("src="), "nothing from the network")

    // A bundle of another course is skipped with its reason, and the exit status says so.
    let other = folder.appendingPathComponent("other.json")
    try String(contentsOfFile: files[0], encoding: .utf8)
      .replacingOccurrences(of: "\"id\":\"drug-resistant-epilepsy\"", with: "\"id\":\"cardiology\"")
      .write(to: other, atomically: true, encoding: .utf8)
    let mixed = try Binary.run(["report", other.path] + files, environment: environment("teacher"))
    #expect(mixed.status == 1 && mixed.errors.contains("Skipped \(other.path): it holds progress in the course"))
    #expect(mixed.output.hasPrefix("Class report: Drug-resistant epilepsy: the mechanisms (3 students)"))
  }

  static var chromium: String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  @Test(.enabled(if: chromium != nil, "Chromium is not installed (.ci/run installs Debian's chromium)"))
  func theReportPageRendersInHeadlessChromium() throws {
    let files = try bundles()
    let page = folder.appendingPathComponent("report.html")
    let html = try Binary.run(["report", "--html", page.path] + files, environment: environment("teacher"))
    #expect(html.status == 0)
    let screenshot = folder.appendingPathComponent("report.png")
    let chromium = try Binary.runProgram(
      Self.chromium!,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1600",
        "--screenshot=\(screenshot.path)", page.absoluteString,
      ], environment: ["HOME": folder.path])
    #expect(chromium.status == 0, "\(chromium.errors)")
    let png = try Data(contentsOf: screenshot)
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
    // Width and height from the IHDR chunk.
    let number = { (offset: Int) in png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    #expect(number(16) == 1000 && number(20) == 1600)
    // A blank page compresses to almost nothing; the report's text and charts do not.
    #expect(png.count > 50_000, "\(png.count) bytes")
  }
}
