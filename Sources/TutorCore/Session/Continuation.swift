/// Where Continue leads: what the learner started and left, or what comes next in the course.
public struct Continuation: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    /// Something the learner started and left unfinished.
    case continuing
    /// Nothing is unfinished: the next lesson or quiz by the course's order.
    case next
  }

  public var kind: Kind
  public var point: ResumePoint

  public init(_ kind: Kind, _ point: ResumePoint) {
    self.kind = kind
    self.point = point
  }

  /// An unfinished exam comes first (it is never lost from Continue), then the quiz attempt or
  /// lesson the learner was last in. Otherwise, once the learner has begun the course, the
  /// first lesson not complete (continued at its step if begun) or the first quiz of a complete
  /// lesson not yet taken, in course order, then a quiz of no lesson (the final exam) not yet taken.
  public static func of(_ course: Course, progress: LearnerProgress) -> Continuation? {
    if let exam = course.quizzes.first(where: { progress.quizzes[$0.id]?.openAttempt?.mode == .exam }) {
      return Continuation(.continuing, .quiz(id: exam.id))
    }
    switch progress.resume {
    case .quiz(let id)? where course.quiz(id: id) != nil && progress.quizzes[id]?.openAttempt != nil:
      return Continuation(.continuing, .quiz(id: id))
    case .lesson(let id, let step)? where course.lesson(id: id) != nil && progress.lessons[id]?.isComplete != true:
      return Continuation(.continuing, .lesson(id: id, step: step))
    default:
      break
    }
    guard progress.resume != nil || !progress.lessons.isEmpty || !progress.quizzes.isEmpty else { return nil }
    for lesson in course.lessons {
      guard let state = progress.lessons[lesson.id], state.isComplete else {
        // A lesson begun earlier is continued at its step; one not begun is next.
        let step = progress.lessons[lesson.id]?.step
        return Continuation(step == nil ? .next : .continuing, .lesson(id: lesson.id, step: step ?? 0))
      }
      if let quiz = course.quizzes.first(where: { $0.lesson == lesson.id && progress.quizzes[$0.id]?.bestScore == nil })
      {
        return Continuation(.next, .quiz(id: quiz.id))
      }
    }
    if let quiz = course.quizzes.first(where: { $0.lesson == nil && progress.quizzes[$0.id]?.bestScore == nil }) {
      return Continuation(.next, .quiz(id: quiz.id))
    }
    return nil
  }
}
