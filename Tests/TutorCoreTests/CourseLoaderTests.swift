import Foundation
import PropertyBased
import Testing

@testable import TutorCore
import TutorTestSupport

@Suite struct CourseLoaderTests {
  func messages(_ files: [SourceFile]) -> [String] {
    CourseLoader.load(files).diagnostics.map(\.description)
  }

  @Test func eachFileIsReadForWhatItsFolderAndNameSay() {
    let kinds: [(String, CourseFileKind?)] = [
      ("Lessons/course.yaml", .course), ("Lessons/glossary.yaml", .glossary), ("Lessons/01-intro.md", .lesson),
      ("Lessons/notes.txt", nil), ("Lessons/extra.yaml", nil), ("Quizzes/intro.yaml", .quiz),
      ("Quizzes/intro.yml", .quiz),
      ("Quizzes/README.md", nil), ("course/Lessons/02-é.md", .lesson), ("course.yaml", .quiz), ("Lessons.md", nil),
    ]
    for (path, kind) in kinds { #expect(CourseLoader.kind(of: path) == kind, "\(path)") }
  }

  @Test func unresolvedLinksAreReportedWhereTheyAreWritten() {
    let lesson = Fixtures.lesson
      .replacingOccurrences(of: "[[KCC2]]", with: "[[NKCC9]]")
      .replacingOccurrences(of: "[@kwan-2010].", with: "[@nobody-1999].")
      .replacingOccurrences(of: "question: q-single", with: "question: q-missing")
    let quiz = Fixtures.quiz.replacingOccurrences(of: "see: basics#first", with: "see: basics#nowhere")
    let texts = messages(Fixtures.files(lesson: lesson, quiz: quiz))
    // Line 10 is "Text with **bold [[NKCC9]]**, ... [@nobody-1999]."; line 36 "question: q-missing";
    // quiz line 14 "    see: basics#nowhere".
    #expect(
      texts == [
        "Lessons/01-basics.md:10:18: error: unknown glossary term 'NKCC9' (add it to Lessons/glossary.yaml)",
        "Lessons/01-basics.md:10:63: error: unknown reference 'nobody-1999' (add it to the references of Lessons/course.yaml)",
        "Lessons/01-basics.md:36:11: error: the checkpoint names question 'q-missing', which no quiz defines",
        "Quizzes/basics.yaml:14:10: error: 'see: basics#nowhere': lesson 'basics' has no step '#nowhere'",
      ])
  }

