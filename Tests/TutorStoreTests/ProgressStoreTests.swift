import Foundation
import GRDB
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorStore

@Suite struct ProgressStoreTests {
  let folder = Fixtures.temporaryFolder()
  var path: String { folder.appendingPathComponent("nested/progress.sqlite").path }

  func answer(_ id: String, score: Double, context: AnswerRecord.Context, chosen: [String] = ["a"]) -> AnswerRecord {
    AnswerRecord(
      questionID: id, questionVersion: 2, context: context, response: chosen.joined(separator: ","),
      grade: Grade(score: score, chosenChoiceIDs: chosen))
  }

  @Test func createsTheFolderAndUsesWAL() throws {
    let store = try SQLiteProgressStore(path: path)
    _ = try store.learnerID(named: "ana", at: testDate)
    #expect(FileManager.default.fileExists(atPath: path))
    let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
  }

  @Test(arguments: StoreBackend.available) func learnersAreSeparateProfiles(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let ana = try store.learnerID(named: "ana", at: testDate)
    let ben = try store.learnerID(named: "ben", at: testDate)
    #expect(ana != ben)
    #expect(try store.learnerID(named: "ana", at: testDate) == ana)
    try store.saveLessonPosition(learner: ana, lessonID: "basics", step: 3, at: testDate)
    #expect(try store.progress(learner: ben) == LearnerProgress())
    #expect(try store.learnerNames() == ["ana", "ben"])
  }

