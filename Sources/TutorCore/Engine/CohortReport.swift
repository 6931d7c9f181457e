import Foundation

/// A teacher's view over many students' progress (`tutor report BUNDLE...`): a row per student,
/// each quiz's scores, each concept's mastery across the class, the class's most common
/// misconceptions and most-missed questions. Built from each student's own progress report, so
/// a student's numbers are the ones `tutor progress` shows them.
public struct CohortReport: Equatable, Sendable {
  public struct Student: Equatable, Sendable {
    public var name: String
    public var report: ProgressReport
    public var stats: [String: AnswerStats]
    public var lastStudied: CalendarDay?
    public init(name: String, report: ProgressReport, stats: [String: AnswerStats], lastStudied: CalendarDay?) {
      self.name = name
      self.report = report
      self.stats = stats
      self.lastStudied = lastStudied
    }

    public var lessonsCompleted: Int { report.lessons.filter(\.isComplete).count }
    public var quizzesTaken: Int { report.quizzes.filter { $0.best != nil }.count }
    /// The mean of the best scores of the quizzes taken, in percent.
    public var meanBest: Int? {
      let best = report.quizzes.compactMap(\.best)
      return best.isEmpty ? nil : Int((best.map(\.fraction).reduce(0, +) / Double(best.count) * 100).rounded())
    }
    public func count(_ level: ProgressReport.ConceptLine.Level) -> Int {
      report.concepts.filter { $0.level == level }.count
    }
  }

  public struct QuizSummary: Equatable, Sendable {
    public var id: String
    public var title: String
    /// Each student's best, in percent (nil: not taken), in the students' order.
    public var best: [Int?]
    public var taken: [Int] { best.compactMap { $0 } }
    public var median: Int? {
      let sorted = taken.sorted()
      guard !sorted.isEmpty else { return nil }
      return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
  }

  public struct ConceptSummary: Equatable, Sendable {
    public var id: String
    public var name: String
    /// Each student's mastery in percent (nil: not answered).
    public var mastery: [Int?]
    public var answered: [Int] { mastery.compactMap { $0 } }
    public var mean: Int { answered.isEmpty ? 0 : answered.reduce(0, +) / answered.count }
  }

  public struct Misconception: Equatable, Sendable {
    public var choice: String
    public var prompt: String
    public var feedback: String
    public var times: Int
    public var students: Int
  }

  public struct MissedQuestion: Equatable, Sendable {
    public var id: String
    public var prompt: String
    public var answers: Int
    public var wrong: Int
    public var students: Int
    public var share: Double { answers == 0 ? 0 : Double(wrong) / Double(answers) }
  }

  public var courseTitle: String
  public var students: [Student]
  public var quizzes: [QuizSummary]
  /// Weakest across the class first.
  public var concepts: [ConceptSummary]
  public var misconceptions: [Misconception]
  public var missed: [MissedQuestion]

  public init(course: Course, students: [Student]) {
    courseTitle = course.info.title
    self.students = students
    quizzes = course.quizzes.map { quiz in
      QuizSummary(
        id: quiz.id, title: quiz.title,
        best: students.map { student in student.report.quizzes.first { $0.id == quiz.id }?.best?.percent })
    }
    var names: [String: String] = [:]
    for student in students { for concept in student.report.concepts { names[concept.concept] = concept.name } }
    concepts = names.keys.map { id in
      ConceptSummary(
        id: id, name: names[id] ?? id,
        mastery: students.map { student in student.report.concepts.first { $0.concept == id }?.percent })
    }.sorted { ($0.mean, $0.id) < ($1.mean, $1.id) }
    var picked: [String: Misconception] = [:]
    for student in students {
      for item in student.report.misconceptions {
        let key = item.prompt + "\u{1F}" + item.choice
        picked[
          key,
          default: Misconception(
            choice: item.choice, prompt: item.prompt, feedback: item.feedback, times: 0, students: 0)
        ]
        .times += item.times
        picked[key]?.students += 1
      }
    }
    misconceptions = picked.values.sorted { ($1.students, $1.times, $0.prompt) < ($0.students, $0.times, $1.prompt) }
    let questions = course.questionsByID
    var missed: [String: MissedQuestion] = [:]
    for student in students {
      for (id, stat) in student.stats {
        guard let question = questions[id] else { continue }
        missed[id, default: MissedQuestion(id: id, prompt: question.prompt, answers: 0, wrong: 0, students: 0)]
          .answers +=
          stat.answers
        missed[id]?.wrong += stat.answers - stat.right
        missed[id]?.students += 1
      }
    }
    self.missed = missed.values.filter { $0.wrong > 0 }.sorted {
      ($1.share, $1.wrong, $0.id) < ($0.share, $0.wrong, $1.id)
    }
  }

