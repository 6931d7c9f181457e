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
      let status = state?.isComplete == true ? "complete" : state.map { "at step \($0.step + 1) of \(lesson.steps.count)" } ?? "not started"
      write("  \(lesson.order). \(lesson.title) [\(lesson.id)] - \(status)")
    }
    write("Quizzes:")
    for quiz in course.quizzes {
      let best = progress.quizzes[quiz.id]?.bestScore.map { "best \($0.description)" } ?? "not taken"
      write("  \(quiz.title) [\(quiz.id)] - \(quiz.questions.count) questions, \(best)")
    }
    write("")
    write("Study a lesson: tutor study LESSON --plain. Take a quiz: tutor quiz QUIZ --plain.")
  }

  /// "in 10 days (2027-05-12)": when a review falls due, readable and exact to the day.
  static func when(_ date: Date, from now: Date) -> String {
    let day = String(Timestamp.format(date).prefix(10))
    return "\(RelativeTime.describe(date, from: now)) (\(day))"
  }

  /// What asking one question produced.
  private enum Asked {
    case answer(Response, hintsUsed: Int)
    case endOfInput
  }

  /// Reads an answer until it can be read; "?" shows the next hint when hints are allowed.
  private func ask(_ question: Question, presentation: Presentation, hints: Bool) -> Asked {
    var hintsUsed = 0
    var lines: [String] = []
    let needed = PlainText.answerLineCount(question)
    while true {
      if needed > 1 { write("[\(lines.count + 1)]:") }
      guard let line = readLine() else { return .endOfInput }
      if line.trimmed == "?" {
        if hints && hintsUsed < question.hints.count {
          hintsUsed += 1
          write("Hint \(hintsUsed): \(question.hints[hintsUsed - 1])")
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
      case .success(let response): return .answer(response, hintsUsed: hintsUsed)
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

  /// Runs a command against the store; a write that fails stops the session (exit 74) with
  /// what was kept, so an answer that was not saved is never counted.
  @discardableResult
  private func save(_ command: Command) throws -> AppMessage? {
    let reply = session.execute(command)
    switch reply {
    case .saveFailed(let text)?, .commandFailed(let text)?:
      Diagnostics.printError(text)
      throw ExitCode(74)
    default: return reply
    }
  }

  /// Takes a quiz, continuing its unfinished attempt (with an exam's remaining time and the
  /// attempt's confidence setting); `--exam` over an unfinished practice attempt starts the exam.
  func take(_ quiz: TutorCore.Quiz, seed: UInt64, mode requested: QuizMode, asksConfidence requestedConfidence: Bool, restart: Bool) throws {
    var open = try session.progress().quizzes[quiz.id]?.openAttempt
    if let attempt = open, restart || (requested == .exam && attempt.mode != QuizMode.exam.rawValue) {
      try session.abandonOpenAttempt(of: quiz.id)
      if !restart { write("Your unfinished \(attempt.mode) attempt at this quiz was closed; the exam starts now.") }
      open = nil
    }
    var run: QuizRun
    let attempt: Int64
    var mode = requested
    var asksConfidence = requestedConfidence
    var startedAt = clock()
    if let open {
      run = QuizRun(quiz: quiz, order: open.order, grades: open.grades, seed: open.seed)
      attempt = open.id
      mode = QuizMode(rawValue: open.mode) ?? .practice
      asksConfidence = asksConfidence || open.asksConfidence
      startedAt = open.startedAt
      write("Resuming your unfinished \(mode == .exam ? "exam" : "attempt"): \(run.answeredCount) of \(run.order.count) answered (--restart starts over).")
    } else {
      run = QuizRun(quiz: quiz, seed: seed)
      let reply = try save(.beginQuizAttempt(quizID: quiz.id, seed: seed, order: run.order, mode: mode.rawValue, asksConfidence: asksConfidence))
      guard case .quizAttemptBegan(_, let id)? = reply else { throw ExitCode(74) }
      attempt = id
    }
    let exam = mode == .exam ? (quiz.exam ?? ExamSettings()) : nil
    let deadline = exam?.timeLimitSeconds.map { startedAt.addingTimeInterval(TimeInterval($0)) }
    let feedbackNow = exam?.feedback != .end
    var header = "Quiz: \(quiz.title) (\(run.order.count) questions)"
    if let exam {
      header += exam.timeLimitSeconds.map { ", exam: \($0 / 60) min \($0 % 60) s" } ?? ", exam"
    } else if quiz.questions.contains(where: { !$0.hints.isEmpty }) {
      header += ". Type ? for a hint"
    }
    write(header)
    if let deadline, let limit = exam?.timeLimitSeconds, run.answeredCount > 0 || clock() > startedAt.addingTimeInterval(5) {
      let left = max(0, Int(deadline.timeIntervalSince(clock()).rounded(.down)))
      write(left > 0 ? "Time left: \(left / 60) min \(left % 60) s of \(limit / 60) min." : "The exam's time ran out while it was closed.")
    }
    var responses: [String: Response] = [:]
    var timedOut = false
    if let deadline, clock() > deadline {
      timedOut = true
      run.finish()
    }
    while let question = run.currentQuestion {
      let presentation = run.presentation(of: question)
      let shownAt = clock()
      write("")
      PlainText.questionLines(question, presentation: presentation, number: run.currentIndex + 1, of: run.order.count).forEach(write)
      guard case .answer(let response, let hintsUsed) = ask(question, presentation: presentation, hints: exam == nil) else {
        Diagnostics.printError(
          "End of input after \(run.answeredCount) of \(run.order.count) questions. Your answers are saved; run the same command to continue.")
        // An exam that gives feedback at the end says nothing about its answers before then.
        if feedbackNow { write("Score so far: \(run.score.description)") }
        throw ExitCode(3)
      }
      if let deadline, clock() > deadline {
        timedOut = true
        write("Time is up: that answer came after the time limit and does not count.")
        break
      }
      let confidence = asksConfidence ? askConfidence() : nil
      guard let grade = run.answer(response) else { break }
      responses[question.id] = response
      try save(
        .recordAnswer(
          AnswerRecord(
            questionID: question.id, questionVersion: question.version, context: .quiz(id: quiz.id, attempt: attempt),
            response: PlainText.describe(response, for: question), grade: grade, hintsUsed: hintsUsed,
            confidence: confidence?.rawValue, mode: mode.rawValue,
            durationMilliseconds: Int(clock().timeIntervalSince(shownAt) * 1000),
            rating: ReviewGrading.rating(
              for: grade, of: question, hintsUsed: hintsUsed, confidence: confidence?.rawValue,
              seconds: clock().timeIntervalSince(shownAt)))))
      if feedbackNow {
        PlainText.feedbackLines(question, presentation: presentation, grade: grade, response: response).forEach(write)
      } else {
        write("Answer saved.")
      }
      run.advance()
    }
    run.finish()
    try save(.finishQuizAttempt(attempt: attempt, score: run.score))
    write("")
    if timedOut { write("The exam was submitted when time ran out; unanswered questions score 0.") }
    if exam != nil && !feedbackNow {
      write("Results:")
      for (number, id) in run.order.enumerated() {
        guard let question = quiz.question(id: id) else { continue }
        let grade = run.grades[id]
        let mark = grade.map { $0.isCorrect ? "✓" : ($0.isPartlyCorrect ? "≈" : "✗") } ?? "–"
        write("\(mark) \(number + 1). \(question.prompt)")
        if grade?.isCorrect != true { write("   Right answer: \(question.answerSummary)") }
        if !question.explanation.isEmpty { write("   \(question.explanation)") }
      }
      write("")
    }
    let missed = run.missed
    if !missed.isEmpty && exam == nil {
      write("To revisit: " + missed.map { $0.see ?? $0.id }.joined(separator: ", "))
    }
    write("Score: \(run.score.description)")
  }

  /// A review (or cram) session in plain mode: the due questions, each scheduled as it is answered.
  func review(cram: String?, budget: TimeInterval?, asksConfidence: Bool) throws {
    let now = clock()
    let questions: [Question]
    let mode: QuizMode = cram == nil ? .review : .cram
    if let cram {
      questions = ReviewPlan.cram(cram, in: course) ?? []
    } else {
      let queue = try session.progress().review
      questions = ReviewPlan.interleaved(queue.due, in: course)
      if questions.isEmpty {
        let next = queue.nextDue.map { " The next item is due \(Self.when($0, from: now))." } ?? ""
        write("Nothing is due for review." + next)
        return
      }
    }
    write("\(mode == .review ? "Review" : "Cram"): \(questions.count) question\(questions.count == 1 ? "" : "s")" + (budget.map { ", \(Int($0 / 60)) min budget" } ?? "") + ". Type ? for a hint.")
    var run = QuizRun(quiz: TutorCore.Quiz(id: mode.rawValue, title: mode.rawValue, questions: questions), seed: 1)
    let ends = budget.map { now.addingTimeInterval($0) }
    while let question = run.currentQuestion {
      let presentation = run.presentation(of: question)
      let shownAt = clock()
      write("")
      PlainText.questionLines(question, presentation: presentation, number: run.currentIndex + 1, of: run.order.count).forEach(write)
      guard case .answer(let response, let hintsUsed) = ask(question, presentation: presentation, hints: true) else {
        Diagnostics.printError("End of input after \(run.answeredCount) of \(run.order.count) questions. Your answers are saved.")
        write("Score so far: \(run.score.description)")
        throw ExitCode(3)
      }
      let confidence = asksConfidence ? askConfidence() : nil
      guard let grade = run.answer(response) else { break }
      let seconds = clock().timeIntervalSince(shownAt)
      let rating: FSRS.Rating? =
        mode == .cram
        ? nil
        : ReviewGrading.rating(for: grade, of: question, hintsUsed: hintsUsed, confidence: confidence?.rawValue, seconds: seconds)
      let reply = try save(
        .recordAnswer(
          AnswerRecord(
            questionID: question.id, questionVersion: question.version, context: .review,
            response: PlainText.describe(response, for: question), grade: grade, hintsUsed: hintsUsed,
            confidence: confidence?.rawValue, mode: mode.rawValue, durationMilliseconds: Int(seconds * 1000), rating: rating)))
      PlainText.feedbackLines(question, presentation: presentation, grade: grade, response: response).forEach(write)
      if case .answerScheduled(_, let due)? = reply { write("Next review: \(Self.when(due, from: clock()))") }
      run.advance()
      if let ends, clock() >= ends, !run.isFinished {
        write("")
        write("Time budget reached: the session ends here; every answer is saved.")
        run.finish()
      }
    }
    write("")
    write("Score: \(run.score.description)")
  }

  /// Reads a lesson from the step the learner left it at (from step 1 with `restart`, or once
  /// the lesson is complete), asking its checkpoints not yet passed.
  func study(_ lesson: Lesson, restart: Bool = false) throws {
    let progress = try session.progress().lessons[lesson.id]
    var passed = progress?.passedCheckpoints ?? []
    let questions = course.questionsByID
    let first = restart || progress?.isComplete == true ? 0 : min(progress?.step ?? 0, lesson.steps.count - 1)
    write("Lesson \(lesson.order): \(lesson.title)")
    if first > 0 {
      write("Continuing at step \(first + 1) of \(lesson.steps.count) (--restart reads from step 1).")
    } else if !lesson.objectives.isEmpty {
      write("Objectives:")
      lesson.objectives.forEach { write("- \($0)") }
    }
    for (index, step) in lesson.steps.enumerated().dropFirst(first) {
      try save(.saveLessonPosition(lessonID: lesson.id, step: index))
      write("")
      write(PlainText.stepHeading(step, number: index + 1, of: lesson.steps.count))
      let stopped = "End of input at step \(index + 1) of \(lesson.steps.count). Your place is saved; run the same command to continue."
      // Blocks in reading order: a prediction chain before the text that explains it stays a pretest.
      for block in step.blocks {
        switch block {
        case .check(let checkpoint):
          guard let question = questions[checkpoint.questionID], !passed.contains(question.id) else { continue }
          try askCheckpoint(question, lesson: lesson, stopped: stopped)
          passed.insert(question.id)
        case .chain(let chain) where chain.predict:
          try predict(chain, course: course, stopped: stopped)
        default:
          PlainText.blockLines(block, course: course).forEach(write)
        }
      }
    }
    if Set(lesson.checkpoints.map(\.questionID)).isSubset(of: passed) {
      try save(.markLessonComplete(lessonID: lesson.id))
      write("")
      write("Lesson complete.")
    } else if first > 0 {
      write("")
      write("Some checkpoints of earlier steps are still to answer: tutor study \(lesson.id) --plain --restart.")
    }
  }

  /// Asks a checkpoint until it is answered right, saving every answer.
  private func askCheckpoint(_ question: Question, lesson: Lesson, stopped: String) throws {
    let presentation = Presentation.stable(for: question)
    write("Checkpoint:")
    PlainText.questionLines(question, presentation: presentation, number: 1, of: 1).dropFirst().forEach(write)
    while true {
      guard case .answer(let response, let hintsUsed) = ask(question, presentation: presentation, hints: true) else {
        Diagnostics.printError(stopped)
        throw ExitCode(3)
      }
      let grade = Grader.grade(question, response: response)
      try save(
        .recordAnswer(
          AnswerRecord(
            questionID: question.id, questionVersion: question.version, context: .checkpoint(lesson: lesson.id),
            response: PlainText.describe(response, for: question), grade: grade, hintsUsed: hintsUsed, mode: "checkpoint",
            rating: ReviewGrading.rating(for: grade, hintsUsed: hintsUsed, confidence: nil, seconds: nil, quickSeconds: 0))))
      if grade.isCorrect {
        PlainText.feedbackLines(question, presentation: presentation, grade: grade, response: response).forEach(write)
        write("")
        return
      }
      write(grade.isPartlyCorrect ? "Partly correct. Try again:" : "Incorrect. Try again:")
      for (choice, text) in Grader.feedback(for: question, grade: grade) { write("About \"\(choice.text)\": \(text)") }
    }
  }

  /// A prediction chain, link by link: the learner picks what comes next by its letter.
  private func predict(_ chain: MechanismChain, course: Course, stopped: String) throws {
    PlainText.blockLines(.chain(chain), course: course, chainLinks: 1).forEach(write)
    for revealed in 1..<chain.steps.count {
      let options = chain.predictionOptions(revealed: revealed)
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
      if picked == chain.steps[revealed] {
        write("✓ You predicted this link.")
      } else {
        write("✗ Not quite." + (chain.whyNot(picked!, revealed: revealed).map { " " + $0 } ?? ""))
      }
      PlainText.chainLinkLines(chain.steps[revealed], number: revealed + 1).forEach(write)
    }
    write("")
  }
}