  @Test(arguments: StoreBackend.available) func lessonPositionCheckpointsAndCompletionRoundTrip(backend: StoreBackend)
    throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    try store.saveLessonPosition(learner: learner, lessonID: "basics", step: 2, at: testDate)
    try store.record(
      answer("q-wrong", score: 0, context: .checkpoint(lesson: "basics")), learner: learner, at: testDate)
    try store.record(
      answer("q-right", score: 1, context: .checkpoint(lesson: "basics")), learner: learner, at: testDate)
    try store.markLessonComplete(learner: learner, lessonID: "basics", at: testDate)
    try store.markLessonComplete(learner: learner, lessonID: "basics", at: testDate)
    let progress = try store.progress(learner: learner)
    #expect(progress.lessons["basics"] == LessonProgress(step: 2, passedCheckpoints: ["q-right"], isComplete: true))
    #expect(progress.resume == .lesson(id: "basics", step: 2))
  }

  @Test(arguments: StoreBackend.available) func anOpenAttemptResumesWithItsOrderAndAnswers(backend: StoreBackend) throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(
      learner: learner, quizID: "quiz", seed: UInt64.max - 3, order: ["b", "a", "c"], at: testDate)
    try store.record(
      answer("b", score: 0.5, context: .quiz(id: "quiz", attempt: attempt), chosen: ["a", "c"]), learner: learner,
      at: testDate)
    var progress = try store.progress(learner: learner)
    #expect(progress.resume == .quiz(id: "quiz"))
    let open = try #require(progress.quizzes["quiz"]?.openAttempt)
    #expect(open.id == attempt)
    #expect(open.seed == UInt64.max - 3)
    #expect(open.order == ["b", "a", "c"])
    #expect(open.grades == ["b": Grade(score: 0.5, chosenChoiceIDs: ["a", "c"])])
    #expect(open.mode == .practice)

    try store.finishAttempt(attempt, learner: learner, score: Score(points: 0.5, total: 3), at: testDate)
    let second = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["a"], at: testDate)
    try store.finishAttempt(second, learner: learner, score: Score(points: 0, total: 3), at: testDate)
    progress = try store.progress(learner: learner)
    #expect(
      progress.quizzes["quiz"]
        == QuizProgress(bestScore: Score(points: 0.5, total: 3), lastScore: Score(points: 0, total: 3)))
    #expect(progress.resume == nil)
  }

  @Test(arguments: StoreBackend.available) func undoDeletesOnlyTheLatestAnswerToThatQuestion(backend: StoreBackend)
    throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["q", "r"], at: testDate)
    try store.record(
      answer("q", score: 0, context: .quiz(id: "quiz", attempt: attempt), chosen: ["b"]), learner: learner, at: testDate
    )
    try store.record(
      answer("r", score: 1, context: .quiz(id: "quiz", attempt: attempt)), learner: learner, at: testDate)
    try store.withdrawLastAnswer(questionID: "q", attempt: attempt, learner: learner)
    let grades = try #require(store.progress(learner: learner).quizzes["quiz"]?.openAttempt).grades
    #expect(grades.keys.sorted() == ["r"])
    #expect(try store.answerCount(learner: learner) == 1)
  }

  @Test(arguments: StoreBackend.available) func retriesAndExamsKeepTheirModeAndRetriesDoNotCountAsQuizScores(
    backend: StoreBackend
  ) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let exam = try store.beginAttempt(
      learner: learner, quizID: "quiz", seed: 1, order: ["q"], mode: .exam, at: testDate)
    #expect(try store.progress(learner: learner).quizzes["quiz"]?.openAttempt?.mode == .exam)
    try store.record(answer("q", score: 1, context: .quiz(id: "quiz", attempt: exam)), learner: learner, at: testDate)
    try store.finishAttempt(exam, learner: learner, score: Score(points: 1, total: 2), at: testDate)
    let retry = try store.beginAttempt(
      learner: learner, quizID: "quiz", seed: 2, order: ["q"], mode: .retry, at: testDate)
    try store.record(answer("q", score: 1, context: .quiz(id: "quiz", attempt: retry)), learner: learner, at: testDate)
    try store.finishAttempt(retry, learner: learner, score: Score(points: 1, total: 1), at: testDate)
    #expect(
      try store.progress(learner: learner).quizzes["quiz"]
        == QuizProgress(bestScore: Score(points: 1, total: 2), lastScore: Score(points: 1, total: 2)))
  }

  @Test func everyAnswerKeepsHintsConfidenceTimeAndMode() throws {
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: testDate)
    var record = answer("q", score: 1, context: .checkpoint(lesson: "l"))
    record.hintsUsed = 2
    record.confidence = .unsure
    record.durationMilliseconds = 4200
    record.mode = .exam
    let id = try store.record(record, learner: learner, at: testDate)
    let row = try #require(
      try DatabaseQueue(path: path).read {
        try Row.fetchOne(
          $0, sql: "SELECT hintsUsed, confidence, durationMs, mode, questionVersion FROM answer WHERE id = ?",
          arguments: [id])
      })
    #expect(row["hintsUsed"] as Int == 2)
    #expect(row["confidence"] as String == "unsure")
    #expect(row["durationMs"] as Int == 4200)
    #expect(row["mode"] as String == "exam")
    #expect(row["questionVersion"] as Int == 2)
  }

  @Test(arguments: StoreBackend.available) func startingOverAbandonsTheOpenAttemptWithoutAScore(backend: StoreBackend)
    throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    _ = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["a"], at: testDate)
    try store.abandonOpenAttempts(learner: learner, quizID: "quiz", at: testDate)
    #expect(try store.progress(learner: learner).quizzes["quiz"] == QuizProgress())
  }

  @Test(arguments: StoreBackend.available) func chosenWrongOptionsAreQueryableAsMisconceptions(backend: StoreBackend)
    throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    for chosen in [["b"], ["b"], ["c"], ["a"]] {
      try store.record(
        answer("q", score: chosen == ["a"] ? 1 : 0, context: .checkpoint(lesson: "l"), chosen: chosen),
        learner: learner, at: testDate)
    }
    #expect(
      try store.answerStats(learner: learner)["q"]
        == AnswerStats(answers: 4, right: 1, wrongPicks: ["b": 2, "c": 1], lastRight: true),
      "the last answer, a, was right")
  }

  /// A reading command on a current store reads through SQLite's own calls, not GRDB: it must
  /// read what GRDB reads, refuse to write through its reader, and still write when it must.
  @Test func aReadingCommandReadsWithoutGRDBWhatGRDBReads() throws {
    let day: TimeInterval = 86400
    do {
      let store = try SQLiteProgressStore(path: path)
      let ana = try store.learnerID(named: "ana", at: testDate)
      try store.saveLessonPosition(learner: ana, lessonID: "basics", step: 2, at: testDate)
      for (index, chosen) in [["b"], ["a"], ["c"], ["a"]].enumerated() {
        var record = answer("q\(index % 2)", score: chosen == ["a"] ? 1 : 0, context: .review, chosen: chosen)
        record.scheduling = .now(chosen == ["a"] ? .good : .again)
        try store.record(record, learner: ana, at: testDate.addingTimeInterval(Double(index) * day))
      }
      try store.record(
        answer("check", score: 0, context: .checkpoint(lesson: "basics"), chosen: ["d"]), learner: ana, at: testDate)
      store.close()
    }
    let now = testDate.addingTimeInterval(10 * day)
    let full = try SQLiteProgressStore(path: path)
    let expected = try full.progressReview(learner: try #require(try full.existingLearnerID(named: "ana")), now: now)
    full.close()
    #expect(expected.stats["q1"]?.answers == 2 && expected.history.memory.count == 2, "the store holds what was saved")

    let reading = try SQLiteProgressStore(path: path, readOnlyIfNeeded: true)
    #expect(!reading.isReadOnly)
    let ana = try #require(try reading.existingLearnerID(named: "ana"))
    #expect(try reading.progressReview(learner: ana, now: now) == expected)
    #expect(throws: StoreError.self, "its reader only reads") {
      try reading.read { try $0.execute("DELETE FROM learner", []) }
    }
    // A learner it does not know is added (through GRDB, opened for it), and then read.
    let ben = try reading.learnerID(named: "ben", at: now)
    #expect(try reading.existingLearnerID(named: "ben") == ben && ben != ana)
    #expect(try reading.learnerNames() == ["ana", "ben"])
    reading.close()
    #expect(throws: StoreError.self, "nothing is read once it is closed") { try reading.learnerNames() }

    // Closed before it wrote: nothing opens GRDB afterwards either.
    let unused = try SQLiteProgressStore(path: path, readOnlyIfNeeded: true)
    unused.close()
    #expect(throws: StoreError.self) {
      try unused.saveLessonPosition(learner: ana, lessonID: "basics", step: 5, at: now)
    }

    // A brief reader alone holds the store for itself, the log's index in memory (no -shm file),
    // and lets go when it must write (GRDB would wait for it for the whole busy timeout).
    let brief = try SQLiteProgressStore(path: path, readOnlyIfNeeded: true, busyTimeout: 0.5, brief: true)
    #expect(try brief.progressReview(learner: ana, now: now) == expected)
    #expect(!FileManager.default.fileExists(atPath: path + "-shm"), "the log's index stays in memory")
    let cara = try brief.learnerID(named: "cara", at: now)
    #expect(try brief.existingLearnerID(named: "cara") == cara)
    #expect(try brief.progressReview(learner: ana, now: now) == expected, "read through GRDB after")
    brief.close()
    // Beside another connection, it shares the store as usual: both read and write.
    let other = try SQLiteProgressStore(path: path)
    #expect(try other.learnerNames() == ["ana", "ben", "cara"])
    let beside = try SQLiteProgressStore(path: path, readOnlyIfNeeded: true, busyTimeout: 0.5, brief: true)
    #expect(try beside.progressReview(learner: ana, now: now) == expected)
    try other.saveLessonPosition(learner: ana, lessonID: "basics", step: 3, at: now)
    #expect(try beside.progress(learner: ana).lessons["basics"]?.step == 3)
    beside.close()
    other.close()
  }

  @Test(arguments: StoreBackend.available) func progressSurvivesReopening(backend: StoreBackend) throws {
    let location = try backend.freshLocation(in: folder)
    do {
      let store = try location.open()
      let learner = try store.learnerID(named: "ana", at: testDate)
      try store.saveLessonPosition(learner: learner, lessonID: "basics", step: 4, at: testDate)
    }
    let store = try location.open()
    #expect(try store.progress(learner: try store.learnerID(named: "ana", at: testDate)).lessons["basics"]?.step == 4)
  }

  // MARK: - Bad stores

  func expectUntouched(_ bytes: Data, _ body: () throws -> Void) rethrows {
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: path, contents: bytes), "the store file to test must be written")
    try body()
    #expect(FileManager.default.contents(atPath: path) == bytes, "the store file must not be changed")
  }

  @Test func aFileThatIsNotADatabaseIsRefusedAndLeftAlone() {
    let bytes = Data("this is my thesis, not a database\n".utf8)
    expectUntouched(bytes) {
      #expect(throws: StoreError.corrupt(path: path, detail: "the file does not start with a SQLite header")) {
        try SQLiteProgressStore(path: path)
      }
    }
    let message = StoreError.corrupt(path: path, detail: "x").description
    #expect(message.contains(path) && message.contains("left untouched") && message.contains("--store"))
  }

  @Test func aDamagedDatabaseIsRefusedAndLeftAlone() throws {
    let store = try SQLiteProgressStore(path: path)
    _ = try store.learnerID(named: "ana", at: testDate)
    var bytes = try #require(FileManager.default.contents(atPath: path))
    // Keep the header, scribble over the rest of the first page.
    for index in 100..<min(bytes.count, 4000) { bytes[index] = 0xA5 }
    try? FileManager.default.removeItem(atPath: path + "-wal")
    try? FileManager.default.removeItem(atPath: path + "-shm")
    expectUntouched(bytes) {
      #expect(throws: StoreError.self) { try SQLiteProgressStore(path: path) }
    }
  }

  @Test func aStoreFromANewerVersionIsRefused() throws {
    _ = try SQLiteProgressStore(path: path)
    try DatabaseQueue(path: path).writeWithoutTransaction { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
      // As a newer tutor stamps its own number of migrations.
      try db.execute(sql: "PRAGMA user_version = \(SQLiteProgressStore.schemaVersion + 1)")
      try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
    let before = try #require(FileManager.default.contents(atPath: path))
    #expect(throws: StoreError.newerSchema(path: path)) { try SQLiteProgressStore(path: path) }
    #expect(FileManager.default.contents(atPath: path) == before)
  }

  @Test func aMigratedStoreIsStampedWithItsNumberOfMigrations() throws {
    #expect(
      SQLiteProgressStore.schemaVersion == Int32(SQLiteProgressStore.migrator.migrations.count),
      "a new migration needs schemaVersion raised with it")
    _ = try SQLiteProgressStore(path: path)
    let read = { try DatabaseQueue(path: self.path).read { try Int32.fetchOne($0, sql: "PRAGMA user_version") } }
    #expect(try read() == Int32(SQLiteProgressStore.migrator.migrations.count))
    // A store migrated before the stamp existed is stamped when next opened.
    try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 0") }
    _ = try SQLiteProgressStore(path: path)
    #expect(try read() == SQLiteProgressStore.schemaVersion)
  }

  @Test func aStoreLockedByAnotherConnectionSaysSo() throws {
    let store = try SQLiteProgressStore(path: path, busyTimeout: 0.2)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let holder = try DatabaseQueue(path: path)
    try holder.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN EXCLUSIVE")
      #expect(throws: StoreError.locked(path: path)) {
        try store.saveLessonPosition(learner: learner, lessonID: "basics", step: 1, at: testDate)
      }
      try db.execute(sql: "ROLLBACK")
    }
    try store.saveLessonPosition(learner: learner, lessonID: "basics", step: 1, at: testDate)
    #expect(try store.progress(learner: learner).lessons["basics"]?.step == 1)
  }

  @Test func theSchemaMigratesFromEmpty() throws {
    _ = try SQLiteProgressStore(path: path)
    let tables = try DatabaseQueue(path: path).read {
      try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    }
    #expect(
      tables == [
        "answer", "classAnswer", "classSession", "classStudent", "flag", "grdb_migrations", "learner", "lessonState",
        "questionStats", "quizAttempt", "quizState", "resume", "reviewCard", "setting", "sqlite_sequence", "studyDay",
      ])
  }
}

