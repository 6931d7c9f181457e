import ArgumentParser
import Foundation
import TutorApp
import TutorCore

/// A spaced-review session of the questions due now.
struct Review: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Review the questions that are due, scheduled by FSRS-6.",
    discussion: """
      Every question answered in a checkpoint, a quiz or a review is scheduled from how it was \
      answered: wrong is Again; right after a hint, partly right, or marked unsure or guessing is \
      Hard; right is Good; right, without a hint, not unsure, and quick is Easy. Due questions \
      come interleaved across lessons, within the daily limits (`tutor settings`). \
      --cram reviews a lesson or a concept without touching the schedule.
      """)

  @OptionGroup var options: CommonOptions

  @Option(
    help: ArgumentHelp(
      "A time budget: the session ends after this many minutes, once the question in hand is answered.",
      valueName: "minutes"))
  var minutes: Double?

  @Option(
    help: ArgumentHelp(
      "Review a lesson (by id) or a concept without changing the schedule.", valueName: "lesson-or-concept"))
  var cram: String?

  @Flag(help: "After each answer, say how sure you were (sure, unsure, guessing).")
  var confidence = false

  @Option(help: "Seed for shuffling the options, for a reproducible order.")
  var seed: UInt64?

  func validate() throws {
    if let minutes, minutes <= 0 { throw Diagnostics.refuse("--minutes must be more than 0.") }
  }

  func run() throws {
    let session = try Session.start(options)
    let budget = minutes.map { $0 * 60 }
    let entry: Destination = cram.map { .cram($0) } ?? .review
    if let cram, ReviewPlan.cram(cram, in: session.course) == nil {
      throw Diagnostics.refuse(
        "Nothing to cram for '\(cram)': name a lesson id or a concept that quiz questions are tagged with.")
    }
    if options.usesPlainMode {
      try PlainSession(session: session).review(
        cram: cram, budget: budget, asksConfidence: confidence, seed: seedOrRandom)
      return
    }
    try FullScreen.run(session, seed: seedOrRandom, asksConfidence: confidence, opening: entry, reviewBudget: budget)
  }

  private var seedOrRandom: UInt64 { seed ?? UInt64.random(in: 0...UInt64(Int64.max)) }
}

/// Shows or changes review settings.
struct Settings: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "settings",
    abstract: "Show or change the learner's review settings.",
    discussion: "tutor settings lists them; tutor settings KEY VALUE changes one. "
      + ReviewSettings.keys.map { "\($0.key): \($0.help)." }.joined(separator: " "))

  @Argument(help: "The setting to change.") var key: String?
  @Argument(help: "Its new value.") var value: String?
  @OptionGroup var options: CommonOptions

  func run() throws {
    let session = try Session.start(options)
    if let key {
      guard let value else {
        let settings = try session.store.settings(learner: session.learnerID)
        guard let current = settings.value(of: key) else {
          throw Diagnostics.refuse(
            "Unknown setting '\(key)' (known: \(ReviewSettings.keys.map(\.key).joined(separator: ", "))).")
        }
        print(current)
        return
      }
      if let problem = try session.store.setSetting(key, to: value, learner: session.learnerID) {
        throw Diagnostics.refuse(problem)
      }
      print("\(key) = \(value)")
      return
    }
    let settings = try session.store.settings(learner: session.learnerID)
    for (key, help) in ReviewSettings.keys {
      print("\(key) = \(settings.value(of: key) ?? "")    (\(help))")
    }
    let queue = try session.store.reviewQueue(learner: session.learnerID, now: session.clock())
    print("")
    print(
      "\(queue.scheduled) questions scheduled, \(queue.due.count) due now; next 14 days: \(queue.forecast.map(String.init).joined(separator: " "))"
    )
  }
}
