import Foundation

/// Replays review histories as JSON Lines through the scheduler (`tutor srs simulate`):
/// `{"card", "at", "rating"}` in, `{"card", "at", "rating", "state", "step", "stability",
/// "difficulty", "due"}` out, with default parameters and no fuzz.
public enum ReviewLog {
  public struct Problem: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
  }

  /// Every output line, or the first problem (nothing is printed for a bad input).
  public static func simulate(_ input: String, scheduler: FSRS.Scheduler = FSRS.Scheduler()) -> Result<
    [String], Problem
  > {
    var cards: [String: FSRS.Card] = [:]
    var output: [String] = []
    output.reserveCapacity(input.utf8.count / 60)
    var lineNumber = 0
    // Lines are cut as bytes: splitting a large string by Characters was most of the time.
    let bytes = Array(input.utf8)
    var start = 0
    while start <= bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != 10 { end += 1 }
      defer { start = end + 1 }
      lineNumber += 1
      var line = bytes[start..<end]
      if line.last == 13 { line = line.dropLast() }
      if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
      guard let object = FlatJSON.parse(line) else {
        return .failure(
          Problem(
            line: lineNumber, message: "not a JSON object of the form {\"card\": ..., \"at\": ..., \"rating\": ...}"))
      }
      guard case .string(let card)? = object["card"], !card.isEmpty else {
        return .failure(Problem(line: lineNumber, message: "\"card\" must be a non-empty string"))
      }
      guard case .string(let atText)? = object["at"] else {
        return .failure(Problem(line: lineNumber, message: "\"at\" must be an ISO-8601 timestamp string"))
      }
      let instant: Date
      switch Timestamp.parse(atText) {
      case .success(let date): instant = date
      case .failure(let problem): return .failure(Problem(line: lineNumber, message: "\"at\": \(problem.reason)"))
      }
      guard case .integer(let ratingValue)? = object["rating"], let rating = FSRS.Rating(rawValue: ratingValue) else {
        return .failure(Problem(line: lineNumber, message: "\"rating\" must be 1, 2, 3 or 4"))
      }
      let current = cards[card] ?? FSRS.Card(due: instant)
      if let last = current.lastReview, instant < last {
        return .failure(
          Problem(
            line: lineNumber, message: "card \(card) goes back in time (\(atText) is before \(Timestamp.format(last)))")
        )
      }
      let next = scheduler.review(current, rating: rating, at: instant)
      cards[card] = next
      output.append(format(card: card, at: instant, rating: rating, next))
    }
    return .success(output)
  }

  static func format(card: String, at instant: Date, rating: FSRS.Rating, _ next: FSRS.Card) -> String {
    let step = next.step.map(String.init) ?? "null"
    return "{\"card\": \(jsonString(card)), \"at\": \"\(Timestamp.format(instant))\", \"rating\": \(rating.rawValue), "
      + "\"state\": \"\(next.state.name)\", \"step\": \(step), \"stability\": \(next.stability!), "
      + "\"difficulty\": \(next.difficulty!), \"due\": \"\(Timestamp.format(next.due))\"}"
  }

  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

/// ISO-8601 instants as the review logs write them: `2024-01-03T21:18:43Z`, an offset such as
/// `+02:00`, and optional fractional seconds. A timestamp without a zone is refused.
public enum Timestamp {
  public struct Problem: Error, Equatable {
    public var reason: String
  }

  public static func parse(_ text: String) -> Result<Date, Problem> {
    let bytes = Array(text.utf8)
    func fail(_ reason: String) -> Result<Date, Problem> { .failure(Problem(reason: reason)) }
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= bytes.count else { return nil }
      var value = 0
      for i in range {
        guard bytes[i] >= 48 && bytes[i] <= 57 else { return nil }
        value = value * 10 + Int(bytes[i] - 48)
      }
      return value
    }
    guard bytes.count >= 19, let year = number(0..<4), bytes[4] == 45, let month = number(5..<7), bytes[7] == 45,
      let day = number(8..<10), bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, let hour = number(11..<13),
      bytes[13] == 58, let minute = number(14..<16), bytes[16] == 58, let second = number(17..<19)
    else { return fail("'\(text)' is not an ISO-8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)") }
    guard (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60, second < 60 else {
      return fail("'\(text)' is not a valid date and time")
    }
    var index = 19
    var fraction = 0.0
    if index < bytes.count && bytes[index] == 46 {
      index += 1
      var scale = 0.1
      let start = index
      while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
        fraction += Double(bytes[index] - 48) * scale
        scale /= 10
        index += 1
      }
      if index == start { return fail("'\(text)' has an empty fraction of a second") }
    }
    var offset = 0
    if index == bytes.count {
      return fail("'\(text)' has no time zone: add Z for UTC or an offset such as +02:00")
    } else if (bytes[index] == 90 || bytes[index] == 122) && index + 1 == bytes.count {
      offset = 0
    } else if bytes[index] == 43 || bytes[index] == 45 {
      let sign = bytes[index] == 43 ? 1 : -1
      let rest = Array(bytes[(index + 1)...])
      let digits = rest.filter { $0 != 58 }
      guard digits.count == 4, rest.count == 4 || (rest.count == 5 && rest[2] == 58),
        let h = Int(String(decoding: digits[0..<2], as: UTF8.self)),
        let m = Int(String(decoding: digits[2..<4], as: UTF8.self)),
        h < 24, m < 60
      else { return fail("'\(text)' has an unreadable time zone offset") }
      offset = sign * (h * 3600 + m * 60)
    } else {
      return fail("'\(text)' has an unreadable time zone")
    }
    let days = daysFromCivil(year, month, day)
    let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    return .success(Date(timeIntervalSince1970: seconds))
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`, with six fraction digits only when the instant has microseconds.
  public static func format(_ date: Date) -> String {
    let total = date.timeIntervalSince1970
    let whole = Int(total.rounded(.down))
    let micros = Int(((total - Double(whole)) * 1_000_000).rounded())
    let days = Int((Double(whole) / 86400).rounded(.down))
    let secondsOfDay = whole - days * 86400
    let (y, m, d) = civilFromDays(days)
    var out: [UInt8] = []
    out.reserveCapacity(28)
    func digits(_ value: Int, _ count: Int) {
      var divisor = 1
      for _ in 1..<count { divisor *= 10 }
      var rest = max(0, value)
      while divisor > 0 {
        out.append(UInt8(48 + (rest / divisor) % 10))
        rest %= divisor
        divisor /= 10
      }
    }
    digits(y, 4); out.append(45); digits(m, 2); out.append(45); digits(d, 2); out.append(84)
    digits(secondsOfDay / 3600, 2); out.append(58); digits(secondsOfDay / 60 % 60, 2); out.append(58);
    digits(secondsOfDay % 60, 2)
    if micros > 0 && micros < 1_000_000 {
      out.append(46)
      digits(micros, 6)
    }
    out.append(90)
    return String(decoding: out, as: UTF8.self)
  }

  private static func daysIn(_ month: Int, _ year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp + (mp < 10 ? 3 : -9)
    return (m <= 2 ? y + 1 : y, m, d)
  }
}
