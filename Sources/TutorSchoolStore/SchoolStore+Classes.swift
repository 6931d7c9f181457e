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
          VALUES (\(record.quizID), \(record.quizTitle), \(record.hostedAt), \(Self.json(record.asked))) RETURNING id
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
            \(answer.fraction), \(answer.seconds), \(Self.json(answer.choiceIDs)), \(seq))
          """)
      }
      return number
    }
  }

  /// The classes hosted with this store, by number, newest first.
  public func classes() throws(SchoolStoreError) -> [(number: Int64, record: ClassRecord)] {
    let server = address.description
    var result: [(number: Int64, record: ClassRecord)] = []
    for row in try run("SELECT id, quizId, quizTitle, hostedAt, asked FROM classSession ORDER BY id DESC") {
      do {
        let (number, quizID, quizTitle, hostedAt, asked) = try row.decode((Int64, String, String, Date, String).self)
        let students = try run(
          "SELECT student, name FROM classStudent WHERE classSessionId = \(number) ORDER BY position"
        ).map { row in
          let (id, name) = try row.decode((String, String).self)
          return ClassRecord.Student(id: id, name: name)
        }
        let answers = try run(
          """
          SELECT student, questionID, response, isCorrect, fraction, seconds, choiceIDs FROM classAnswer
          WHERE classSessionId = \(number) ORDER BY seq
          """
        ).map { row in
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
      } catch let error as SchoolStoreError {
        throw error
      } catch {
        throw .failed(server: server, detail: "a class's record cannot be read (\(error))")
      }
    }
    return result
  }

  private static func json(_ strings: [String]) -> String {
    (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
  }

  private static func strings(_ text: String) -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }
}
