/// Chooses and orders the questions of a review or cram session.
public enum ReviewPlan {
  /// The lesson a question belongs to: its `see:` link, else its quiz's lesson, else the lesson
  /// whose checkpoint it is.
  public static func lesson(of questionID: String, in course: Course) -> String? {
    for quiz in course.quizzes {
      if let question = quiz.question(id: questionID) {
        return question.see.map { String($0.split(separator: "#")[0]) } ?? quiz.lesson
      }
    }
    for lesson in course.lessons {
      for checkpoint in lesson.checkpoints where checkpoint.questionID == questionID {
        // A warm-up placed in a later lesson to bring back an earlier one belongs to that one.
        if case .inline(let question) = checkpoint.source, let see = question.see {
          return String(see.split(separator: "#")[0])
        }
        return lesson.id
      }
    }
    return nil
  }

  /// Due questions interleaved across lessons (one from each lesson in turn), keeping each
  /// lesson's items in due order; ids the course no longer has are skipped.
  public static func interleaved(_ due: [String], in course: Course) -> [Question] {
    let questions = course.questionsByID
    var groups: [(lesson: String, items: [Question])] = []
    for id in due {
      guard let question = questions[id] else { continue }
      let lesson = self.lesson(of: id, in: course) ?? ""
      if let index = groups.firstIndex(where: { $0.lesson == lesson }) {
        groups[index].items.append(question)
      } else {
        groups.append((lesson, [question]))
      }
    }
    var result: [Question] = []
    var round = 0
    while result.count < groups.reduce(0, { $0 + $1.items.count }) {
      for group in groups where round < group.items.count { result.append(group.items[round]) }
      round += 1
    }
    return result
  }

  /// Cram: every question of a lesson (its quiz and checkpoints) or tagged with a concept.
  public static func cram(_ name: String, in course: Course) -> [Question]? {
    if let lesson = course.lesson(id: name) {
      let quizQuestions = course.quizzes.filter { $0.lesson == lesson.id }.flatMap(\.questions)
      let questions = course.questionsByID
      let checkpoints = lesson.checkpoints.compactMap { questions[$0.questionID] }
      var seen: Set<String> = []
      return (checkpoints + quizQuestions).filter { seen.insert($0.id).inserted }
    }
    let tagged = course.quizzes.flatMap(\.questions).filter { $0.concepts.contains(name) }
    return tagged.isEmpty ? nil : tagged
  }
}
