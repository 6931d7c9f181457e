import Foundation
import GRDB
import TutorCore

/// A date as GRDB stores one ("yyyy-MM-dd HH:mm:ss.SSS", UTC, to the nearest millisecond),
/// written and read with integer arithmetic: GRDB's DateFormatter and Calendar go through ICU,
/// which cost about 100,000 instructions a date and brought megabytes of ICU data (time zone
/// tables) into memory before the first paint.
struct StoredDate: DatabaseValueConvertible {
  let date: Date

  var databaseValue: DatabaseValue { Self.text(date).databaseValue }

  static func fromDatabaseValue(_ value: DatabaseValue) -> StoredDate? {
    // Any other form GRDB reads as a date (a number, a time zone, a Julian day) goes to GRDB.
    if case .string(let text) = value.storage, let seconds = secondsSinceReferenceDate(text) {
      return StoredDate(date: Date(timeIntervalSinceReferenceDate: seconds))
    }
    return Date.fromDatabaseValue(value).map(StoredDate.init)
  }

  /// "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss" or "yyyy-MM-dd HH:mm:ss.SSS" (a "T"
  /// may stand for the space; up to three fraction digits), read as UTC; nil for anything else.
  static func secondsSinceReferenceDate(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { secondsSinceReferenceDate($0) }
  }

  static func secondsSinceReferenceDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    // Each field at its place ("yyyy-MM-dd HH:mm:ss.SSS"): walking a position through nested
    // functions cost nearly three times as much (1,700 instructions a date).
    let count = bytes.count
    func number(_ start: Int, _ length: Int) -> Int64? {
      var value: Int64 = 0
      for index in start..<start + length {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value * 10 + Int64(digit)
      }
      return value
    }
    guard let day = CalendarDay(dateAtStartOf: bytes) else { return nil }
    var seconds: Int64 = 0
    var milliseconds: Int64 = 0
    if count > 10 {
      guard count >= 16, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
        bytes[13] == UInt8(ascii: ":"), let hour = number(11, 2), hour < 24, let minute = number(14, 2), minute < 60
      else { return nil }
      seconds = hour * 3600 + minute * 60
      if count > 16 {
        guard count >= 19, bytes[16] == UInt8(ascii: ":"), let second = number(17, 2), second < 60 else { return nil }
        seconds += second
        if count > 19 {
          // Finer fractions go to GRDB, which rounds them as ICU does.
          let digits = count - 20
          guard bytes[19] == UInt8(ascii: "."), (1...3).contains(digits), let part = number(20, digits) else {
            return nil
          }
          milliseconds = digits == 1 ? part * 100 : digits == 2 ? part * 10 : part
        }
      }
    }
    // As GRDB's Calendar arrives at it: whole milliseconds since 2001, then seconds.
    return Double((Int64(day.number) * 86_400 + seconds - 978_307_200) * 1000 + milliseconds) / 1000
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
    guard (0...9999).contains(year) else {
      func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
      }
      return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(dayOfMonth, 2) + " "
        + padded(time / 3_600_000, 2) + ":" + padded(time / 60_000 % 60, 2) + ":" + padded(time / 1000 % 60, 2) + "."
        + padded(time % 1000, 3)
    }
    // Digit by digit into the 23 bytes (joining a dozen small strings cost 10,000 instructions).
    return String(unsafeUninitializedCapacity: 23) { bytes in
      var index = 0
      func put(_ value: Int64, _ width: Int, then separator: UInt8?) {
        var rest = value
        for offset in stride(from: width - 1, through: 0, by: -1) {
          bytes[index + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
          rest /= 10
        }
        index += width
        if let separator {
          bytes[index] = separator
          index += 1
        }
      }
      put(year, 4, then: UInt8(ascii: "-"))
      put(month, 2, then: UInt8(ascii: "-"))
      put(dayOfMonth, 2, then: UInt8(ascii: " "))
      put(time / 3_600_000, 2, then: UInt8(ascii: ":"))
      put(time / 60_000 % 60, 2, then: UInt8(ascii: ":"))
      put(time / 1000 % 60, 2, then: UInt8(ascii: "."))
      put(time % 1000, 3, then: nil)
      return index
    }
  }
}

extension StoredDate {
  /// A date read from text as the store writes it, or as GRDB would read it.
  static func date(_ text: String) -> Date? { fromDatabaseValue(text.databaseValue)?.date }
}

extension Date {
  /// This date as the store writes it.
  var stored: StoredDate { StoredDate(date: self) }
}
