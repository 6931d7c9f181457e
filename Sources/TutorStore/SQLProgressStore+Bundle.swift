import Foundation
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

/// A bundle's answers to add: how many were new, and the questions they touched.
public typealias AddedAnswers = (count: Int, questions: Set<String>)

extension SQLProgressStore {
  // MARK: - Bundles

  /// One learner's whole progress, as a bundle (read in one transaction).
  public func bundle(learner: Int64, name: String, course: ProgressBundle.CourseStamp, tutor: String, at date: Date)
    throws -> ProgressBundle
  {
    try read { db in
      var bundle = ProgressBundle(tutor: tutor, exportedAt: StoredDate.text(date), learner: name, course: course)
      bundle.lessons = try db.rows(
        "SELECT lessonID, step, completedAt, updatedAt FROM lessonState WHERE learnerId = ? ORDER BY lessonID",
        [learner]
      ) { row in
        .init(
          lesson: try row.string(0), step: try row.int(1), completedAt: try row.storedDateText(2),
          updatedAt: try row.storedDateText(3) ?? "")
      }
      var attemptUIDs: [Int64: String] = [:]
      try db.forEach(
        """
        SELECT id, uid, quizID, seed, questionOrder, mode, asksConfidence, startedAt, finishedAt, points, total
        FROM quizAttempt WHERE learnerId = ? ORDER BY id
        """, [learner]
      ) { row in
        let uid = try row.string(1)
        attemptUIDs[try row.int64(0)] = uid
        bundle.attempts.append(
          .init(
            uid: uid, quiz: try row.string(2), seed: try row.int64(3), order: try JSONColumn.decodeJSON(row.string(4)),
            mode: try row.string(5), asksConfidence: try row.bool(6), startedAt: try row.storedDateText(7) ?? "",
            finishedAt: try row.storedDateText(8), points: try row.doubleOrNil(9), total: try row.intOrNil(10)))
      }
      // A learner who holds most of a SQLite store's answers: one pass over the table in its own
      // order (an index would visit the rows all over the file, three times slower).
      var table = "answer"
      if db.dialect == .sqlite {
        let theirs = try db.one("SELECT COUNT(*) FROM answer WHERE learnerId = ?", [learner]) { try $0.int(0) } ?? 0
        let all = try db.one("SELECT COUNT(*) FROM answer") { try $0.int(0) } ?? 0
        if theirs * 2 > all { table = "answer NOT INDEXED" }
      }
      try db.forEach(
        """
        SELECT uid, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score, chosen, hintsUsed,
          confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating, responseData
        FROM \(table) WHERE learnerId = ? ORDER BY answeredAt, id
        """, [learner]
      ) { row in
        bundle.answers.append(
          .init(
            uid: try row.string(0), question: try row.string(1), questionVersion: try row.int(2),
            lesson: try row.stringOrNil(3), quiz: try row.stringOrNil(4),
            attempt: try row.int64OrNil(5).flatMap { attemptUIDs[$0] }, response: try row.string(6),
            score: try row.double(7), chosen: try JSONColumn.decodeJSON(row.string(8)), hintsUsed: try row.int(9),
            confidence: try row.stringOrNil(10), durationMs: try row.intOrNil(11), mode: try row.string(12),
            answeredAt: try row.storedDateText(13) ?? "", stateBefore: try row.intOrNil(14),
            shownOrder: try row.stringOrNil(15).map(JSONColumn.decodeJSON), deferredRating: try row.intOrNil(16),
            given: try row.stringOrNil(17)))
      }
      bundle.cards = try db.rows(
        """
        SELECT questionID, questionVersion, state, step, stability, difficulty, lastReview, due, reps, failures, isLeech
        FROM reviewCard WHERE learnerId = ? ORDER BY questionID
        """, [learner]
      ) { row in
        .init(
          question: try row.string(0), questionVersion: try row.int(1), state: try row.int(2),
          step: try row.intOrNil(3),
          stability: try row.doubleOrNil(4), difficulty: try row.doubleOrNil(5), lastReview: try row.storedDateText(6),
          due: try row.storedDateText(7) ?? "", reps: try row.int(8), failures: try row.int(9),
          isLeech: try row.bool(10))
      }
      bundle.flags = try db.rows(
        "SELECT questionID, flaggedAt FROM flag WHERE learnerId = ? ORDER BY questionID", [learner]
      ) { .init(question: try $0.string(0), flaggedAt: try $0.storedDateText(1) ?? "") }
      try db.forEach("SELECT key, value FROM setting WHERE learnerId = ?", [learner]) {
        bundle.settings[try $0.string(0)] = try $0.string(1)
      }
      bundle.resume = try db.one("SELECT kind, itemID, step, updatedAt FROM resume WHERE learnerId = ?", [learner]) {
        .init(
          kind: try $0.string(0), item: try $0.string(1), step: try $0.int(2), updatedAt: try $0.storedDateText(3) ?? ""
        )
      }
      return bundle
    }
  }

