import Foundation
import GRDB
import GRDBSQLite
import TutorCore

extension SQLiteProgressStore {
  /// SQLite's page cache during an import, in KiB (negative, as the pragma takes it): 256 MB.
  static let importCache = -262_144

  /// Merges a bundle into a learner's progress in one transaction (`merge(_:db:learner:)`).
  public func merge(_ bundle: ProgressBundle, learner: Int64) throws -> ImportSummary {
    try merge(bundle, learner: learner, rebuildingIndexesFrom: AnswerImport.rebuildsIndexes)
  }

  /// `rebuildingIndexesFrom`: how many new answers make the import rebuild the answer indexes
  /// (tests take a smaller number than a million answers need).
  public func merge(_ bundle: ProgressBundle, learner: Int64, rebuildingIndexesFrom: Int) throws -> ImportSummary {
    try writing { db in
      // A cache large enough for the indexes a big import writes all over (the answers' random
      // ids): with SQLite's default of 2 MB, a million answers wrote their pages again and again.
      try db.execute(sql: "PRAGMA cache_size = \(Self.importCache)")
      defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
      return try Self.merge(bundle, db: SQLiteConnection(db: db), learner: learner) { answers, attempts in
        try AnswerImport.insert(
          answers, db: db, learner: learner, attempts: attempts, rebuildingIndexesFrom: rebuildingIndexesFrom)
      }
    }
  }
}

/// A bundle's answers into the store, skipping those it holds already. A large import (a
/// heavy learner's million answers) reads the learner's answer ids once instead of asking the
/// unique index for each, binds through SQLite's own calls, and counts the study days itself
/// with the trigger set aside. When it brings more answers than the store holds, it drops the
/// two indexes its answers land in at random places (by uid, by question) and builds them again
/// after (sorting is faster than a million inserts all over the tree), and for a learner new
/// to the store it tallies the questions' statistics from the answers in hand.
public enum AnswerImport {
  static let bulk = 5_000
  public static let rebuildsIndexes = 50_000
  static let randomlyFilledIndexes = ["answerUID", "answerByQuestion"]

