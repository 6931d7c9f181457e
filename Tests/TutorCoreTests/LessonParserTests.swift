import Testing

@testable import TutorCore
import TutorTestSupport

@Suite struct LessonParserTests {
  @Test func parsesStepsBlocksAndInlineMarkup() throws {
    let result = CourseLoader.load(Fixtures.files())
    #expect(result.diagnostics == [])
    let lesson = try #require(result.course?.lesson(id: "basics"))
    #expect(lesson.steps.map(\.anchor) == ["first", "second"])
    #expect(lesson.steps[0].title == "First step")
    let blocks = lesson.steps[0].blocks
    #expect(blocks.count == 3)
    guard case .paragraph(let inlines) = blocks[0] else {
      Issue.record("expected a paragraph, got \(blocks[0])")
      return
    }
    #expect(inlines.contains(.bold([.text("bold "), .term(term: "KCC2", shown: "KCC2")])))
    #expect(inlines.contains(.italic([.text("italic")])))
    #expect(inlines.contains(.code("code")))
    #expect(inlines.contains(.citation("kwan-2010")))
    #expect(inlines.plainText.contains("citation [kwan-2010]. Second line of the same paragraph."))
    #expect(blocks[1] == .list(ordered: false, items: [[.text("one item continued")], [.text("two")]]))
    #expect(blocks[2] == .callout(.key, [.text("Remember this.")]))

    let second = lesson.steps[1].blocks
    #expect(second[0] == .diagram(["A --> B"]))
    #expect(
      second[1]
        == .chain(
          MechanismChain(
            title: "A chain", predict: true, steps: ["first link", "second link", "third link"],
            distractors: ["wrong link"])))
    #expect(lesson.checkpoints.map(\.questionID) == ["q-single", "inline-tf"])
  }

  @Test func listThenParagraphKeepsSourceOrder() throws {
    let lesson = Fixtures.lesson.replacingOccurrences(
      of: "> [!key] Remember this.", with: "Intro:\n\n1. a\n2. b\n\nAfter the list.")
    let course = try #require(CourseLoader.load(Fixtures.files(lesson: lesson)).course)
    let blocks = course.lessons[0].steps[0].blocks
    #expect(
      blocks.suffix(3) == [
        .paragraph([.text("Intro:")]), .list(ordered: true, items: [[.text("a")], [.text("b")]]),
        .paragraph([.text("After the list.")]),
      ])
  }

  /// Each broken lesson body yields an error at the given line and column.
  @Test(arguments: [
    ("no front matter", "# Step\n", "Lessons/01-basics.md:1:1: error: a lesson starts with YAML front matter"),
    ("unclosed front matter", "---\nid: x\n", "1:1: error: the front matter is not closed"),
    ("unknown key", "---\nid: basics\ntitle: T\norder: 1\ncolour: red\n---\n# S\n", "5:1: error: unknown key 'colour'"),
    (
      "text before step", "---\nid: basics\ntitle: T\norder: 1\n---\nstray\n# S\n",
      "6:1: error: text before the first step"
    ),
    (
      "unclosed fence", "---\nid: basics\ntitle: T\norder: 1\n---\n# S\n\n```diagram\nx\n",
      "8:1: error: the ``` block opened here is never closed"
    ),
    (
      "unknown block", "---\nid: basics\ntitle: T\norder: 1\n---\n# S\n```graph\n```\n",
      "7:4: error: unknown block 'graph'"
    ),
    (
      "duplicate anchor", "---\nid: basics\ntitle: T\norder: 1\n---\n# A {#a}\n# B {#a}\n",
      "7:1: error: duplicate step anchor 'a'"
    ),
    (
      "unclosed bold", "---\nid: basics\ntitle: T\norder: 1\n---\n# S\n\nSome **bold\n",
      "8:6: error: '**' is not closed"
    ),
    ("missing title", "---\nid: basics\norder: 1\n---\n# S\n", "2:1: error: the front matter is missing 'title'"),
    (
      "chain of one", "---\nid: basics\ntitle: T\norder: 1\n---\n# S\n```chain\ntitle: c\nsteps: [only]\n```\n",
      "9:8: error: a chain needs at least two steps"
    ),
    (
      "order not a number", "---\nid: basics\ntitle: T\norder: first\n---\n# S\n",
      "4:8: error: 'order' must be a whole number"
    ),
    (
      "unknown callout", "---\nid: basics\ntitle: T\norder: 1\n---\n# S\n> [!danger] x\n",
      "7:3: error: unknown callout kind 'danger'"
    ),
  ])
  func reportsPositionedErrors(name: String, body: String, expected: String) {
    let result = CourseLoader.load(Fixtures.files(lesson: body))
    let texts = result.diagnostics.map(\.description)
    #expect(texts.contains { $0.contains(expected) }, "\(name): \(texts)")
    #expect(result.course == nil)
  }

  /// Fences and front-matter markers are found on the bytes, as `trimmed` would find them:
  /// spaces, tabs and Unicode white space around the marker are allowed, other text is not.
  @Test func markerLinesAreFoundAsTheirTrimmedTextWouldBe() {
    let text = "```\n  ```  \n\t```\n\u{00A0}```\u{2003}\n````\n`` `\n```x\n\n é```\n---"
    let lines = LessonLines(source: Array(text.utf8))
    let found = (0..<lines.count).map { lines.line($0, trimmedIs: "```") }
    #expect(found == [true, true, true, true, false, false, false, false, false, false])
    #expect(found == (0..<lines.count).map { lines[$0].trimmed == "```" })
    #expect(lines[5] == "`` `" && lines.count == 10)
    #expect(lines.line(9, trimmedIs: "---") && !lines.line(8, trimmedIs: "---"))
  }
}
