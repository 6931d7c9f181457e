import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// Every screen's keys come from its one key table; these tests hold the screens to the
/// promises made about keys, and the README's key list to the tables.
@Suite struct KeyTableTests {
  /// Each screen in the states a learner meets, by name.
  static func screens() -> [(name: String, driver: AppDriver)] {
    var result: [(String, AppDriver)] = []
    var home = AppDriver()
    result.append(("Home", home))
    home.press(.enter)
    result.append(("Lesson, reading", home))
    var outline = home
    outline.press(.character("o"))
    result.append(("Lesson outline (o)", outline))
    home.press(.right)
    result.append(("Lesson, predicting a chain link", home))
    home.press(.enter, .enter, .enter)
    result.append(("Lesson, answering a checkpoint", home))
    var quiz = AppDriver()
    quiz.press(.down, .enter)
    result.append(("Quiz, answering", quiz))
    quiz.press(.character("b"), .enter)
    result.append(("Quiz, feedback", quiz))
    var typed = AppDriver()
    typed.press(.down, .down, .enter)
    result.append(("Quiz, typing an answer", typed))
    var confidence = AppDriver(asksConfidence: true)
    confidence.press(.down, .enter, .character("a"), .enter)
    result.append(("Quiz, how sure", confidence))
    var exam = AppDriver(
      course: QuizModeTests.course(exam: "exam:\n  feedback: end\n  allow_back: true\n"), mode: .exam)
    exam.press(.down, .enter)
    result.append(("Exam", exam))
    exam.press(.control("g"))
    result.append(("Exam question grid (Ctrl-G)", exam))
    exam.press(.character("e"))
    result.append(("Confirmation", exam))
    var results = AppDriver()
    results.press(.down, .enter, .character("b"), .enter, .enter, .character("a"), .character("c"), .enter, .enter)
    results.press(.character("t"), .enter, .enter)
    result.append(("Results", results))
    result.append(("Progress", ActionableProgressTests().progressWithDrills()))
    var search = AppDriver()
    search.press(.character("/"))
    result.append(("Search (/)", search))
    var glossary = AppDriver()
    glossary.open(.glossary(term: nil))
    result.append(("Glossary and references", glossary))
    var host = HostScreenTests().host()
    result.append(("Class host, lobby", host))
    _ = host.send(.classHost(.opened(number: 1, of: 3)))
    result.append(("Class host, a question open", host))
    host.press(.character("m"))
    result.append(("Class host, students (m)", host))
    var student = ClassScreenTests().student()
    _ = student.send(.classroom(.question(ClassScreenTests.question)))
    result.append(("Class student, answering", student))
    return result
  }

  @Test func everyScreenAnswersHelpPagingAndEsc() {
    for (name, driver) in Self.screens() {
      var probe = driver
      let typing = probe.state.topModel.typing != nil
      probe.press(typing ? .f1 : .character("?"))
      #expect(probe.state.showsHelp, "\(name): the help opens (\(typing ? "F1" : "?"))")
      probe.press(.character("x"))
      #expect(!probe.state.showsHelp, "\(name): any key closes the help")
      var leaving = driver
      let depth = leaving.state.stack.count
      leaving.press(.escape)
      let left =
        leaving.state.stack.count < depth || leaving.state.topModel.typing == nil
        || leaving.quiz?.confirming != nil
      #expect(depth == 1 || left || driver.quiz?.gridCursor != nil, "\(name): Esc leaves, closes or asks")
    }
  }

  @Test func everyScrollingScreenPagesWithTheSameKeys() {
    let scrolling = ["Lesson, reading", "Quiz, feedback", "Results", "Progress", "Glossary and references"]
    for (name, driver) in Self.screens() where scrolling.contains(name) {
      let keys = Set(App.help(driver.state).map(\.keys))
      for expected in ["Space/PgDn", "PgUp", "Ctrl-D", "Ctrl-U", "Home/g", "End/G"] {
        #expect(keys.contains(expected), "\(name) pages with \(expected): \(keys.sorted())")
      }
    }
  }

  /// The README's key list is these tables, screen by screen.
  static func markdown() -> String {
    var text = ""
    for (name, driver) in screens() {
      text += "\n**\(name)**\n\n| keys | what they do |\n|---|---|\n"
      var seen: Set<String> = []
      for entry in App.help(driver.state) where seen.insert(entry.keys).inserted {
        text += "| `\(entry.keys.replacingOccurrences(of: "|", with: "\\|"))` | \(entry.help) |\n"
      }
    }
    return text
  }

  @Test func theReadmeListsTheKeysOfEveryScreen() throws {
    let url = Fixtures.repositoryRoot.appendingPathComponent("README.md")
    let readme = try String(contentsOf: url, encoding: .utf8)
    let start = "<!-- keys: generated from the key tables by KeyTableTests -->\n"
    let end = "<!-- /keys -->"
    let generated = Self.markdown()
    guard let from = readme.range(of: start), let to = readme.range(of: end, range: from.upperBound..<readme.endIndex)
    else {
      Issue.record("README.md has no key list between \(start) and \(end)")
      return
    }
    if ProcessInfo.processInfo.environment["UPDATE_README_KEYS"] == "1" {
      try (readme[..<from.upperBound] + generated + readme[to.lowerBound...]).write(
        to: url, atomically: true, encoding: .utf8)
    }
    #expect(
      String(readme[from.upperBound..<to.lowerBound]) == generated,
      "the README's key list differs from the key tables; UPDATE_README_KEYS=1 swift test --filter KeyTableTests rewrites it"
    )
  }
}