  /// Merges a bundle into a learner's progress in one transaction (see `merge(_:db:learner:)`),
  /// its answers one statement each.
  public func merge(_ bundle: ProgressBundle, learner: Int64) throws -> ImportSummary {
    try write { db in
      try Self.merge(bundle, db: db, learner: learner) { answers, attempts in
        try Self.insertOneByOne(answers, db: db, learner: learner, attempts: attempts)
      }
    }
  }

  /// Merges a bundle into a learner's progress, losing neither side's answers: answers and
  /// attempts are matched by their lasting ids (so a second import adds nothing), a lesson keeps
  /// the furthest step and the first completion, a question keeps the schedule reviewed last,
  /// flags join, and settings and the resume point already here stay. `insertAnswers` adds the
  /// answers the store does not hold yet.
  static func merge(
    _ bundle: ProgressBundle, db: Connection, learner: Int64,
    insertAnswers: ([ProgressBundle.Answer], [String: Int64]) throws -> AddedAnswers
  ) throws -> ImportSummary {
    let d = db.dialect
    var summary = ImportSummary()
    for lesson in bundle.lessons {
      let changed = try db.one(
        """
        INSERT INTO lessonState (learnerId, lessonID, step, completedAt, updatedAt) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (learnerId, lessonID) DO UPDATE SET
          step = \(d.greatest("lessonState.step", "excluded.step")),
          completedAt = CASE WHEN lessonState.completedAt IS NULL THEN excluded.completedAt
            WHEN excluded.completedAt IS NULL THEN lessonState.completedAt
            ELSE \(d.least("lessonState.completedAt", "excluded.completedAt")) END,
          updatedAt = \(d.greatest("lessonState.updatedAt", "excluded.updatedAt"))
        WHERE excluded.step > lessonState.step
          OR (lessonState.completedAt IS NULL AND excluded.completedAt IS NOT NULL)
          OR excluded.completedAt < lessonState.completedAt
        RETURNING 1
        """,
        [
          learner, lesson.lesson, lesson.step, lesson.completedAt.map(SQLValue.dateText),
          SQLValue.dateText(lesson.updatedAt),
        ]
      ) { _ in true }
      if changed != nil { summary.lessons += 1 }
    }
    var quizzes = Set<String>()
    var questions = Set<String>()
    var attemptIDs: [String: Int64] = [:]
    for attempt in bundle.attempts {
      if let (id, finished) = try db.one(
        "SELECT id, finishedAt IS NOT NULL FROM quizAttempt WHERE learnerId = ? AND uid = ?", [learner, attempt.uid],
        { (try $0.int64(0), try $0.bool(1)) })
      {
        attemptIDs[attempt.uid] = id
        // Finished on the other machine, still open here: it takes the ending.
        if !finished, let finishedAt = attempt.finishedAt {
          try db.execute(
            "UPDATE quizAttempt SET finishedAt = ?, points = ?, total = ? WHERE id = ?",
            [SQLValue.dateText(finishedAt), attempt.points, attempt.total, id])
          // A submitted exam's answers now count in the statistics.
          questions.formUnion(
            try db.rows("SELECT DISTINCT questionID FROM answer WHERE quizAttemptId = ?", [id]) { try $0.string(0) })
          quizzes.insert(attempt.quiz)
          summary.attempts += 1
        }
        continue
      }
      attemptIDs[attempt.uid] =
        try db.one(
          """
          INSERT INTO quizAttempt (learnerId, quizID, seed, questionOrder, mode, asksConfidence, startedAt, finishedAt,
            points, total, uid)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
          """,
          [
            learner, attempt.quiz, attempt.seed, try JSONColumn.json(attempt.order), attempt.mode,
            attempt.asksConfidence, SQLValue.dateText(attempt.startedAt), attempt.finishedAt.map(SQLValue.dateText),
            attempt.points, attempt.total, attempt.uid,
          ]
        ) { try $0.int64(0) }
      quizzes.insert(attempt.quiz)
      summary.attempts += 1
    }
    let added = try insertAnswers(bundle.answers, attemptIDs)
    summary.answers = added.count
    questions.formUnion(added.questions)
    for card in bundle.cards {
      let changed = try db.one(
        """
        INSERT INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty,
          lastReview, due, reps, failures, isLeech)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (learnerId, questionID) DO UPDATE SET
          questionVersion = excluded.questionVersion, state = excluded.state, step = excluded.step,
          stability = excluded.stability, difficulty = excluded.difficulty, lastReview = excluded.lastReview,
          due = excluded.due, reps = excluded.reps, failures = excluded.failures, isLeech = excluded.isLeech
        WHERE excluded.lastReview > reviewCard.lastReview
          OR (reviewCard.lastReview IS NULL AND excluded.lastReview IS NOT NULL)
        RETURNING 1
        """,
        [
          learner, card.question, card.questionVersion, card.state, card.step, card.stability, card.difficulty,
          card.lastReview.map(SQLValue.dateText), SQLValue.dateText(card.due), card.reps, card.failures, card.isLeech,
        ]
      ) { _ in true }
      if changed != nil { summary.cards += 1 }
    }
    for flag in bundle.flags {
      let added = try db.one(
        """
        INSERT INTO flag (learnerId, questionID, flaggedAt) VALUES (?, ?, ?)
        ON CONFLICT (learnerId, questionID) DO NOTHING RETURNING 1
        """, [learner, flag.question, SQLValue.dateText(flag.flaggedAt)]
      ) { _ in true }
      if added != nil { summary.flags += 1 }
    }
    for (key, value) in bundle.settings.sorted(by: { $0.key < $1.key }) {
      let added = try db.one(
        "INSERT INTO setting (learnerId, key, value) VALUES (?, ?, ?) ON CONFLICT (learnerId, key) DO NOTHING RETURNING 1",
        [learner, key, value]
      ) { _ in true }
      if added != nil { summary.settings += 1 }
    }
    if let resume = bundle.resume {
      try db.execute(
        """
        INSERT INTO resume (learnerId, kind, itemID, step, updatedAt) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (learnerId) DO NOTHING
        """, [learner, resume.kind, resume.item, resume.step, SQLValue.dateText(resume.updatedAt)])
    }
    // The summaries kept beside the history, for what changed.
    for quiz in quizzes.sorted() { try QuizState.rebuild(db, learner: learner, quizID: quiz) }
    try QuestionStats.refresh(db, learner: learner, questions: questions)
    return summary
  }