/// The review schedule kept with each answer.
@Suite struct ReviewScheduleTests {
  let folder = Fixtures.temporaryFolder()
  var path: String { folder.appendingPathComponent("p.sqlite").path }
  static let start = Date(timeIntervalSince1970: 1_800_000_000)

  /// An answer given in a quiz (the way questions first enter the queue).
  func answer(_ id: String, _ rating: FSRS.Rating?, version: Int = 1, score: Double = 1) -> AnswerRecord {
    AnswerRecord(
      questionID: id, questionVersion: version, context: .review, response: "x", grade: Grade(score: score),
      mode: .practice,
      rating: rating)
  }

  @Test(arguments: StoreBackend.available) func theFirstAnswerStartsASchedule(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    try store.record(answer("q", .good), learner: learner, at: Self.start)
    let card = try #require(try store.reviewCard(learner: learner, questionID: "q"))
    #expect(card.state == .learning)
    #expect(card.step == 1)
    #expect(card.due == Self.start.addingTimeInterval(600))
    #expect(card.stability == 2.3065)
  }

  @Test(arguments: StoreBackend.available) func theScheduleMovesWithEachRatedAnswerAndCramLeavesItAlone(
    backend: StoreBackend
  ) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    try store.record(answer("q", .good), learner: learner, at: Self.start)
    try store.record(answer("q", .good), learner: learner, at: Self.start.addingTimeInterval(700))
    let graduated = try #require(try store.reviewCard(learner: learner, questionID: "q"))
    #expect(graduated.state == .review)
    #expect(
      graduated.due == Self.start.addingTimeInterval(700 + 2 * 86400),
      "2.3065 days rounds to 2; intervals under 2.5 days are not fuzzed")
    try store.record(answer("q", nil), learner: learner, at: Self.start.addingTimeInterval(800))
    #expect(try store.reviewCard(learner: learner, questionID: "q") == graduated)
  }

  @Test(arguments: StoreBackend.available) func fuzzIsReproducibleFromTheQuestionAndItsReviewCount(
    backend: StoreBackend
  ) throws {
    var dues: [Date] = []
    for _ in 0..<2 {
      let store = try backend.freshStore(in: folder)
      let learner = try store.learnerID(named: "ana", at: testDate)
      var now = Self.start
      for rating in [FSRS.Rating.easy, .good, .good] {
        try store.record(answer("fuzzed", rating), learner: learner, at: now)
        now = try #require(try store.reviewCard(learner: learner, questionID: "fuzzed")).due
      }
      dues.append(now)
    }
    #expect(dues[0] == dues[1])
  }

  @Test(arguments: StoreBackend.available) func raisingTheVersionStartsAfresh(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    try store.record(answer("q", .easy), learner: learner, at: Self.start)
    #expect(try store.reviewCard(learner: learner, questionID: "q")?.state == .review)
    try store.record(answer("q", .good, version: 1), learner: learner, at: Self.start.addingTimeInterval(86400 * 9))
    #expect(try store.reviewCard(learner: learner, questionID: "q")?.state == .review, "a text fix keeps the schedule")
    try store.record(answer("q", .good, version: 2), learner: learner, at: Self.start.addingTimeInterval(86400 * 30))
    let fresh = try #require(try store.reviewCard(learner: learner, questionID: "q"))
    #expect(fresh.state == .learning)
    #expect(fresh.stability == 2.3065, "a first Good again")
  }

  @Test(arguments: StoreBackend.available) func aQuestionFailedAgainAndAgainBecomesALeech(backend: StoreBackend) throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    #expect(try store.setSetting("leech-threshold", to: "3", learner: learner) == nil)
    for index in 0..<3 {
      try store.record(
        answer("hard-one", .again, score: 0), learner: learner, at: Self.start.addingTimeInterval(Double(index) * 60))
    }
    #expect(try store.reviewQueue(learner: learner, now: Self.start).leeches == ["hard-one"])
  }

  @Test(arguments: StoreBackend.available) func theQueueHoldsWhatIsDueWithinTheDailyLimitsAndAForecast(
    backend: StoreBackend
  ) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    _ = try store.setSetting("new-per-day", to: "2", learner: learner)
    for id in ["a", "b", "c"] { try store.record(answer(id, .good), learner: learner, at: Self.start) }
    try store.record(answer("d", .easy), learner: learner, at: Self.start)  // due in 8 days
    let soon = try store.reviewQueue(learner: learner, now: Self.start.addingTimeInterval(60))
    #expect(soon.due.isEmpty)
    #expect(soon.nextDue == Self.start.addingTimeInterval(600))
    let later = try store.reviewQueue(learner: learner, now: Self.start.addingTimeInterval(3600))
    #expect(later.due == ["a", "b"], "two new items a day")
    #expect(later.forecast.count == 14)
    #expect(later.forecast[0] == 3)
    let dueD = try #require(try store.reviewCard(learner: learner, questionID: "d")).due
    #expect(later.forecast[Int(dueD.timeIntervalSince(Self.start.addingTimeInterval(3600)) / 86400)] == 1)
    // A day's bound counts in that day: due exactly two days on is day 2, half a second later day 3.
    #expect(try store.reviewQueue(learner: learner, now: dueD.addingTimeInterval(-2 * 86400)).forecast[1] == 1)
    #expect(try store.reviewQueue(learner: learner, now: dueD.addingTimeInterval(-2 * 86400 - 0.5)).forecast[2] == 1)
    #expect(later.scheduled == 4)
    // Reviewing in a session uses up the day's allowance.
    var review = answer("a", .good)
    review.mode = .review
    try store.record(review, learner: learner, at: Self.start.addingTimeInterval(3700))
    try store.record(review, learner: learner, at: Self.start.addingTimeInterval(3710))
    let used = try store.reviewQueue(learner: learner, now: Self.start.addingTimeInterval(3800))
    #expect(!used.due.contains("c"), "the new-item allowance is spent")
  }

  @Test(arguments: StoreBackend.available) func theProgressReviewReadsWhatTheSeparateReadsDoInOneTransaction(
    backend: StoreBackend
  ) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    for id in ["a", "b"] { try store.record(answer(id, .good), learner: learner, at: Self.start) }
    try store.record(answer("c", .again, score: 0), learner: learner, at: Self.start)
    try store.saveLessonPosition(learner: learner, lessonID: "basics", step: 2, at: Self.start)
    let now = Self.start.addingTimeInterval(3600)
    let review = try store.progressReview(learner: learner, now: now)
    var progress = try store.progress(learner: learner)
    progress.review = try store.reviewQueue(learner: learner, now: now)
    #expect(review.progress == progress)
    #expect(review.progress.review.due.count == 3)
    #expect(review.stats == (try store.answerStats(learner: learner)))
    #expect(review.stats["c"] == AnswerStats(answers: 1, right: 0, lastRight: false))
  }

  @Test(arguments: StoreBackend.available) func theHistoryHoldsStudyDaysMemoryAndScoredAttempts(backend: StoreBackend)
    throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let day = CalendarDay.local(Self.start)
    let nextDay = Self.start.addingTimeInterval(86400)
    for (id, milliseconds, at) in [("a", 30_000, Self.start), ("b", 900_000, Self.start), ("c", 5_000, nextDay)] {
      var record = answer(id, .good)
      record.durationMilliseconds = milliseconds
      try store.record(record, learner: learner, at: at)
    }
    var history = try store.progressReview(learner: learner, now: nextDay).history
    #expect(
      history.days == [
        StudyHistory.Day(day: day, answers: 2, milliseconds: 630_000),
        StudyHistory.Day(day: day.adding(days: 1), answers: 1, milliseconds: 5_000),
      ], "a question left open counts ten minutes")
    #expect(history.today == day.adding(days: 1))
    let card = try #require(try store.reviewCard(learner: learner, questionID: "c"))
    #expect(history.memory["c"] == StudyHistory.Memory(stability: card.stability!, lastReview: nextDay))
    // Withdrawing an answer takes it off its day.
    try store.withdrawLastAnswer(questionID: "c", attempt: nil, learner: learner)
    history = try store.progressReview(learner: learner, now: nextDay).history
    #expect(history.days.map(\.day) == [day])
    // Scores: practice and exam attempts, not retries.
    for mode in [QuizMode.practice, .retry, .exam] {
      let attempt = try store.beginAttempt(
        learner: learner, quizID: "basics-quiz", seed: 1, order: ["a"], mode: mode, at: Self.start)
      try store.record(
        AnswerRecord(
          questionID: "a", questionVersion: 1, context: .quiz(id: "basics-quiz", attempt: attempt), response: "a",
          grade: Grade(score: 1)), learner: learner, at: nextDay)
      try store.finishAttempt(attempt, learner: learner, score: Score(points: 1, total: 2), at: nextDay)
    }
    history = try store.progressReview(learner: learner, now: nextDay).history
    #expect(history.attempts.map(\.score) == [Score(points: 1, total: 2), Score(points: 1, total: 2)])
    #expect(history.days.last?.answers == 3, "the quiz answers count on their day")
  }

  @Test(arguments: StoreBackend.available) func recentAccuracyCountsEachQuestionsLatestFiveAnswers(
    backend: StoreBackend
  ) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    for (index, score) in [0.0, 0, 1, 1, 1, 1, 1].enumerated() {
      try store.record(
        answer("q", score > 0 ? .good : .again, score: score), learner: learner,
        at: Self.start.addingTimeInterval(Double(index)))
    }
    var stats = try #require(try store.answerStats(learner: learner)["q"])
    #expect((stats.answers, stats.right, stats.recentAnswers, stats.recentRight) == (7, 5, 5, 5))
    try store.record(answer("q", .again, score: 0), learner: learner, at: Self.start.addingTimeInterval(10))
    stats = try #require(try store.answerStats(learner: learner)["q"])
    #expect((stats.recentAnswers, stats.recentRight) == (5, 4))
  }

  /// The school store rehearses a learner's answers to ready its connection; nothing of them
  /// may stay: no answer, schedule, tally or study day.
  @Test(arguments: StoreBackend.available) func rehearsedAnswersLeaveNothing(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    try store.record(answer("q", .good), learner: learner, at: Self.start)
    let stamp = ProgressBundle.CourseStamp(id: "test", title: "Test", questions: ["q": 1])
    func everything() throws -> (ProgressBundle, [String: AnswerStats], LearnerProgress) {
      (
        try store.bundle(learner: learner, name: "ana", course: stamp, tutor: "test", at: Self.start),
        try store.answerStats(learner: learner), try store.progress(learner: learner)
      )
    }
    let before = try everything()
    try store.rehearseAnswers(learner: learner, at: Self.start.addingTimeInterval(60))
    let after = try everything()
    #expect(after.0 == before.0 && after.1 == before.1 && after.2 == before.2)
    #expect(try store.answerCount(learner: learner) == 1)
    #expect(try store.reviewCard(learner: learner, questionID: "tutor-rehearsal") == nil)
  }

  /// A computer whose clock is behind (a lab's machines differ) gives an answer dated before the
  /// latest ones: it counts by its time, not as the latest.
  @Test(arguments: StoreBackend.available) func anAnswerDatedEarlierTakesItsPlaceByTime(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    for minute in [10.0, 20, 30, 40, 50] {
      try store.record(answer("q", .good), learner: learner, at: Self.start.addingTimeInterval(minute * 60))
    }
    try store.record(answer("q", .again, score: 0), learner: learner, at: Self.start.addingTimeInterval(5 * 60))
    let stats = try #require(try store.answerStats(learner: learner)["q"])
    #expect(stats == AnswerStats(answers: 6, right: 5, lastRight: true))
    #expect((stats.recentAnswers, stats.recentRight) == (5, 5), "the five latest by time were right")
  }

  @Test func everyAnswerAndAttemptCarriesItsOwnLastingID() throws {
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: testDate)
    for id in ["a", "b"] { try store.record(answer(id, .good), learner: learner, at: Self.start) }
    _ = try store.beginAttempt(learner: learner, quizID: "basics-quiz", seed: 1, order: ["a"], at: Self.start)
    let ids = try DatabaseQueue(path: path).read {
      try String.fetchAll($0, sql: "SELECT uid FROM answer UNION ALL SELECT uid FROM quizAttempt")
    }
    #expect(ids.count == 3 && Set(ids).count == 3)
    #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
  }

  @Test(arguments: StoreBackend.available) func undoPutsTheScheduleBack(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let first = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["q"], at: testDate)
    let second = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 2, order: ["q"], at: testDate)
    func quizAnswer(_ rating: FSRS.Rating, _ attempt: Int64) -> AnswerRecord {
      AnswerRecord(
        questionID: "q", questionVersion: 1, context: .quiz(id: "quiz", attempt: attempt), response: "a",
        grade: Grade(score: 1), rating: rating)
    }
    try store.record(quizAnswer(.good, first), learner: learner, at: Self.start)
    let before = try store.reviewCard(learner: learner, questionID: "q")
    try store.record(quizAnswer(.again, second), learner: learner, at: Self.start.addingTimeInterval(60))
    #expect(try store.reviewCard(learner: learner, questionID: "q") != before)
    try store.withdrawLastAnswer(questionID: "q", attempt: second, learner: learner)
    #expect(try store.reviewCard(learner: learner, questionID: "q") == before)
    try store.withdrawLastAnswer(questionID: "q", attempt: first, learner: learner)
    #expect(
      try store.reviewCard(learner: learner, questionID: "q") == nil,
      "withdrawing the first answer removes the schedule")
  }

  @Test(arguments: StoreBackend.available) func settingsAreKeptPerLearner(backend: StoreBackend) throws {
    let store = try backend.freshStore(in: folder)
    let ana = try store.learnerID(named: "ana", at: testDate)
    let ben = try store.learnerID(named: "ben", at: testDate)
    #expect(try store.setSetting("retention", to: "0.8", learner: ana) == nil)
    #expect(try store.setSetting("retention", to: "1.5", learner: ana) != nil)
    #expect(try store.settings(learner: ana).desiredRetention == 0.8)
    #expect(try store.settings(learner: ben).desiredRetention == 0.9)
  }
}

