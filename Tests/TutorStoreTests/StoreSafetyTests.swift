import Foundation
import GRDB
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorStore

/// Regressions from the trial of November 2026 (D1, D4, D6, D10, D11, D26, D27): nothing a
/// store holds crashes a read, nothing unsaved is counted, and the store is never adopted,
/// raced or left unusable.
@Suite struct StoreSafetyTests {
  let folder = Fixtures.temporaryFolder()
  var path: String { folder.appendingPathComponent("progress.sqlite").path }

  func answer(_ id: String, score: Double, attempt: Int64, rating: FSRS.Rating? = nil) -> AnswerRecord {
    AnswerRecord(
      questionID: id, questionVersion: 1, context: .quiz(id: "quiz", attempt: attempt), response: "a",
      grade: Grade(score: score, chosenChoiceIDs: ["a"]), rating: rating)
  }

  /// D1: a due date in year 10000 made every later read of the card trap in GRDB.
  @Test func aValueThatCannotBeDecodedIsReportedNotTrappedOn() throws {
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["q", "r"], at: testDate)
    try store.record(answer("q", score: 1, attempt: attempt, rating: .good), learner: learner, at: testDate)
    try DatabaseQueue(path: path).write { db in
      try db.execute(sql: "UPDATE reviewCard SET due = '10000-01-06 23:59:59.003'")
    }
    #expect(throws: StoreError.self) { try store.reviewCard(learner: learner, questionID: "q") }
    do {
      _ = try store.reviewCard(learner: learner, questionID: "q")
    } catch {
      #expect("\(error)".contains("cannot read"), "\(error)")
      #expect("\(error)".contains(path))
    }
    // Reviewing the question reads the card first: an error, not a crash.
    let review = AnswerRecord(
      questionID: "q", questionVersion: 1, context: .review, response: "a", grade: Grade(score: 1), mode: .review,
      rating: .good)
    #expect(throws: StoreError.self) { try store.record(review, learner: learner, at: testDate) }
  }

  /// D1: no schedule runs past 9999-12-31, however late the clock.
  @Test func aScheduleNearTheEndOfYear9999StaysReadable() throws {
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let late = try #require(try? Timestamp.parse("9899-12-31T23:59:59Z").get())
    for day in 0..<3 {
      let review = AnswerRecord(
        questionID: "q", questionVersion: 1, context: .review, response: "a", grade: Grade(score: 1), mode: .review,
        rating: .easy)
      try store.record(review, learner: learner, at: late.addingTimeInterval(Double(day) * 86400))
    }
    let card = try #require(try store.reviewCard(learner: learner, questionID: "q"))
    #expect(card.due <= FSRS.latestDate)
    let far = try #require(try? Timestamp.parse("9999-12-31T23:00:00Z").get())
    let next = FSRS.Scheduler().review(FSRS.Card(due: far), rating: .easy, at: far, fuzz: 0.5)
    #expect(next.due == FSRS.latestDate)
    #expect(Timestamp.format(next.due) == "9999-12-31T23:59:59Z")
  }

  /// D4: an attempt is never closed with a score its saved answers do not hold.
  @Test func anAttemptIsNotClosedWithAnswersItDoesNotHold() throws {
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(
      learner: learner, quizID: "quiz", seed: 1, order: ["q", "r", "s"], at: testDate)
    try store.record(answer("q", score: 1, attempt: attempt), learner: learner, at: testDate)
    #expect(throws: StoreError.answersMissing(path: path, saved: 1, claimed: 3)) {
      try store.finishAttempt(attempt, learner: learner, score: Score(points: 3, total: 3), at: testDate)
    }
    let progress = try store.progress(learner: learner)
    #expect(progress.quizzes["quiz"]?.openAttempt?.id == attempt, "the attempt stays open to be resumed")
    #expect(progress.quizzes["quiz"]?.bestScore == nil)
    try store.record(answer("r", score: 0.5, attempt: attempt), learner: learner, at: testDate)
    try store.finishAttempt(attempt, learner: learner, score: Score(points: 1.5, total: 3), at: testDate)
    #expect(try store.progress(learner: learner).quizzes["quiz"]?.bestScore == Score(points: 1.5, total: 3))
  }

  /// D4: a write that waits on another process's lock fails as "locked" after the busy timeout.
  @Test func aWriteBlockedByAnotherProcessFailsAsLocked() throws {
    let store = try SQLiteProgressStore(path: path, busyTimeout: 0.2)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["q"], at: testDate)
    let holder = try DatabaseQueue(path: path)
    try holder.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN IMMEDIATE")
      #expect(throws: StoreError.locked(path: path)) {
        try store.record(answer("q", score: 1, attempt: attempt), learner: learner, at: testDate)
      }
      try db.execute(sql: "ROLLBACK")
    }
    #expect(try store.answerCount(learner: learner) == 0)
  }

  /// D26: an exam answer changed before the end replaces the first, which is not kept as a lapse.
  @Test(arguments: StoreBackend.available) func aChangedAnswerReplacesTheFirstAndItsSchedule(backend: StoreBackend)
    throws
  {
    let store = try backend.freshStore(in: folder)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(
      learner: learner, quizID: "quiz", seed: 1, order: ["q"], mode: .exam, at: testDate)
    try store.record(answer("q", score: 0, attempt: attempt, rating: .again), learner: learner, at: testDate)
    try store.record(answer("q", score: 1, attempt: attempt, rating: .good), learner: learner, at: testDate)
    #expect(try store.answerCount(learner: learner) == 1)
    let card = try #require(try store.reviewCard(learner: learner, questionID: "q"))
    #expect(card.reps == 1)
    #expect(card.failures == 0)
    #expect(try store.progress(learner: learner).quizzes["quiz"]?.openAttempt?.grades["q"]?.score == 1)
  }

  /// D27: two windows on one attempt store one answer per question, and a finished attempt takes none.
  @Test func twoWindowsOnOneAttemptStoreNoDuplicates() throws {
    let first = try SQLiteProgressStore(path: path)
    let second = try SQLiteProgressStore(path: path)
    let learner = try first.learnerID(named: "ana", at: testDate)
    let attempt = try first.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["q"], at: testDate)
    try first.record(answer("q", score: 1, attempt: attempt, rating: .good), learner: learner, at: testDate)
    try second.record(answer("q", score: 1, attempt: attempt, rating: .good), learner: learner, at: testDate)
    #expect(try first.answerCount(learner: learner) == 1)
    try first.finishAttempt(attempt, learner: learner, score: Score(points: 1, total: 1), at: testDate)
    #expect(throws: StoreError.attemptFinished(path: path)) {
      try second.record(answer("q", score: 0, attempt: attempt), learner: learner, at: testDate)
    }
    // Finishing it again changes nothing.
    try second.finishAttempt(attempt, learner: learner, score: Score(points: 1, total: 1), at: testDate)
    #expect(try first.answerCount(learner: learner) == 1)
  }

  /// D6: several processes creating one new store at once all succeed.
  @Test func storesCreatedConcurrentlyAllOpen() async throws {
    for round in 0..<8 {
      let file = folder.appendingPathComponent("race\(round).sqlite").path
      let results = await withTaskGroup(of: String?.self) { group in
        for _ in 0..<4 {
          group.addTask {
            do {
              let store = try SQLiteProgressStore(path: file)
              _ = try store.learnerID(named: "ana", at: testDate)
              return nil
            } catch {
              return "\(error)"
            }
          }
        }
        var failures: [String] = []
        for await result in group { if let result { failures.append(result) } }
        return failures
      }
      #expect(results.isEmpty, "round \(round): \(results)")
    }
  }

  /// D10: another program's database is refused and gets no tutor tables.
  @Test func anotherProgramsDatabaseIsRefusedUntouched() throws {
    try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE foo (x)") }
    let before = try #require(FileManager.default.contents(atPath: path))
    #expect(throws: StoreError.notTutorStore(path: path)) { try SQLiteProgressStore(path: path) }
    #expect(FileManager.default.contents(atPath: path) == before)
    let tables = try DatabaseQueue(path: path).read {
      try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    #expect(tables == ["foo"])
  }

  /// D22: a folder given as the store is named as a folder.
  @Test func aFolderIsNotAStore() throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    #expect(throws: StoreError.isFolder(path: path)) { try SQLiteProgressStore(path: path) }
  }

  /// A PostgreSQL address is not taken for a file name (no folder "postgresql:" is made), and
  /// its password is not repeated.
  @Test func aServerAddressIsNotAFileAndItsPasswordIsNotShown() throws {
    let folder = FileManager.default.currentDirectoryPath + "/postgresql:"
    #expect(!FileManager.default.fileExists(atPath: folder))
    let error = #expect(throws: StoreError.self) {
      try SQLiteProgressStore(path: "postgresql://ana:hunter2@db.example:5432/tutor")
    }
    #expect(error?.description.contains("ana@db.example:5432/tutor") == true)
    #expect(error?.description.contains("hunter2") == false)
    #expect(!FileManager.default.fileExists(atPath: folder))
  }

  /// D22: each failure says its own cause once, with advice that fits it.
  @Test func messagesNameTheRealCause() {
    let full = StoreError.diskFull(path: "/x/s.sqlite").description
    #expect(full.contains("full") && !full.contains("permission") && !full.contains(".."))
    let readOnly = StoreError.readOnly(path: "/x/s.sqlite", file: "/x/s.sqlite").description
    #expect(readOnly.contains("read-only") && readOnly.contains("chmod"))
    let cases: [StoreError] = [
      .corrupt(path: "p", detail: "d"), .locked(path: "p"), .newerSchema(path: "p"),
      .cannotOpen(path: "p", detail: "d"),
      .notTutorStore(path: "p"), .diskFull(path: "p"), .isFolder(path: "p"), .unreadableValue(path: "p", detail: "d"),
      .attemptFinished(path: "p"), .answersMissing(path: "p", saved: 1, claimed: 2), .other(path: "p", detail: "d"),
    ]
    for error in cases {
      #expect(!error.description.contains(".."), "\(error)")
      #expect(error.description.components(separatedBy: "progress store").count <= 2, "\(error)")
    }
  }
}