  /// The answers the store does not hold yet, one statement each.
  static func insertOneByOne(
    _ answers: [ProgressBundle.Answer], db: Connection, learner: Int64, attempts: [String: Int64]
  ) throws -> AddedAnswers {
    var questions = Set<String>()
    var count = 0
    for answer in answers {
      let added = try db.one(
        """
        INSERT INTO answer (learnerId, questionID, questionVersion, lessonID, quizID, quizAttemptId, response, score,
          chosen, hintsUsed, confidence, durationMs, mode, answeredAt, stateBefore, shownOrder, deferredRating,
          responseData, uid)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (learnerId, uid) DO NOTHING RETURNING 1
        """,
        [
          learner, answer.question, answer.questionVersion, answer.lesson, answer.quiz,
          answer.attempt.flatMap { attempts[$0] }, answer.response, answer.score, try JSONColumn.json(answer.chosen),
          answer.hintsUsed, answer.confidence, answer.durationMs, answer.mode, SQLValue.dateText(answer.answeredAt),
          answer.stateBefore, try answer.shownOrder.map(JSONColumn.json), answer.deferredRating, answer.given,
          answer.uid,
        ]
      ) { _ in true }
      if added != nil {
        count += 1
        questions.insert(answer.question)
      }
    }
    return (count, questions)
  }

