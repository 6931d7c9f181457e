import Foundation

/// A finished class as the host's store keeps it: who took part and every answer they gave,
/// graded. The report, the CSV files and `tutor classes` are all made from it.
public struct ClassRecord: Codable, Equatable, Sendable {
  public struct Student: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
      self.id = id
      self.name = name
    }
  }

  public struct Answer: Codable, Equatable, Sendable {
    public var student: String
    public var questionID: String
    /// As `tutor quiz --plain` writes it.
    public var response: String
    public var isCorrect: Bool
    public var fraction: Double
    public var seconds: Double
    /// The options chosen, for choice questions: the item analysis counts the wrong ones.
    public var choiceIDs: [String]
    public init(
      student: String, questionID: String, response: String, isCorrect: Bool, fraction: Double, seconds: Double,
      choiceIDs: [String]
    ) {
      self.student = student
      self.questionID = questionID
      self.response = response
      self.isCorrect = isCorrect
      self.fraction = fraction
      self.seconds = seconds
      self.choiceIDs = choiceIDs
    }
  }

  public var quizID: String
  public var quizTitle: String
  public var hostedAt: Date
  /// The questions asked, in the quiz's order.
  public var asked: [String]
  /// The students present at the end (removed ones are left out).
  public var students: [Student]
  public var answers: [Answer]

  public init(
    quizID: String, quizTitle: String, hostedAt: Date, asked: [String], students: [Student], answers: [Answer]
  ) {
    self.quizID = quizID
    self.quizTitle = quizTitle
    self.hostedAt = hostedAt
    self.asked = asked
    self.students = students
    self.answers = answers
  }

  /// What a session leaves.
  public init(_ session: ClassSession, hostedAt: Date) {
    let asked = Array(session.askedQuestions)
    self.init(
      quizID: session.quiz.id, quizTitle: session.quiz.title, hostedAt: hostedAt, asked: asked.map(\.id),
      students: session.present.map { Student(id: $0.id, name: $0.name) },
      answers: session.present.flatMap { student in
        asked.compactMap { question in
          student.answers[question.id].map {
            Answer(
              student: student.id, questionID: question.id, response: PlainText.describe($0.response, for: question),
              isCorrect: $0.grade.isCorrect, fraction: $0.grade.score, seconds: $0.seconds,
              choiceIDs: $0.grade.chosenChoiceIDs)
          }
        }
      })
  }

  public func points(of student: String) -> Double {
    answers.lazy.filter { $0.student == student }.reduce(0) { $0 + $1.fraction }
  }

  /// The mean score as a share of the questions asked (nil: nobody took part).
  public var meanShare: Double? {
    guard !students.isEmpty, !asked.isEmpty else { return nil }
    return students.reduce(0) { $0 + points(of: $1.id) } / Double(students.count * asked.count)
  }

  /// The scores, best first; equal points share a rank.
  public var scores: [ClassScore] {
    ClassScore.ranked(students.map { ($0.name, points(of: $0.id)) }, outOf: asked.count)
  }
}

/// What a class session leaves the teacher: scores, an item analysis of every question asked,
/// and the rows of `summary.csv` and `answers.csv`.
public struct ClassReport: Equatable, Sendable {
  /// How the class did on one question.
  public struct Item: Equatable, Sendable {
    public struct WrongChoice: Equatable, Sendable {
      public var text: String
      public var times: Int
      /// The misconception the option's feedback names.
      public var feedback: String
      public init(text: String, times: Int, feedback: String) {
        self.text = text
        self.times = times
        self.feedback = feedback
      }
    }
    public var questionID: String
    public var prompt: String
    /// Share of the students present who answered it right.
    public var shareCorrect: Double
    /// Share right in the top third of the class by total score, minus the bottom third's
    /// (nil with fewer than three students): near 0 or below, the question does not separate.
    public var discrimination: Double?
    public var wrongChoices: [WrongChoice]
  }

  public var record: ClassRecord
  public var items: [Item]
  public var summaryRows: [[String]]
  public var answerRows: [[String]]

  public init(_ session: ClassSession, hostedAt: Date) {
    self.init(ClassRecord(session, hostedAt: hostedAt), questions: session.quiz.questions)
  }

  /// The report of a record; `questions` gives the prompts and options (a question the course
  /// no longer has is shown by its id).
  public init(_ record: ClassRecord, questions: [Question]) {
    self.record = record
    let byID = Dictionary(questions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var given: [String: [String: ClassRecord.Answer]] = [:]
    for answer in record.answers { given[answer.questionID, default: [:]][answer.student] = answer }
    let students = record.students.map(\.id)
    let ranked = students.sorted { (record.points(of: $1), $0) < (record.points(of: $0), $1) }
    let third = students.count >= 3 ? max(1, students.count / 3) : 0
    let top = ranked.prefix(third)
    let bottom = ranked.suffix(third)
    func share(_ group: some Collection<String>, _ id: String) -> Double {
      group.isEmpty ? 0 : Double(group.filter { given[id]?[$0]?.isCorrect == true }.count) / Double(group.count)
    }
    items = record.asked.map { id in
      var wrong: [String: Int] = [:]
      for answer in given[id]?.values ?? [:].values where !answer.isCorrect {
        for choice in answer.choiceIDs { wrong[choice, default: 0] += 1 }
      }
      let choices = (byID[id]?.choices ?? []).filter { wrong[$0.id] != nil && !$0.isCorrect }.map {
        Item.WrongChoice(text: $0.text, times: wrong[$0.id] ?? 0, feedback: $0.feedback ?? "")
      }
      return Item(
        questionID: id, prompt: byID[id]?.prompt ?? id, shareCorrect: share(students, id),
        discrimination: third > 0 ? share(top, id) - share(bottom, id) : nil,
        wrongChoices: choices.sorted { ($1.times, $0.text) < ($0.times, $1.text) })
    }
    let total = Double(record.asked.count)
    func number(_ value: Double) -> String { String(format: "%g", (value * 1000).rounded() / 1000) }
    summaryRows =
      [["student", "name", "total", "percent"] + record.asked]
      + record.students.map { student in
        let points = record.points(of: student.id)
        return [student.id, student.name, number(points), number(total == 0 ? 0 : points / total * 100)]
          + record.asked.map { id in given[id]?[student.id].map { number($0.fraction) } ?? "" }
      }
    var rows: [[String]] = [["student", "question", "response", "correct", "fraction", "seconds", "attempts"]]
    for student in record.students {
      for id in record.asked {
        guard let answer = given[id]?[student.id] else { continue }
        rows.append([
          student.id, id, answer.response, answer.isCorrect ? "true" : "false", number(answer.fraction),
          number(answer.seconds), "1",
        ])
      }
    }
    answerRows = rows
  }
}
