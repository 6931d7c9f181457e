import Foundation
import TutorCore
import TutorStore

/// Writes a learner's history into a store through the store's own saving code, for start-up
/// measurements on a store like a real one: lessons studied with their checkpoints, quizzes
/// taken again and again (the last one left open), and spaced reviews, over many days.
func writeLearnerHistory(course: Course, path: String, learnerName: String, answers: Int) throws {
  try writeLearnerHistory(
    course: course, store: SQLiteProgressStore(path: path), learnerName: learnerName, answers: answers)
}

/// The same into any store; `seed` varies the answers (right about three times in four).
func writeLearnerHistory(
  course: Course, store: any ProgressStore, learnerName: String, answers: Int, seed: UInt64 = 7
) throws {
  var day = Date().addingTimeInterval(-Double(max(answers / 100, 30)) * 86_400)
  let learner = try store.learnerID(named: learnerName, at: day)
  var generator = SeededGenerator(seed: seed)
  var written = 0
  func grade() -> Grade {
    generator.next() % 4 == 0 ? Grade(score: 0, chosenChoiceIDs: ["b"]) : Grade(score: 1, chosenChoiceIDs: ["a"])
  }
  func save(_ change: ProgressChange) throws -> SaveReceipt { try store.save(change, learner: learner, at: day) }
  // The history ends now: about a hundred answers a day.
  @discardableResult
  func answer(_ question: Question, _ context: AnswerRecord.Context, _ mode: StudyMode) throws -> Double {
    day = day.addingTimeInterval(Double(max(answers / 100, 30)) * 86_400 / Double(max(answers, 1)))
    let given = grade()
    let rating: FSRS.Rating = given.isCorrect ? .good : .again
    try _ = save(
      .answerRecorded(
        AnswerRecord(
          questionID: question.id, questionVersion: question.version, context: context,
          response: given.isCorrect ? "a" : "b", grade: given, mode: mode,
          scheduling: mode == .practice || mode == .review || mode == .checkpoint ? .now(rating) : .none)))
    written += 1
    return given.score
  }
  // Every lesson studied once, its checkpoints answered.
  let byID = course.questionsByID
  for lesson in course.lessons where written < answers {
    for (step, checkpoint) in lesson.checkpoints.enumerated() where written < answers {
      guard let question = byID[checkpoint.questionID] else { continue }
      try answer(question, .checkpoint(lesson: lesson.id), .checkpoint)
      try _ = save(.lessonPositionSaved(lessonID: lesson.id, step: step))
    }
    try _ = save(.lessonCompleted(lessonID: lesson.id))
  }
  // Then quizzes and reviews by turns until the count is reached; the last quiz stays open.
  let questions = course.quizzes.flatMap(\.questions)
  var round = 0
  while written < answers {
    let quiz = course.quizzes[round % course.quizzes.count]
    round += 1
    let order = quiz.questions.map(\.id)
    guard
      case .attemptBegun(let attempt) = try save(
        .attemptBegun(quizID: quiz.id, seed: UInt64(round), order: order, mode: .practice, asksConfidence: false))
    else { continue }
    var points = 0.0
    for question in quiz.questions where written < answers {
      points += try answer(question, .quiz(id: quiz.id, attempt: attempt), .practice)
    }
    if written < answers {
      try _ = save(
        .attemptFinished(quizID: quiz.id, attempt: attempt, score: Score(points: points, total: quiz.questions.count)))
    }
    for _ in 0..<quiz.questions.count where written < answers {
      try answer(questions[Int(generator.next() % UInt64(questions.count))], .review, .review)
    }
  }
}
