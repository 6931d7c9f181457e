import TerminalUI
import TutorTestSupport
import Testing
import TutorCore

@testable import TutorApp

@Suite struct LessonScreenTests {
  func openLesson() -> AppDriver {
    var driver = AppDriver()
    driver.press(.enter)
    return driver
  }

  func lesson(_ driver: AppDriver) -> LessonScreen.State? {
    if case .lesson(let state) = driver.state.top { state } else { nil }
  }

  @Test func rendersTheFirstStepWithMarkupAndPosition() {
    let driver = openLesson()
    let screen = driver.screen
    #expect(screen[0].hasPrefix(" Basics"))
    #expect(screen[0].hasSuffix("step 1 of 2"))
    #expect(screen.contains("  First step"))
    #expect(screen.contains { $0.contains("Text with bold KCC2, italic, code and a citation [Kwan et al. 2010].") })
    #expect(screen.contains("  • one item continued"))
    #expect(screen.contains("  ┃ Key point: Remember this."))
  }

  @Test func pagingSavesThePosition() {
    var driver = openLesson()
    #expect(driver.press(.right) == [.save(.lessonPositionSaved(lessonID: "basics", step: 1))])
    #expect(driver.press(.right) == [])  // the last step: checkpoints pending, a status says so
    #expect(driver.state.status == "Answer the checkpoints to complete the lesson (2 left).")
    #expect(driver.press(.left) == [.save(.lessonPositionSaved(lessonID: "basics", step: 0))])
    #expect(driver.press(.left) == [])
  }

  /// Checkpoints give their hints in the full screen as in plain mode, and the record counts them.
  @Test func aCheckpointGivesItsHintsAndTheRecordCountsThem() throws {
    var driver = openLesson()
    driver.press(.right, .enter, .enter)  // the chain, predicted
    driver.press(.character("a"), .enter)  // q-single, right
    driver.press(.enter)  // to the next checkpoint
    #expect(driver.screen.last?.contains("Ctrl-T hint") == true, "\(driver.text)")
    driver.press(.control("t"))
    #expect(driver.text.contains("Hint 1: Look at the first step."))
    #expect(driver.screen.last?.contains("Ctrl-T hint") == false, "the ladder has one rung")
    let answered = driver.press(.character("t"), .enter)
    guard case .save(.answerRecorded(let record))? = answered.first else {
      Issue.record("the checkpoint answer is recorded: \(answered)")
      return
    }
    #expect(record.questionID == "inline-tf")
    #expect(record.hintsUsed == 1)
    #expect(record.scheduling == .now(.hard), "right after a hint is Hard")
  }

  @Test func chainsRevealOneLinkAtATimeAfterAPrediction() throws {
    var driver = openLesson()
    driver.press(.right)
    #expect(driver.text.contains("1. first link"))
    #expect(!driver.text.contains("2. second link"))
    #expect(driver.text.contains("What comes next? Pick and press Enter:"))
    let screen = try #require(lesson(driver))
    let options = LessonScreen.predictionOptions(screen, screen.currentStep.chain!, revealed: 1)
    #expect(Set(options) == ["second link", "wrong link", "third link"])
    let right = try #require(options.firstIndex(of: "second link"))
    for _ in 0..<right { driver.press(.down) }
    driver.press(.enter)
    #expect(driver.text.contains("2. second link"))
    #expect(driver.text.contains("✓ You predicted this link."))
  }

  @Test func aWrongCheckpointAnswerKeepsTheKeyHiddenAndAllowsARetry() throws {
    var driver = openLesson()
    driver.press(.right)
    // Finish the chain so the first checkpoint is the one waiting.
    for _ in 0..<2 { driver.press(.enter) }
    let wrong = driver.press(.down, .enter)
    #expect(wrong.count == 1)
    guard case .save(.answerRecorded(let record)) = wrong.first else {
      Issue.record("expected an answer to be recorded, got \(wrong)")
      return
    }
    #expect(record.questionID == "q-single")
    #expect(record.context == .checkpoint(lesson: "basics"))
    #expect(record.grade.score == 0)
    #expect(driver.text.contains("✗ Incorrect — try again"))
    #expect(driver.text.contains("✗ B: Not B."))
    #expect(!driver.text.contains("✓("), "the right option must not be revealed before a retry")

    let right = driver.press(.up, .enter)
    #expect(right.count == 1)
    #expect(driver.text.contains("✓ Correct"))
    #expect(try #require(lesson(driver)).passed == ["q-single"])
  }

  @Test func answeringEveryCheckpointCompletesTheLesson() throws {
    var driver = openLesson()
    driver.press(.right)
    for _ in 0..<2 { driver.press(.enter) }
    driver.press(.character("a"), .enter)  // q-single: a is right
    #expect(driver.screen[23].hasPrefix(" Enter go to the checkpoint"), "the next checkpoint is below the fold")
    #expect(driver.press(.enter) == [])
    let last = driver.press(.character("t"), .enter)  // inline true/false: t is right
    #expect(last.contains(.save(.lessonCompleted(lessonID: "basics"))))
    #expect(driver.state.progress.lessons["basics"]?.isComplete == true)
    #expect(driver.press(.right) == [.loadReviewQueue], "home reads the review queue again")
    #expect(driver.state.stack.count == 1, "the last page of a complete lesson returns home")
    #expect(driver.screen.contains { $0.contains("1. Basics  ✓ complete") })
  }