/// Undo puts back a schedule saved by an earlier version of the tutor, in its older JSON.
@Suite struct ScheduleSnapshotTests {
  let folder = Fixtures.temporaryFolder()

  @Test func anEarlierVersionsSnapshotIsRestored() throws {
    let path = folder.appendingPathComponent("progress.sqlite").path
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: testDate)
    let attempt = try store.beginAttempt(learner: learner, quizID: "quiz", seed: 1, order: ["q"], at: testDate)
    let answer = AnswerRecord(
      questionID: "q", questionVersion: 1, context: .quiz(id: "quiz", attempt: attempt), response: "a",
      grade: Grade(score: 1),
      rating: .good)
    try store.record(answer, learner: learner, at: testDate)
    let older =
      #"{"questionVersion":1,"state":2,"step":null,"stability":3.5,"difficulty":5.25,"lastReview":1799000000,"due":1800500000,"reps":4,"failures":1,"isLeech":0}"#
    try DatabaseQueue(path: path).write { db in
      try db.execute(sql: "UPDATE answer SET scheduleBefore = ?", arguments: [older])
    }
    try store.withdrawLastAnswer(questionID: "q", attempt: attempt, learner: learner)
    let card = try #require(try store.reviewCard(learner: learner, questionID: "q"))
    #expect(card.state == .review && card.step == nil && card.stability == 3.5 && card.difficulty == 5.25)
    #expect(
      card.due == Date(timeIntervalSince1970: 1_800_500_000) && card.reps == 4 && card.failures == 1 && !card.isLeech)
  }
}
