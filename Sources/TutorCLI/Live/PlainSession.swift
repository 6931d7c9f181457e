import ArgumentParser
import Foundation
import TutorApp
import TutorCore

/// Line-by-line mode: prints text, reads answers as lines, saves each answer as it is given.
struct PlainSession {
  let session: Session
  var readLine: () -> String? = { Swift.readLine(strippingNewline: true) }
  var write: (String) -> Void = { print($0) }

  init(session: Session) { self.session = session }

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

  /// Reads an answer until it can be read; nil at the end of input.
  private func ask(_ question: Question, choices: [Choice]) -> Response? {
    while true {
      guard let line = readLine() else { return nil }
      switch PlainText.parseAnswer(line, for: question, choices: choices) {
      case .success(let response): return response
      case .failure(let problem): write("Could not read that answer: \(problem.reason). Try again:")
      }
    }
  }

  private func save(_ command: Command) {
    if case .commandFailed(let text)? = session.execute(command) { Diagnostics.printError(text) }
  }

  func take(_ quiz: TutorCore.Quiz, seed: UInt64, restart: Bool) throws {
    if restart { try session.abandonOpenAttempt(of: quiz.id) }
    var run: QuizRun
    let attempt: Int64
    if let open = try session.progress().quizzes[quiz.id]?.openAttempt, !restart {
      run = QuizRun(quiz: quiz, order: open.order, grades: open.grades, seed: open.seed)
      attempt = open.id
      write("Resuming your unfinished attempt: \(run.currentIndex) of \(run.order.count) answered (--restart starts over).")
    } else {
      run = QuizRun(quiz: quiz, seed: seed)
      guard case .quizAttemptBegan(_, let id)? = session.execute(.beginQuizAttempt(quizID: quiz.id, seed: seed, order: run.order)) else {
        Diagnostics.printError("Cannot open a quiz attempt in \(session.store.path).")
        throw ExitCode(74)
      }
      attempt = id
    }
    write("Quiz: \(quiz.title) (\(run.order.count) questions)")
    while let question = run.currentQuestion {
      let choices = run.shownChoices(of: question)
      write("")
      PlainText.questionLines(question, choices: choices, number: run.currentIndex + 1, of: run.order.count).forEach(write)
      guard let response = ask(question, choices: choices) else {
        Diagnostics.printError(
          "End of input after \(run.currentIndex) of \(run.order.count) questions. Your answers are saved; run the same command to continue.")
        write("Score: \(run.score.description)")
        throw ExitCode(3)
      }
      guard let grade = run.answer(response) else { break }
      let letters = choices.enumerated().filter { grade.chosenChoiceIDs.contains($0.element.id) }.map { PlainText.letter($0.offset) }
      save(
        .recordAnswer(
          AnswerRecord(
            questionID: question.id, questionVersion: question.version, context: .quiz(id: quiz.id, attempt: attempt),
            response: letters.joined(separator: ","), grade: grade, mode: "practice")))
      PlainText.feedbackLines(question, choices: choices, grade: grade).forEach(write)
      run.advance()
    }
    save(.finishQuizAttempt(attempt: attempt, score: run.score))
    write("")
    let missed = run.missed
    if !missed.isEmpty {
      write("To revisit: " + missed.map { $0.see ?? $0.id }.joined(separator: ", "))
    }
    write("Score: \(run.score.description)")
  }

  func study(_ lesson: Lesson) throws {
    let progress = try session.progress().lessons[lesson.id] ?? LessonProgress()
    var passed = progress.passedCheckpoints
    let questions = course.questionsByID
    write("Lesson \(lesson.order): \(lesson.title)")
    if !lesson.objectives.isEmpty {
      write("Objectives:")
      lesson.objectives.forEach { write("- \($0)") }
    }
    for (index, step) in lesson.steps.enumerated() {
      save(.saveLessonPosition(lessonID: lesson.id, step: index))
      write("")
      PlainText.stepLines(step, number: index + 1, of: lesson.steps.count, course: course).forEach(write)
      for case .check(let checkpoint) in step.blocks {
        guard let question = questions[checkpoint.questionID], !passed.contains(question.id) else { continue }
        write("Checkpoint:")
        PlainText.questionLines(question, choices: question.choices, number: 1, of: 1).dropFirst().forEach(write)
        while true {
          guard let response = ask(question, choices: question.choices) else {
            Diagnostics.printError("End of input at step \(index + 1) of \(lesson.steps.count). Your place is saved; run the same command to continue.")
            throw ExitCode(3)
          }
          let grade = Grader.grade(question, response: response)
          let letters = question.choices.enumerated().filter { grade.chosenChoiceIDs.contains($0.element.id) }.map { PlainText.letter($0.offset) }
          save(
            .recordAnswer(
              AnswerRecord(
                questionID: question.id, questionVersion: question.version, context: .checkpoint(lesson: lesson.id),
                response: letters.joined(separator: ","), grade: grade)))
          if grade.isCorrect {
            PlainText.feedbackLines(question, choices: question.choices, grade: grade).forEach(write)
            passed.insert(question.id)
            break
          }
          write(grade.isPartlyCorrect ? "Partly correct. Try again:" : "Incorrect. Try again:")
          for (choice, text) in Grader.feedback(for: question, grade: grade) { write("About \"\(choice.text)\": \(text)") }
        }
      }
    }
    if Set(lesson.checkpoints.map(\.questionID)).isSubset(of: passed) {
      save(.markLessonComplete(lessonID: lesson.id))
      write("")
      write("Lesson complete.")
    }
  }
}
