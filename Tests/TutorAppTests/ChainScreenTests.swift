import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// A wrong prediction says why it is wrong (issue 9: chains that make you think).
@Suite struct ChainScreenTests {

  @Test func aWrongPredictionSaysWhy() throws {
    let lesson = Fixtures.lesson(replacingDiagramWith: Fixtures.barrierChain)
    let course = try #require(CourseLoader.load(Fixtures.files(lesson: lesson)).course)
    var driver = AppDriver(course: course)
    driver.press(.enter, .right)
    #expect(driver.text.contains("Mechanism: Barrier chain"))
    guard case .lesson(let state) = driver.state.top,
      let chain = state.currentStep.blocks.compactMap({ block -> MechanismChain? in
        if case .chain(let chain) = block, chain.title == "Barrier chain" { chain } else { nil }
      }).first
    else {
      Issue.record("the chain is on the step")
      return
    }
    let wrong = try #require(
      LessonScreen.predictionOptions(state, chain, revealed: 1).firstIndex(of: "Glutamate blocks sodium channels"))
    driver.press(.character(Character(UnicodeScalar(UInt8(97 + wrong)))), .enter)
    #expect(driver.text.contains("✗ Not quite"))
    #expect(
      driver.text.contains("That is the target hypothesis; this chain runs through the barrier."), "\(driver.text)")
  }
}
