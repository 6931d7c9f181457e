import Foundation
import GRDB
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
      let answers = try Row.fetchCursor(
        db,
        sql: """
          SELECT uid, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score, chosen, hintsUsed,
            confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating, responseData
          FROM answer WHERE learnerId = ? ORDER BY answeredAt, id
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

  /// Merges a bundle into a learner's progress in one transaction, losing neither side's
  /// answers: answers and attempts are matched by their lasting ids (so a second import adds
  /// nothing), a lesson keeps the furthest step and the first completion, a question keeps the
  /// schedule reviewed last, flags join, and settings and the resume point already here stay.
  public func merge(_ bundle: ProgressBundle, learner: Int64) throws -> ImportSummary {
    try writing { db in
      // A cache large enough for the indexes a big import writes all over (the answers' random
      // ids): with SQLite's default of 2 MB, a million answers wrote their pages again and again.
      try db.execute(sql: "PRAGMA cache_size = -262144")
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
      // Many answers: the study-day trigger is set aside and the days counted again after.
      let bulk = bundle.answers.count > 5_000
      if bulk { try db.execute(sql: "DROP TRIGGER studyDayAnswered") }
      let insert = try db.makeStatement(
        sql: """
          INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score,
            chosen, hintsUsed, confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating,
            responseData, uid)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (learnerId, uid) DO NOTHING
          """)
      for answer in bundle.answers {
        try insert.execute(arguments: [
          learner, answer.question, answer.questionVersion, answer.lesson, answer.quiz,
          answer.attempt.flatMap { attemptIDs[$0] }, answer.response, answer.score, try JSONColumn.json(answer.chosen),
          answer.hintsUsed, answer.confidence, answer.durationMs, answer.mode, answer.answeredAt, answer.stateBefore,
          try answer.shownOrder.map(JSONColumn.json), answer.deferredRating, answer.given, answer.uid,
        ])
        if db.changesCount > 0 {
          summary.answers += 1
          questions.insert(answer.question)
        }
      }
      if bulk {
        try db.execute(sql: StudyDays.answeredTrigger)
        try StudyDays.recount(db, learner: learner)
      }
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
      for quiz in quizzes.sorted() { try QuizState.rebuild(db, learner: learner, quizID: quiz) }
      for question in questions.sorted() { try QuestionStats.refresh(db, learner: learner, questionID: question) }
      return summary
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
        try QuestionStats.refresh(db, learner: learner, questionID: question)
        try db.execute(
          sql: """
            DELETE FROM reviewCard WHERE learnerId = ?1 AND questionID = ?2
              AND NOT EXISTS (SELECT 1 FROM answer WHERE learnerId = ?1 AND questionID = ?2)
            """, arguments: [learner, question])
      }
    }
  }
}
