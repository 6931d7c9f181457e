import Foundation
import Testing
import TutorTestSupport

@testable import TutorCore

/// GIFT read as Moodle reads it: Moodle's own test files (copied from ../shared/conformance/gift
/// with their licence note) and the specification's checklist (../shared/docs/interchange.md).
@Suite struct GIFTTests {
  static let fixtures = Fixtures.repositoryRoot.appendingPathComponent("Tests/TutorCoreTests/Fixtures/gift")

  static func fixture(_ name: String) throws -> GIFT.Reading {
    GIFT.read(try Data(contentsOf: fixtures.appendingPathComponent(name)))
  }

  typealias T = GIFT.Text

  /// Moodle's Behat fixture: nine questions of every core type (interchange.md 3.3 and 3.4).
  @Test func moodlesFixtureReadsAsMoodleReadsIt() throws {
    let reading = try Self.fixture("questions.gift.txt")
    #expect(reading.errors.isEmpty, "\(reading.problems)")
    let questions = reading.questions
    #expect(
      questions.map(\.kind.name) == [
        "essay", "matching", "multiple choice", "multiple choice", "numerical", "short answer", "true/false",
        "true/false", "true/false",
      ])
    #expect(
      questions.map { $0.title ?? "" } == [
        "Q8", "Moodle activities", "Q2", "colours", "Q5", "Shortanswer", "Q1", "2-08 TSL", "2-08 TSL",
      ])
    #expect(questions[0].text == T("How are you?") && questions[0].kind == .essay)
    #expect(questions[1].text == T("Match the <b>activity</b> to the description.", .html))
    #expect(
      questions[1].kind
        == .matching(pairs: [
          .init(left: T("An activity supporting asynchronous discussions.", .html), right: "Forum"),
          .init(
            left: T("A teacher asks a question and specifies a choice of multiple responses.", .moodle),
            right: "Choice"),
          .init(left: T("A bank of record entries which participants can add to.", .plain), right: "Database"),
          .init(left: T("A collection of web pages that anyone can add to or edit.", .markdown), right: "Wiki"),
          .init(left: T("", .html), right: "Chat"),
        ]))
    #expect(
      questions[2].kind
        == .multipleChoice(
          answers: [
            .init(text: T("yellow"), weight: 1, feedback: T("right; good!")),
            .init(text: T("red"), weight: 0, feedback: T("wrong, it's yellow", .html)),
            .init(text: T("blue", .plain), weight: 0, feedback: T("wrong, it's yellow")),
          ], single: true))
    guard case .multipleChoice(let colours, let single) = questions[3].kind else {
      Issue.record("colours is not multiple choice")
      return
    }
    #expect(colours.map(\.weight) == [0.5, -1, 0.5, -1] && !single)
    #expect(questions[4].text.text == "What is a number from 1 to 5? _____\";" && questions[4].hasBlank)
    #expect(
      questions[4].kind
        == .numerical(answers: [
          .init(value: 3, tolerance: 2, weight: 1, feedback: T("")),
          .init(value: nil, tolerance: 0, weight: 0, feedback: T("Completely wrong")),
        ]))
    #expect(
      questions[5].kind
        == .shortAnswer(answers: [
          .init(text: T("Frog"), weight: 1, feedback: T("Good!")),
          .init(text: T("Cat"), weight: 0.5, feedback: T("What is it with Moodlers and cats?")),
          .init(text: T("*"), weight: 0, feedback: T("Completely wrong")),
        ]))
    #expect(questions[6].text.text == "42 is the Absolute Answer to everything._____\";")
    #expect(
      questions[6].kind
        == .trueFalse(
          correct: false, wrongFeedback: T("42 is the Ultimate Answer."), rightFeedback: T("You gave the right answer.")
        ))
    #expect(questions[6].generalFeedback == T("This is, of course, a Hitchiker's Guide to the Galaxy reference."))
    #expect(questions[7].kind == .trueFalse(correct: true, wrongFeedback: T(""), rightFeedback: T("")))
    #expect(questions[8].kind == questions[7].kind)
  }

  @Test func aCategoryAppliesToTheQuestionsAfterIt() throws {
    let reading = try Self.fixture("questions_in_category.gift.txt")
    #expect(reading.errors.isEmpty && reading.questions.count == 4)
    #expect(reading.categories.map(\.path) == ["$course$/Default for New Features"])
    #expect(reading.questions.allSatisfy { $0.category == "$course$/Default for New Features" })
    #expect(reading.questions.map(\.kind.name) == ["matching", "multiple choice", "short answer", "true/false"])
    let greeting = reading.questions[1]
    #expect(greeting.text.format == .html && greeting.text.text.contains("href=\"http://demo.moodle.net/"))
    #expect(
      reading.questions[2].kind
        == .shortAnswer(answers: [.init(text: T("Moodler", .html), weight: 1, feedback: T("", .html))]))
    #expect(reading.questions[3].text.text.contains("style=\"font-style: italic;\""))
    let yaml = try GIFT.quiz(reading, id: "new-features", title: "New features").yaml
    #expect(
      yaml.contains(
        "# Moodle category $course$/Default for New Features: moodle-activities, greeting, moodle-user, moodle-acronym\n"
      ),
      "\(yaml.prefix(300))")
  }

  @Test func aFileThatIsNotUTF8IsRefused() throws {
    let reading = try Self.fixture("questions_encoding_windows-1252.gift.txt")
    #expect(reading.questions.isEmpty)
    #expect(reading.errors.count == 1 && reading.errors[0].message.contains("not UTF-8"))
    let withMark = GIFT.read(Data([0xEF, 0xBB, 0xBF] + Array("Q {T}".utf8)))
    #expect(withMark.questions.map(\.text.text) == ["Q"] && withMark.problems.isEmpty)
  }

  /// The examples file that ships with Moodle's plugin: 43 questions, none refused.
  @Test func moodlesExamplesAllRead() throws {
    let reading = try Self.fixture("examples.txt")
    #expect(reading.errors.isEmpty, "\(reading.errors)")
    #expect(reading.questions.count == 43)
    let pi = reading.questions.first { $0.text.text.hasPrefix("What is the value of pi") }
    guard case .numerical(let answers)? = pi?.kind else {
      Issue.record("no pi question")
      return
    }
    #expect(abs((answers[0].value ?? 0) - 3.1415) < 1e-9 && abs(answers[0].tolerance - 0.0005) < 1e-9)
    #expect(pi?.text.text == "What is the value of pi (to 3 decimal places)? _____.")
    let control = reading.questions.first { $0.title == "GIFT Control Characters" }
    guard case .multipleChoice(let choices, true)? = control?.kind else {
      Issue.record("no control-characters question")
      return
    }
    #expect(choices.map(\.text.text) == ["~", "=", "#", "{", "}", "\\"])
    #expect(choices.last?.weight == 1 && choices.last?.feedback.text.components(separatedBy: "\n").count == 4)
    let equals = reading.questions.first { $0.text.text == "Which answer equals 5?" }
    guard case .multipleChoice(let sums, true)? = equals?.kind else {
      Issue.record("no equals question")
      return
    }
    #expect(sums.map(\.text.text) == ["= 2 + 2", "= 2 + 3", "= 2 + 4"] && sums.map(\.weight) == [0, 1, 0])
    let markdown = reading.questions.first { $0.text.text.contains("**Grant's tomb**") }
    #expect(markdown?.text.format == .markdown)
  }
}