/// An exam's answers stay out of review and progress until the exam is submitted, in both stores.
@Suite struct ExamIsolationTests {
  let folder = Fixtures.temporaryFolder()

  func stores() throws -> [any ProgressStore] {
    try StoreBackend.available.map { try $0.freshStore(in: folder) } + [MemoryProgressStore()]
  }

  @Test func examAnswersMoveNoScheduleAndNoStatisticUntilTheExamIsSubmitted() throws {
    for store in try stores() {
      let learner = try store.learnerID(named: "ana", at: testDate)
      guard
        case .attemptBegun(let attempt) = try store.save(
          .attemptBegun(quizID: "quiz", seed: 1, order: ["q", "r"], mode: .exam, asksConfidence: false),
          learner: learner, at: testDate)
      else {
        Issue.record("the exam begins")
        continue
      }
      for (id, score) in [("q", 1.0), ("r", 0.0)] {
        let answer = AnswerRecord(
          questionID: id, questionVersion: 1, context: .quiz(id: "quiz", attempt: attempt), response: "a",
          grade: Grade(score: score, chosenChoiceIDs: ["a"]), mode: .exam,
          scheduling: .atSubmission(score > 0 ? .good : .again))
        #expect(
          try store.save(.answerRecorded(answer), learner: learner, at: testDate) == .saved, "no next review is told")
      }
      let later = testDate.addingTimeInterval(86400)
      #expect(try store.reviewCard(learner: learner, questionID: "q") == nil)
      #expect(try store.reviewQueue(learner: learner, now: later).scheduled == 0, "nothing of the exam shows in review")
      #expect(try store.answerStats(learner: learner).isEmpty, "nor in the progress review")

      try store.save(
        .attemptFinished(quizID: "quiz", attempt: attempt, score: Score(points: 1, total: 2)), learner: learner,
        at: testDate)
      #expect(
        try store.reviewCard(learner: learner, questionID: "r")?.failures == 1, "submitted: the wrong answer is a lapse"
      )
      #expect(try store.reviewQueue(learner: learner, now: later).scheduled == 2)
      #expect(try store.answerStats(learner: learner)["q"] == AnswerStats(answers: 1, right: 1, lastRight: true))
    }
  }

  @Test func anAbandonedExamNeverReachesTheSchedule() throws {
    for store in try stores() {
      let learner = try store.learnerID(named: "ana", at: testDate)
      guard
        case .attemptBegun(let attempt) = try store.save(
          .attemptBegun(quizID: "quiz", seed: 1, order: ["q"], mode: .exam, asksConfidence: false), learner: learner,
          at: testDate)
      else { continue }
      let answer = AnswerRecord(
        questionID: "q", questionVersion: 1, context: .quiz(id: "quiz", attempt: attempt), response: "a",
        grade: Grade(score: 1),
        mode: .exam, scheduling: .atSubmission(.good))
      try store.save(.answerRecorded(answer), learner: learner, at: testDate)
      try store.save(.attemptsAbandoned(quizID: "quiz"), learner: learner, at: testDate)
      #expect(try store.reviewCard(learner: learner, questionID: "q") == nil)
      #expect(try store.answerStats(learner: learner).isEmpty)
    }
  }
}