  @Test func duplicateIdsAcrossFilesNameTheFirstDefinition() {
    var files = Fixtures.files()
    files.append(
      SourceFile(
        path: "Quizzes/other.yaml",
        text: """
          id: other
          title: Other
          questions:
            - id: q-single
              type: truefalse
              prompt: Again?
              answer: true
          """))
    let texts = messages(files)
    #expect(
      texts.contains(
        "Quizzes/other.yaml:4:9: error: duplicate question id 'q-single' (first defined at Quizzes/basics.yaml:5)"))
  }

  @Test func prerequisiteCyclesAreErrors() {
    let a = Fixtures.lesson.replacingOccurrences(of: "order: 1\n", with: "order: 1\nprerequisites: [other]\n")
    var files = Fixtures.files(lesson: a)
    files.append(
      SourceFile(
        path: "Lessons/02-other.md",
        text: "---\nid: other\ntitle: Other\norder: 2\nprerequisites: [basics]\n---\n# Only {#only}\n\nText.\n"))
    let texts = messages(files)
    #expect(texts.contains { $0.contains("error: prerequisite cycle: basics → other → basics") })
  }

  @Test func glossaryAliasesResolveLinksIgnoringCase() {
    let lesson = Fixtures.lesson.replacingOccurrences(
      of: "[[KCC2]]", with: "[[Potassium-Chloride Cotransporter|the exporter]]")
    let result = CourseLoader.load(Fixtures.files(lesson: lesson))
    #expect(result.diagnostics == [])
  }

  static let malformed: [(String, [UInt8])] = [
    ("empty", []),
    ("binary", [0x00, 0xFF, 0xFE, 0x00, 0x13, 0x37]),
    ("latin-1", [0x63, 0x61, 0x66, 0xE9]),
    ("nul inside", Array("---\nid: x\0\n---\n".utf8)),
    ("only dashes", Array("---\n---\n".utf8)),
    ("yaml list as front matter", Array("---\n- a\n- b\n---\n# S\n".utf8)),
    ("deep nesting", Array(("---\nid: " + String(repeating: "[", count: 500) + "\n---\n").utf8)),
    ("alias bomb", Array("---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nid: basics\n---\n# S\n".utf8)),
  ]

  /// Malformed input of every kind gives diagnostics, never a crash.
  @Test(arguments: malformed)
  func malformedLessonsNeverCrash(name: String, bytes: [UInt8]) {
    var files = Fixtures.files()
    files[2] = SourceFile(path: "Lessons/01-basics.md", contents: bytes)
    let result = CourseLoader.load(files)
    #expect(result.hasErrors, "\(name) should be an error")
    #expect(
      result.errors.allSatisfy {
        $0.file == "Lessons/01-basics.md" || $0.file.hasPrefix("Quizzes/") || $0.file == "Lessons"
      })
  }

  @Test func hugeFilesAreRefusedUnread() {
    var files = Fixtures.files()
    files[3] = SourceFile(
      path: "Quizzes/basics.yaml", contents: Array(repeating: 0x41, count: CourseLoader.maximumFileSize + 1))
    #expect(
      messages(files).contains {
        $0.hasPrefix("Quizzes/basics.yaml:1:1: error: the file is") && $0.contains("at most 4 MiB")
      })
  }

  /// A file over the limit is known by its size on disk (its bytes are not read): the message gives
  /// that size, rounded up so that it never reads as the limit itself.
  @Test(arguments: [
    (20 * 1024 * 1024, "20.0 MiB"), (CourseLoader.maximumFileSize + 1, "4.1 MiB"), (4_500_000, "4.3 MiB"),
  ])
  func oversizedFilesReportTheirRealSize(size: Int, shown: String) {
    var files = Fixtures.files()
    files[2] = SourceFile(path: "Lessons/01-basics.md", tooLargeWithSize: size)
    #expect(
      messages(files).first
        == "Lessons/01-basics.md:1:1: error: the file is \(shown); course files may be at most 4 MiB")
  }

  @Test func unreadableFilesSayWhy() {
    var files = Fixtures.files()
    files[3] = SourceFile(path: "Quizzes/basics.yaml", readError: "Permission denied")
    #expect(
      messages(files) == [
        "Quizzes/basics.yaml:1:1: error: cannot read the file: Permission denied",
        // The lesson's checkpoint names a question of the quiz.
        "Quizzes/basics.yaml:1:1: note: 1 link into files that could not be read (see above) was not checked; it is checked once those files can be read",
      ])
  }

  /// Invalid UTF-8 and NUL bytes are reported at their own line and column, not at 1:1.
  @Test func bytesThatAreNotTextAreReportedWhereTheyAre() {
    var files = Fixtures.files()
    // Line 3 of the quiz (CRLF line ends) starts "qé" and then a Latin-1 'é', which is not UTF-8.
    var quiz = Array(Fixtures.quiz.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    let third = quiz.indices.filter { quiz[$0] == 10 }[1] + 1
    quiz.insert(contentsOf: [0x71, 0xC3, 0xA9, 0xE9], at: third)  // "qé" then a lone 0xE9
    files[3] = SourceFile(path: "Quizzes/basics.yaml", contents: quiz)
    #expect(
      messages(files).first
        == "Quizzes/basics.yaml:3:3: error: the file is not UTF-8 text: byte 0xE9 here is not UTF-8 (save the file as UTF-8)"
    )

    var lesson = Array(Fixtures.lesson.utf8)
    let fifth = lesson.indices.filter { lesson[$0] == 10 }[3] + 1
    lesson.insert(contentsOf: [0x61, 0x62, 0x00], at: fifth)
    files = Fixtures.files()
    files[2] = SourceFile(path: "Lessons/01-basics.md", contents: lesson)
    #expect(
      messages(files).first
        == "Lessons/01-basics.md:5:3: error: the file contains a NUL byte: it looks binary, not text")
  }

  /// The loader's own UTF-8 check (eight ASCII bytes at a time) judges as the standard library's:
  /// every lead byte with every second byte and each kind of tail, at the start and the end of a
  /// word of eight bytes; then random mixtures of ASCII runs, edge bytes and valid characters.
  @Test func theLoadersUTF8CheckAgreesWithTheStandardLibrary() async {
    let tails: [[UInt8]] = [[], [0x80], [0x80, 0xBF], [0x41], [0xBF, 0x41, 0x80]]
    for prefix in [0, 7] {
      for lead in 0...255 {
        for second in 0...255 {
          for tail in lead < 0xC0 ? [[]] : tails {
            let bytes = Array(repeating: 0x61, count: prefix) + [UInt8(lead), UInt8(second)] + tail
            let expected = String(validating: bytes, as: UTF8.self) != nil
            guard CourseLoader.isValidUTF8(bytes) == expected else {
              Issue.record("\(bytes.map { String($0, radix: 16) }) should be \(expected ? "valid" : "invalid")")
              return
            }
          }
        }
      }
    }
    // Runs of ASCII of any length among the bytes where UTF-8 has its edges.
    let edges: [UInt8] = [
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5,
    ]
    let samples: [[UInt8]] = [Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0xED, 0x9F, 0xBF]]
    let piece = Gen.int(in: 0...(edges.count + samples.count + 19)).map { code -> [UInt8] in
      if code < edges.count { return [edges[code]] }
      if code < edges.count + samples.count { return samples[code - edges.count] }
      return Array(repeating: UInt8(ascii: "a"), count: code - edges.count - samples.count + 1)
    }
    await propertyCheck(count: 2000, input: piece.array(of: 0...12)) { pieces in
      let bytes = pieces.flatMap { $0 }
      #expect(CourseLoader.isValidUTF8(bytes) == (String(validating: bytes, as: UTF8.self) != nil))
    }
  }

  /// Files saved with Windows (CRLF) or old Mac (CR) line ends read as with LF, at the same positions.
  @Test(arguments: ["\r\n", "\r"])
  func lineEndsOfEveryKindGiveTheSameCourseAndPositions(lineEnd: String) throws {
    func converted(_ files: [SourceFile]) -> [SourceFile] {
      files.map {
        SourceFile(
          path: $0.path,
          text: String(decoding: $0.contents, as: UTF8.self).replacingOccurrences(of: "\n", with: lineEnd))
      }
    }
    let bundled = Fixtures.bundledCourseFiles()
    let course = try #require(CourseLoader.load(bundled).course)
    let result = CourseLoader.load(converted(bundled))
    #expect(result.diagnostics.map(\.description) == [])
    #expect(result.course == course)

    let broken = Fixtures.files(
      lesson: Fixtures.lesson.replacingOccurrences(of: "order: 1", with: "order: 1\ncolour: red")
        .replacingOccurrences(of: "Second line", with: "Second **line"),
      quiz: Fixtures.quiz.replacingOccurrences(of: "type: multiple", with: "type: multipel"))
    let expected = messages(broken)
    #expect(expected.count == 3)
    #expect(messages(converted(broken)) == expected)
  }

  // MARK: Root causes first, without their cascades

  static func bundled(replacing path: String, with text: String) -> [SourceFile] {
    Fixtures.bundledCourseFiles().map { $0.path == path ? SourceFile(path: path, text: text) : $0 }
  }

  /// An empty course.yaml leaves every citation unresolved: one error and a note, not 859 errors
  /// with the cause printed last.
  @Test func anEmptyCourseFileIsOneErrorAndANote() {
    let texts = messages(Self.bundled(replacing: "Lessons/course.yaml", with: ""))
    #expect(texts.count == 2, "\(texts.prefix(5))")
    #expect(texts.first == "Lessons/course.yaml:1:1: error: course.yaml is empty: it needs at least id and title")
    #expect(texts.last?.hasPrefix("Lessons/course.yaml:1:1: note: ") == true)
    #expect(
      texts.last?.hasSuffix(
        " links into files that could not be read (see above) were not checked; they are checked once those files can be read"
      ) == true)
  }

  /// Links into two unread files (checked on two cores) are counted together, in one note.
  @Test func linksIntoTwoUnreadFilesAreCountedInOneNote() throws {
    func unchecked(_ texts: [String]) -> Int? { texts.last.flatMap { Int($0.split(separator: " ")[2]) } }
    let citations = try #require(unchecked(messages(Self.bundled(replacing: "Lessons/course.yaml", with: ""))))
    let terms = try #require(unchecked(messages(Self.bundled(replacing: "Lessons/glossary.yaml", with: ""))))
    let both = messages(
      Self.bundled(replacing: "Lessons/course.yaml", with: "").map {
        $0.path == "Lessons/glossary.yaml" ? SourceFile(path: $0.path, text: "") : $0
      })
    #expect(both.count == 3, "\(both.prefix(5))")
    #expect(
      both.last?.hasPrefix("Lessons/course.yaml:1:1: note: \(citations + terms) links") == true, "\(both.last ?? "")")
  }

  @Test func anEmptyGlossarySaysSoInsteadOfListingEveryLink() {
    let texts = messages(Self.bundled(replacing: "Lessons/glossary.yaml", with: ""))
    #expect(
      texts.first
        == "Lessons/glossary.yaml:1:1: error: glossary.yaml is empty: it needs 'terms', a list of terms with their definitions"
    )
    #expect(texts.count == 2, "\(texts.prefix(5))")
    #expect(!texts.contains { $0.contains("unknown glossary term") })
  }

  /// A lesson whose front matter cannot be read is one error: links to it are not checked.
  @Test func aBrokenFrontMatterIsNotFollowedByLinksToItsLesson() throws {
    let path = "Lessons/01-dre-definition.md"
    let original = try #require(Fixtures.bundledCourseFiles().first { $0.path == path })
    let text = String(decoding: original.contents, as: UTF8.self)
      .replacingOccurrences(of: "title: ", with: "title: \"unterminated ", options: [], range: nil)
    let result = CourseLoader.load(Self.bundled(replacing: path, with: text))
    #expect(result.errors.count == 1, "\(result.errors.prefix(5).map(\.description))")
    #expect(result.errors.first?.message.hasPrefix("YAML syntax:") == true)
    #expect(
      !result.diagnostics.contains {
        $0.message.contains("no lesson has the id") || $0.message.contains("points to no lesson")
      })
    #expect(result.diagnostics.last?.severity == .note)
  }

  /// Problems that stop a file from being read come first, then problems inside files, then
  /// names that resolve nowhere, whatever the files' names.
  @Test func rootCausesAreListedFirst() {
    let lesson = Fixtures.lesson
      .replacingOccurrences(of: "[[KCC2]]", with: "[[NKCC9]]")
      .replacingOccurrences(of: "order: 1", with: "order: 1\ncolour: red")
    var files = Fixtures.files(lesson: lesson)
    files.append(SourceFile(path: "Quizzes/zzz.yaml", contents: [0x69, 0x64, 0x3A, 0xE9]))
    #expect(
      messages(files) == [
        "Quizzes/zzz.yaml:1:4: error: the file is not UTF-8 text: byte 0xE9 here is not UTF-8 (save the file as UTF-8)",
        "Lessons/01-basics.md:5:1: error: unknown key 'colour' in the front matter (known keys: concepts, id, minutes, objectives, order, prerequisites, references, reviewed, summary, title)",
        "Lessons/01-basics.md:11:18: error: unknown glossary term 'NKCC9' (add it to Lessons/glossary.yaml)",
      ])
  }

  /// A question with an error still defines its id, so a checkpoint naming it is not a second error.
  @Test func aCheckpointNamingABrokenQuestionIsNotAnError() {
    let quiz = Fixtures.quiz.replacingOccurrences(of: "    prompt: Pick a.\n", with: "")
    let texts = messages(Fixtures.files(quiz: quiz))
    #expect(texts.count == 1, "\(texts)")
    #expect(texts.first?.contains("is missing 'prompt'") == true)
  }

  /// A YAML file of nothing but comments is empty (it was dropped without a word), and a syntax
  /// error is not also called empty.
  @Test func emptyAndInvalidYAMLAreToldApart() {
    #expect(
      messages(Fixtures.files(quiz: "# only a comment\n")).first
        == "Quizzes/basics.yaml:1:1: error: the quiz file is empty")
    let texts = messages(Fixtures.files(course: "id: [x\n"))
    #expect(texts.first == "Lessons/course.yaml:2:1: error: YAML syntax: did not find expected ',' or ']'")
    #expect(!texts.contains { $0.contains("is empty") })
  }

  // MARK: Wording

  /// libyaml's limit on nesting is worded for a course author, without its function names.
  @Test(arguments: [
    String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
    (0..<2000).map { String(repeating: " ", count: $0) + "a:\n" }.joined(),
  ])
  func deepNestingIsWordedPlainly(yaml: String) {
    let texts = messages(Fixtures.files(quiz: yaml))
    #expect(
      texts.first?.hasSuffix(
        "error: YAML syntax: lists and mappings nested too deeply (the limit is about 1000 levels)") == true, "\(texts)"
    )
    #expect(!texts.contains { $0.contains("yaml_set_max_nest_level") })
  }

  /// A node used twice through a YAML alias has its problem listed once.
  @Test func aProblemRepeatedThroughAnAliasIsListedOnce() {
    let quiz = "id: laughs\ntitle: Laughs\nb: &b [x, y]\nquestions: [*b, *b]\n"
    let texts = messages(Fixtures.files(quiz: quiz))
    #expect(texts.filter { $0.contains("a question must be a mapping") }.count == 1, "\(texts)")
  }

  /// Broken files of every kind: no message doubles its punctuation or its prefix.
  @Test func messagesHaveNoDoubledPunctuationOrPrefixes() {
    var texts: [String] = []
    for (_, bytes) in Self.malformed {
      for index in 0..<4 {
        var files = Fixtures.files()
        files[index] = SourceFile(path: files[index].path, contents: bytes)
        texts += messages(files)
      }
    }
    texts += messages([SourceFile(path: "Lessons/course.yaml", readError: "Permission denied")])
    texts += messages(Fixtures.files(course: "id: [\n", glossary: "terms: {\n", quiz: "- [unclosed: {\n"))
    #expect(texts.count > 20)
    for text in texts {
      let message = text.split(separator: ": ", maxSplits: 2).last.map(String.init) ?? text
      #expect(!message.contains(".."), "\(text)")
      #expect(message.filter { $0 == "(" }.count == message.filter { $0 == ")" }.count, "\(text)")
      #expect(!message.contains("YAML syntax: YAML"), "\(text)")
      #expect(!message.contains("error: error"), "\(text)")
    }
  }

  @Test func randomBytesNeverCrashAnyParser() {
    var generator = SeededGenerator(seed: 42)
    let alphabet = Array("-:#[]{}*`>!@|\n \t\"'abc123\u{0}é→".utf8)
    for round in 0..<200 {
      let length = Int(generator.next() % 300)
      let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      var files = Fixtures.files()
      files[round % 4] = SourceFile(path: files[round % 4].path, contents: bytes)
      _ = CourseLoader.load(files)
    }
    #expect(Bool(true), "200 random files parsed without crashing")
  }

  @Test func missingCourseFileIsAnError() {
    let files = Array(Fixtures.files().dropFirst())
    #expect(
      messages(files).contains(
        "Lessons/course.yaml:1:1: error: the course has no Lessons/course.yaml (id, title, references)"))
  }

  @Test func shortCitationsUseSurnames() {
    #expect(
      Reference(id: "a", authors: "Kwan P, Arzimanoglou A, Berg AT", year: 2010, title: "", journal: "").shortCitation
        == "Kwan et al. 2010")
    #expect(
      Reference(id: "a", authors: "Kwan, Brodie", year: 2000, title: "", journal: "").shortCitation
        == "Kwan & Brodie 2000")
    #expect(Reference(id: "a", authors: "Brodie", year: nil, title: "", journal: "").shortCitation == "Brodie")
    #expect(
      Reference(id: "a", authors: "Callaghan et al.", year: 2007, title: "", journal: "").shortCitation
        == "Callaghan et al. 2007")
    // A lowercase particle stays with its surname; a body's name is kept whole.
    #expect(
      Reference(id: "a", authors: "van Vliet EA, et al.", year: 2006, title: "", journal: "").shortCitation
        == "van Vliet et al. 2006")
    #expect(
      Reference(id: "a", authors: "de Lanerolle NC, Lee TS, Spencer DD", year: 2010, title: "", journal: "")
        .shortCitation == "de Lanerolle et al. 2010")
    #expect(
      Reference(id: "a", authors: "Epilepsy Foundation", year: nil, title: "", journal: "").shortCitation
        == "Epilepsy Foundation")
    #expect(
      Reference(id: "a", authors: "Engel J Jr, McDermott MP, Wiebe S", year: 2012, title: "", journal: "").shortCitation
        == "Engel et al. 2012")
    #expect(
      Reference(id: "a", authors: "Sillanpää M, Schmidt D", year: 2017, title: "", journal: "").shortCitation
        == "Sillanpää & Schmidt 2017")
    #expect(
      Reference(id: "a", authors: "", year: 2018, title: "Computational study of KCC2 loss", journal: "").shortCitation
        == "Computational study of… 2018")
  }
}