extension GIFTTests {
  /// The specification's checklist (interchange.md, "Checklist of edge cases") and 3.5.
  @Test(arguments: [
    ("Case {true}", "short answer", "is a short answer whose answer is \"true\""),
    (
      "Q {~wrong#because 2+2=5 ~ok =right}", "multiple choice", "an = inside feedback starts a new correct answer \"5\""
    ),
    ("Q {=%50%half ~no}", "multiple choice", "is worth 100%"),
    ("TF {TRUE#wrong~ish#right}", "multiple choice", "makes it multiple choice"),
    ("Q {~only}", "", "at least 2 answers"),
    ("Price? {#abc}", "", "is not a number"),
    ("Price? {#3,14}", "", "write a decimal point"),
    ("Price? {#}", "", "needs an answer"),
    ("Q {=a ~b", "", "braces do not match"),
    ("Q =a ~b}", "", "braces do not match"),
    ("Multi {~%33.3%a ~%33.3%b ~%33.3%c ~d}", "multiple choice", "is not one Moodle takes"),
    ("::Unclosed name text {T}", "true/false", "no closing ::"),
    ("Pairs {=a -> 1 =b}", "", "needs ->"),
    ("Q {=a} then {=b}", "short answer", "a second {…} stays in the question text"),
    ("Many {~%50%a ~%20%b ~c}", "multiple choice", "add up to 70%"),
  ])
  func anEdgeCaseReadsAsTheSpecificationSays(source: String, kind: String, message: String) {
    let reading = GIFT.read(source)
    #expect(reading.questions.map(\.kind.name) == (kind.isEmpty ? [] : [kind]), "\(reading.problems)")
    if kind.isEmpty { #expect(!reading.errors.isEmpty) }
    if !message.isEmpty {
      #expect(reading.problems.contains { $0.message.contains(message) }, "\(reading.problems)")
    } else {
      #expect(reading.problems.isEmpty, "\(reading.problems)")
    }
  }

  @Test func textsReadAsMoodleReadsThem() {
    let cases: [(String, String, Bool)] = [
      ("Two plus two equals {=four =4}.", "Two plus two equals _____.", true),
      ("Grant is {~buried =entombed ~living} in Grant's tomb.", "Grant is _____ in Grant's tomb.", true),
      ("::T:: Ends with the block {T}", "Ends with the block", false),
      ("Back\\slash \\\\ two {T}", "Back\\slash \\\\ two".replacingOccurrences(of: "\\\\", with: "\\"), false),
      ("Escaped \\{brace\\} \\: \\# \\~ \\= {T}", "Escaped {brace} : # ~ =", false),
      ("Line\\nbreak {T}", "Line\nbreak", false),
      ("[html]<p>x</p> {T}", "<p>x</p>", false),
      ("[HTML]upper {T}", "[HTML]upper", false),
      ("http://example.org is a link {T}", "http://example.org is a link", false),
    ]
    for (source, text, blank) in cases {
      let question = GIFT.read(source).questions.first
      #expect(question?.text.text == text, "\(source)")
      #expect(question?.hasBlank == blank, "\(source)")
    }
    #expect(GIFT.read("[html]<p>x</p> {T}").questions.first?.text.format == .html)
    #expect(GIFT.read("Description only, no braces").questions.first?.kind == .description)
    #expect(GIFT.read("Essay {####Graded by hand}").questions.first?.generalFeedback == T("Graded by hand"))
  }

  @Test func commentsTagsAndIDsAndBlankLines() throws {
    let source = """
      // [id:frog] [tag: add ] [tag:basic\\]more]
      // [tag:broken
      // across]
      Q1 {
      // a comment between answer lines
      =a ~b
      }

      $CATEGORY: $course$/top/Unit 1

      Q2 {T}
      0
      still Q2

      """
    let reading = GIFT.read(source)
    #expect(reading.questions.count == 2, "\(reading.problems)")
    #expect(reading.questions[0].idNumber == "frog" && reading.questions[0].tags == ["add", "basic]more"])
    #expect(reading.questions[0].kind.name == "multiple choice" && reading.questions[0].line == 1)
    #expect(reading.questions[1].category == "$course$/top/Unit 1" && reading.questions[0].category == nil)
    #expect(reading.problems.contains { $0.line == 12 && $0.message.contains("only 0") })
    #expect(
      GIFT.read("$CATEGORY: Unit\nQ {T}").questions.isEmpty, "a category swallows a question without a blank line")
    #expect(GIFT.read("A {T}\r\rB {F}").questions.count == 2, "old Mac line ends")
    let yaml = try GIFT.quiz(reading, id: "tagged", title: "Tagged").yaml
    #expect(yaml.contains("# Moodle tags of frog: add, basic]more\n") && yaml.contains("- id: frog\n"))
  }
}

