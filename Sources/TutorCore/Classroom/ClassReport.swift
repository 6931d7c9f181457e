import Foundation

/// What a class session leaves the teacher: scores, an item analysis of every question, and the
/// rows of `summary.csv` and `answers.csv`.
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

  public var items: [Item]
  public var summaryRows: [[String]]
  public var answerRows: [[String]]

  public init(_ session: ClassSession) {
    let students = session.present
    let ranked = students.sorted { (session.points(of: $1), $0.id) < (session.points(of: $0), $1.id) }
    let third = students.count >= 3 ? max(1, students.count / 3) : 0
    let top = ranked.prefix(third)
    let bottom = ranked.suffix(third)
    func share(_ group: some Collection<ClassSession.Student>, _ id: String) -> Double {
      group.isEmpty ? 0 : Double(group.filter { $0.answers[id]?.grade.isCorrect == true }.count) / Double(group.count)
    }
    let asked = session.askedQuestions
    items = asked.map { question in
      var wrong: [String: Int] = [:]
      for student in students {
        guard let answer = student.answers[question.id], !answer.grade.isCorrect else { continue }
        for id in answer.grade.chosenChoiceIDs { wrong[id, default: 0] += 1 }
      }
      let choices = question.choices.filter { wrong[$0.id] != nil && !$0.isCorrect }.map {
        Item.WrongChoice(text: $0.text, times: wrong[$0.id] ?? 0, feedback: $0.feedback ?? "")
      }
      return Item(
        questionID: question.id, prompt: question.prompt, shareCorrect: share(students, question.id),
        discrimination: third > 0 ? share(top, question.id) - share(bottom, question.id) : nil,
        wrongChoices: choices.sorted { ($1.times, $0.text) < ($0.times, $1.text) })
    }
    let ids = asked.map(\.id)
    let total = Double(ids.count)
    func number(_ value: Double) -> String { String(format: "%g", (value * 1000).rounded() / 1000) }
    summaryRows =
      [["student", "name", "total", "percent"] + ids]
      + students.map { student in
        let points = session.points(of: student)
        return [student.id, student.name, number(points), number(total == 0 ? 0 : points / total * 100)]
          + ids.map { id in student.answers[id].map { number($0.grade.score) } ?? "" }
      }
    var answers: [[String]] = [["student", "question", "response", "correct", "fraction", "seconds", "attempts"]]
    for student in students {
      for question in asked {
        guard let answer = student.answers[question.id] else { continue }
        answers.append([
          student.id, question.id, PlainText.describe(answer.response, for: question),
          answer.grade.isCorrect ? "true" : "false", number(answer.grade.score), number(answer.seconds), "1",
        ])
      }
    }
    answerRows = answers
  }
}
