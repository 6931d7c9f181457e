/// How a learner has answered one question so far.
public struct AnswerStats: Equatable, Sendable {
  public var answers: Int
  public var right: Int
  /// Wrong picks of each option, by choice id (what misconceptions the learner holds).
  public var wrongPicks: [String: Int]
  /// Whether the latest answer was right (nil before any).
  public var lastRight: Bool?
  public init(answers: Int = 0, right: Int = 0, wrongPicks: [String: Int] = [:], lastRight: Bool? = nil) {
    self.answers = answers
    self.right = right
    self.wrongPicks = wrongPicks
    self.lastRight = lastRight
  }
}

/// What is mastered, what is weak, what is due: the progress review, built from values.
public struct ProgressReport: Equatable, Sendable {
  public struct LessonLine: Equatable, Sendable {
    public var title: String
    public var status: String
    public var isComplete: Bool
  }
  public struct QuizLine: Equatable, Sendable {
    public var title: String
    public var best: Score?
    public var last: Score?
    /// Answered so far in an unfinished attempt, and the attempt's length.
    public var inProgress: (answered: Int, of: Int)?

    public static func == (a: QuizLine, b: QuizLine) -> Bool {
      a.title == b.title && a.best == b.best && a.last == b.last && a.inProgress?.answered == b.inProgress?.answered
        && a.inProgress?.of == b.inProgress?.of
    }

    public var status: String {
      var parts: [String] = []
      if let best { parts.append("best \(best.description)") }
      if let last, last != best { parts.append("last \(last.description)") }
      if let inProgress { parts.append("in progress, \(inProgress.answered) of \(inProgress.of) answered") }
      return parts.isEmpty ? "not taken" : parts.joined(separator: ", ")
    }
  }
  public struct ConceptLine: Equatable, Sendable {
    public var concept: String
    /// Its readable name, from the lesson that declares it.
    public var name: String
    public var right: Int
    public var answers: Int
    public var share: Double { answers == 0 ? 0 : Double(right) / Double(answers) }
  }
  public struct Misconception: Equatable, Sendable {
    public var prompt: String
    public var choice: String
    /// What is wrong with the choice, as the author wrote it.
    public var feedback: String
    public var times: Int
  }

  public var lessons: [LessonLine]
  public var quizzes: [QuizLine]
  public var review: ReviewQueue
  /// Concepts answered at least twice, weakest first.
  public var concepts: [ConceptLine]
  public var misconceptions: [Misconception]
  public var answered: Int

  /// A concept counts as mastered at this share of right answers (with at least 3 answers).
  public static let masteredShare = 0.8

  public init(course: Course, progress: LearnerProgress, stats: [String: AnswerStats]) {
    lessons = course.lessons.map { lesson in
      let state = progress.lessons[lesson.id]
      var status: String
      if state?.isComplete == true {
        status = "complete"
      } else if let state {
        let checks = lesson.checkpoints.filter { state.passedCheckpoints.contains($0.questionID) }.count
        status = "step \(state.step + 1) of \(lesson.steps.count), \(checks)/\(lesson.checkpoints.count) checkpoints"
      } else {
        status = "not started"
      }
      // Chain links predicted, scored on their first try.
      if let predictions = state?.predictions, !predictions.isEmpty {
        let right = predictions.values.filter { $0 }.count
        status += ", \(right) of \(predictions.count) chain link\(predictions.count == 1 ? "" : "s") predicted"
      }
      return LessonLine(
        title: "\(lesson.order). \(lesson.title)", status: status, isComplete: state?.isComplete == true)
    }
    quizzes = course.quizzes.map { quiz in
      let state = progress.quizzes[quiz.id]
      return QuizLine(
        title: quiz.title, best: state?.bestScore, last: state?.lastScore,
        inProgress: state?.openAttempt.map { ($0.grades.count, $0.order.count) })
    }
    review = progress.review
    let questions = course.questionsByID
    var byConcept: [String: ConceptLine] = [:]
    var misconceptions: [Misconception] = []
    for (id, stat) in stats {
      guard let question = questions[id] else { continue }
      for concept in question.concepts {
        // A concept's name is looked up once (it searches every lesson).
        if byConcept[concept] == nil {
          byConcept[concept] = ConceptLine(concept: concept, name: course.conceptName(concept), right: 0, answers: 0)
        }
        byConcept[concept]?.right += stat.right
        byConcept[concept]?.answers += stat.answers
      }
      for (choiceID, times) in stat.wrongPicks {
        guard let choice = question.choices.first(where: { $0.id == choiceID }), !choice.isCorrect else { continue }
        misconceptions.append(
          Misconception(prompt: question.prompt, choice: choice.text, feedback: choice.feedback ?? "", times: times))
      }
    }
    concepts = byConcept.values.filter { $0.answers >= 2 }.sorted { ($0.share, $0.concept) < ($1.share, $1.concept) }
    self.misconceptions = misconceptions.sorted { ($1.times, $0.prompt) < ($0.times, $1.prompt) }
    answered = stats.values.reduce(0) { $0 + $1.answers }
  }

  public var mastered: [ConceptLine] { concepts.filter { $0.answers >= 3 && $0.share >= Self.masteredShare } }
  public var weak: [ConceptLine] { concepts.filter { $0.share < Self.masteredShare } }

  /// The report as plain lines (for `tutor progress` and screen readers).
  public var lines: [String] {
    var lines = ["Lessons:"]
    lines += lessons.map { "  \($0.isComplete ? "✓" : "·") \($0.title): \($0.status)" }
    lines.append("Quizzes:")
    lines += quizzes.map { "  \($0.title): \($0.status)" }
    lines.append("Review:")
    lines.append("  \(review.due.count) due now, \(review.scheduled) questions scheduled")
    if !review.forecast.isEmpty {
      lines.append("  next 14 days: " + review.forecast.map(String.init).joined(separator: " "))
    }
    if !review.leeches.isEmpty { lines.append("  leeches: \(review.leeches.joined(separator: ", "))") }
    lines.append("Concepts (\(answered) answers):")
    if concepts.isEmpty { lines.append("  not enough answers yet") }
    lines += mastered.map { "  ✓ mastered: \($0.name) (\($0.right)/\($0.answers))" }
    lines += weak.map {
      "  ✗ weak: \($0.name) (\($0.right)/\($0.answers)); drill it: tutor review --cram \($0.concept)"
    }
    if !misconceptions.isEmpty {
      lines.append("Misconceptions picked:")
      for item in misconceptions.prefix(8) {
        let question = item.prompt.count > 60 ? String(item.prompt.prefix(59)) + "…" : item.prompt
        lines.append(
          "  \(item.times)× \"\(item.choice)\" (in: \(question))" + (item.feedback.isEmpty ? "" : " — \(item.feedback)")
        )
      }
    }
    return lines
  }
}
