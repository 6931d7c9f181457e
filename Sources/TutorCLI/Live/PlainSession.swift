import ArgumentParser
import Foundation
import TutorApp
import TutorCore

/// Line-by-line mode: prints text, reads answers as lines, saves each answer as it is given.
struct PlainSession {
  let session: Session
  var readLine: () -> String? = { Swift.readLine(strippingNewline: true) }
  /// Each line is written at once, unbuffered: a program or a screen reader on the other end
  /// of a pipe sees the question before it must answer.
  var write: (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
  var clock: () -> Date

  init(session: Session) {
    self.session = session
    clock = session.clock
  }

  private var course: Course { session.course }

  func printOverview() throws {
    let progress = try session.progress()
    write(course.info.title)
    if !course.info.description.isEmpty { write(course.info.description) }
    write("")
    write("Lessons:")
    for lesson in course.lessons {
      let state = progress.lessons[lesson.id]
      let status =
        state?.isComplete == true
        ? "complete" : state.map { "at step \($0.step + 1) of \(lesson.steps.count)" } ?? "not started"
      write("  \(lesson.order). \(lesson.title) [\(lesson.id)] - \(status)")
    }
    write("Quizzes:")
    for quiz in course.quizzes {
      let best = progress.quizzes[quiz.id]?.bestScore.map { "best \($0.description)" } ?? "not taken"
      write("  \(quiz.title) [\(quiz.id)] - \(quiz.questions.count) questions, \(best)")
    }
    write("")
    if let continuation = Continuation.of(course, progress: progress) {
      let label = continuation.kind == .continuing ? "Continue" : "Next"
      switch continuation.point {
      case .lesson(let id, _):
        write("\(label): \(course.lesson(id: id)?.title ?? id) - tutor study \(id) --plain")
      case .quiz(let id):
        write("\(label): \(course.quiz(id: id)?.title ?? id) - tutor quiz \(id) --plain")
      }
    }
    if !progress.review.due.isEmpty { write("Review: \(progress.review.due.count) due - tutor review --plain") }
    write("Study a lesson: tutor study LESSON --plain. Take a quiz: tutor quiz QUIZ --plain.")
  }

  /// "in 10 days (2027-05-12)": when a review falls due, readable and exact to the day.
  static func when(_ date: Date, from now: Date) -> String {
    let day = String(Timestamp.format(date).prefix(10))
    return "\(RelativeTime.describe(date, from: now)) (\(day))"
  }

  /// What asking one question produced.
  private enum Asked {
    case answer(Response)
    case endOfInput
  }

  /// Reads an answer until it can be read; "?" shows the next hint from `hint` (nil: none left).
  private func ask(_ question: Question, presentation: Presentation, hints: Bool, hint: () -> String?) -> Asked {
    var hintsUsed = 0
    var lines: [String] = []
    let needed = PlainText.answerLineCount(question)
    while true {
      if needed > 1 { write("[\(lines.count + 1)]:") }
      guard let line = readLine() else { return .endOfInput }
      if line.trimmed == "?" {
        if hints, let text = hint() {
          hintsUsed += 1
          write("Hint \(hintsUsed): \(text)")
        } else {
          write(hints ? "No more hints." : "No hints in an exam.")
        }
        continue
      }
      if needed > 1 {
        // Cloze: one line per blank; an empty line is asked again.
        if line.trimmed.isEmpty {
          write("Could not read that answer: blank [\(lines.count + 1)] is empty. Try again:")
          continue
        }
        lines.append(line)
        if lines.count < needed { continue }
      } else {
        lines = [line]
      }
      switch PlainText.parseAnswer(lines, for: question, presentation: presentation) {
      case .success(let response): return .answer(response)
      case .failure(let problem):
        write("Could not read that answer: \(problem.reason). Try again:")
        lines = []
      }
    }
  }

  private func askConfidence() -> Confidence? {
    write("How sure were you? 1 sure, 2 unsure, 3 guessing:")
    while let line = readLine() {
      switch line.trimmed.lowercased() {
      case "1", "s", "sure": return .sure
      case "2", "u", "unsure": return .unsure
      case "3", "g", "guessing": return .guessing
      default: write("Could not read that: answer 1, 2 or 3:")
      }
    }
    return nil
  }

  /// Saves a session's changes; a write that fails stops the session (exit 74) with what was
  /// kept, so an answer that was not saved is never counted. Returns the store's receipts.
  @discardableResult
  private func save(_ changes: [ProgressChange]) throws -> [AppMessage] {
    var replies: [AppMessage] = []
    for change in changes {
      switch session.execute(.save(change)) {
      case .saveFailed(let text)?, .commandFailed(let text)?:
        Diagnostics.printError(text)
        throw ExitCode(74)
      case let reply?: replies.append(reply)
      case nil: break
      }
    }
    return replies
  }

  /// Takes a quiz: continues its unfinished attempt (with an exam's remaining time and the
  /// attempt's confidence setting) or begins one, by the quiz session's rules.
  func take(_ quiz: Quiz, seed: UInt64, request: QuizSession.Request) throws {
    session.warmUpStore()
    let open = try session.progress().quizzes[quiz.id]?.openAttempt
    let start = QuizSession.start(quiz, request: request, open: open, seed: seed, now: clock())
    var quizSession = start.session
    if let replaced = start.replaced {
      write(
        "Your unfinished \(replaced.rawValue) attempt at this quiz was closed; the \(request.mode.rawValue) starts now."
      )
    }
    for reply in try save(start.changes) {
      if case .quizAttemptBegan(_, let id) = reply { quizSession.attemptBegun(id) }
    }
    guard quizSession.attemptID != nil else { throw ExitCode(74) }
    let run = quizSession.run
    if start.resumed {
      write(
        "Resuming your unfinished \(quizSession.mode == .exam ? "exam" : "attempt"): \(run.answeredCount) of \(run.order.count) answered (--restart starts over)."
      )
    }
    var header = "Quiz: \(quiz.title) (\(run.order.count) questions)"
    if let exam = quizSession.exam {
      header += exam.timeLimitSeconds.map { ", exam: \($0 / 60) min \($0 % 60) s" } ?? ", exam"
    } else if quiz.questions.contains(where: { !$0.hints.isEmpty }) {
      header += ". Type ? for a hint"
    }
    write(header)
    if let deadline = quizSession.deadline, let limit = quizSession.exam?.timeLimitSeconds, start.resumed {
      let left = max(0, Int(deadline.timeIntervalSince(clock()).rounded(.down)))
      write(
        left > 0
          ? "Time left: \(left / 60) min \(left % 60) s of \(limit / 60) min."
          : "The exam's time ran out while it was closed.")
    }
    try askAll(&quizSession)
    printResults(quizSession)
  }

  /// Asks the session's questions until it finishes, saving as it goes.
  private func askAll(_ quizSession: inout QuizSession) throws {
    while let question = quizSession.currentQuestion {
      if let changes = quizSession.timeOut(at: clock(), answerInProgress: nil) {
        try save(changes)
        break
      }
      let presentation = quizSession.presentation(of: question)
      write("")
      let run = quizSession.run
      PlainText.questionLines(question, presentation: presentation, number: run.currentIndex + 1, of: run.order.count)
        .forEach(write)
      var hintSession = quizSession
      let asked = ask(question, presentation: presentation, hints: quizSession.allowsHints) { hintSession.askHint() }
      quizSession = hintSession
      guard case .answer(let response) = asked else {
        let saved =
          quizSession.mode.isSession
          ? "Your answers are saved." : "Your answers are saved; run the same command to continue."
        Diagnostics.printError("End of input after \(run.answeredCount) of \(run.order.count) questions. \(saved)")
        // An exam that gives feedback at the end says nothing about its answers before then.
        if quizSession.showsFeedbackNow { write("Score so far: \(run.score.description)") }
        throw ExitCode(3)
      }
      // An answer given once the time is up is the answer in progress: it counts, and the exam ends.
      if let changes = quizSession.timeOut(at: clock(), answerInProgress: response) {
        try save(changes)
        write("Time is up: the exam was submitted with that answer.")
        break
      }
      let confidence = quizSession.asksConfidence ? askConfidence() : nil
      guard let answered = quizSession.answer(response, confidence: confidence, at: clock()) else { break }
      let replies = try save(answered.change.map { [$0] } ?? [])
      if quizSession.showsFeedbackNow {
        PlainText.feedbackLines(question, presentation: presentation, grade: answered.grade, response: response)
          .forEach(write)
        for case .answerScheduled(_, let due) in replies where quizSession.mode.isSession {
          write("Next review: \(Self.when(due, from: clock()))")
        }
      } else {
        write("Answer saved.")
      }
      try save(quizSession.advance(at: clock()))
      if quizSession.budgetReached {
        write("")
        write("Time budget reached: the session ends here; every answer is saved.")
      }
    }
  }

  private func printResults(_ quizSession: QuizSession) {
    let run = quizSession.run
    write("")
    if quizSession.timedOut { write("The exam was submitted when time ran out; unanswered questions score 0.") }
    if quizSession.exam != nil && !quizSession.showsFeedbackNow {
      write("Results:")
      for (number, id) in run.order.enumerated() {
        guard let question = run.quiz.question(id: id) else { continue }
        let grade = run.grades[id]
        let mark = grade.map { $0.isCorrect ? "✓" : ($0.isPartlyCorrect ? "≈" : "✗") } ?? "–"
        write("\(mark) \(number + 1). \(question.prompt)")
        if grade?.isCorrect != true { write("   Right answer: \(question.answerSummary)") }
        if !question.explanation.isEmpty { write("   \(question.explanation)") }
      }
      write("")
    }
    let missed = run.missed
    if !missed.isEmpty && quizSession.exam == nil && !quizSession.mode.isSession {
      write("To revisit: " + missed.map { $0.see ?? $0.id }.joined(separator: ", "))
    }
    write("Score: \(run.score.description)")
  }

  /// A review (or cram) session in plain mode: the due questions, each scheduled as it is answered.
  func review(cram: String?, budget: TimeInterval?, asksConfidence: Bool, seed: UInt64) throws {
    session.warmUpStore()
    let now = clock()
    let questions: [Question]
    let mode: QuizMode = cram == nil ? .review : .cram
    var leeches: Set<String> = []
    if let cram {
      questions = ReviewPlan.cram(cram, in: course) ?? []
    } else {
      let queue = try session.progress().review
      questions = ReviewPlan.interleaved(queue.due, in: course)
      leeches = Set(queue.leeches)
      if questions.isEmpty {
        let next = queue.nextDue.map { " The next item is due \(Self.when($0, from: now))." } ?? ""
        write("Nothing is due for review." + next)
        return
      }
    }
    write(
      "\(mode == .review ? "Review" : "Cram"): \(questions.count) question\(questions.count == 1 ? "" : "s")"
        + (budget.map { ", \(Int($0 / 60)) min budget" } ?? "") + ". Type ? for a hint.")
    var reviewSession = QuizSession.review(
      questions, mode: mode, title: mode.rawValue, seed: seed, now: now,
      budget: budget, leeches: leeches, asksConfidence: asksConfidence)
    try askAll(&reviewSession)
    write("")
    write("Score: \(reviewSession.run.score.description)")
  }

  /// Reads a lesson from the step the learner left it at (from step 1 with `restart`, or once
  /// the lesson is complete), asking its checkpoints not yet passed and its chain predictions.
  func study(_ lesson: Lesson, restart: Bool = false, seed: UInt64) throws {
    session.warmUpStore()
    let progress = try session.progress().lessons[lesson.id]
    let first = restart || progress?.isComplete == true ? 0 : min(progress?.step ?? 0, lesson.steps.count - 1)
    var lessonSession = LessonSession(lesson: lesson, progress: progress, step: first, seed: seed)
    let questions = course.questionsByID
    write("Lesson \(lesson.order): \(lesson.title)")
    if first > 0 {
      write("Continuing at step \(first + 1) of \(lesson.steps.count) (--restart reads from step 1).")
    } else if !lesson.objectives.isEmpty {
      write("Objectives:")
      lesson.objectives.forEach { write("- \($0)") }
    }
    try save(lessonSession.opening)
    for (index, step) in lesson.steps.enumerated().dropFirst(first) {
      if index > first { try save(lessonSession.move(to: index)) }
      write("")
      write(PlainText.stepHeading(step, number: index + 1, of: lesson.steps.count))
      let stopped =
        "End of input at step \(index + 1) of \(lesson.steps.count). Your place is saved; run the same command to continue."
      // Blocks in reading order: a prediction chain before the text that explains it stays a pretest.
      for (blockIndex, block) in step.blocks.enumerated() {
        switch block {
        case .check(let checkpoint):
          guard let question = questions[checkpoint.questionID], !lessonSession.passed.contains(question.id) else {
            continue
          }
          try askCheckpoint(question, in: &lessonSession, stopped: stopped)
        case .chain(let chain) where chain.predict:
          try predict(chain, block: blockIndex, in: &lessonSession, stopped: stopped)
        default:
          PlainText.blockLines(block, course: course).forEach(write)
        }
      }
    }
    switch lessonSession.finish() {
    case .complete(let changes):
      try save(changes)
      write("")
      write("Lesson complete.")
    case .checkpointsPending:
      write("")
      write("Some checkpoints of earlier steps are still to answer: tutor study \(lesson.id) --plain --restart.")
    case .closed:
      write("")
      write("Lesson complete.")
    }
  }

  /// Asks a checkpoint until it is answered right, saving every answer.
  private func askCheckpoint(_ question: Question, in lessonSession: inout LessonSession, stopped: String) throws {
    let presentation = lessonSession.presentation(of: question)
    write("Checkpoint:")
    PlainText.questionLines(question, presentation: presentation, number: 1, of: 1).dropFirst().forEach(write)
    while true {
      var hintSession = lessonSession
      let asked = ask(question, presentation: presentation, hints: true) { hintSession.askHint(question) }
      lessonSession = hintSession
      guard case .answer(let response) = asked else {
        Diagnostics.printError(stopped)
        throw ExitCode(3)
      }
      let (grade, changes) = lessonSession.answer(question, response: response)
      try save(changes)
      if grade.isCorrect {
        PlainText.feedbackLines(question, presentation: presentation, grade: grade, response: response).forEach(write)
        write("")
        return
      }
      write(grade.isPartlyCorrect ? "Partly correct. Try again:" : "Incorrect. Try again:")
      for (choice, text) in Grader.feedback(for: question, grade: grade) { write("About \"\(choice.text)\": \(text)") }
    }
  }

  /// A prediction chain, link by link: the learner picks what comes next by its letter; each
  /// pick is recorded and scored on its first try.
  private func predict(_ chain: MechanismChain, block: Int, in lessonSession: inout LessonSession, stopped: String)
    throws
  {
    PlainText.blockLines(.chain(chain), course: course, chainLinks: 1).forEach(write)
    for revealed in 1..<chain.steps.count {
      let options = lessonSession.predictionOptions(chain, revealed: revealed)
      write("What comes next? Answer with a letter:")
      for (index, option) in options.enumerated() { write("  \(PlainText.letter(index))) \(option)") }
      var picked: String?
      while picked == nil {
        guard let line = readLine() else {
          Diagnostics.printError(stopped)
          throw ExitCode(3)
        }
        let letter = line.trimmed.lowercased()
        if let index = options.indices.first(where: { PlainText.letter($0) == letter }) {
          picked = options[index]
        } else {
          write("Could not read that: answer a letter from a to \(PlainText.letter(options.count - 1)). Try again:")
        }
      }
      let (prediction, changes) = lessonSession.predict(
        chain, step: lessonSession.step, block: block, revealed: revealed, picked: picked ?? "")
      try save(changes)
      write(
        prediction.wasRight ? "✓ You predicted this link." : "✗ Not quite." + (prediction.whyNot.map { " " + $0 } ?? "")
      )
      PlainText.chainLinkLines(chain.steps[revealed], number: revealed + 1).forEach(write)
    }
    let score = lessonSession.predictionScore(step: lessonSession.step, block: block, chain: chain)
    write("Chain complete: you predicted \(score.right) of \(score.of) links on the first try.")
    write("")
  }
}
