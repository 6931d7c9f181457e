import Foundation
import TutorCore

/// A progress store kept in a SQL database: the SQLite file and the school's PostgreSQL server
/// share every query and rule here, and differ only in how they connect, migrate and report
/// errors. A backend gives transactions on its connection; the rest comes with the protocol.
public protocol SQLProgressStore: ProgressStore, Sendable {
  associatedtype Connection: SQLConnection
  /// How messages name the store: its path, or the server without the password.
  var storeName: String { get }
  /// Merges a progress bundle into a learner's progress in one transaction.
  func merge(_ bundle: ProgressBundle, learner: Int64) throws -> ImportSummary
  /// Runs `body` in a transaction that is committed if it returns and rolled back if it throws.
  func write<Value>(_ body: (Connection) throws -> Value) throws -> Value
  /// Runs `body` on one consistent view of the store.
  func read<Value>(_ body: (Connection) throws -> Value) throws -> Value
  /// Runs `body`, which reads and then writes once, with `forEach(together:)` as its last step:
  /// SQLite in a transaction; a server without one, sparing two round trips. The write is one
  /// statement, a transaction of its own, and the reads see what was committed before each of
  /// them, as they would inside a transaction at PostgreSQL's default level (read committed).
  func writeOnce<Value>(_ body: (Connection) throws -> Value) throws -> Value
}

extension SQLProgressStore {
  public func writeOnce<Value>(_ body: (Connection) throws -> Value) throws -> Value { try write(body) }
}

extension SQLProgressStore {
  /// The id of the learner profile `name`, created on first use (at once on many computers: the
  /// name is unique, and a profile made meanwhile by another is found).
  public func learnerID(named name: String, at date: Date) throws -> Int64 {
    if let id = try existingLearnerID(named: name) { return id }
    return try write { db in
      try db.execute("INSERT INTO learner (name, createdAt) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [name, date])
      guard let id = try db.one("SELECT id FROM learner WHERE name = ?", [name], { try $0.int64(0) }) else {
        throw StoreError.other(path: storeName, detail: "the learner '\(name)' could not be added")
      }
      return id
    }
  }

  public func existingLearnerID(named name: String) throws -> Int64? {
    try read { try $0.one("SELECT id FROM learner WHERE name = ?", [name]) { try $0.int64(0) } }
  }

  /// Every learner's name, in order.
  public func learnerNames() throws -> [String] {
    try read { try $0.rows("SELECT name FROM learner ORDER BY name") { try $0.string(0) } }
  }
}

extension SQLProgressStore {
  /// Keeps a finished live class in one transaction; returns its number.
  @discardableResult
  public func saveClass(_ record: ClassRecord) throws -> Int64 {
    try write { db in
      let number =
        try db.one(
          "INSERT INTO classSession (quizId, quizTitle, hostedAt, asked) VALUES (?, ?, ?, ?) RETURNING id",
          [record.quizID, record.quizTitle, record.hostedAt, try JSONColumn.json(record.asked)]
        ) { try $0.int64(0) } ?? 0
      for (position, student) in record.students.enumerated() {
        try db.execute(
          "INSERT INTO classStudent (classSessionId, position, student, name) VALUES (?, ?, ?, ?)",
          [number, position, student.id, student.name])
      }
      let order = db.dialect.classAnswerOrder
      for (index, answer) in record.answers.enumerated() {
        try db.execute(
          """
          INSERT INTO classAnswer
            (classSessionId, student, questionID, response, isCorrect, fraction, seconds, choiceIDs\(order.column))
          VALUES (?, ?, ?, ?, ?, ?, ?, ?\(order.column.isEmpty ? "" : ", ?"))
          """,
          [
            number, answer.student, answer.questionID, answer.response, answer.isCorrect, answer.fraction,
            answer.seconds, try JSONColumn.json(answer.choiceIDs),
          ] + (order.column.isEmpty ? [] : [index]))
      }
      return number
    }
  }

  /// The live classes hosted with this store, by number, newest first.
  public func classes() throws -> [(number: Int64, record: ClassRecord)] {
    try read { db in
      let sessions = try db.rows("SELECT id, quizId, quizTitle, hostedAt, asked FROM classSession ORDER BY id DESC") {
        (
          number: try $0.int64(0), quizID: try $0.string(1), title: try $0.string(2), hostedAt: try $0.date(3),
          asked: try JSONColumn.decodeJSON($0.string(4))
        )
      }
      return try sessions.map { session in
        let students = try db.rows(
          "SELECT student, name FROM classStudent WHERE classSessionId = ? ORDER BY position", [session.number]
        ) { ClassRecord.Student(id: try $0.string(0), name: try $0.string(1)) }
        let answers = try db.rows(
          """
          SELECT student, questionID, response, isCorrect, fraction, seconds, choiceIDs FROM classAnswer
          WHERE classSessionId = ? ORDER BY \(db.dialect.classAnswerOrder.orderBy)
          """, [session.number]
        ) {
          ClassRecord.Answer(
            student: try $0.string(0), questionID: try $0.string(1), response: try $0.string(2),
            isCorrect: try $0.bool(3), fraction: try $0.double(4), seconds: try $0.double(5),
            choiceIDs: try JSONColumn.decodeJSON($0.string(6)))
        }
        let record = ClassRecord(
          quizID: session.quizID, quizTitle: session.title, hostedAt: session.hostedAt, asked: session.asked,
          students: students, answers: answers)
        return (session.number, record)
      }
    }
  }
}

/// A row's id for progress that travels between stores (32 hex digits, as SQLite's
/// `lower(hex(randomblob(16)))` made them).
enum RowUID {
  static func make() -> String {
    var generator = SystemRandomNumberGenerator()
    return hex(generator.next()) + hex(generator.next())
  }

  private static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