@Suite struct BundledCourseTests {
  @Test func theShippedCourseHasNoErrorsOrWarnings() throws {
    // Item-writing cues included: the shipped course has none.
    let result = CourseLoader.load(Fixtures.bundledCourseFiles(), itemWriting: true)
    #expect(result.diagnostics.map(\.description) == [])
    let course = try #require(result.course)
    #expect(course.lessons.count >= 1)
    for lesson in course.lessons {
      #expect(lesson.checkpoints.count >= 2, "\(lesson.id) needs two checkpoints")
      let blocks = lesson.steps.flatMap(\.blocks)
      for case .diagram(let rows) in blocks {
        for row in rows { #expect(row.count <= 76, "diagram row too wide in \(lesson.id): \(row)") }
      }
    }
    // No citation artefact: every reference names its authors, and no learner-visible text says a
    // source was not checked.
    for reference in course.info.references {
      #expect(!reference.authors.trimmingCharacters(in: .whitespaces).isEmpty, "\(reference.id) has no authors")
      #expect(!reference.shortCitation.contains("…"), "\(reference.id) cites as \(reference.shortCitation)")
      #expect(
        !(reference.authors + reference.title + reference.journal).lowercased().contains("not verified"),
        "\(reference.id)")
    }
    for file in Fixtures.bundledCourseFiles() {
      for phrase in ["our sources", "not verified", "unverified", "not been checked", "not checked"] {
        #expect(
          !String(decoding: file.contents, as: UTF8.self).lowercased().contains(phrase),
          "\(file.path) tells the learner '\(phrase)'")
      }
    }
    for question in course.quizzes.flatMap(\.questions) {
      #expect(!question.explanation.isEmpty, "\(question.id) has no explanation")
      #expect(question.see != nil, "\(question.id) has no see: link")
      for choice in question.choices where !choice.isCorrect {
        if case .trueFalse = question.body { continue }
        #expect(choice.feedback != nil, "\(question.id): wrong option '\(choice.text)' has no feedback")
      }
    }
  }
}

