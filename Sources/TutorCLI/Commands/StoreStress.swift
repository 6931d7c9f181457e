import ArgumentParser
import Foundation
import TutorCore
import TutorStore

/// Records answers in a loop, printing each id once committed. Used by the crash-safety test,
/// which kills this process mid-write and checks that every printed id survived.
struct StoreStress: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "store-stress", abstract: "Write answers in a loop (for crash-safety tests).",
    shouldDisplay: false)

  @Option var store: String
  @Option var count = 100_000

  func run() throws {
    let progress = try SQLiteProgressStore(path: store)
    let learner = try progress.learnerID(named: "stress", at: Date())
    for index in 0..<count {
      let answer = AnswerRecord(
        questionID: "q-\(index)", questionVersion: 1, context: .checkpoint(lesson: "stress"), response: "a",
        grade: Grade(score: 1, chosenChoiceIDs: ["a"]))
      let id = try progress.record(answer, learner: learner, at: Date())
      FileHandle.standardOutput.write(Data("\(id)\n".utf8))
    }
  }
}
