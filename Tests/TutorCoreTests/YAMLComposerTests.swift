import Testing

@testable import TutorCore

/// The composer on libyaml's events: nodes with their positions, aliases, and the problems
/// reported as Yams reported them.
@Suite struct YAMLComposerTests {
  @Test func nodesKeepTheirValuesStylesAndPositions() throws {
    let root = try #require(try YAMLComposer.compose("a: 1\nb:\n  - 'x'\n  - \"y\"\nc: |\n  line\n"))
    let pairs = try #require(root.mapping).pairs
    #expect(pairs.map { $0.0.scalar?.string } == ["a", "b", "c"])
    #expect(pairs[0].1.scalar?.style == .plain && pairs[0].1.mark?.line == 1 && pairs[0].1.mark?.column == 4)
    let list = try #require(pairs[1].1.sequence)
    #expect(list.map { $0.scalar?.string } == ["x", "y"])
    #expect(list[0].scalar?.style == .singleQuoted && list[1].scalar?.style == .doubleQuoted)
    #expect(list[1].mark?.line == 4 && list[1].mark?.column == 5)
    #expect(pairs[2].1.scalar?.string == "line\n" && pairs[2].1.scalar?.style == .literal)
  }

  @Test func anAliasIsTheNodeItNames() throws {
    let root = try #require(try YAMLComposer.compose("base: &b {x: 1}\ncopy: *b\n"))
    let pairs = try #require(root.mapping).pairs
    #expect(pairs[1].1.mapping?.pairs.first?.1.scalar?.string == "1")
  }

  @Test func nothingButCommentsIsNoDocument() throws {
    #expect(try YAMLComposer.compose("# a comment\n\n") == nil)
  }

  @Test(arguments: [
    ("a: 1\nb: 2\na: 3\nb: 4\n", 1, 1, "duplicate key 'a', 'b' in this mapping"),
    ("a: *nowhere\n", 1, 4, "YAML syntax: found undefined alias"),
    ("a: 1\n---\nb: 2\n", 2, 1, "YAML syntax: but found another document"),
    ("a: [1, 2\n", 2, 1, "YAML syntax: did not find expected ',' or ']'"),
  ])
  func problemsAreReportedWhereTheyAre(text: String, line: Int, column: Int, message: String) {
    #expect(throws: YAMLComposer.Failure.self) { try YAMLComposer.compose(text) }
    do {
      _ = try YAMLComposer.compose(text)
    } catch {
      #expect(error.line == line && error.column == column && error.message == message, "\(error)")
    }
  }
}