  /// The answers added, and the questions whose statistics are still to refresh.
  static func insert(
    _ answers: [ProgressBundle.Answer], db: Database, learner: Int64, attempts: [String: Int64],
    rebuildingIndexesFrom: Int
  ) throws -> (count: Int, questions: Set<String>) {
    guard answers.count > bulk else {
      return try SQLiteProgressStore.insertOneByOne(
        answers, db: SQLiteConnection(db: db), learner: learner, attempts: attempts)
    }
    var known = Set<String>()
    let uids = try String.fetchCursor(db, sql: "SELECT uid FROM answer WHERE learnerId = ?", arguments: [learner])
    while let uid = try uids.next() { known.insert(uid) }
    let fresh = known.isEmpty ? answers : answers.filter { !known.contains($0.uid) }
    guard !fresh.isEmpty else { return (0, []) }
    var indexes: [String] = []
    if fresh.count >= rebuildingIndexesFrom,
      fresh.count >= (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answer") ?? 0)
    {
      for name in randomlyFilledIndexes {
        guard
          let sql = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name])
        else { continue }
        indexes.append(sql)
        try db.execute(sql: "DROP INDEX \(name.quotedDatabaseIdentifier)")
      }
      // Rows and the indexes left are written in order: a small cache does, and spares the
      // memory (and the page faults) of a large one.
      try db.execute(sql: "PRAGMA cache_size = -16384")
    }
    try db.execute(sql: "DROP TRIGGER studyDayAnswered")
    // Without the unique index there is no conflict to name; the answers are new (checked above,
    // and a bundle's uids are its own).
    // A learner new here: the statistics are tallied from the answers in hand, on the other core.
    let tallies: BackgroundWork<[String: QuestionStats.Tally]>?
    if known.isEmpty {
      let openExams = Set(
        try Int64.fetchAll(
          db, sql: "SELECT id FROM quizAttempt WHERE learnerId = ? AND mode = 'exam' AND points IS NULL",
          arguments: [learner]))
      tallies = BackgroundWork { tally(fresh, attempts: attempts, openExams: openExams) }
    } else {
      tallies = nil
    }
    // Many rows to a statement. The answers are new to the store (checked above) and a bundle's
    // uids are its own, so none conflicts; where the unique index stays, it still guards.
    func statement(rows: Int) throws -> RowBinder {
      let row = "(" + Array(repeating: "?", count: 19).joined(separator: ", ") + ")"
      return RowBinder(
        try db.makeStatement(
          sql: """
            INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score,
              chosen, hintsUsed, confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating,
              responseData, uid)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            \(indexes.isEmpty ? "ON CONFLICT (learnerId, uid) DO NOTHING" : "")
            """
        ))
    }
    let batch = 50
    let many = try statement(rows: batch)
    let one = try statement(rows: 1)
    var count = 0
    for start in stride(from: 0, to: fresh.count, by: batch) {
      let rows = fresh[start..<min(start + batch, fresh.count)]
      let binder = rows.count == batch ? many : one
      var column: Int32 = 0
      for answer in rows {
        try binder.bind(answer, learner: learner, attempt: answer.attempt.flatMap { attempts[$0] }, from: column)
        column += 19
        if binder === one {
          try one.step(db)
          column = 0
          count += Int(sqlite3_changes(db.sqliteConnection))
        }
      }
      if binder === many {
        try many.step(db)
        count += Int(sqlite3_changes(db.sqliteConnection))
      }
    }
    var localDays = LocalDays()
    var days: [String: (answers: Int, milliseconds: Int)] = [:]
    var undated = false
    for answer in fresh {
      if let day = try localDays.day(of: answer.answeredAt, db: db) {
        days[day, default: (0, 0)].answers += 1
        days[day, default: (0, 0)].milliseconds += StudyDays.counted(durationMs: answer.durationMs)
      } else {
        undated = true
      }
    }
    try db.execute(sql: StudyDays.answeredTrigger)
    // Every new answer went in (none conflicted), else the days are counted from the store.
    if undated || count != fresh.count {
      try StudyDays.recount(db, learner: learner)
    } else {
      try StudyDays.add(days, db: db, learner: learner)
    }
    if !indexes.isEmpty {
      // With a small cache SQLite's sorter writes runs that a second thread sorts (a third faster).
      try db.execute(sql: "PRAGMA threads = 2; PRAGMA cache_size = -2000")
      defer { try? db.execute(sql: "PRAGMA threads = 0; PRAGMA cache_size = \(SQLiteProgressStore.importCache)") }
      for index in indexes { try db.execute(sql: index) }
    }
    guard let tallies else { return (count, Set(fresh.map(\.question))) }
    for (question, tally) in tallies.value().sorted(by: { $0.key < $1.key }) {
      try tally.save(SQLiteConnection(db: db), learner: learner, questionID: question)
    }
    return (count, [])
  }

  /// The statistics of a learner whose every answer is in `answers` (in the order inserted),
  /// as `QuestionStats.refresh` reads them from the store: counted answers, newest first.
  static func tally(_ answers: [ProgressBundle.Answer], attempts: [String: Int64], openExams: Set<Int64>)
    -> [String: QuestionStats.Tally]
  {
    var byQuestion: [String: [Int]] = [:]
    for (index, answer) in answers.enumerated() {
      let counted =
        answer.mode != "prediction" && !(answer.attempt.flatMap { attempts[$0] }.map(openExams.contains) ?? false)
      if counted {
        byQuestion[answer.question, default: []].append(index)
      } else if byQuestion[answer.question] == nil {
        byQuestion[answer.question] = []
      }
    }
    return byQuestion.mapValues { indices in
      var tally = QuestionStats.Tally()
      // A bundle comes in time order (as export writes it): then the newest are the last.
      let inOrder = zip(indices, indices.dropFirst()).allSatisfy { answers[$0].answeredAt <= answers[$1].answeredAt }
      let newestFirst =
        inOrder
        ? indices.reversed()
        : indices.sorted { a, b in
          answers[a].answeredAt == answers[b].answeredAt ? a > b : answers[a].answeredAt > answers[b].answeredAt
        }
      for index in newestFirst { tally.add(score: answers[index].score, picks: answers[index].chosen) }
      return tally
    }
  }
}

