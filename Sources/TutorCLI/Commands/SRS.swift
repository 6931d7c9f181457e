import ArgumentParser
import Foundation
import TutorCore

/// Scheduler tools.
struct SRS: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "srs", abstract: "Spaced-repetition scheduler tools.", subcommands: [Simulate.self])

  /// Replays review histories through FSRS-6, for conformance checks and imported histories.
  struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "simulate",
      abstract: "Replay JSON Lines reviews through the FSRS-6 scheduler (default parameters, retention 0.9, no fuzz).",
      discussion: """
        Reads one review per line on standard input: {"card": "<id>", "at": "<ISO-8601 UTC>", "rating": 1..4}, \
        applied in order. Writes one line per review: {"card", "at", "rating", "state", "step", "stability", \
        "difficulty", "due"}. A malformed line, a timestamp without a time zone or a review going back in time \
        is reported with its line number; nothing is written and the exit status is 2.
        """)

    func run() throws {
      let input = FileHandle.standardInput.readDataToEndOfFile()
      guard let text = String(data: input, encoding: .utf8) else {
        FileHandle.standardError.write(Data("tutor srs simulate: the input is not UTF-8 text\n".utf8))
        throw ExitCode(2)
      }
      switch ReviewLog.simulate(text) {
      case .failure(let problem):
        FileHandle.standardError.write(Data("tutor srs simulate: \(problem)\n".utf8))
        throw ExitCode(2)
      case .success(let lines):
        var output = lines.joined(separator: "\n")
        if !lines.isEmpty { output += "\n" }
        FileHandle.standardOutput.write(Data(output.utf8))
      }
    }
  }
}