extension GIFTTests {
  /// Moodle's files, converted, load with the bundled course without an error.
  @Test(arguments: ["questions.gift.txt", "questions_in_category.gift.txt", "examples.txt"])
  func aConvertedFileIsAQuizTheCourseLoads(name: String) throws {
    let reading = try Self.fixture(name)
    let quiz = try GIFT.quiz(reading, id: "imported", title: "Imported from Moodle")
    let path = "Quizzes/imported.yaml"
    let result = CourseLoader.load(Fixtures.bundledCourseFiles() + [SourceFile(path: path, text: quiz.yaml)])
    #expect(result.errors.filter { $0.file == path }.isEmpty, "\(result.errors)\n\(quiz.yaml)")
    let imported = try #require(result.course?.quiz(id: "imported"))
    let kept = reading.questions.filter { $0.kind != .essay && $0.kind != .description }.count
    #expect(imported.questions.count == kept && quiz.questions == kept)
  }

  @Test func eachTypeBecomesTheCourseType() throws {
    let source = """
      ::Capital:: The capital of France is {=Paris =paris city ~%50%Lyon}.

      ::Fill:: The capital of Italy is {=Rome =Roma} today.

      ::Sure:: The sky is green. {FALSE#It is blue.#Right.####Rayleigh scattering.}

      ::Pairs:: Match. {=Canada -> Ottawa =Italy -> Rome = -> Lisbon}

      ::Year:: When? {#1822:2 =%50%1800..1850}

      ::Many:: Pick the primes. {~%50%2 ~%50%3 ~%-100%4}

      ::Talk:: Discuss. {}
      """
    let quiz = try GIFT.quiz(GIFT.read(source), id: "converted", title: "Converted")
    let result = CourseLoader.load(
      Fixtures.bundledCourseFiles() + [SourceFile(path: "Quizzes/converted.yaml", text: quiz.yaml)])
    let questions = try #require(result.course?.quiz(id: "converted")?.questions, "\(result.errors)\n\(quiz.yaml)")
    #expect(questions.map(\.id) == ["capital", "fill", "sure", "pairs", "year", "many"])
    #expect(quiz.yaml.contains("text: The capital of Italy is {{Rome|Roma}} today."))
    #expect(quiz.yaml.contains("feedback_true: It is blue.") && quiz.yaml.contains("explanation: Rayleigh scattering."))
    #expect(quiz.yaml.contains("distractors:\n  - Lisbon") || quiz.yaml.contains("- Lisbon"))
    #expect(quiz.yaml.contains("# Not imported, essay (line 13): Discuss."))
    #expect(quiz.problems.contains { $0.line == 1 && $0.message.contains("written as `multiple`") })
    #expect(quiz.problems.contains { $0.line == 9 && $0.message.contains("only 1822 ± 2 is kept") })
  }
}

