import Testing

@testable import TerminalUI

/// Feeds `text` one character at a time, then reports a pause (nil), as the terminal would.
private func readAfterEscape(_ text: String) -> (key: Key?, unread: String) {
  var remaining = Array(text.unicodeScalars)[...]
  let key = EscapeSequence.read { remaining.popFirst() }
  return (key, String(String.UnicodeScalarView(remaining)))
}

@Suite struct EscapeSequenceTests {
  @Test(arguments: [
    // xterm, tmux, PuTTY, the linux console and rxvt: Home and End in their many spellings.
    ("[1~", Key.home), ("[4~", .end), ("[7~", .home), ("[8~", .end),
    ("[H", .home), ("[F", .end), ("OH", .home), ("OF", .end),
    ("[5~", .pageUp), ("[6~", .pageDown), ("[3~", .delete),
    ("[A", .up), ("[B", .down), ("[C", .right), ("[D", .left),
    ("OA", .up), ("OB", .down), ("OC", .right), ("OD", .left),
    // With a modifier (Ctrl, Shift, Alt), the key itself.
    ("[1;5H", .home), ("[1;2F", .end), ("[1;5A", .up), ("[5;5~", .pageUp), ("[3;2~", .delete),
    ("[7^", .home), ("[8$", .end), ("O5H", .home),
    // rxvt's Alt+arrow: ESC ESC [ A.
    ("\u{1B}[A", .up),
    // The keypad in application mode.
    ("OM", .enter), ("Op", .character("0")), ("Oy", .character("9")), ("Ok", .character("+")),
  ])
  func namesTheKeyOfACommonSequence(sequence: String, key: Key) {
    #expect(readAfterEscape(sequence).key == key)
    #expect(EscapeSequence.decode(Array(sequence.unicodeScalars), inputPaused: false) == .complete(key))
  }

  @Test(arguments: [
    "[2~", "[15~", "[200~", "[27;5;13~", "[Z", "[E", "[G", "[?1;2c", "[I", "[O", "[[B", "OQ", "[1;5P", "[ q",
  ])
  func ignoresOtherCompleteSequences(sequence: String) {
    #expect(readAfterEscape(sequence) == (nil, ""))
  }

  @Test func aLoneEscapeIsEscOnlyOnceNothingFollows() {
    #expect(EscapeSequence.decode([], inputPaused: false) == .needsMore)
    #expect(EscapeSequence.decode([], inputPaused: true) == .complete(.escape))
    #expect(readAfterEscape("").key == .escape)
    #expect(readAfterEscape("\u{1B}").key == .escape)
  }

  @Test func altWithAKeyIsNeitherEscNorTheKey() {
    #expect(readAfterEscape("q") == (nil, ""))
    #expect(readAfterEscape("x") == (nil, ""))
    #expect(readAfterEscape("é") == (nil, ""))
    // Alt+[ and Alt+O look like the start of a sequence until the input pauses.
    #expect(EscapeSequence.decode(["["], inputPaused: false) == .needsMore)
    #expect(readAfterEscape("[") == (nil, ""))
    #expect(readAfterEscape("O") == (nil, ""))
  }

  @Test func readsNoFurtherThanTheEndOfTheSequence() {
    #expect(readAfterEscape("[1~q") == (.home, "q"))
    #expect(readAfterEscape("[200~pasted") == (nil, "pasted"))
    #expect(readAfterEscape("xq") == (nil, "q"))
  }

  @Test func aSequenceCutShortOrEndlessIsDropped() {
    #expect(readAfterEscape("[1;5") == (nil, ""))
    #expect(EscapeSequence.decode(Array("[1;5".unicodeScalars), inputPaused: false) == .needsMore)
    let endless = "[" + String(repeating: "1", count: 100)
    let (key, unread) = readAfterEscape(endless)
    #expect(key == nil)
    #expect(unread.count < 100 - EscapeSequence.maximumLength + 2)
  }

  /// F1 opens the help where `?` is typed: xterm's SS3 P, the VT220 `11~` and the linux console's `[[A`.
  @Test(arguments: ["OP", "[11~", "[[A"])
  func readsF1(sequence: String) {
    #expect(readAfterEscape(sequence).key == .f1)
  }
}
