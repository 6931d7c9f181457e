import Testing
import TutorCore

/// `trimmed` returns visible ASCII ends as they are and trims everything else as Character does.
@Suite struct StringTrimmedTests {
  @Test(arguments: [
    ("word", "word"), ("  two words \t", "two words"), ("\n", ""), ("", ""), ("é ", "é"), (" café", "café"),
    ("\u{00A0}nbsp\u{00A0}", "nbsp"), ("a\u{0301}", "a\u{0301}"), ("x\r\n", "x"), ("(a)", "(a)"),
    (" \u{00A0} ", ""), ("\u{2003}em\u{2003}", "em"), ("\t\u{0301}x ", "\u{0301}x"), ("\u{1C}x\u{1F}", "\u{1C}x\u{1F}"),
    ("  a  ", "a"), ("\u{0B}\u{0C}v", "v"),
  ])
  func trimsSpacesOfAnyKind(text: String, expected: String) {
    #expect(text.trimmed == expected)
    #expect(text[...].trimmed == expected, "a Substring trims alike")
  }
}