/// Binds a prepared statement's parameters with SQLite's own calls (no boxed values on the way).
final class RowBinder {
  /// GRDB's statement, kept for as long as its SQLite statement is used (it finalizes it).
  private let owner: Statement
  private let statement: SQLiteStatement
  /// The text bound since the last step, copied once into one buffer that SQLite reads in
  /// place (instead of a copy of its own for every value).
  private let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: RowBinder.arenaSize)
  private var used = 0
  static let arenaSize = 1 << 16

  init(_ statement: Statement) {
    owner = statement
    self.statement = statement.sqliteStatement
  }

  deinit { arena.deallocate() }

  /// An answer's 19 columns, from parameter `offset + 1` on.
  func bind(_ answer: ProgressBundle.Answer, learner: Int64, attempt: Int64?, from offset: Int32) throws {
    bind(offset + 1, learner)
    bind(offset + 2, answer.question)
    bind(offset + 3, answer.questionVersion)
    bind(offset + 4, answer.lesson)
    bind(offset + 5, answer.quiz)
    bind(offset + 6, attempt)
    bind(offset + 7, answer.response)
    bind(offset + 8, answer.score)
    bind(offset + 9, try JSONColumn.json(answer.chosen))
    bind(offset + 10, answer.hintsUsed)
    bind(offset + 11, answer.confidence)
    bind(offset + 12, answer.durationMs)
    bind(offset + 13, answer.mode)
    bind(offset + 14, answer.answeredAt)
    bind(offset + 15, answer.stateBefore)
    bind(offset + 16, try answer.shownOrder.map(JSONColumn.json))
    bind(offset + 17, answer.deferredRating)
    bind(offset + 18, answer.given)
    bind(offset + 19, answer.uid)
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Text up to its first NUL, as GRDB binds text: every way of writing stores the same bytes.
  static func upToNUL(_ whole: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: whole[..<(whole.firstIndex(of: 0) ?? whole.endIndex)])
  }

  /// Binds text that SQLite copies.
  static func bindCopy(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32, of statement: SQLiteStatement) -> Int32 {
    guard let base = bytes.baseAddress, !bytes.isEmpty else {
      return sqlite3_bind_text(statement, index, "", 0, transient)
    }
    return sqlite3_bind_text(
      statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
  }

  func bind(_ index: Int32, _ value: String?) {
    guard var value else {
      sqlite3_bind_null(statement, index)
      return
    }
    value.withUTF8 { whole in
      let bytes = Self.upToNUL(whole)
      guard let base = bytes.baseAddress, !bytes.isEmpty, used + bytes.count <= Self.arenaSize else {
        _ = Self.bindCopy(bytes, at: index, of: statement)
        return
      }
      let copy = arena + used
      copy.update(from: base, count: bytes.count)
      used += bytes.count
      sqlite3_bind_text(
        statement, index, UnsafeRawPointer(copy).assumingMemoryBound(to: CChar.self),
        Int32(bytes.count), nil)
    }
  }

  func bind(_ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
  }

  func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

  func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(statement, index, value) }

  func step(_ db: Database) throws {
    let code = sqlite3_step(statement)
    sqlite3_reset(statement)
    used = 0
    guard code == SQLITE_DONE else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
  }
}

/// What `tutor progress reset` clears.
public enum ResetScope: Equatable, Sendable {
  case lesson(String)
  case quiz(String)
  case all
}
