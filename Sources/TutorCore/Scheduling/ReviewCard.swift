import Foundation

/// A question's review schedule as the store keeps it: the FSRS card plus what the tutor
/// tracks around it (the question version it was made for, reviews, failures, leech flag).
@dynamicMemberLookup
public struct ReviewCard: Equatable, Sendable {
  public var card: FSRS.Card

  /// The card's own fields (state, due, stability, ...) read through.
  public subscript<Value>(dynamicMember keyPath: KeyPath<FSRS.Card, Value>) -> Value { card[keyPath: keyPath] }
  public var questionVersion: Int
  public var reps: Int
  public var failures: Int
  public var isLeech: Bool

  public init(card: FSRS.Card, questionVersion: Int, reps: Int = 0, failures: Int = 0, isLeech: Bool = false) {
    self.card = card
    self.questionVersion = questionVersion
    self.reps = reps
    self.failures = failures
    self.isLeech = isLeech
  }

  /// The schedule after an answer rated `rating`. A question with no schedule, or whose version
  /// was raised since, starts afresh. The fuzz is reproducible: seeded from the question and its
  /// review count. Again counts a failure, and a question failed `leechThreshold` times is a leech.
  public static func next(
    after previous: ReviewCard?, questionID: String, version: Int, rating: FSRS.Rating, at date: Date,
    settings: ReviewSettings
  ) -> ReviewCard {
    var current = ReviewCard(card: FSRS.Card(due: date), questionVersion: version)
    if let previous, previous.questionVersion >= version { current = previous }
    var generator = SeededGenerator(seed: StableHash.of(questionID) &+ UInt64(current.reps))
    let fuzz = Double(generator.next() >> 11) / Double(1 << 53)
    let failures = current.failures + (rating == .again ? 1 : 0)
    return ReviewCard(
      card: settings.scheduler.review(current.card, rating: rating, at: date, fuzz: fuzz),
      questionVersion: max(version, previous?.questionVersion ?? 0), reps: current.reps + 1, failures: failures,
      isLeech: failures >= settings.leechThreshold)
  }
}

/// How many items a review session may still take today, and which due items those are.
public enum DailyReviewLimits {
  /// "Today" is the 24 hours before now.
  public static let window: TimeInterval = 86400

  /// One answer given in a review session within the window, with the state its schedule was in.
  public struct ReviewedItem: Equatable, Sendable {
    public var questionID: String
    /// nil when the question had no schedule yet.
    public var stateBefore: FSRS.State?
    public init(questionID: String, stateBefore: FSRS.State?) {
      self.questionID = questionID
      self.stateBefore = stateBefore
    }
  }

  /// Room left today for new items (still in their learning steps; each counted once) and for
  /// reviews of graduated items (each answer counted).
  public static func room(settings: ReviewSettings, reviewedToday: [ReviewedItem]) -> (new: Int, reviews: Int) {
    let newIDs = Set(reviewedToday.filter { $0.stateBefore == nil || $0.stateBefore == .learning }.map(\.questionID))
    let reviews = reviewedToday.filter { $0.stateBefore != nil && $0.stateBefore != .learning }.count
    return (max(0, settings.newPerDay - newIDs.count), max(0, settings.reviewsPerDay - reviews))
  }

  /// A due item: its question and when it fell due.
  public struct DueItem: Equatable, Sendable {
    public var questionID: String
    public var due: Date
    public init(questionID: String, due: Date) {
      self.questionID = questionID
      self.due = due
    }
  }

  /// The due queue within the limits: the soonest-due graduated items (review and relearning
  /// together) up to the review room, and learning items up to the new room; soonest first.
  /// Each list must be in due order; it need hold no more than its room.
  public static func queue(
    review: [DueItem], relearning: [DueItem], learning: [DueItem], room: (new: Int, reviews: Int)
  )
    -> [String]
  {
    let graduated = (review + relearning).sorted { ($0.due, $0.questionID) < ($1.due, $1.questionID) }.prefix(
      room.reviews)
    return (graduated + learning.prefix(room.new))
      .sorted { ($0.due, $0.questionID) < ($1.due, $1.questionID) }
      .map(\.questionID)
  }
}
