import Foundation
import GRDB
import Testing

@testable import TutorStore

/// The store writes dates itself, without GRDB's DateFormatter: the text must be the same, or
/// comparisons with dates GRDB wrote (and sorting) would go wrong.
@Suite struct StoredDateTests {
  @Test func datesAreWrittenExactlyAsGRDBWritesThem() {
    var generator = SystemRandomNumberGenerator()
    // The tutor's clock runs from 1970 to 9899.
    var dates = [
      0, 0.0005, 0.0004, 0.9995, 0.9999, 1.0005, 86_399.999, 86_400, 951_782_400, 1_709_251_199.9996,
      250_246_627_199.999,
    ].map { Date(timeIntervalSince1970: $0) }
    for _ in 0..<5000 {
      dates.append(Date(timeIntervalSince1970: Double.random(in: 0...250_246_627_199, using: &generator)))
      dates.append(Date(timeIntervalSince1970: Double(Int.random(in: 0...2_000_000_000, using: &generator)) + 0.0005))
    }
    for date in dates {
      #expect(StoredDate.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
    }
  }

  @Test func datesAreReadExactlyAsGRDBReadsThem() {
    var generator = SystemRandomNumberGenerator()
    var texts = [
      "1970-01-01 00:00:00.000", "2000-02-29 23:59:59.999", "2026-11-30", "2026-11-30 08:15", "2026-11-30T08:15:30",
      "2026-11-30 08:15:30.5", "2026-11-30 08:15:30.25", "9899-12-31 23:59:59.999", "2024-03-01 00:00:00.001",
    ]
    for _ in 0..<5000 {
      texts.append(
        StoredDate.text(Date(timeIntervalSince1970: Double.random(in: 0...250_246_627_199, using: &generator))))
    }
    for text in texts {
      let ours = StoredDate.fromDatabaseValue(text.databaseValue)?.date
      let grdb = Date.fromDatabaseValue(text.databaseValue)
      #expect(
        ours != nil && ours == grdb,
        "\(text) \(ours?.timeIntervalSinceReferenceDate ?? 0) \(grdb?.timeIntervalSinceReferenceDate ?? 0)")
    }
    // What the fast path does not read still reads as GRDB reads it, or not at all.
    for text in [
      "2026-11-30 08:15:30.000Z", "2026-11-30 08:15:30.1234", "2026-11-30 08:15:30+01:00", "12:30", "2026-13-01",
      "not a date", "1800000000",
    ] {
      #expect(
        StoredDate.fromDatabaseValue(text.databaseValue)?.date == Date.fromDatabaseValue(text.databaseValue), "\(text)")
    }
    #expect(StoredDate.secondsSinceReferenceDate("2026-02-30x") == nil)
  }

  @Test func aSQLiteRowReadsADateFromItsBytesAsFromItsText() throws {
    let queue = try DatabaseQueue()
    try queue.read { db in
      let connection = SQLiteConnection(db: db)
      for text in [
        "2026-11-30 08:15:30.250", "2026-11-30T08:15", "2026-11-30", "2026-11-30 08:15:30.1234",
        "2026-11-30 08:15:30.000Z",
      ] {
        #expect(StoredDate.date(text) != nil, "\(text) is a date")
        var read: [Date?] = []
        try connection.forEach("SELECT ?", [text]) { row in read = [try row.dateOrNil(0), try row.dateValueOrNil(0)] }
        #expect(read == [StoredDate.date(text), StoredDate.date(text)], "\(text)")
      }
      var failure: (any Error)?
      var null: Date?? = .none
      try connection.forEach("SELECT NULL, 'not a date'", []) { row in
        null = try row.dateOrNil(0)
        do { _ = try row.dateOrNil(1) } catch { failure = error }
      }
      #expect(null == .some(nil))
      #expect(failure is SQLReadError)
    }
  }

  @Test func aStoredDateReadsBackAsADate() throws {
    let queue = try DatabaseQueue()
    let date = Date(timeIntervalSince1970: 1_800_000_000.25)
    let read = try queue.read { try Date.fetchOne($0, sql: "SELECT ?", arguments: [date.stored]) }
    #expect(read == date)
  }
}
