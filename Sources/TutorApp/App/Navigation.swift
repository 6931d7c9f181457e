import Foundation
import TutorCore

/// Builds the screen for a destination and puts it on the stack: the one place screens are
/// made, so no screen builds another's state.
enum Navigation {
  static func effects(for destination: Destination, state: inout AppState) -> [Effect] {
    let course = state.course
    let now = state.now
    switch destination {
    case .progress:
      state.stack.append(.progress(ProgressScreen.State()))
      let questions = course.questionsByID.keys.sorted()
      return [.run(.loadProgressReview(questions: questions.isEmpty ? nil : questions))]
    case .search:
      state.stack.append(.search(SearchScreen.State(course: course)))
    case .glossary(let term):
      state.stack.append(.list(ListScreen.State(kind: .glossary, focus: term)))
    case .references:
      state.stack.append(.list(ListScreen.State(kind: .references)))
    case .review:
      let questions = ReviewPlan.interleaved(state.progress.review.due, in: course)
      guard !questions.isEmpty else {
        let next =
          state.progress.review.nextDue.map { " The next item is due \(RelativeTime.describe($0, from: now))." } ?? ""
        return [.status("Nothing is due for review now." + next)]
      }
      let session = QuizSession.review(
        questions, mode: .review, title: "Review", seed: state.nextSeed(), now: now,
        budget: state.reviewBudget, leeches: Set(state.progress.review.leeches), asksConfidence: state.asksConfidence)
      state.stack.append(.quiz(reviewScreen(session, course: course)))
    case .cram(let name):
      guard let questions = ReviewPlan.cram(name, in: course) else {
        return [.status("Nothing to cram for '\(name)'.")]
      }
      let title = course.lesson(id: name)?.title ?? name
      let session = QuizSession.review(
        questions, mode: .cram, title: "Cram: " + title, seed: state.nextSeed(), now: now,
        budget: state.reviewBudget, asksConfidence: state.asksConfidence)
      state.stack.append(.quiz(reviewScreen(session, course: course)))
    case .drill(let title, let ids):
      let byID = course.questionsByID
      var generator = SeededGenerator(seed: state.nextSeed())
      let questions = ids.compactMap { byID[$0] }.shuffled(using: &generator)
      guard !questions.isEmpty else { return [.status("Nothing to drill.")] }
      let session = QuizSession.review(
        questions, mode: .cram, title: "Drill: " + title, seed: generator.next(), now: now,
        asksConfidence: state.asksConfidence)
      state.stack.append(.quiz(reviewScreen(session, course: course)))
    case .lesson(let id, let step):
      guard let lesson = course.lesson(id: id) else { return [] }
      let session = LessonSession(
        lesson: lesson, progress: state.progress.lessons[id], step: step, seed: state.nextSeed())
      state.stack.append(.lesson(LessonScreen.State(session: session, course: course)))
      return session.opening.map { .run(.save($0)) }
    case .lookUp(let see):
      let parts = see.split(separator: "#", maxSplits: 1).map(String.init)
      guard let lesson = course.lesson(id: parts[0]) else { return [] }
      let step = parts.count > 1 ? lesson.stepIndex(anchor: parts[1]) ?? 0 : 0
      let session = LessonSession(
        lesson: lesson, progress: state.progress.lessons[lesson.id], step: step, isVisit: true,
        seed: state.nextSeed())
      let from: String
      switch state.top {
      case .results: from = "the results"
      case .search: from = "the search"
      default: from = "the quiz"
      }
      var screen = LessonScreen.State(session: session, course: course)
      screen.visitedFrom = from
      state.stack.append(.lesson(screen))
      return [.status("Reading \(lesson.title): q returns to \(from).")]
    case .quiz(let id, let insistsOnMode, let restart):
      guard let quiz = course.quiz(id: id) else { return [] }
      let request = QuizSession.Request(
        mode: state.quizMode, asksConfidence: state.asksConfidence, restart: restart, insistsOnMode: insistsOnMode)
      let start = QuizSession.start(
        quiz, request: request, open: state.progress.quizzes[id]?.openAttempt, seed: state.nextSeed(), now: now,
        flagged: state.progress.flagged)
      state.stack.append(.quiz(QuizScreen.State(session: start.session)))
      var effects = start.changes.map { Effect.run(.save($0)) }
      if let replaced = start.replaced {
        effects.append(
          .status(
            "Your unfinished \(replaced.rawValue) attempt at this quiz was closed; the \(state.quizMode.rawValue) starts now."
          ))
      }
      return effects
    case .results(let session):
      state.stack[state.stack.count - 1] = .results(ResultsScreen.State(session: session))
    case .retry(let finished):
      let (session, beginning) = QuizSession.retry(
        of: finished, seed: state.nextSeed(), now: now)
      state.stack[state.stack.count - 1] = .quiz(QuizScreen.State(session: session))
      return [.run(.save(beginning))]
    }
    return []
  }

  /// A review, cram or drill: each question says which lesson and concepts it comes from.
  static func reviewScreen(_ session: QuizSession, course: Course) -> QuizScreen.State {
    var screen = QuizScreen.State(session: session)
    for question in session.run.quiz.questions {
      var parts: [String] = []
      if let id = ReviewPlan.lesson(of: question.id, in: course), let lesson = course.lesson(id: id) {
        parts.append("Lesson \(lesson.order): \(lesson.title)")
      }
      parts += question.concepts.map(course.conceptName)
      if !parts.isEmpty { screen.sources[question.id] = parts.joined(separator: " · ") }
    }
    return screen
  }
}