extension GIFTTests {
  /// What grading depends on, written out to compare a question before and after a trip
  /// through GIFT (GIFT carries no typo allowance, unit, or cloze prompt: those are left aside,
  /// as the export's notes say).
  static func grading(_ question: Question) -> String {
    var lines = ["id \(question.id)", "explanation \(question.explanation)"]
    switch question.body {
    case .single(let choices), .multiple(let choices):
      lines.append("\(question.typeName) \(question.prompt)")
      lines += choices.map { "\($0.isCorrect ? "right" : "wrong") \($0.text) | \($0.feedback ?? "")" }
    case .trueFalse(let answer, let ifTrue, let ifFalse):
      lines += ["truefalse \(question.prompt) \(answer)", "true: \(ifTrue ?? "")", "false: \(ifFalse ?? "")"]
    case .short(let key):
      lines += ["short \(question.prompt)", key.answers.joined(separator: "|")]
    case .cloze(let cloze):
      // One blank at the end of the text is a short answer in GIFT, graded the same.
      if case .blank(let answers)? = cloze.segments.last, cloze.blanks.count == 1,
        case .text(let before)? = cloze.segments.first
      {
        lines += ["short \(before.trimmingCharacters(in: .whitespaces))", answers.joined(separator: "|")]
      } else {
        lines.append("cloze \(cloze.segments)")
      }
    case .numeric(let key):
      let (low, high) =
        key.range.map { ($0.lowerBound, $0.upperBound) }
        ?? ((key.answer ?? 0) - key.tolerance, (key.answer ?? 0) + key.tolerance)
      lines.append("numeric \(question.prompt) \((low * 1e6).rounded()) \((high * 1e6).rounded())")
    case .match(let key):
      lines.append("match \(question.prompt)")
      lines += key.pairs.map { "\($0.left) -> \($0.right)" } + ["distractors \(key.distractors)"]
    case .order(let items):
      lines.append("order \(items)")
    }
    return lines.joined(separator: "\n")
  }