  // MARK: - Reset

  /// How many answers and attempts a reset would remove.
  public func resetCounts(_ scope: ResetScope, learner: Int64) throws -> (answers: Int, attempts: Int) {
    try read { db in
      let (answers, attempts) = Self.resetFilters(scope)
      return (
        try db.one(
          "SELECT COUNT(*) FROM answer WHERE learnerId = ? AND \(answers.sql)",
          [learner as any SQLBindable] + answers.arguments
        ) { try $0.int(0) } ?? 0,
        try db.one(
          "SELECT COUNT(*) FROM quizAttempt WHERE learnerId = ? AND \(attempts.sql)",
          [learner as any SQLBindable] + attempts.arguments
        ) { try $0.int(0) } ?? 0
      )
    }
  }

  static func resetFilters(_ scope: ResetScope) -> (
    answers: (sql: String, arguments: [String]), attempts: (sql: String, arguments: [String])
  ) {
    switch scope {
    case .lesson(let id): (("lessonID = ?", [id]), ("FALSE", []))
    case .quiz(let id): (("quizID = ?", [id]), ("quizID = ?", [id]))
    case .all: (("TRUE", []), ("TRUE", []))
    }
  }

  /// Clears a lesson's state and answers, a quiz's attempts and answers, or everything of the
  /// learner but the settings, in one transaction. A question left with no answers loses its
  /// schedule; the summaries follow.
  public func reset(_ scope: ResetScope, learner: Int64) throws {
    try write { db in
      let (answers, attempts) = Self.resetFilters(scope)
      let questions = try db.rows(
        "SELECT DISTINCT questionID FROM answer WHERE learnerId = ? AND \(answers.sql) ORDER BY questionID",
        [learner as any SQLBindable] + answers.arguments
      ) { try $0.string(0) }
      try db.execute(
        "DELETE FROM answer WHERE learnerId = ? AND \(answers.sql)", [learner as any SQLBindable] + answers.arguments)
      try db.execute(
        "DELETE FROM quizAttempt WHERE learnerId = ? AND \(attempts.sql)",
        [learner as any SQLBindable] + attempts.arguments)
      switch scope {
      case .lesson(let id):
        try db.execute("DELETE FROM lessonState WHERE learnerId = ? AND lessonID = ?", [learner, id])
        try db.execute("DELETE FROM resume WHERE learnerId = ? AND kind = 'lesson' AND itemID = ?", [learner, id])
      case .quiz(let id):
        try db.execute("DELETE FROM quizState WHERE learnerId = ? AND quizID = ?", [learner, id])
        try db.execute("DELETE FROM resume WHERE learnerId = ? AND kind = 'quiz' AND itemID = ?", [learner, id])
      case .all:
        for table in ["lessonState", "quizState", "resume", "flag", "reviewCard", "questionStats", "studyDay"] {
          try db.execute("DELETE FROM \(table) WHERE learnerId = ?", [learner])
        }
      }
      for question in questions {
        try QuestionStats.refresh(db, learner: learner, questionID: question)
        try db.execute(
          """
          DELETE FROM reviewCard WHERE learnerId = ?1 AND questionID = ?2
            AND NOT EXISTS (SELECT 1 FROM answer WHERE learnerId = ?1 AND questionID = ?2)
          """, [learner, question])
      }
    }
  }
}
