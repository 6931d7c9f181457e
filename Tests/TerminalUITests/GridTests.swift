import Testing

@testable import TerminalUI

@Suite struct DisplayWidthTests {
  @Test(arguments: [
    ("Na⁺", 3), ("Ca²⁺", 4), ("→", 1), ("α", 1), ("é", 1), ("e\u{301}", 1), ("日本", 4), ("✓", 1), ("", 0),
    ("a\u{200B}b", 2),
  ])
  func countsColumns(text: String, columns: Int) {
    #expect(DisplayWidth.of(text) == columns)
  }

  @Test func truncatesByColumnsWithAnEllipsis() {
    #expect(DisplayWidth.truncated("日本語テキスト", to: 7) == "日本語…")
    #expect(DisplayWidth.truncated("short", to: 10) == "short")
  }
}

@Suite struct GridTests {
  @Test func writesTextAndReadsItBack() {
    var grid = Grid(size: Size(width: 10, height: 2))
    grid.write("Na⁺ → Cl⁻", x: 0, y: 0)
    grid.write("clipped text", x: 5, y: 1)
    #expect(grid.lines == ["Na⁺ → Cl⁻", "     clipp"])
  }

  @Test func wideCharactersTakeTwoCellsAndNeverSplit() {
    var grid = Grid(size: Size(width: 5, height: 1))
    let written = grid.write("日本語", x: 0, y: 0)
    #expect(written == 4)
    #expect(grid.lines == ["日本"])
    #expect(grid[1, 0].isContinuation)
    // Overwriting the second half of a wide character blanks the first half.
    grid.write("x", x: 1, y: 0)
    #expect(grid.lines == [" x本"])
  }

  @Test func combiningMarksJoinTheirBase() {
    var grid = Grid(size: Size(width: 4, height: 1))
    grid.write("e\u{301}t", x: 0, y: 0)
    #expect(grid[0, 0].text == "e\u{301}")
    #expect(grid.lines == ["e\u{301}t"])
  }

  @Test func changedRowsListOnlyWhatDiffers() {
    var a = Grid(size: Size(width: 4, height: 3))
    a.write("same", x: 0, y: 0)
    var b = a
    b.write("diff", x: 0, y: 2)
    #expect(b.changedRows(since: a) == [2])
    #expect(b.changedRows(since: nil) == [0, 1, 2])
    #expect(b.changedRows(since: Grid(size: Size(width: 5, height: 3))) == [0, 1, 2])
    var styled = a
    styled.restyle(Rect(x: 0, y: 1, width: 1, height: 1), style: Style(.correct))
    #expect(styled.changedRows(since: a) == [1])
  }

  @Test func writingOutsideTheGridIsIgnored() {
    var grid = Grid(size: Size(width: 3, height: 1))
    #expect(grid.write("x", x: 0, y: 5) == 0)
    #expect(grid.write("abc", x: -2, y: 0) == 3)
    #expect(grid.lines == ["c"])
  }
}

@Suite struct TextWrapperTests {
  func text(_ lines: [[StyledText]]) -> [String] { lines.map { $0.map(\.text).joined() } }

  @Test func wrapsAtSpacesByDisplayWidth() {
    let lines = TextWrapper.wrap("the Na⁺ channel opens and Ca²⁺ enters", width: 12)
    #expect(text(lines) == ["the Na⁺", "channel", "opens and", "Ca²⁺ enters"])
    #expect(lines.allSatisfy { DisplayWidth.of($0.map(\.text).joined()) <= 12 })
  }

  @Test func breaksWordsLongerThanALine() {
    #expect(text(TextWrapper.wrap("abcdefghij", width: 4)) == ["abcd", "efgh", "ij"])
  }

  @Test func keepsStylesAcrossLines() {
    let lines = TextWrapper.wrap(
      [StyledText("plain "), StyledText("bold words here", Style(.normal, [.bold]))], width: 10)
    #expect(text(lines) == ["plain bold", "words here"])
    #expect(lines[1].allSatisfy { $0.style.emphasis.contains(.bold) })
  }

  @Test func wideTextWrapsWithoutOverflow() {
    let lines = TextWrapper.wrap("日本語のテキスト", width: 5)
    #expect(lines.allSatisfy { DisplayWidth.of($0.map(\.text).joined()) <= 5 })
    #expect(text(lines).joined() == "日本語のテキスト")
  }
}