  @Test func escapeGoesBackHome() {
    var driver = openLesson()
    driver.press(.escape)
    #expect(driver.state.stack.count == 1)
  }
}

/// Checkpoints of the typed kinds inside a lesson.
@Suite struct TypedCheckpointTests {
  static let lesson = """
    ---
    id: typed
    title: Typed
    order: 1
    ---

    # Only step {#only}

    ```check
    question: t-short
    ```
    """

  func open() -> AppDriver {
    var files = Fixtures.files(typesQuiz: Fixtures.typesQuiz)
    files.append(SourceFile(path: "Lessons/02-typed.md", text: Self.lesson))
    let course = CourseLoader.load(files).course!
    var driver = AppDriver(course: course)
    driver.press(.down, .enter)
    return driver
  }

  @Test func aTypedCheckpointTakesTextAndPagesWithPgDnOnly() {
    var driver = open()
    #expect(driver.screen[0].hasPrefix(" Typed"))
    #expect(driver.screen.last?.contains("Esc leave field") == true, "\(driver.screen.last ?? "")")
    driver.type("lqh ")
    #expect(driver.state.stack.count == 2, "letters are typed, not taken as keys")
    #expect(driver.screen.contains("  Answer: lqh"))
    driver.press(.control("u"))
    driver.type("MDR1")
    let commands = driver.press(.enter)
    #expect(commands.contains(.save(.lessonCompleted(lessonID: "typed"))))
    #expect(driver.text.contains("✓ Correct"))
  }

  @Test func aWrongTypedAnswerCanBeEditedAndRetried() {
    var driver = open()
    driver.type("nope")
    driver.press(.enter)
    #expect(driver.text.contains("✗ Incorrect — try again"))
    #expect(!driver.text.contains("Right answer"), "the answer is not given away before a retry")
    driver.press(.control("u"))
    #expect(!driver.text.contains("✗ Incorrect"), "editing clears the verdict")
    driver.type("ABCB1")
    driver.press(.enter)
    #expect(driver.text.contains("✓ Correct"))
  }
}

/// Diagrams are never wrapped: a wide one scrolls sideways.
@Suite struct WideDiagramTests {
  static let lesson = """
    ---
    id: wide
    title: Wide
    order: 1
    ---

    # Wide {#wide}

    ```diagram
    START-\(String(repeating: "=", count: 100))-END
    ```

    # Next {#next}

    Text.
    """

  @Test func aWideDiagramScrollsSidewaysAndResetsOnTheNextStep() throws {
    var files = Fixtures.files()
    files.append(SourceFile(path: "Lessons/02-wide.md", text: Self.lesson))
    var driver = AppDriver(course: CourseLoader.load(files).course!)
    driver.press(.down, .enter)
    #expect(driver.screen[0].hasPrefix(" Wide"))
    let row = try #require(driver.screen.first { $0.contains("START") })
    #expect(row.hasSuffix("›"), "the cut edge is marked")
    #expect(!row.contains("END"))
    #expect(driver.screen.last?.contains("> diagram →") == true)
    for _ in 0..<4 { driver.press(.character(">")) }
    let scrolled = try #require(driver.screen.first { $0.contains("=") })
    #expect(scrolled.contains("‹"))
    #expect(scrolled.contains("-END"))
    #expect(!scrolled.contains("START"))
    driver.press(.character("<"))
    driver.press(.right, .left)
    #expect(driver.screen.contains { $0.contains("START") }, "a new visit to the step starts at the left edge")
  }
}

@Suite struct LessonNotesTests {
  @Test func sShowsTheStepsTermsAndSourcesInFull() {
    var driver = AppDriver()
    driver.press(.enter)
    #expect(driver.screen.last?.contains("s terms & sources") == true)
    driver.press(.character("s"))
    #expect(driver.text.contains("Terms and sources on this page"))
    #expect(driver.text.contains("KCC2: Exports chloride from neurons."))
    #expect(driver.text.contains("[Kwan et al. 2010] Kwan P, Arzimanoglou A, Berg AT (2010). Definition of"))
    #expect(driver.text.contains("drug resistant epilepsy. Epilepsia"))
    driver.press(.escape)
    #expect(!driver.text.contains("Terms and sources on this page"))
    #expect(driver.state.stack.count == 2, "Esc closes the notes, not the lesson")
  }

  @Test func aStepWithoutTermsOrSourcesHasNoNotesKey() {
    var driver = AppDriver()
    driver.press(.enter, .right)
    #expect(driver.screen.last?.contains("terms & sources") == false)
  }
}
