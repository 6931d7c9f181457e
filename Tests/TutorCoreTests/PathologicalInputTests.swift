import Foundation
import Testing

@testable import TutorCore
import TutorTestSupport

/// Files of the largest allowed size that defeat a naive parser. Each must parse in time linear in
/// its size: the bound is loose (a debug build, other tests running), but a quadratic parser
/// takes hours on 4 MiB, so it cannot pass.
@Suite(.serialized) struct PathologicalInputTests {
  static let timeLimit = Duration.seconds(30)

  /// A lesson of `size` bytes: valid front matter and one step, then `unit` repeated.
  static func lesson(repeating unit: String, size: Int = CourseLoader.maximumFileSize) -> String {
    let head = "---\nid: basics\ntitle: Basics\norder: 1\n---\n\n# Step {#step}\n\n"
    let room = size - head.utf8.count - 1
    return head + String(repeating: unit, count: room / unit.utf8.count) + "\n"
  }

  static func seconds(_ work: () -> Void) -> Duration {
    ContinuousClock().measure(work)
  }

  @Test(arguments: [
    ("unclosed [", "["), ("unclosed [[", "[["), ("unclosed [@", "[@"), ("asterisks", "*"),
    ("backticks", "`"), ("unclosed {{", "{{"), ("unclosed **", "**a"), ("mixed", "[[[@*`{{**x"),
  ])
  func aLessonOfTheLargestSizeParsesInLinearTime(name: String, unit: String) {
    let text = Self.lesson(repeating: unit)
    #expect(text.utf8.count <= CourseLoader.maximumFileSize)
    var result: CourseLoadResult?
    let time = Self.seconds { result = CourseLoader.load(Fixtures.files(lesson: text)) }
    #expect(time < Self.timeLimit, "\(name): \(time)")
    // The file was parsed, not refused for its size.
    #expect(result?.diagnostics.allSatisfy { !$0.message.contains("at most 4 MiB") } == true, "\(name)")
  }

  /// Each line costs a few microseconds in a debug build, so 1 MiB (half a million lines) is
  /// enough to tell linear (a second or two) from quadratic (most of an hour).
  @Test(arguments: ["a\n", "  a\n", "- a\n  b\n", "> a\n", "# a\n"])
  func aLessonOfManyShortLinesParsesInLinearTime(unit: String) {
    let text = Self.lesson(repeating: unit, size: 1024 * 1024)
    let time = Self.seconds { _ = CourseLoader.load(Fixtures.files(lesson: text)) }
    #expect(time < Self.timeLimit, "\(unit.debugDescription): \(time)")
  }

  @Test func aClozeBlankThatIsNeverClosedParsesInLinearTime() {
    let head = "id: basics\ntitle: Basics\nquestions:\n  - id: q-cloze\n    type: cloze\n    text: \""
    let room = CourseLoader.maximumFileSize - head.utf8.count - 2
    let quiz = head + String(repeating: "{{", count: room / 2) + "\"\n"
    var texts: [String] = []
    let time = Self.seconds { texts = CourseLoader.load(Fixtures.files(quiz: quiz)).diagnostics.map(\.description) }
    #expect(time < Self.timeLimit, "\(time)")
    #expect(texts.contains { $0.contains("is not closed by '}}'") })
  }

  @Test func aMatchQuestionWithThousandsOfPairsIsCheckedInLinearTime() {
    // 100 000 pairs: comparing each with every other is five billion comparisons.
    let pairs = (0..<100_000).map { "      - {left: \($0), right: \($0)}\n" }.joined()
    let distractors = (0..<5_000).map { "      - d\($0)\n" }.joined()
    let quiz = """
      id: basics
      title: Basics
      questions:
        - id: q-match
          type: match
          prompt: Match them.
          pairs:
      \(pairs)    distractors:
      \(distractors)
      """
    #expect(quiz.utf8.count <= CourseLoader.maximumFileSize)
    var texts: [String] = []
    let time = Self.seconds { texts = CourseLoader.load(Fixtures.files(quiz: quiz)).diagnostics.map(\.description) }
    #expect(time < Self.timeLimit, "\(time)")
    #expect(texts.contains { $0.contains("at most 9 are allowed") })
  }

  /// A line of thousands of empty bolds ('****') lists a hundred problems and a note.
  @Test func aFloodOfProblemsIsListedUpToALimit() {
    let lesson = Fixtures.lesson.replacingOccurrences(
      of: "Second line of the same paragraph.", with: String(repeating: "*", count: 10_000))
    let result = CourseLoader.load(Fixtures.files(lesson: lesson))
    let listed = result.diagnostics.filter { $0.file == "Lessons/01-basics.md" }
    #expect(listed.count == DiagnosticSink.limitPerFile + 1)
    #expect(
      listed.last?.description
        == "Lessons/01-basics.md:1:1: note: 4900 more problems are not listed for this file; fix the ones above and check again"
    )
    #expect(result.errors.count == DiagnosticSink.limitPerFile)
    #expect(result.warnings.isEmpty)
  }

  /// An unclosed opener is one mistake, however many openers follow it on the line.
  @Test func anUnclosedOpenerIsReportedOncePerLine() {
    var errors: [Int] = []
    _ = InlineParser.parse("a [[b [[c [[d", error: { offset, _ in errors.append(offset) }, use: { _, _, _ in })
    #expect(errors == [2])
  }
}

@Suite struct InlineOffsetTests {
  /// Offsets are counted in characters (Unicode scalars), as YAML's columns are, though the
  /// parser reads bytes.
  @Test func offsetsCountCharactersNotBytes() {
    var errors: [Int] = []
    var uses: [String] = []
    let parsed = InlineParser.parse(
      "é ✓ [[K⁺ channel]] *ü [[Na⁺]]* \\é [@ref] [[", error: { offset, _ in errors.append(offset) },
      use: { _, name, offset in uses.append("\(name)@\(offset)") })
    #expect(uses == ["K⁺ channel@4", "Na⁺@22", "ref@34"])
    #expect(errors == [41])
    #expect(
      parsed == [
        .text("é ✓ "), .term(term: "K⁺ channel", shown: "K⁺ channel"), .text(" "),
        .italic([.text("ü "), .term(term: "Na⁺", shown: "Na⁺")]), .text(" é "), .citation("ref"), .text(" [["),
      ])
  }

  /// A link's term and shown text split at its first `|`, citations at each `;`; empty pieces
  /// between separators are left out, as the standard library's `split` leaves them.
  @Test func linksAndCitationsSplitWhereWritten() {
    var uses: [String] = []
    var errors: [Int] = []
    let parsed = InlineParser.parse(
      "[[ KCC2 | the ✓ exporter ]] [[a|b|c]] [[|x]] [[y|]] [[ | ]] [@one; @two;;@@three] [@;]",
      error: { offset, _ in errors.append(offset) }, use: { kind, name, _ in uses.append("\(kind):\(name)") })
    #expect(
      parsed == [
        .term(term: "KCC2", shown: "the ✓ exporter"), .text(" "), .term(term: "a", shown: "b|c"), .text(" "),
        .term(term: "x", shown: "x"), .text(" "), .term(term: "y", shown: "y"), .text(" "),
        .term(term: "", shown: ""), .text(" "), .citation("one"), .citation("two"), .citation("three"), .text(" "),
      ])
    #expect(
      uses == [
        "glossaryTerm:KCC2", "glossaryTerm:a", "glossaryTerm:x", "glossaryTerm:y", "citation:one", "citation:two",
        "citation:three",
      ])
    #expect(errors == [52])
  }
}
