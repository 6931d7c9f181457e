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

  @Test func aStoredDateReadsBackAsADate() throws {
    let queue = try DatabaseQueue()
    let date = Date(timeIntervalSince1970: 1_800_000_000.25)
    let read = try queue.read { try Date.fetchOne($0, sql: "SELECT ?", arguments: [date.stored]) }
    #expect(read == date)
  }
}
