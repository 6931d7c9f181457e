import Foundation
import GRDB
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorStore

/// Backups beside the store, and `tutor doctor`'s checks and restore.
@Suite struct StoreBackupTests {
  let folder = Fixtures.temporaryFolder()
  var path: String { folder.appendingPathComponent("progress.sqlite").path }
  static let start = Date(timeIntervalSince1970: 1_800_000_000)

  func storeWithAnswers(_ count: Int) throws -> SQLiteProgressStore {
    let store = try SQLiteProgressStore(path: path)
    let learner = try store.learnerID(named: "ana", at: Self.start)
    for index in 0..<count {
      try store.record(
        AnswerRecord(
          questionID: "q\(index)", questionVersion: 1, context: .review, response: "a", grade: Grade(score: 1)),
        learner: learner, at: Self.start)
    }
    return store
  }

  func answers(in file: String) throws -> Int {
    try DatabaseQueue(path: file).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answer") ?? -1 }
  }

  /// Overwrites the headers of several b-tree pages: SQLite can no longer read the file.
  func damage(_ file: String) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
    for page in 1..<8 {
      try handle.seek(toOffset: UInt64(4096 * page))
      handle.write(Data(repeating: 0xFF, count: 32))
    }
    try handle.close()
  }

  @Test func aBackupIsAWholeCopyAndOnlyTheNewestSevenStay() throws {
    let store = try storeWithAnswers(3)
    var made: [String] = []
    for index in 0..<9 {
      made.append(
        try StoreBackups.make(of: path, reason: "test", at: Self.start.addingTimeInterval(Double(index) * 60)))
    }
    let backups = StoreBackups.list(for: path)
    #expect(backups.map(\.path) == made.suffix(7).reversed(), "newest first, the oldest two removed")
    #expect(try answers(in: backups[0].path) == 3)
    #expect(backups[0].reason == "test" && backups[0].day == CalendarDay.local(Self.start))
    // A daily backup: once a day.
    store.close()
    try? FileManager.default.removeItem(atPath: StoreBackups.folder(for: path))
    try StoreBackups.daily(of: path, at: Self.start)
    try StoreBackups.daily(of: path, at: Self.start.addingTimeInterval(60))
    #expect(StoreBackups.list(for: path).count == 1)
    try StoreBackups.daily(of: path, at: Self.start.addingTimeInterval(86400))
    #expect(StoreBackups.list(for: path).map(\.reason) == ["daily", "daily"])
  }

  @Test func aStoreIsBackedUpBeforeAMigration() throws {
    _ = try storeWithAnswers(2)
    // As a store of the previous version: v9 undone.
    try DatabaseQueue(path: path).writeWithoutTransaction { db in
      try db.execute(
        sql: """
          DROP TABLE studyDay; DROP TRIGGER studyDayAnswered; DROP TRIGGER studyDayWithdrawn;
          DROP INDEX answerUID; DROP INDEX quizAttemptUID; ALTER TABLE answer DROP COLUMN uid;
          ALTER TABLE quizAttempt DROP COLUMN uid;
          ALTER TABLE questionStats DROP COLUMN recentAnswers; ALTER TABLE questionStats DROP COLUMN recentRight;
          DELETE FROM grdb_migrations WHERE identifier = 'v9-progress-that-travels'; PRAGMA user_version = 8;
          PRAGMA wal_checkpoint(TRUNCATE)
          """)
    }
    _ = try SQLiteProgressStore(path: path)
    let backup = try #require(StoreBackups.list(for: path).first)
    #expect(backup.reason == "before-migration")
    let tables = try DatabaseQueue(path: backup.path).read {
      try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    #expect(!tables.contains("studyDay") && tables.contains("answer"), "the store as it was")
    #expect(try answers(in: backup.path) == 2)
    // A new store has nothing to keep.
    _ = try SQLiteProgressStore(path: folder.appendingPathComponent("fresh.sqlite").path)
    #expect(StoreBackups.list(for: folder.appendingPathComponent("fresh.sqlite").path).isEmpty)
  }

  @Test func theDoctorFindsDamageChangesNothingAndRestoresTheNewestGoodBackup() throws {
    let store = try storeWithAnswers(40)
    try StoreBackups.make(of: path, reason: "daily", at: Self.start)
    store.close()
    #expect(StoreDoctor.examine(path).isHealthy)

    // A later backup that is itself damaged is passed over.
    let bad = try StoreBackups.make(of: path, reason: "daily", at: Self.start.addingTimeInterval(3600))
    try damage(bad)
    try damage(path)
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "closed cleanly")
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let report = StoreDoctor.examine(path)
    #expect(!report.isHealthy)
    #expect(report.checks[0].problem?.contains("malformed") == true, "\(report.checks)")
    #expect(report.backups.count == 2 && report.newestGood?.path == report.backups[1].path)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "looking changes nothing")
    let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    #expect(log == 0, "no write-ahead log with content beside it")

    let (used, aside) = try StoreDoctor.restore(path, at: Self.start.addingTimeInterval(7200))
    #expect(used == report.newestGood)
    #expect(try Data(contentsOf: URL(fileURLWithPath: try #require(aside))) == before, "the damaged file kept aside")
    #expect(StoreDoctor.examine(path).isHealthy)
    #expect(try answers(in: path) == 40)
  }
}
