import Foundation
import Testing
import TutorTestSupport

@testable import TutorCore

/// The quick reader against libyaml: wherever it answers, it gives libyaml's nodes, styles and
/// positions; where it is unsure, libyaml decides.
@Suite struct QuickYAMLTests {
  /// Every YAML document of the bundled course: whole quiz and course files, lesson front
  /// matter, and the check and chain blocks inside lessons.
  static let courseDocuments: [(name: String, text: String)] = {
    var documents: [(String, String)] = []
    let root = Fixtures.repositoryRoot
    for folder in ["Lessons", "Quizzes"] {
      let dir = root.appendingPathComponent(folder)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for name in names.sorted() {
        guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) else { continue }
        if name.hasSuffix(".yaml") {
          documents.append(("\(folder)/\(name)", text))
        } else if name.hasSuffix(".md") && name != "README.md" {
          documents += yamlParts(ofLesson: text).map { ("\(folder)/\(name):\($0.line)", $0.text) }
        }
      }
    }
    return documents
  }()

  static func yamlParts(ofLesson text: String) -> [(line: Int, text: String)] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var parts: [(Int, String)] = []
    var index = 0
    if lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") {
      parts.append((2, lines[1..<end].joined(separator: "\n") + "\n"))
      index = end + 1
    }
    while index < lines.count {
      if lines[index] == "```check" || lines[index] == "```chain",
        let end = lines[(index + 1)...].firstIndex(of: "```")
      {
        parts.append((index + 2, lines[(index + 1)..<end].joined(separator: "\n") + "\n"))
        index = end
      }
      index += 1
    }
    return parts
  }

  static func quick(_ text: String) -> QuickYAML.Outcome? {
    var text = text
    return text.withUTF8 { QuickYAML.compose($0) }
  }

  /// Why two trees differ, or nil when they are the same.
  static func difference(_ a: Node, _ b: Node, at path: String = "root") -> String? {
    guard a.mark?.line == b.mark?.line && a.mark?.column == b.mark?.column else {
      return "\(path): position \(String(describing: a.mark)) against \(String(describing: b.mark))"
    }
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)):
      // Byte for byte: Swift's == takes canonically equivalent spellings as equal.
      if Array(x.string.utf8) != Array(y.string.utf8) {
        return "\(path): \(x.string.debugDescription) against \(y.string.debugDescription)"
      }
      if x.style != y.style { return "\(path): style \(x.style) against \(y.style)" }
      return nil
    case (.sequence(let x), .sequence(let y)):
      guard x.count == y.count else { return "\(path): \(x.count) items against \(y.count)" }
      for (index, (p, q)) in zip(x, y).enumerated() {
        if let problem = difference(p, q, at: "\(path)[\(index)]") { return problem }
      }
      return nil
    case (.mapping(let x), .mapping(let y)):
      guard x.pairs.count == y.pairs.count else { return "\(path): \(x.pairs.count) keys against \(y.pairs.count)" }
      for (p, q) in zip(x.pairs, y.pairs) {
        let name = p.0.scalar?.string ?? "?"
        if let problem = difference(p.0, q.0, at: "\(path).key(\(name))") ?? difference(p.1, q.1, at: "\(path).\(name)")
        {
          return problem
        }
      }
      return nil
    default:
      return "\(path): \(a) against \(b)"
    }
  }

  /// Where the quick reader answers, libyaml must agree; the quick reader's answer or nil.
  static func agreement(_ text: String) -> (answered: Bool, problem: String?) {
    let libyaml = Result { () throws(YAMLComposer.Failure) in try YAMLComposer.composeWithLibYAML(text) }
    switch quick(text) {
    case nil:
      return (false, nil)
    case .empty:
      if case .success(nil) = libyaml { return (true, nil) }
      return (true, "quick reader found no document; libyaml: \(libyaml)")
    case .root(let node):
      switch libyaml {
      case .success(let other?): return (true, difference(node, other))
      case .success(nil): return (true, "libyaml found no document")
      case .failure(let failure): return (true, "libyaml refused it: \(failure)")
      }
    }
  }

  @Test func theWholeCourseReadsOnTheQuickPathAsLibYAMLReadsIt() {
    #expect(Self.courseDocuments.count > 90)
    for (name, text) in Self.courseDocuments {
      let (answered, problem) = Self.agreement(text)
      #expect(answered, "\(name) went to libyaml")
      #expect(problem == nil, "\(name): \(problem ?? "")")
    }
  }

  @Test(arguments: [
    "a: 1\nb:\n  - 'x'\n  - \"y\"\nc: |\n  line\n",
    "---\na: b\n",
    "# only\n\n# comments\n",
    "",
    "a:\nb: 2\n",
    "list:\n- a\n-\n- b: 1\n  c: 2\nnext: 3\n",
    "- a\n- - b\n",
    "- \n  k: v\n- x\n",
    "a: plain text\n  that goes on\n\n  and on\n\n\n  # a comment\nb: 1\n",
    "a: 'it''s'\nb: \"tab\\there \\u00e9 \\x41 \\U0001F600\"\nc: \"fold \n   this\n\n   line\"\n",
    "a: \"esc\\ \n  x\"\n",
    "a: |-\n  one\n\n  two\n\n\nb: >\n  folded\n  text\n\n  para\n",
    "a: |+\n  keep\n\n\nb: 1\n",
    "a: >-\n  x\n    more\n  y\n",
    "a: |\n\n  after a blank\n",
    "a: |\n    deep\n  shallow\n",
    "a: [x, 'y z', \"w\", -1]\nb: {p: 1, q: two words}\nc: []\nd: {}\n",
    "a: [x,\n  y]\n",
    "a: b: c\n",
    "a: &anchor x\nb: *anchor\n",
    "a: !tag x\n",
    "a: 1\na: 2\n",
    "a: x # comment\nb: y#not\n",
    "é: ünïcode value\n  continued — here\nb: [ä, ö]\n",
    "a:\n  b:\n    c:\n      - d\n  e: f\n",
    "  indented: root\n  second: 2\n",
    "a: 1\n b: 2\n",
    "a:\n  - x\n  y: z\n",
    "a: 'unterminated\n",
    "a: \"x\" y\n",
    "? complex\n: key\n",
    "a: -\n",
    "a: x\n---\nb: y\n",
    "a:\tb\n",
    "a: x\r\nb: y\r\n",
    "\u{FEFF}a: b\n",
    "key: value:\n",
    "k: >\n  a\n\n\n  b\n",
    "k: |\n  a\n  b",
    "k: plain\n  # comment\n  more\n",
    "- a\n  - b\n",
    "- a: 1\n  b: 2\n- c: 3\n",
    "a: \"\\\"quoted\\\" \\\\ slash\\/\"\n",
    "a: x\n...\n",
  ])
  func smallDocumentsAgree(text: String) {
    let (_, problem) = Self.agreement(text)
    #expect(problem == nil, "\(text.debugDescription): \(problem ?? "")")
  }

  /// Columns count characters: after characters of two, three and four bytes, less and more
  /// than eight bytes into the line, and for empty values.
  @Test(arguments: [
    "- αβγδεζηθ: value\n- é: x\n- ü: [a, ö, b]\n",
    "k: [αβγδεζηθικλμ, x, ñ, y]\nl: {é: 1, 日本語テキスト: 2, ü: p}\n",
    "é:\nb: 1\n",
    "- é:\n- 日本語:\n  x: y\n- 𝄞 clef: 𝄞\n",
  ])
  func columnsAfterMultiByteCharactersAgree(text: String) {
    let (answered, problem) = Self.agreement(text)
    #expect(answered, "\(text.debugDescription) went to libyaml")
    #expect(problem == nil, "\(text.debugDescription): \(problem ?? "")")
  }

  @Test func theQuickReaderCoversTheSubset() {
    // Each of these is common in course files and must not fall back to libyaml.
    for text in [
      "a: 1\nb:\n  - x\n  - y\n", "a: |\n  t\n", "a: >-\n  t\n", "a: 'q'\nb: \"q\"\n", "a: [x, y]\nb: {c: d}\n",
      "l:\n- a\n- b\n", "a: long\n  text\n", "a:\n", "# c\na: b # c\n",
    ] {
      #expect(Self.quick(text) != nil, "\(text.debugDescription)")
    }
  }

  @Test(arguments: [3, 15, 16, 17, 40])
  func aRepeatedKeyGoesToLibYAMLInSmallAndLargeMappings(keys: Int) {
    let distinct = (0..<keys).map { "key\($0): \($0)\n" }.joined()
    #expect(Self.quick(distinct) != nil)
    #expect(Self.quick(distinct + "key\(keys - 1): again\n") == nil)
    #expect(Self.quick(distinct + "key\(keys): new\n") != nil)
    let flow = "m: {" + (0..<keys).map { "k\($0): \($0)" }.joined(separator: ", ")
    #expect(Self.quick(flow + "}\n") != nil)
    #expect(Self.quick(flow + ", k0: again}\n") == nil)
  }

  /// Keys the composer takes as the same: equivalent spellings, in small and large mappings.
  @Test(arguments: [0, 20])
  func equivalentSpellingsOfAKeyAreARepeatedKey(others: Int) {
    let padding = (0..<others).map { "key\($0): \($0)\n" }.joined()
    for text in [
      padding + "e\u{301}: 1\n\u{E9}: 2\n", padding + "K: 1\n\u{212A}: 2\n", padding + "\u{212A}: 1\nK: 2\n",
      "m: {e\u{301}: 1, \u{E9}: 2}\n",
    ] {
      #expect(Self.quick(text) == nil, "\(text.debugDescription)")
      #expect(Self.agreement(text).problem == nil)
    }
    #expect(Self.quick(padding + "\u{E9}: 1\ne: 2\n") != nil)
  }

  /// libyaml forgets a possible key 1024 characters after it starts.
  @Test func longFlowKeysGoToLibYAML() {
    for length in [1000, 1025] {
      let key = String(repeating: "a", count: length)
      for text in ["k: {\(key): b}\n", "k: {'\(key)': b}\n", "k: {a\(String(repeating: " ", count: length)): b}\n"] {
        #expect(Self.agreement(text).problem == nil)
        if length > 1000 { #expect(Self.quick(text) == nil) }
      }
    }
  }

  /// Characters libyaml treats specially send the text to it, wherever they fall (the plain-text
  /// check reads eight bytes at a time).
  @Test func specialCharactersAnywhereGoToLibYAML() {
    let specials = [
      "\u{7F}", "\u{85}", "\u{80}", "\u{9F}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "\t", "\r",
      "\u{1}",
    ]
    for special in specials {
      for place in 0..<12 {
        // Alone in its word, beside a line break in the same word (a line break is allowed), and
        // after other non-ASCII text in the same word.
        let padding = String(repeating: "x", count: place)
        for text in [
          "key: \(padding)\(special)y\n", "k: a\nkey: \(padding)\(special)\nz: w\n", "key: é\(padding)\(special)ü\n",
        ] {
          #expect(Self.quick(text) == nil, "\(text.debugDescription)")
          #expect(Self.agreement(text).problem == nil)
        }
      }
    }
    #expect(Self.quick("key: \u{A0}\u{2027}\u{FFFD}é\n") != nil)
  }

  @Test func deepNestingGoesToLibYAML() {
    var text = ""
    for depth in 0..<150 { text += String(repeating: " ", count: depth) + "k\(depth):\n" }
    text += String(repeating: " ", count: 150) + "leaf: 1\n"
    #expect(Self.quick(text) == nil)
    #expect(Self.agreement(text).problem == nil)
    let shallow =
      (0..<50).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined() + String(repeating: " ", count: 50)
      + "leaf: 1\n"
    #expect(Self.quick(shallow) != nil)
    #expect(Self.agreement(shallow).problem == nil)
  }

  /// Thousands of mangled variants of the course's documents: characters that mean something
  /// in YAML put in, text cut out, lines re-indented.
  @Test func mangledCourseTextReadsTheSameOrGoesToLibYAML() {
    let pieces = [
      ":", ": ", " #", "#", "-", "- ", "\"", "'", "|", ">", "|-", ">+", "[", "]", "{", "}", ",", "\n", "  ", " ",
      "\n  ", "\n\n", "\\", "\\n", "\\u00e9", "?", "&a ", "*a", "!", "é", "---\n", "''", "\n- ", "\n  - ", "x: ",
      "\n  x: y", "%", "@", "`",
    ]
    // Small documents whole; the quiz and course files three entries at a time (an entry starts
    // at a top-level key or at a list item indented at most two spaces).
    var seeds: [String] = []
    for text in Self.courseDocuments.map(\.text) {
      guard text.utf8.count >= 3000 else {
        seeds.append(text)
        continue
      }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let starts = lines.indices.filter { index in
        let line = lines[index]
        return line.first.map { $0 != " " && $0 != "#" } ?? false || line.hasPrefix("- ") || line.hasPrefix("  - ")
      }
      for (offset, start) in starts.enumerated() where offset % 3 == 0 {
        let end = offset + 3 < starts.count ? starts[offset + 3] : lines.count
        seeds.append(lines[start..<end].joined(separator: "\n") + "\n")
      }
    }
    #expect(seeds.count > 200)
    // QUICKYAML_ROUNDS and QUICKYAML_SEED run a longer or another search by hand.
    let environment = ProcessInfo.processInfo.environment
    let rounds = environment["QUICKYAML_ROUNDS"].flatMap { Int($0) } ?? 4000
    var random = SeededGenerator(seed: environment["QUICKYAML_SEED"].flatMap { UInt64($0) } ?? 7)
    var answered = 0
    var tried = 0
    var failures: [String] = []
    for round in 0..<rounds {
      var scalars = Array(seeds[round % seeds.count].unicodeScalars)
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        let place = Int.random(in: 0...scalars.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0, 1:
          scalars.insert(contentsOf: pieces.randomElement(using: &random)!.unicodeScalars, at: place)
        case 2:
          let end = min(scalars.count, place + Int.random(in: 1...6, using: &random))
          scalars.removeSubrange(place..<end)
        default:
          // Re-indent the line holding `place` by one or two spaces, either way.
          var start = min(place, scalars.count)
          while start > 0 && scalars[start - 1] != "\n" { start -= 1 }
          if Bool.random(using: &random) {
            scalars.insert(contentsOf: Array(repeating: " ", count: Int.random(in: 1...2, using: &random)), at: start)
          } else if start < scalars.count && scalars[start] == " " {
            scalars.remove(at: start)
          }
        }
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars)
      tried += 1
      let (quick, problem) = Self.agreement(text)
      if quick { answered += 1 }
      if let problem, failures.count < 5 { failures.append("\(text.debugDescription)\n  \(problem)") }
    }
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    // The comparison means something only if the quick reader answers for many variants.
    #expect(answered * 5 > tried, "quick reader answered \(answered) of \(tried)")
  }
}
