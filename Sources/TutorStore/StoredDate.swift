import Foundation
import GRDB

/// A date as GRDB stores one ("yyyy-MM-dd HH:mm:ss.SSS", UTC, to the nearest millisecond),
/// written with integer arithmetic: GRDB's DateFormatter goes through ICU, which cost about
/// 100,000 instructions a date and brought megabytes of ICU data into memory.
struct StoredDate: DatabaseValueConvertible {
  let date: Date

  var databaseValue: DatabaseValue { Self.text(date).databaseValue }

  static func fromDatabaseValue(_ value: DatabaseValue) -> StoredDate? {
    Date.fromDatabaseValue(value).map(StoredDate.init)
  }

  static func text(_ date: Date) -> String {
    // As ICU rounds: to the nearest millisecond, halves up. The store's dates are from 1970 on
    // (earlier, ICU switches to the Julian calendar).
    let milliseconds = Int64((date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
    let (days, inDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
    let day = inDay < 0 ? days - 1 : days
    let time = inDay < 0 ? inDay + 86_400_000 : inDay
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = day + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func padded(_ value: Int64, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(dayOfMonth, 2) + " "
      + padded(time / 3_600_000, 2) + ":" + padded(time / 60_000 % 60, 2) + ":" + padded(time / 1000 % 60, 2) + "."
      + padded(time % 1000, 3)
  }
}

extension Date {
  /// This date as the store writes it.
  var stored: StoredDate { StoredDate(date: self) }
}
