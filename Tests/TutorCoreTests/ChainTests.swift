import Testing
import TutorTestSupport

@testable import TutorCore

/// Chains whose links have their own wrong next links, each with why it is wrong (issue 9).
@Suite struct ChainTests {
  static let chainBlock = Fixtures.barrierChain

  static func lesson(_ chain: String) -> String { Fixtures.lesson(replacingDiagramWith: chain) }

  static func chain(_ block: String = chainBlock) throws -> MechanismChain {
    let result = CourseLoader.load(Fixtures.files(lesson: lesson(block)))
    #expect(result.errors.isEmpty, "\(result.errors)")
    let blocks = try #require(result.course?.lesson(id: "basics")).steps.flatMap(\.blocks)
    for case .chain(let chain) in blocks where chain.title == "Barrier chain" { return chain }
    Issue.record("no chain parsed")
    throw CancellationError()
  }

  @Test func linksCarryTheirOwnWrongNextLinks() throws {
    let chain = try Self.chain()
    #expect(chain.steps.count == 4)
    #expect(
      chain.linkDistractors[1].map(\.text) == [
        "Glutamate blocks sodium channels", "Glutamate is pumped into the blood",
      ])
    #expect(chain.linkDistractors[0].isEmpty)
    #expect(chain.reasons["Drug binding falls in the neurons"] == "That would be a target change, not a barrier one.")
    let options = chain.predictionOptions(revealed: 1)
    #expect(
      Set(options) == [
        "Glutamate acts on NMDA receptors of capillary cells", "Glutamate blocks sodium channels",
        "Glutamate is pumped into the blood",
      ])
    #expect(
      chain.whyNot("Glutamate blocks sodium channels", revealed: 1)
        == "That is the target hypothesis; this chain runs through the barrier.")
    #expect(
      chain.whyNot("More P-gp pumps the drug back into the blood", revealed: 1)?.hasPrefix(
        "That comes later in the chain") == true)
    #expect(chain.whyNot("Glutamate acts on NMDA receptors of capillary cells", revealed: 1) == nil)
  }

  @Test func aLinkWithFewOwnDistractorsIsFilledFromTheRest() throws {
    let chain = try Self.chain()
    let options = chain.predictionOptions(revealed: 2)
    #expect(options.count == 3)
    #expect(options.contains("P-gp falls"))
    #expect(options.contains("COX-2 is induced"))
    #expect(!options.contains("Seizures release glutamate"), "a link already shown is never offered")
  }

  @Test func aLinksOwnDistractorNeedsAReason() {
    let block = Self.chainBlock.replacingOccurrences(
      of: "        why: That is the target hypothesis; this chain runs through the barrier.\n", with: "")
    let messages = CourseLoader.load(Fixtures.files(lesson: Self.lesson(block))).errors.map(\.message)
    #expect(messages.contains { $0.contains("'why'") }, "\(messages)")
  }

  /// Without own distractors, the wrong options rotate: no two links offer the same pair.
  @Test func chainWideDistractorsRotate() {
    let chain = MechanismChain(
      title: "Rotating", predict: true, steps: ["a", "b", "c", "d", "e", "f"], distractors: ["x", "y", "z", "w"])
    let pairs = (1..<5).map { Set(chain.predictionOptions(revealed: $0)).subtracting([chain.steps[$0]]) }
    #expect(Set(pairs).count > 1, "\(pairs)")
  }
}
