/// A learner's review settings (`tutor settings`).
public struct ReviewSettings: Equatable, Sendable {
  /// Probability of recall the schedule aims for: 0.7 to 0.97.
  public var desiredRetention: Double
  /// Most items still in their learning steps reviewed per day.
  public var newPerDay: Int
  /// Most graduated items reviewed per day.
  public var reviewsPerDay: Int
  /// Failures after which a question is flagged as a leech.
  public var leechThreshold: Int

  public init(desiredRetention: Double = 0.9, newPerDay: Int = 20, reviewsPerDay: Int = 200, leechThreshold: Int = 8) {
    self.desiredRetention = desiredRetention
    self.newPerDay = newPerDay
    self.reviewsPerDay = reviewsPerDay
    self.leechThreshold = leechThreshold
  }

  /// The settings a learner can change, with what each allows.
  public static let keys: [(key: String, help: String)] = [
    ("retention", "desired retention, 0.7 to 0.97; default 0.9"),
    ("new-per-day", "items in their learning steps reviewed per day; default 20"),
    ("reviews-per-day", "graduated items reviewed per day; default 200"),
    ("leech-threshold", "failures before a question is flagged as a leech; default 8"),
  ]

  /// Sets one setting from text; returns why when the value is not allowed.
  public mutating func set(_ key: String, to text: String) -> String? {
    switch key {
    case "retention":
      guard let value = Double(text), (0.7...0.97).contains(value) else {
        return "retention must be a number from 0.7 to 0.97"
      }
      desiredRetention = value
    case "new-per-day":
      guard let value = Int(text), value >= 0 else { return "new-per-day must be a whole number, 0 or more" }
      newPerDay = value
    case "reviews-per-day":
      guard let value = Int(text), value >= 0 else { return "reviews-per-day must be a whole number, 0 or more" }
      reviewsPerDay = value
    case "leech-threshold":
      guard let value = Int(text), value >= 1 else { return "leech-threshold must be a whole number, 1 or more" }
      leechThreshold = value
    default:
      return "unknown setting '\(key)' (known: \(Self.keys.map(\.key).joined(separator: ", ")))"
    }
    return nil
  }

  public func value(of key: String) -> String? {
    switch key {
    case "retention": String(desiredRetention)
    case "new-per-day": String(newPerDay)
    case "reviews-per-day": String(reviewsPerDay)
    case "leech-threshold": String(leechThreshold)
    default: nil
    }
  }

  public var scheduler: FSRS.Scheduler {
    FSRS.Scheduler(parameters: FSRS.Parameters(desiredRetention: desiredRetention))
  }
}
