import Testing
import TutorCore

/// `trimmed` returns visible ASCII ends as they are and trims everything else as Character does.
@Suite struct StringTrimmedTests {
  @Test(arguments: [
    ("word", "word"), ("  two words \t", "two words"), ("\n", ""), ("", ""), ("é ", "é"), (" café", "café"),
    ("\u{00A0}nbsp\u{00A0}", "nbsp"), ("a\u{0301}", "a\u{0301}"), ("x\r\n", "x"), ("(a)", "(a)"),
  ])
  func trimsSpacesOfAnyKind(text: String, expected: String) {
    #expect(text.trimmed == expected)
    #expect(text[...].trimmed == expected, "a Substring trims alike")
  }
}
