import Foundation
import GRDB
import TutorCore

/// The days a learner studied, kept in `studyDay` by triggers on `answer`.
enum StudyDays {
  /// The time an answer adds to its day: its duration, up to ten minutes (a question left open
  /// over lunch is not an hour of study).
  static func counted(_ row: String) -> String { "MIN(COALESCE(\(row).durationMs, 0), 600000)" }

  /// The trigger that counts each new answer in its day (created by v9; a large import sets it
  /// aside and counts the learner's days again in one pass). Changing it needs a migration.
  static let answeredTrigger = """
    CREATE TRIGGER studyDayAnswered AFTER INSERT ON answer BEGIN
      INSERT INTO studyDay (learnerId, day, answers, milliseconds)
      VALUES (NEW.learnerId, date(NEW.answeredAt, 'localtime'), 1, \(counted("NEW")))
      ON CONFLICT (learnerId, day) DO UPDATE SET
        answers = answers + 1, milliseconds = milliseconds + excluded.milliseconds;
    END
    """

  /// A learner's days counted again from their answers.
  static func recount(_ db: Database, learner: Int64) throws {
    try db.execute(sql: "DELETE FROM studyDay WHERE learnerId = ?", arguments: [learner])
    try db.execute(
      sql: """
        INSERT INTO studyDay (learnerId, day, answers, milliseconds)
        SELECT learnerId, date(answeredAt, 'localtime'), COUNT(*), TOTAL(\(counted("answer"))) FROM answer NOT INDEXED
        WHERE learnerId = ? GROUP BY 1, 2
        """, arguments: [learner])
  }

  /// Adds answers to their days as the trigger would, for answers written while it was set aside.
  static func add(_ days: [String: (answers: Int, milliseconds: Int)], db: Database, learner: Int64) throws {
    for (day, count) in days.sorted(by: { $0.key < $1.key }) {
      try db.cachedStatement(
        sql: """
          INSERT INTO studyDay (learnerId, day, answers, milliseconds) VALUES (?, ?, ?, ?)
          ON CONFLICT (learnerId, day) DO UPDATE SET
            answers = answers + excluded.answers, milliseconds = milliseconds + excluded.milliseconds
          """
      ).execute(arguments: [learner, day, count.answers, count.milliseconds])
    }
  }

  /// The time an answer adds to its day (as `counted` in SQL).
  static func counted(durationMs: Int?) -> Int { min(durationMs ?? 0, 600_000) }
}

/// The local day of a stored date ("yyyy-MM-dd HH:mm:ss.SSS", UTC) as the trigger gives it,
/// asked of SQLite's own `date(x, 'localtime')` (which has rules of its own: the offset of 2000
/// outside 1971 to 2037, seconds rounded) once per hour: an hour whose first and last instants
/// fall on one day with one offset from UTC is that day throughout; any other (a change of
/// offset, or midnight inside it in a zone half an hour off) is asked answer by answer.
struct LocalDays {
  private var hours: [String: String?] = [:]
  /// The last hour asked about and its day (answers come in time order).
  private var last: (hour: Substring, day: String)?

  mutating func day(of stored: String, db: Database) throws -> String? {
    if let last, stored.hasPrefix(last.hour) { return last.day }
    let hour = String(stored.prefix(13))
    defer { if let day = hours[hour], let day { last = (stored.prefix(13), day) } }
    if let known = hours[hour] {
      if let known { return known }
      return try String.fetchOne(db.cachedStatement(sql: "SELECT date(?, 'localtime')"), arguments: [stored])
    }
    let row = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT date(?1, 'localtime'), date(?2, 'localtime'),
            strftime('%s', ?1, 'localtime') - strftime('%s', ?1) = strftime('%s', ?2, 'localtime') - strftime('%s', ?2)
          """), arguments: [hour + ":00:00.000", hour + ":59:59.999"])
    guard let row, let first: String = row[0], let last: String = row[1] else { return nil }
    let whole = first == last && (row[2] as Bool? ?? false)
    hours[hour] = .some(whole ? first : nil)
    return whole
      ? first : try String.fetchOne(db.cachedStatement(sql: "SELECT date(?, 'localtime')"), arguments: [stored])
  }
}
