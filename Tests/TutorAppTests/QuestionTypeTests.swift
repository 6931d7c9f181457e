import Foundation
import TerminalUI
import Testing
import TutorCore

@testable import TutorApp

/// Each question type's interaction in the full-screen quiz, as keys and as rendered text.
@Suite struct QuestionTypeTests {
  /// Opens the every-type quiz and skips to the question with `id`.
  func open(at id: String, mode: QuizMode = .practice, asksConfidence: Bool = false) -> AppDriver {
    var driver = AppDriver(mode: mode, asksConfidence: asksConfidence)
    driver.press(.down, .down, .enter)
    while let quiz = driver.quiz, quiz.question.id != id {
      guard var state = driver.quiz else { break }
      _ = state.session.answer(.choices([]), confidence: nil, at: driver.now)
      _ = state.session.advance(at: driver.now)
      let question = state.session.currentQuestion!
      state.input = AnswerInput(question: question, presentation: state.session.presentation(of: question))
      driver.state.stack[driver.state.stack.count - 1] = .quiz(state)
    }
    return driver
  }

  func recorded(_ commands: [Command]) -> AnswerRecord? {
    for case .save(.answerRecorded(let record)) in commands { return record }
    return nil
  }

  @Test func shortAnswersAreTypedEditedAndForgiveATypo() throws {
    var driver = open(at: "t-short-long")
    #expect(driver.screen.contains("  Answer:"))
    driver.type("P-glycoprotiex")
    driver.press(.backspace)
    driver.type("n")
    driver.press(.left, .left, .left, .left, .right)
    driver.press(.control("u"))
    #expect(driver.quiz?.input.fields[0].text == "ien")
    driver.press(.end)
    driver.press(.home)
    driver.type("P-glycoprot")
    #expect(driver.screen.contains("  Answer: P-glycoprotien"))
    let record = try #require(recorded(driver.press(.enter)))
    #expect(record.response == "P-glycoprotien")
    #expect(record.grade.acceptedWithTypo)
    #expect(driver.text.contains("✓ Correct — accepted with a typo; the answer is P-glycoprotein / P-gp"))
  }

  @Test func lettersTypeIntoTheFieldInsteadOfQuitting() {
    var driver = open(at: "t-short")
    driver.type("q?jk")
    #expect(driver.state.stack.count == 2, "q typed, not quit")
    #expect(!driver.state.showsHelp, "? typed, not help")
    #expect(driver.screen.contains("  Answer: q?jk"))
    driver.press(.escape)
    #expect(driver.state.stack.count == 2, "Esc leaves the field, not the quiz")
    #expect(driver.screen.last?.contains("i edit the answer") == true)
    driver.press(.character("?"))
    #expect(driver.state.showsHelp, "out of the field, ? is the help again")
    driver.press(.character("?"))
    driver.press(.character("i"))
    driver.type("x")
    #expect(driver.screen.contains("  Answer: q?jkx"), "i goes back to typing")
    driver.press(.escape, .character("q"))
    #expect(driver.state.stack.count == 1)
  }

  @Test func numericAnswersSayWhenTheUnitIsWrong() {
    var driver = open(at: "t-numeric")
    #expect(driver.screen.contains("  Answer (times):"))
    driver.type("3 months")
    driver.press(.enter)
    #expect(driver.text.contains("✗ Incorrect"))
    #expect(driver.text.contains("(the unit is times, not months)"))
    #expect(driver.text.contains("Right answer: 3 times"))
  }

  @Test func anUnreadableNumberIsNotGraded() {
    var driver = open(at: "t-numeric")
    driver.type("three")
    #expect(driver.press(.enter) == [])
    #expect(driver.state.status == "'three' is not a number.")
    #expect(driver.quiz?.phase == .answering)
  }

  @Test func clozeBlanksAreFilledOneByOne() throws {
    var driver = open(at: "t-cloze")
    #expect(driver.screen.contains("  P-glycoprotein is encoded by [1] and pumps drugs back into the [2]."))
    driver.type("MDR1")
    driver.press(.tab)
    driver.type("brain")
    #expect(driver.screen.contains("  › [2] brain"))
    let record = try #require(recorded(driver.press(.enter)))
    #expect(record.grade.score == 0.5)
    #expect(record.response == "MDR1 | brain")
    #expect(driver.text.contains("≈ Partly correct: 50% credit"))
    #expect(driver.text.contains("✗ [2] brain (right: blood)"))
  }

  @Test func matchPairsALeftItemWithARightOne() throws {
    var driver = open(at: "t-match")
    let shown = try #require(driver.quiz).input.presentation.itemOrder  // indices into [mTORC1, GABA-A receptor, KCC2]
    let letterOf = { (item: Int) in Character(PlainText.letter(shown.firstIndex(of: item)!)) }
    #expect(driver.screen.contains("    1) Everolimus"))
    #expect(driver.screen.contains("       → (not matched yet)"))
    // Space picks the left item, arrows and Space pair it; letters pair directly.
    driver.press(.character(" "))
    #expect(driver.text.contains("Pick the match for 1:"))
    for _ in 0..<shown.firstIndex(of: 0)! { driver.press(.down) }
    driver.press(.character(" "))
    #expect(driver.screen.contains("       → \(letterOf(0))) mTORC1"))
    #expect(driver.state.status == nil)
    driver.press(.enter)
    #expect(driver.state.status == "Item 2 has no match yet.")
    driver.press(.character("2"), .character(letterOf(2)))
    let record = try #require(recorded(driver.press(.enter)))
    #expect(record.grade.score == 0.5)
    #expect(record.response == "Everolimus → mTORC1; Stiripentol → KCC2")
    #expect(driver.text.contains("✓ 1) Everolimus"))
    #expect(driver.text.contains("✗ 2) Stiripentol"))
    #expect(driver.text.contains("right: GABA-A receptor"))
  }

  @Test func orderItemsArePickedUpMovedAndDropped() throws {
    var driver = open(at: "t-order")
    let start = try #require(driver.quiz).input.arrangement
    // Carry item 0 to the top, then item 1 to second place.
    for (target, item) in [0, 1].enumerated() {
      let from = try #require(driver.quiz).input.arrangement.firstIndex(of: item)!
      var cursor = try #require(driver.quiz).input.cursor
      while cursor < from { driver.press(.down); cursor += 1 }
      while cursor > from { driver.press(.up); cursor -= 1 }
      driver.press(.character(" "))
      #expect(driver.screen.contains { $0.hasPrefix("  ⇕ ") })
      while cursor > target { driver.press(.up); cursor -= 1 }
      driver.press(.character(" "))
    }
    #expect(try #require(driver.quiz).input.arrangement == [0, 1, 2], "from \(start)")
    let record = try #require(recorded(driver.press(.enter)))
    #expect(record.grade.isCorrect)
    #expect(driver.screen.contains("  ✓ 1. Hilar mossy cells die"))
  }

  @Test func aMisorderedAnswerShowsTheLinksOutOfPlace() throws {
    var driver = open(at: "t-order")
    var state = try #require(driver.quiz)
    state.input.arrangement = [0, 2, 1]
    driver.state.stack[driver.state.stack.count - 1] = .quiz(state)
    driver.press(.enter)
    #expect(driver.text.contains("≈ Partly correct: 50% credit"))
    #expect(driver.text.contains("✗ \"Granule cells excite one another\" should come after"))
    #expect(driver.text.contains("Right order:"))
  }
}
