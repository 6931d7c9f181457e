import ArgumentParser
import Foundation
import TerminalUI
import TutorApp
import TutorCore

/// Validates a course folder.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a course folder and print every problem as file:line:column: message.",
    discussion: """
      Exits 0 when the course has no errors (warnings allowed), 1 otherwise. Warnings include \
      item-writing cues (the right option the longest, absolute words only in wrong options, hints \
      that count or spell the answer, true/false items nearly all one way, checkpoints asked again in \
      a quiz). --stats prints the item bank's Bloom levels, focus, vignettes, study-number items and cues.
      """)

  @Argument(help: ArgumentHelp("The course folder. Default: the course the tutor would use.", valueName: "dir"))
  var folder: String?

  @Option(name: .long, help: ArgumentHelp("The course folder (same as the argument).", valueName: "dir"))
  var course: String?

  @Flag(help: "Print the item bank's statistics: Bloom levels, focus, vignettes, study numbers, cues.")
  var stats = false

  func run() throws { try Self.check(folder ?? course, stats: stats) }

  /// Checks the course in `folder` (nil: the course the tutor would use) and prints the result.
  static func check(_ folder: String?, stats: Bool = false) throws {
    let url = try CourseLocation.resolve(explicit: folder, environment: ProcessInfo.processInfo.environment)
    let result = CourseFiles.load(url, itemWriting: true)
    if stats, let course = result.course {
      ItemBankStats(course: course).lines.forEach { print($0) }
      var fit = 0
      var total = 0
      var plainFit = 0
      var plainTotal = 0
      for lesson in course.lessons {
        let (heights, screen) = LessonScreen.stepHeights(lesson, course: course, size: Size(width: 80, height: 24))
        for (index, height) in heights.enumerated() {
          total += 1
          if height <= screen { fit += 1 }
          let blocks = lesson.steps[index].blocks
          if !blocks.contains(where: { if case .check = $0 { true } else if case .chain = $0 { true } else { false } })
          {
            plainTotal += 1
            if height <= screen { plainFit += 1 }
          }
        }
      }
      print("")
      print(
        "Lesson steps that fit one 80x24 screen: \(fit) of \(total); of the steps without a checkpoint or chain, \(plainFit) of \(plainTotal)"
      )
      return
    }
    let prefix = Diagnostics.displayPrefix(for: url)
    for diagnostic in result.diagnostics { print(prefix + diagnostic.description) }
    if let course = result.course {
      print(CourseTotals(course).line)
    }
    let errors = result.errors.count
    let warnings = result.warnings.count
    if errors > 0 {
      print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s").")
      throw ExitCode(1)
    }
    print("OK: no errors\(warnings > 0 ? ", \(warnings) warning(s)" : "").")
  }
}

/// Totals of a course, as `tutor check` reports them.
struct CourseTotals {
  let course: Course
  init(_ course: Course) { self.course = course }

  var line: String {
    let steps = course.lessons.reduce(0) { $0 + $1.steps.count }
    let blocks = course.lessons.flatMap { $0.steps.flatMap(\.blocks) }
    let chains = blocks.filter { if case .chain = $0 { true } else { false } }.count
    let checks = blocks.filter { if case .check = $0 { true } else { false } }.count
    var byType: [String: Int] = [:]
    for question in course.questionsByID.values { byType[question.typeName, default: 0] += 1 }
    let types = byType.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    return """
      \(course.info.title): \(course.lessons.count) lesson(s), \(steps) steps, \(course.quizzes.count) quiz(zes), \
      \(course.questionsByID.count) questions (\(types)), \(checks) checkpoints, \(chains) chains, \
      \(course.glossary.count) glossary terms, \(course.info.references.count) references.
      """
  }
}