  /// Every quiz of the course, written as GIFT and read back, keeps every question GIFT can
  /// express, graded the same; the rest are named in the notes.
  @Test func theCoursesQuizzesGoThroughGIFTAndBackGradedTheSame() throws {
    let course = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    for quiz in course.quizzes {
      let export = GIFT.write(quiz)
      let reading = GIFT.read(export.text)
      #expect(reading.errors.isEmpty, "\(quiz.id): \(reading.errors)")
      #expect(reading.problems.isEmpty, "\(quiz.id) warnings: \(reading.problems)")
      let file = try GIFT.quiz(reading, id: quiz.id, title: quiz.title)
      #expect(file.problems.isEmpty, "\(quiz.id): \(file.problems)")
      let others = Fixtures.bundledCourseFiles().filter { $0.path != "Quizzes/\(quiz.id).yaml" }
      let result = CourseLoader.load(others + [SourceFile(path: "Quizzes/\(quiz.id).yaml", text: file.yaml)])
      let back = try #require(result.course?.quiz(id: quiz.id), "\(quiz.id): \(result.errors)")
      let expressible = quiz.questions.filter {
        if case .order = $0.body { return false }
        if case .cloze(let cloze) = $0.body, cloze.blanks.count != 1 { return false }
        return true
      }
      #expect(export.written == expressible.count)
      #expect(export.notes.count >= quiz.questions.count - expressible.count)
      #expect(back.questions.map(Self.grading) == expressible.map(Self.grading), "\(quiz.id)")
    }
  }
}

@Suite struct AnkiTextTests {
  @Test func aQuizIsWrittenAsAnkiImportsIt() throws {
    let quiz = Quiz(
      id: "q", title: "Unit :: one",
      questions: [
        Question(
          id: "a", prompt: "Which is **right**? <a> & \"b\"",
          body: .single([
            Choice(id: "a", text: "This\tone", isCorrect: true), Choice(id: "b", text: "That", isCorrect: false),
          ]), explanation: "Because\nof *this*.", concepts: ["pgp", "efflux"]),
        Question(
          id: "b", prompt: "#hashtag first", body: .trueFalse(answer: false, feedbackTrue: nil, feedbackFalse: nil)),
      ])
    let info = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course?.info)
    let lines = AnkiText.write([quiz], course: info).components(separatedBy: "\n")
    #expect(
      Array(lines.prefix(5)) == [
        "#separator:tab", "#html:true", "#columns:Front\tBack\tTags\tDeck", "#tags column:3", "#deck column:4",
      ])
    let deck = "Drug-resistant epilepsy: the mechanisms::Unit : one"
    #expect(
      lines[5]
        == "\"Which is <b>right</b>? &lt;a&gt; &amp; \"\"b\"\"<br><br>a) This\tone<br>b) That\"\t"
        + "\"a) This\tone<br><br>Because<br>of <i>this</i>.\"\t"
        + "drug-resistant-epilepsy::pgp drug-resistant-epilepsy::efflux\t\(deck)")
    #expect(lines[6] == "\"#hashtag first\"\tFalse\t\t\(deck)")
  }
}