/// Concepts carry readable names, declared once in a lesson's front matter.
@Suite struct ConceptNameTests {
  @Test func aLessonNamesItsConceptsAndQuestionsUseThem() throws {
    let lesson = Fixtures.lesson.replacingOccurrences(
      of: "references: [kwan-2010]", with: "references: [kwan-2010]\nconcepts:\n  alpha: Alpha waves, named")
    let quiz = Fixtures.quiz.replacingOccurrences(
      of: "    see: basics#first", with: "    see: basics#first\n    concepts: [alpha]")
    let result = CourseLoader.load(Fixtures.files(lesson: lesson, quiz: quiz))
    let course = try #require(result.course)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(course.conceptName("alpha") == "Alpha waves, named")
    #expect(course.conceptName("beta") == "beta", "an unnamed concept shows its id")
  }

  @Test func anUnnamedOrUndeclaredConceptIsWarnedAbout() throws {
    let lesson = Fixtures.lesson.replacingOccurrences(
      of: "references: [kwan-2010]", with: "references: [kwan-2010]\nconcepts: [alpha]")
    let quiz = Fixtures.quiz.replacingOccurrences(
      of: "    see: basics#first", with: "    see: basics#first\n    concepts: [gamma]")
    let texts = CourseLoader.load(Fixtures.files(lesson: lesson, quiz: quiz)).diagnostics.map(\.description)
    #expect(texts.contains { $0.contains("warning: concept 'alpha' has no name") })
    #expect(texts.contains { $0.contains("warning: concept 'gamma' is not declared in any lesson's concepts:") })
  }
}
