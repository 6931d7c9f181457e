import ArgumentParser
import TutorApp
import TutorCore

/// Opens the course's home screen (the default subcommand).
struct Home: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "home",
    abstract: "Open the course's home screen: Continue, lessons, quizzes.")

  @OptionGroup var options: CommonOptions

  @OptionGroup var quizOptions: QuizOptions

  func run() throws {
    try Self.open(
      options.run, seed: quizOptions.seedOrRandom, mode: quizOptions.mode, asksConfidence: quizOptions.confidence)
  }

  static func open(
    _ options: RunOptions, seed: UInt64 = UInt64.random(in: 0...UInt64(Int64.max)), mode: QuizMode = .practice,
    asksConfidence: Bool = false
  ) throws {
    let session = try Session.start(options, fastStart: !options.usesPlainMode)
    if options.usesPlainMode {
      try PlainSession(session: session).printOverview()
      return
    }
    try FullScreen.run(session, seed: seed, mode: mode, asksConfidence: asksConfidence)
  }
}

/// Studies one lesson.
struct Study: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "study",
    abstract: "Study a lesson, step by step, answering its checkpoints.",
    discussion: "LESSON is a lesson id (as in `tutor check` or the home screen) or its number.")

  @Argument(help: "The lesson id or number.")
  var lesson: String

  @OptionGroup var options: CommonOptions

  @Flag(help: "Read from step 1 instead of the step where you left the lesson.")
  var restart = false

  @Option(help: "Seed for shuffling checkpoint options and chain predictions, for a reproducible order.")
  var seed: UInt64?

  func run() throws {
    let session = try Session.start(options)
    let found = try Lookup.lesson(lesson, in: session.course)
    if options.usesPlainMode {
      try PlainSession(session: session).study(
        found, restart: restart, seed: seed ?? UInt64.random(in: 0...UInt64(Int64.max)))
      return
    }
    try FullScreen.run(
      session, seed: seed ?? UInt64.random(in: 0...UInt64(Int64.max)),
      opening: .lesson(id: found.id, step: restart ? 0 : nil))
  }
}

/// How quizzes run: seed, exam mode, confidence.
struct QuizOptions: ParsableArguments {
  @Option(help: "Seed for shuffling questions and options, for a reproducible order.")
  var seed: UInt64?

  @Flag(
    help:
      "Exam mode: no hints and, unless the quiz says otherwise, no feedback until the end; the quiz's time limit applies."
  )
  var exam = false

  @Flag(help: "After each answer, say how sure you were (sure, unsure, guessing).")
  var confidence = false

  var mode: QuizMode { exam ? .exam : .practice }
  var seedOrRandom: UInt64 { seed ?? UInt64.random(in: 0...UInt64(Int64.max)) }
}

/// Takes one quiz.
struct QuizCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quiz",
    abstract: "Take a quiz. An unfinished attempt (an exam with its remaining time) is resumed where it stopped.",
    discussion: """
      In plain mode each option is printed as `a) text`; answer with one letter for a single-answer \
      question, letters separated by commas (a,c) when several apply, t or f for true/false. \
      The last line is `Score: X/Y (P%)`.
      """)

  @Argument(help: "The quiz id.")
  var quiz: String

  @OptionGroup var options: CommonOptions

  @OptionGroup var quizOptions: QuizOptions

  @Flag(help: "Start a new attempt instead of resuming an unfinished one.")
  var restart = false

  func run() throws {
    let session = try Session.start(options)
    let found = try Lookup.quiz(quiz, in: session.course)
    // The same command continues an unfinished attempt; --exam over a practice attempt starts the exam.
    if options.usesPlainMode {
      let request = QuizSession.Request(
        mode: quizOptions.mode, asksConfidence: quizOptions.confidence, restart: restart,
        insistsOnMode: quizOptions.exam)
      try PlainSession(session: session).take(found, seed: quizOptions.seedOrRandom, request: request)
      return
    }
    try FullScreen.run(
      session, seed: quizOptions.seedOrRandom, mode: quizOptions.mode, asksConfidence: quizOptions.confidence,
      opening: .quiz(id: found.id, insistsOnMode: quizOptions.exam, restart: restart))
  }
}

enum Lookup {
  static func lesson(_ name: String, in course: Course) throws -> Lesson {
    if let lesson = course.lesson(id: name) { return lesson }
    if let number = Int(name), let lesson = course.lessons.first(where: { $0.order == number }) { return lesson }
    let known = course.lessons.map { "\($0.order). \($0.id)" }.joined(separator: "\n  ")
    throw Diagnostics.refuse("No lesson '\(name)'. The lessons are:\n  \(known)")
  }

  static func quiz(_ name: String, in course: Course) throws -> Quiz {
    if let quiz = course.quiz(id: name) { return quiz }
    let known = course.quizzes.map(\.id).joined(separator: "\n  ")
    throw Diagnostics.refuse("No quiz '\(name)'. The quizzes are:\n  \(known)")
  }
}