@Suite struct AikenTests {
  /// Aiken as Moodle reads it (interchange.md 2b), errors at their lines.
  @Test func aikenReadsAsMoodleReadsIt() throws {
    let source = """
      A) a choice before any question
      ANSWER: A
      Which is right?
      A) Wrong
      B. Right < & >
      C)Also wrong
      ANSWER: B
      Too few?
      A) Only
      ANSWER: A
      Never finished
      A) One
      B) Two
      Labels skip a letter
      A) First
      B) Second
      D) Third
      ANSWER: D
      lower-case labels start a question
      a) this is a question line too
      A) x
      B) y
      ANSWER:  a
      Last one
      A) p
      B) q
      ANSWER: A
      """
    let reading = Aiken.read(source)
    #expect(reading.questions.map(\.text.text) == ["Which is right?", "Last one"], "\(reading.problems)")
    guard case .multipleChoice(let answers, true)? = reading.questions.first?.kind else {
      Issue.record("not single multiple choice")
      return
    }
    #expect(answers.map(\.text.text) == ["Wrong", "Right < & >", "Also wrong"] && answers.map(\.weight) == [0, 1, 0])
    let errors = reading.errors.map { "\($0.line): \($0.message.prefix(30))" }
    #expect(
      errors == [
        "1: a choice before any question (", "2: an ANSWER line before any ques", "10: a question needs at least 2 ch",
        "14: the question \"Never finished\" ", "18: ANSWER: D names no choice (A i",
        "20: the question \"lower-case label", "23: ANSWER: a names no choice (A i",
      ], "\(reading.errors)")
    let quiz = try GIFT.quiz(reading, id: "aiken", title: "Aiken")
    let result = CourseLoader.load(
      Fixtures.bundledCourseFiles() + [SourceFile(path: "Quizzes/aiken.yaml", text: quiz.yaml)])
    #expect(result.course?.quiz(id: "aiken")?.questions.count == 2, "\(result.errors)")
  }
}

extension GIFTTests {
  /// What a review found: Windows line ends, a category that swallowed a question, comparisons
  /// in text, limits the course has, and text the exporter must guard.
  @Test func windowsFilesComparisonsAndLimits() throws {
    let windows = GIFT.read("// question: 1\r\n::A:: One {T}\r\n\r\n::B:: Two {F}\r\n")
    #expect(windows.questions.map(\.title) == ["A", "B"], "\(windows.problems)")

    let swallowed = GIFT.read("$CATEGORY: Unit 1\nQ1 {T}\n\nQ2 {F}")
    #expect(swallowed.problems.contains { $0.message.contains("put a blank line after $CATEGORY") })
    let yaml = try GIFT.quiz(swallowed, id: "s", title: "S").yaml
    #expect(
      yaml.hasPrefix("# Imported from GIFT by `tutor import gift`.\n# Moodle category Unit 1 Q1 {T}: q2\n"), "\(yaml)")

    let compare = try GIFT.quiz(GIFT.read("Is 3 < 5 and 7 > 6? {T}"), id: "c", title: "C").yaml
    #expect(compare.contains("Is 3 < 5 and 7 > 6?"), "\(compare)")
    #expect(try GIFT.quiz(GIFT.read("Bold <b>x</b> {T}"), id: "b", title: "B").yaml.contains("Bold **x**"))

    let crowded = "Pairs {" + (1...8).map { "=l\($0) -> r\($0)" }.joined(separator: " ") + " = -> x = -> y}"
    #expect(try GIFT.quiz(GIFT.read(crowded), id: "m", title: "M").problems.contains { $0.isError })
    #expect(try GIFT.quiz(GIFT.read("None {~a ~b ~c}"), id: "n", title: "N").problems.contains { $0.isError })
    #expect(GIFT.read("Zero {0 ~a ~b}").problems.contains { $0.message.contains("drops a first answer written 0") })

    let quiz = Quiz(
      id: "guard", title: "Guard",
      questions: [
        Question(
          id: "tagged", prompt: "[html]<b>raw</b> prompt",
          body: .single([
            Choice(id: "a", text: "[plain]looks like a tag", isCorrect: true),
            Choice(id: "b", text: "%20% looks like a weight", isCorrect: false),
          ])),
        Question(
          id: "arrow", prompt: "Match",
          body: .match(MatchKey(pairs: [.init(left: "A -> B", right: "C"), .init(left: "D", right: "E")]))),
        Question(id: "short-arrow", prompt: "Type", body: .short(ShortAnswerKey(answers: ["A->B"]))),
      ])
    let export = GIFT.write(quiz)
    #expect(export.written == 1 && export.notes.count == 2, "\(export.notes)")
    let back = GIFT.read(export.text).questions
    #expect(back.first?.text == T("[html]<b>raw</b> prompt", .markdown))
    guard case .multipleChoice(let answers, true)? = back.first?.kind else {
      Issue.record("not single choice: \(export.text)")
      return
    }
    #expect(answers.map(\.text.text) == ["[plain]looks like a tag", "%20% looks like a weight"])
    #expect(answers.map(\.weight) == [1, 0])
  }
}
