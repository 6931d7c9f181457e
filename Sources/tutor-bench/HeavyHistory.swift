import Foundation
import GRDB
import TutorCore
import TutorStore

/// A heavy learner's store for the progress benchmarks (the size of a heavy Anki user's review
/// log): `answers` answers over `items` scheduled questions (the course's, then made-up ones)
/// across three years. The history is written in bulk; the summaries (question statistics,
/// study days, quiz states, lasting ids) are then built by the store's own migrations, as they
/// would be for a store that grew before them.
func writeHeavyHistory(course: Course, path: String, learnerName: String, answers: Int, items: Int) throws {
  try? FileManager.default.removeItem(atPath: path)
  _ = try SQLiteProgressStore(path: path).learnerID(named: learnerName, at: Date())
  let queue = try DatabaseQueue(path: path)
  let courseIDs = course.questionsByID.keys.sorted()
  let ids = (0..<items).map { $0 < courseIDs.count ? courseIDs[$0] : "bench-\($0)" }
  let now = Date()
  let span = 3 * 365 * 86_400.0
  var generator = SeededGenerator(seed: 11)
  func stored(_ date: Date) -> String {
    let text = Timestamp.format(date)  // yyyy-MM-ddTHH:mm:ss.ffffffZ
    return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(12))
  }
  try queue.writeWithoutTransaction { db in
    try db.execute(
      sql: """
        DROP TABLE quizState; DROP TABLE questionStats; DROP INDEX answerByQuestion; DROP INDEX answerInLesson;
        DROP INDEX answerByModeAndTime; DROP TABLE studyDay; DROP TRIGGER studyDayAnswered; DROP TRIGGER studyDayWithdrawn;
        DROP INDEX answerUID; DROP INDEX quizAttemptUID; ALTER TABLE answer DROP COLUMN uid; ALTER TABLE quizAttempt DROP COLUMN uid;
        CREATE INDEX answer_on_learnerId ON answer(learnerId); CREATE INDEX answer_on_questionID ON answer(questionID);
        DELETE FROM grdb_migrations WHERE identifier IN ('v7-start-up-summaries', 'v8-question-stats', 'v9-progress-that-travels',
          'v10-leaner-answer-indexes', 'v11-study-days-covered');
        PRAGMA user_version = 0
        """)
    try db.inTransaction {
      let learner = try Int64.fetchOne(db, sql: "SELECT id FROM learner") ?? 1
      let insert = try db.makeStatement(
        sql: """
          INSERT INTO answer (learnerId, questionID, questionVersion, response, score, chosen, hintsUsed, durationMs, mode,
            answeredAt, stateBefore)
          VALUES (?, ?, 1, ?, ?, ?, 0, ?, 'review', ?, 2)
          """)
      for index in 0..<answers {
        let right = generator.next() % 5 != 0
        let at = now.addingTimeInterval(-span + span * Double(index) / Double(answers))
        try insert.execute(arguments: [
          learner, ids[Int(generator.next() % UInt64(items))], right ? "a" : "b", right ? 1.0 : 0.0,
          right ? "[\"a\"]" : "[\"b\"]", Int(generator.next() % 20_000) + 2_000, stored(at),
        ])
      }
      let card = try db.makeStatement(
        sql: """
          INSERT INTO reviewCard (learnerId, questionID, questionVersion, state, step, stability, difficulty, lastReview,
            due, reps, failures, isLeech)
          VALUES (?, ?, 1, 2, NULL, ?, 5.0, ?, ?, 8, 1, 0)
          """)
      for id in ids {
        let stability = Double(generator.next() % 300) + 1
        let last = now.addingTimeInterval(-Double(generator.next() % 60) * 86_400)
        try card.execute(arguments: [
          learner, id, stability, stored(last), stored(last.addingTimeInterval(stability * 86_400)),
        ])
      }
      return .commit
    }
  }
  try queue.close()
  // The migrations build every summary from the history.
  let clock = ContinuousClock()
  let migration = try clock.measure { _ = try SQLiteProgressStore(path: path) }
  print(
    "wrote \(answers) answers over \(items) scheduled questions; the migrations built the summaries in \(migration)")
}

/// How long the progress review takes on a store: the store's reads (one transaction), the
/// report, and the Progress screen's lines at 80x24; and a bundle's export and import.
func progressBenchmark(course: Course, path: String, learnerName: String) throws {
  let clock = ContinuousClock()
  var samples: [Duration] = []
  var store = try SQLiteProgressStore(path: path)
  let learner = try store.learnerID(named: learnerName, at: Date())
  var review: ProgressReview?
  let questions = Array(course.questionsByID.keys)
  for _ in 0..<11 {
    samples.append(
      try clock.measure {
        let read = try store.progressReview(learner: learner, now: Date(), questions: { questions })
        let report = ProgressReport(course: course, review: read)
        _ = report.lines
        review = read
      })
  }
  print(
    "progress review as the Progress screen reads it (store reads, report): median \(ms(median(samples))); "
      + "\(review?.stats.count ?? 0) of the course's questions answered, \(review?.progress.review.scheduled ?? 0) scheduled"
  )
  let stamp = ProgressBundle.CourseStamp(id: course.info.id, title: course.info.title, questions: [:])
  var bundle: ProgressBundle?
  var data = Data()
  let export = try clock.measure {
    bundle = try store.bundle(learner: learner, name: learnerName, course: stamp, tutor: "bench", at: Date())
    data = try bundle!.json()
  }
  print("export: \(ms(export)) for \(bundle?.answers.count ?? 0) answers (\(data.count / 1_000_000) MB of JSON)")
  store.close()
  let target = path + ".import.sqlite"
  try? FileManager.default.removeItem(atPath: target)
  store = try SQLiteProgressStore(path: target)
  let other = try store.learnerID(named: learnerName, at: Date())
  var decoded: ProgressBundle?
  let reading = clock.measure {
    if case .success(let read) = ProgressBundle.read(data) { decoded = read }
  }
  guard let decoded else { throw CocoaError(.fileReadCorruptFile) }
  let merging = try clock.measure { _ = try store.merge(decoded, learner: other) }
  print(
    "import into an empty store: \(ms(reading + merging)) (reading the bundle \(ms(reading)), merging \(ms(merging)))")
  let again = try clock.measure {
    guard case .success(let read) = ProgressBundle.read(data) else { throw CocoaError(.fileReadCorruptFile) }
    _ = try store.merge(read, learner: other)
  }
  print("import again (nothing new): \(ms(again))")
  store.close()
  try? FileManager.default.removeItem(atPath: target)
}
