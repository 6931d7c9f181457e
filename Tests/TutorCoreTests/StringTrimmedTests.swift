import PropertyBased
import Testing
@testable import TutorCore

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

@Suite struct ByteSearchTests {
  /// The eight-bytes-at-a-time search finds what a byte-by-byte search finds, from any start,
  /// wherever the byte sits in a word, among bytes that differ from it in one bit.
  @Test func findsTheFirstByteAsAPlainSearchDoes() async {
    let alphabet: [UInt8] = [0x0A, 0x0B, 0x3A, 0x3B, 0x23, 0x22, 0x5B, 0x5A, 0x7F, 0x80, 0xFF, 0x00, 0x41]
    let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.array(of: 0...40)
    await propertyCheck(count: 1000, input: text, Gen.int(in: 0...40)) { bytes, start in
      let start = min(start, bytes.count)
      let sought: [UInt8] = [0x0A, 0x3A, 0x23, 0x5B]
      let expected = bytes[start...].firstIndex(where: sought.contains) ?? bytes.count
      let found = bytes.withUnsafeBufferPointer {
        ByteSearch.first(sought[0], sought[1], sought[2], sought[3], in: $0, from: start)
      }
      #expect(found == expected)
      let one = bytes.withUnsafeBufferPointer { ByteSearch.first(0x80, 0x80, 0x80, 0x80, in: $0, from: start) }
      #expect(one == (bytes[start...].firstIndex(of: 0x80) ?? bytes.count))
    }
  }
}

@Suite struct LowercasedFastTests {
  /// Byte by byte for ASCII, Unicode case mapping for the rest: always what `lowercased()` gives.
  @Test(arguments: ["", "abc", "ABC", "MiXeD 1-2_3", "SCN2A", "Émile", "ÄBC", "\u{212A}elvin", "İstanbul", "ΣΑΣ"])
  func lowercasesAsTheStandardLibraryDoes(text: String) {
    #expect(text.lowercasedFast == text.lowercased())
  }
}

@Suite struct StablySortedTests {
  /// The merge sort orders as the standard library's stable sort does, equal keys as they came,
  /// at every length (past 20 elements the standard library merges runs too).
  @Test func sortsAsTheStandardLibraryDoes() async {
    let keys = Gen.int(in: 0...6).array(of: 0...70)
    await propertyCheck(count: 600, input: keys) { keys in
      let tagged = Array(keys.enumerated())
      let expected = tagged.sorted { $0.element < $1.element }
      let sorted = tagged.stablySorted { $0.element < $1.element }
      #expect(sorted.map(\.offset) == expected.map(\.offset))
      #expect(
        tagged.stablySorted { $0.element > $1.element }.map(\.offset)
          == tagged.sorted { $0.element > $1.element }.map(\.offset))
    }
  }
}
