import Foundation
import GRDB
import TutorCore

extension SQLiteProgressStore {
  @discardableResult
  public func saveClass(_ record: ClassRecord) throws -> Int64 {
    try writing { db in
      try db.execute(
        sql: "INSERT INTO classSession (quizId, quizTitle, hostedAt, asked) VALUES (?, ?, ?, ?)",
        arguments: [record.quizID, record.quizTitle, record.hostedAt.stored, JSONColumn.json(record.asked)])
      let number = db.lastInsertedRowID
      for (position, student) in record.students.enumerated() {
        try db.execute(
          sql: "INSERT INTO classStudent (classSessionId, position, student, name) VALUES (?, ?, ?, ?)",
          arguments: [number, position, student.id, student.name])
      }
      for answer in record.answers {
        try db.execute(
          sql: """
            INSERT INTO classAnswer
              (classSessionId, student, questionID, response, isCorrect, fraction, seconds, choiceIDs)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            number, answer.student, answer.questionID, answer.response, answer.isCorrect, answer.fraction,
            answer.seconds, JSONColumn.json(answer.choiceIDs),
          ])
      }
      return number
    }
  }

  public func classes() throws -> [(number: Int64, record: ClassRecord)] {
    try reading { db in
      let sessions = try Row.fetchAll(db, sql: "SELECT * FROM classSession ORDER BY id DESC")
      return try sessions.map { row in
        let number: Int64 = try row.decode(forColumn: "id")
        let students = try Row.fetchAll(
          db, sql: "SELECT student, name FROM classStudent WHERE classSessionId = ? ORDER BY position",
          arguments: [number]
        ).map { ClassRecord.Student(id: try $0.decode(forColumn: "student"), name: try $0.decode(forColumn: "name")) }
        let answers = try Row.fetchAll(
          db, sql: "SELECT * FROM classAnswer WHERE classSessionId = ? ORDER BY rowid", arguments: [number]
        ).map {
          ClassRecord.Answer(
            student: try $0.decode(forColumn: "student"), questionID: try $0.decode(forColumn: "questionID"),
            response: try $0.decode(forColumn: "response"), isCorrect: try $0.decode(forColumn: "isCorrect"),
            fraction: try $0.decode(forColumn: "fraction"), seconds: try $0.decode(forColumn: "seconds"),
            choiceIDs: try JSONColumn.decodeJSON(try $0.decode(forColumn: "choiceIDs")))
        }
        let record = ClassRecord(
          quizID: try row.decode(forColumn: "quizId"), quizTitle: try row.decode(forColumn: "quizTitle"),
          hostedAt: try row.decode(StoredDate.self, forColumn: "hostedAt").date,
          asked: try JSONColumn.decodeJSON(try row.decode(forColumn: "asked")),
          students: students, answers: answers)
        return (number, record)
      }
    }
  }
}
