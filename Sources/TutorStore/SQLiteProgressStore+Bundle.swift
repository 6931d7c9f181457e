import Foundation
import GRDB
import GRDBSQLite
import TutorCore

/// What an import added to the store.
public struct ImportSummary: Equatable, Sendable {
  public var answers = 0
  public var attempts = 0
  public var lessons = 0
  public var cards = 0
  public var flags = 0
  public var settings = 0

  public var isEmpty: Bool { self == ImportSummary() }
}

extension SQLiteProgressStore {
  // MARK: - Bundles

  /// One learner's whole progress, as a bundle (read in one transaction).
  public func bundle(learner: Int64, name: String, course: ProgressBundle.CourseStamp, tutor: String, at date: Date)
    throws -> ProgressBundle
  {
    try reading { db in
      var bundle = ProgressBundle(tutor: tutor, exportedAt: StoredDate.text(date), learner: name, course: course)
      for row in try Row.fetchAll(
        db, sql: "SELECT lessonID, step, completedAt, updatedAt FROM lessonState WHERE learnerId = ? ORDER BY lessonID",
        arguments: [learner])
      {
        bundle.lessons.append(.init(lesson: row[0], step: row[1], completedAt: row[2], updatedAt: row[3]))
      }
      var attemptUIDs: [Int64: String] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT id, uid, quizID, seed, questionOrder, mode, asksConfidence, startedAt, finishedAt, points, total
          FROM quizAttempt WHERE learnerId = ? ORDER BY id
          """, arguments: [learner])
      {
        let uid: String = row[1]
        attemptUIDs[row[0]] = uid
        bundle.attempts.append(
          .init(
            uid: uid, quiz: row[2], seed: row[3], order: try JSONColumn.decodeJSON(row[4]), mode: row[5],
            asksConfidence: row[6], startedAt: row[7], finishedAt: row[8], points: row[9], total: row[10]))
      }
      // A learner who holds most of the store's answers: one pass over the table in its own
      // order (an index would visit the rows all over the file, three times slower).
      let theirs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answer WHERE learnerId = ?", arguments: [learner])
      let all = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answer")
      let table = (theirs ?? 0) * 2 > (all ?? 0) ? "answer NOT INDEXED" : "answer"
      let answers = try Row.fetchCursor(
        db,
        sql: """
          SELECT uid, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score, chosen, hintsUsed,
            confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating, responseData
          FROM \(table) WHERE learnerId = ? ORDER BY answeredAt, id
          """, arguments: [learner])
      while let row = try answers.next() {
        bundle.answers.append(
          .init(
            uid: row[0], question: row[1], questionVersion: row[2], lesson: row[3], quiz: row[4],
            attempt: (row[5] as Int64?).flatMap { attemptUIDs[$0] }, response: row[6], score: row[7],
            chosen: try JSONColumn.decodeJSON(row[8]), hintsUsed: row[9], confidence: row[10], durationMs: row[11],
            mode: row[12], answeredAt: row[13], stateBefore: row[14],
            shownOrder: try (row[15] as String?).map(JSONColumn.decodeJSON), deferredRating: row[16], given: row[17]))
      }
      let cards = try Row.fetchCursor(
        db,
        sql: """
          SELECT questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech
          FROM reviewCard WHERE learnerId = ? ORDER BY questionID
          """, arguments: [learner])
      while let row = try cards.next() {
        bundle.cards.append(
          .init(
            question: row[0], questionVersion: row[1], state: row[2], step: row[3], stability: row[4],
            difficulty: row[5], lastReview: row[6], due: row[7], reps: row[8], failures: row[9], isLeech: row[10]))
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT questionID, flaggedAt FROM flag WHERE learnerId = ? ORDER BY questionID", arguments: [learner])
      {
        bundle.flags.append(.init(question: row[0], flaggedAt: row[1]))
      }
      for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting WHERE learnerId = ?", arguments: [learner]) {
        bundle.settings[row[0]] = row[1]
      }
      if let row = try Row.fetchOne(
        db, sql: "SELECT kind, itemID, step, updatedAt FROM resume WHERE learnerId = ?", arguments: [learner])
      {
        bundle.resume = .init(kind: row[0], item: row[1], step: row[2], updatedAt: row[3])
      }
      return bundle
    }
  }

  /// SQLite's page cache during an import, in KiB (negative, as the pragma takes it): 256 MB.
  static let importCache = -262_144

  /// Merges a bundle into a learner's progress in one transaction, losing neither side's
  /// answers: answers and attempts are matched by their lasting ids (so a second import adds
  /// nothing), a lesson keeps the furthest step and the first completion, a question keeps the
  /// schedule reviewed last, flags join, and settings and the resume point already here stay.
  /// `rebuildingIndexesFrom`: how many new answers make the import rebuild the answer indexes
  /// (tests take a smaller number than a million answers need).
  public func merge(
    _ bundle: ProgressBundle, learner: Int64, rebuildingIndexesFrom: Int = AnswerImport.rebuildsIndexes
  ) throws -> ImportSummary {
    try writing { db in
      // A cache large enough for the indexes a big import writes all over (the answers' random
      // ids): with SQLite's default of 2 MB, a million answers wrote their pages again and again.
      try db.execute(sql: "PRAGMA cache_size = \(Self.importCache)")
      defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
      var summary = ImportSummary()
      for lesson in bundle.lessons {
        let before = db.totalChangesCount
        try db.cachedStatement(
          sql: """
            INSERT INTO lessonState (learnerId, lessonID, step, completedAt, updatedAt) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (learnerId, lessonID) DO UPDATE SET
              step = MAX(step, excluded.step),
              completedAt = CASE WHEN completedAt IS NULL THEN excluded.completedAt
                WHEN excluded.completedAt IS NULL THEN completedAt ELSE MIN(completedAt, excluded.completedAt) END,
              updatedAt = MAX(updatedAt, excluded.updatedAt)
            WHERE excluded.step > step OR (completedAt IS NULL AND excluded.completedAt IS NOT NULL)
              OR excluded.completedAt < completedAt
            """
        ).execute(arguments: [learner, lesson.lesson, lesson.step, lesson.completedAt, lesson.updatedAt])
        if db.totalChangesCount > before { summary.lessons += 1 }
      }
      var quizzes = Set<String>()
      var questions = Set<String>()
      var attemptIDs: [String: Int64] = [:]
      for attempt in bundle.attempts {
        if let row = try Row.fetchOne(
          db, sql: "SELECT id, finishedAt FROM quizAttempt WHERE learnerId = ? AND uid = ?",
          arguments: [learner, attempt.uid])
        {
          attemptIDs[attempt.uid] = row[0]
          // Finished on the other machine, still open here: it takes the ending.
          if (row[1] as String?) == nil, let finished = attempt.finishedAt {
            try db.execute(
              sql: "UPDATE quizAttempt SET finishedAt = ?, points = ?, total = ? WHERE id = ?",
              arguments: [finished, attempt.points, attempt.total, row[0] as Int64])
            // A submitted exam's answers now count in the statistics.
            questions.formUnion(
              try String.fetchAll(
                db, sql: "SELECT DISTINCT questionID FROM answer WHERE quizAttemptId = ?", arguments: [row[0] as Int64])
            )
            quizzes.insert(attempt.quiz)
            summary.attempts += 1
          }
          continue
        }
        try db.execute(
          sql: """
            INSERT INTO quizAttempt (learnerId, quizID, seed, questionOrder, mode, asksConfidence, startedAt, finishedAt,
              points, total, uid)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            learner, attempt.quiz, attempt.seed, try JSONColumn.json(attempt.order), attempt.mode,
            attempt.asksConfidence, attempt.startedAt, attempt.finishedAt, attempt.points, attempt.total, attempt.uid,
          ])
        attemptIDs[attempt.uid] = db.lastInsertedRowID
        quizzes.insert(attempt.quiz)
        summary.attempts += 1
      }
      let added = try AnswerImport.insert(
        bundle.answers, db: db, learner: learner, attempts: attemptIDs, rebuildingIndexesFrom: rebuildingIndexesFrom)
      summary.answers = added.count
      questions.formUnion(added.questions)
      for card in bundle.cards {
        let before = db.totalChangesCount
        try db.cachedStatement(
          sql: """
            INSERT INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty,
              lastReview, due, reps, failures, isLeech)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (learnerId, questionID) DO UPDATE SET
              questionVersion = excluded.questionVersion, state = excluded.state, step = excluded.step,
              stability = excluded.stability, difficulty = excluded.difficulty, lastReview = excluded.lastReview,
              due = excluded.due, reps = excluded.reps, failures = excluded.failures, isLeech = excluded.isLeech
            WHERE excluded.lastReview > lastReview OR (lastReview IS NULL AND excluded.lastReview IS NOT NULL)
            """
        ).execute(arguments: [
          learner, card.question, card.questionVersion, card.state, card.step, card.stability, card.difficulty,
          card.lastReview, card.due, card.reps, card.failures, card.isLeech,
        ])
        if db.totalChangesCount > before { summary.cards += 1 }
      }
      for flag in bundle.flags {
        try db.execute(
          sql: "INSERT OR IGNORE INTO flag (learnerId, questionID, flaggedAt) VALUES (?, ?, ?)",
          arguments: [learner, flag.question, flag.flaggedAt])
        summary.flags += db.changesCount
      }
      for (key, value) in bundle.settings.sorted(by: { $0.key < $1.key }) {
        try db.execute(
          sql: "INSERT OR IGNORE INTO setting (learnerId, key, value) VALUES (?, ?, ?)",
          arguments: [learner, key, value])
        summary.settings += db.changesCount
      }
      if let resume = bundle.resume {
        try db.execute(
          sql: "INSERT OR IGNORE INTO resume (learnerId, kind, itemID, step, updatedAt) VALUES (?, ?, ?, ?, ?)",
          arguments: [learner, resume.kind, resume.item, resume.step, resume.updatedAt])
      }
      // The summaries kept beside the history, for what changed.
      for quiz in quizzes.sorted() { try QuizState.rebuild(SQLiteConnection(db: db), learner: learner, quizID: quiz) }
      try QuestionStats.refresh(SQLiteConnection(db: db), learner: learner, questions: questions)
      return summary
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
      return try insertOneByOne(answers, db: db, learner: learner, attempts: attempts)
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

  static func insertOneByOne(
    _ answers: [ProgressBundle.Answer], db: Database, learner: Int64, attempts: [String: Int64]
  ) throws -> (count: Int, questions: Set<String>) {
    let insert = try db.makeStatement(
      sql: """
        INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score,
          chosen, hintsUsed, confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating,
          responseData, uid)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (learnerId, uid) DO NOTHING
        """)
    var questions = Set<String>()
    var count = 0
    for answer in answers {
      try insert.execute(arguments: [
        learner, answer.question, answer.questionVersion, answer.lesson, answer.quiz,
        answer.attempt.flatMap { attempts[$0] }, answer.response, answer.score, try JSONColumn.json(answer.chosen),
        answer.hintsUsed, answer.confidence, answer.durationMs, answer.mode, answer.answeredAt, answer.stateBefore,
        try answer.shownOrder.map(JSONColumn.json), answer.deferredRating, answer.given, answer.uid,
      ])
      if db.changesCount > 0 {
        count += 1
        questions.insert(answer.question)
      }
    }
    return (count, questions)
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

  func bind(_ index: Int32, _ value: String?) {
    guard var value else {
      sqlite3_bind_null(statement, index)
      return
    }
    // Up to a NUL, as GRDB binds text: both ways of importing store the same bytes.
    value.withUTF8 { whole in
      let bytes = UnsafeBufferPointer(rebasing: whole[..<(whole.firstIndex(of: 0) ?? whole.endIndex)])
      guard let base = bytes.baseAddress, !bytes.isEmpty else {
        sqlite3_bind_text(statement, index, "", 0, Self.transient)
        return
      }
      guard used + bytes.count <= Self.arenaSize else {
        sqlite3_bind_text(
          statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
          Int32(bytes.count), Self.transient)
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

extension SQLiteProgressStore {
  /// How many answers and attempts a reset would remove.
  public func resetCounts(_ scope: ResetScope, learner: Int64) throws -> (answers: Int, attempts: Int) {
    try reading { db in
      let (answers, attempts) = Self.resetFilters(scope)
      return (
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM answer WHERE learnerId = ? AND \(answers.sql)",
          arguments: Self.arguments(learner, answers.arguments)) ?? 0,
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM quizAttempt WHERE learnerId = ? AND \(attempts.sql)",
          arguments: Self.arguments(learner, attempts.arguments)) ?? 0
      )
    }
  }

  static func arguments(_ learner: Int64, _ rest: [String]) -> StatementArguments {
    StatementArguments([learner]) + StatementArguments(rest)
  }

  static func resetFilters(_ scope: ResetScope) -> (
    answers: (sql: String, arguments: [String]), attempts: (sql: String, arguments: [String])
  ) {
    switch scope {
    case .lesson(let id): (("lessonID = ?", [id]), ("0", []))
    case .quiz(let id): (("quizID = ?", [id]), ("quizID = ?", [id]))
    case .all: (("1", []), ("1", []))
    }
  }

  /// Clears a lesson's state and answers, a quiz's attempts and answers, or everything of the
  /// learner but the settings, in one transaction. A question left with no answers loses its
  /// schedule; the summaries follow.
  public func reset(_ scope: ResetScope, learner: Int64) throws {
    try writing { db in
      let (answers, attempts) = Self.resetFilters(scope)
      let questions = try String.fetchAll(
        db, sql: "SELECT DISTINCT questionID FROM answer WHERE learnerId = ? AND \(answers.sql)",
        arguments: Self.arguments(learner, answers.arguments))
      try db.execute(
        sql: "DELETE FROM answer WHERE learnerId = ? AND \(answers.sql)",
        arguments: Self.arguments(learner, answers.arguments))
      try db.execute(
        sql: "DELETE FROM quizAttempt WHERE learnerId = ? AND \(attempts.sql)",
        arguments: Self.arguments(learner, attempts.arguments))
      switch scope {
      case .lesson(let id):
        try db.execute(sql: "DELETE FROM lessonState WHERE learnerId = ? AND lessonID = ?", arguments: [learner, id])
        try db.execute(
          sql: "DELETE FROM resume WHERE learnerId = ? AND kind = 'lesson' AND itemID = ?", arguments: [learner, id])
      case .quiz(let id):
        try db.execute(sql: "DELETE FROM quizState WHERE learnerId = ? AND quizID = ?", arguments: [learner, id])
        try db.execute(
          sql: "DELETE FROM resume WHERE learnerId = ? AND kind = 'quiz' AND itemID = ?", arguments: [learner, id])
      case .all:
        for table in ["lessonState", "quizState", "resume", "flag", "reviewCard", "questionStats", "studyDay"] {
          try db.execute(sql: "DELETE FROM \(table) WHERE learnerId = ?", arguments: [learner])
        }
      }
      for question in questions {
        try QuestionStats.refresh(SQLiteConnection(db: db), learner: learner, questionID: question)
        try db.execute(
          sql: """
            DELETE FROM reviewCard WHERE learnerId = ?1 AND questionID = ?2
              AND NOT EXISTS (SELECT 1 FROM answer WHERE learnerId = ?1 AND questionID = ?2)
            """, arguments: [learner, question])
      }
    }
  }
}