/// A review answer (no attempt) can be taken back in both stores, and its schedule with it.
@Suite struct ReviewUndoTests {
  let folder = Fixtures.temporaryFolder()

  @Test func theLatestReviewAnswerIsWithdrawnAndItsScheduleRestored() throws {
    let stores: [any ProgressStore] =
      try StoreBackend.available.map { try $0.freshStore(in: folder) } + [MemoryProgressStore()]
    for store in stores {
      let learner = try store.learnerID(named: "ana", at: testDate)
      let first = AnswerRecord(
        questionID: "q", questionVersion: 1, context: .review, response: "a", grade: Grade(score: 1), mode: .review,
        rating: .good)
      try store.save(.answerRecorded(first), learner: learner, at: testDate)
      let before = try store.reviewCard(learner: learner, questionID: "q")
      var second = first
      second.grade = Grade(score: 0)
      second.scheduling = .now(.again)
      try store.save(.answerRecorded(second), learner: learner, at: testDate.addingTimeInterval(86400))
      #expect(try store.reviewCard(learner: learner, questionID: "q")?.failures == 1)
      try store.save(.answerWithdrawn(questionID: "q", attempt: nil), learner: learner, at: testDate)
      #expect(try store.reviewCard(learner: learner, questionID: "q") == before, "the lapse is undone")
      #expect(try store.answerStats(learner: learner)["q"]?.answers == 1)
    }
  }
}

