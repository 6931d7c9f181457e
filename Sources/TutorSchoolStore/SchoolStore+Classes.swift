import Foundation
import PostgresNIO
import TutorCore

/// Live classes hosted with the school's store, as the SQLite store keeps them. Times are kept
/// to the microsecond (PostgreSQL's `TIMESTAMPTZ`).
extension SchoolStore {
  /// Keeps a finished class in one transaction; returns its number.
  @discardableResult
  public func saveClass(_ record: ClassRecord) throws(SchoolStoreError) -> Int64 {
    try transaction { () throws(SchoolStoreError) -> Int64 in
      guard
        let number = try value(
          Int64.self,
          """
          INSERT INTO classSession (quizId, quizTitle, hostedAt, asked)
          VALUES (\(record.quizID), \(record.quizTitle), \(record.hostedAt), \(JSONWriter.list(record.asked))) RETURNING id
          """)
      else { throw .failed(server: address.description, detail: "the class was not numbered") }
      for (position, student) in record.students.enumerated() {
        try run(
          """
          INSERT INTO classStudent (classSessionId, position, student, name)
          VALUES (\(number), \(position), \(student.id), \(student.name))
          """)
      }
      for (seq, answer) in record.answers.enumerated() {
        try run(
          """
          INSERT INTO classAnswer
            (classSessionId, student, questionID, response, isCorrect, fraction, seconds, choiceIDs, seq)
          VALUES (\(number), \(answer.student), \(answer.questionID), \(answer.response), \(answer.isCorrect),
            \(answer.fraction), \(answer.seconds), \(JSONWriter.list(answer.choiceIDs)), \(seq))
          """)
      }
      return number
    }
  }

  /// The classes hosted with this store, by number, newest first.
  public func classes() throws(SchoolStoreError) -> [(number: Int64, record: ClassRecord)] {
    let sessions = try rows("SELECT id, quizId, quizTitle, hostedAt, asked FROM classSession ORDER BY id DESC") {
      try $0.decode((Int64, String, String, Date, String).self)
    }
    var result: [(number: Int64, record: ClassRecord)] = []
    for (number, quizID, quizTitle, hostedAt, asked) in sessions {
      let students = try rows(
        "SELECT student, name FROM classStudent WHERE classSessionId = \(number) ORDER BY position"
      ) { row in
        let (id, name) = try row.decode((String, String).self)
        return ClassRecord.Student(id: id, name: name)
      }
      let answers = try rows(
        """
        SELECT student, questionID, response, isCorrect, fraction, seconds, choiceIDs FROM classAnswer
        WHERE classSessionId = \(number) ORDER BY seq
        """
      ) { row in
        let (student, questionID, response, isCorrect, fraction, seconds, choiceIDs) = try row.decode(
          (String, String, String, Bool, Double, Double, String).self)
        return ClassRecord.Answer(
          student: student, questionID: questionID, response: response, isCorrect: isCorrect, fraction: fraction,
          seconds: seconds, choiceIDs: Self.strings(choiceIDs))
      }
      let record = ClassRecord(
        quizID: quizID, quizTitle: quizTitle, hostedAt: hostedAt, asked: Self.strings(asked), students: students,
        answers: answers)
      result.append((number, record))
    }
    return result
  }

  private static func strings(_ text: String) -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }
}