  /// The report as plain text: the students, the quizzes, the weakest concepts, the
  /// misconceptions and the most-missed questions.
  public var lines: [String] {
    func pad(_ text: String, _ width: Int) -> String {
      text.count > width
        ? String(text.prefix(width - 1)) + "…" : text + String(repeating: " ", count: width - text.count)
    }
    func right(_ text: String, _ width: Int) -> String {
      text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
    let nameWidth = max(7, min(24, students.map(\.name.count).max() ?? 0))
    var lines = ["Class report: \(courseTitle) (\(students.count) student\(students.count == 1 ? "" : "s"))", ""]
    lines.append(
      pad("Student", nameWidth) + "  Lessons  Quizzes  Mean best  Mastered  Weak  Due  Answers  Last studied")
    for student in students {
      let report = student.report
      lines.append(
        pad(student.name, nameWidth) + "  " + right("\(student.lessonsCompleted)/\(report.lessons.count)", 7) + "  "
          + right("\(student.quizzesTaken)/\(report.quizzes.count)", 7) + "  "
          + right(student.meanBest.map { "\($0)%" } ?? "–", 9) + "  " + right("\(student.count(.mastered))", 8) + "  "
          + right("\(student.count(.weak))", 4) + "  " + right("\(report.review.due.count)", 3) + "  "
          + right("\(report.answered)", 7) + "  " + (student.lastStudied?.description ?? "never"))
    }
    lines += ["", "Quizzes: best score of each student who took it"]
    let titleWidth = min(44, quizzes.map(\.title.count).max() ?? 0)
    for quiz in quizzes {
      let taken = quiz.taken
      let summary =
        taken.isEmpty
        ? "not taken"
        : "taken by \(taken.count), median \(quiz.median ?? 0)%, lowest \(taken.min()!)%, highest \(taken.max()!)%"
      lines.append("  " + pad(quiz.title, titleWidth) + "  " + summary)
    }
    lines += ["", "Weakest concepts across the class (mean mastery of the students who answered them)"]
    if concepts.isEmpty { lines.append("  no answers yet") }
    for concept in concepts.prefix(10) {
      lines.append(
        "  " + right("\(concept.mean)%", 4) + " " + ProgressReport.bar(Double(concept.mean) / 100, width: 10) + " "
          + concept.name + " (\(concept.answered.count) of \(students.count))")
    }
    if !misconceptions.isEmpty {
      lines += ["", "Most common misconceptions"]
      for item in misconceptions.prefix(8) {
        let prompt = item.prompt.count > 60 ? String(item.prompt.prefix(59)) + "…" : item.prompt
        lines.append(
          "  \(item.students) student\(item.students == 1 ? "" : "s"), \(item.times)×: \"\(item.choice)\" (in: \(prompt))"
        )
      }
    }
    if !missed.isEmpty {
      lines += ["", "Most-missed questions"]
      for item in missed.prefix(8) {
        let prompt = item.prompt.count > 60 ? String(item.prompt.prefix(59)) + "…" : item.prompt
        lines.append(
          "  \(Int((item.share * 100).rounded()))% wrong (\(item.wrong) of \(item.answers)): \(item.id): \(prompt)")
      }
    }
    return lines
  }

  /// A row per student: name, counts, each quiz's best (percent) and each concept's mastery
  /// (percent), under a header of ids; empty where not taken or not answered.
  public var csvRows: [[String]] {
    var header = [
      "student", "lessons_completed", "quizzes_taken", "mean_best", "mastered", "weak", "due", "answers",
      "last_studied",
    ]
    header += quizzes.map { "quiz:" + $0.id }
    let conceptIDs = concepts.map(\.id).sorted()
    header += conceptIDs.map { "concept:" + $0 }
    var rows = [header]
    for (index, student) in students.enumerated() {
      var row = [
        student.name, String(student.lessonsCompleted), String(student.quizzesTaken),
        student.meanBest.map(String.init) ?? "", String(student.count(.mastered)), String(student.count(.weak)),
        String(student.report.review.due.count), String(student.report.answered),
        student.lastStudied?.description ?? "",
      ]
      row += quizzes.map { $0.best[index].map(String.init) ?? "" }
      let byID = Dictionary(concepts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
      row += conceptIDs.map { byID[$0]?.mastery[index].map(String.init) ?? "" }
      rows.append(row)
    }
    return rows
  }
}