/// A hosted class is kept whole in the host's store, in both stores, and read back newest first.
@Suite struct HostedClassTests {
  let folder = Fixtures.temporaryFolder()

  static func record(_ quiz: String, students: Int) -> ClassRecord {
    ClassRecord(
      quizID: quiz, quizTitle: "Quiz \(quiz)", hostedAt: testDate, asked: ["q1", "q2"],
      students: (0..<students).map { ClassRecord.Student(id: "s\($0)", name: "Name, \"\($0)\"") },
      answers: (0..<students).map {
        ClassRecord.Answer(
          student: "s\($0)", questionID: "q1", response: "b", isCorrect: $0 % 2 == 0, fraction: $0 % 2 == 0 ? 1 : 0.25,
          seconds: 3.5, choiceIDs: ["b", "c"])
      })
  }

  @Test func aClassIsKeptWholeAndListedNewestFirst() throws {
    let locations = try StoreBackend.available.map { try $0.freshLocation(in: folder) }
    let stores: [any ProgressStore] = try locations.map { try $0.open() } + [MemoryProgressStore()]
    for store in stores {
      #expect(try store.classes().isEmpty)
      let first = Self.record("a", students: 3)
      let second = Self.record("b", students: 0)
      #expect(try store.saveClass(first) == 1)
      #expect(try store.saveClass(second) == 2)
      let kept = try store.classes()
      #expect(kept.map(\.number) == [2, 1])
      #expect(kept.last?.record == first)
      #expect(kept.first?.record == second)
      let mean: Double = (1 + 0.25 + 1) / 6
      #expect(first.meanShare == mean)
      #expect(first.scores.map(\.rank) == [1, 1, 3])
    }
    // Read again by a new process's store.
    for location in locations {
      #expect(try location.open().classes().last?.record == Self.record("a", students: 3))
    }
  }
}
