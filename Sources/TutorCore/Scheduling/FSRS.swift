import Foundation

/// FSRS-6, the spaced-repetition scheduler Anki uses by default, exactly as py-fsrs 6.3.2
/// computes it (see `../shared/docs/fsrs.md` beside the repository): same states, steps,
/// formulas, rounding and evaluation order, so traces agree within 1e-9.
public enum FSRS {
  /// 9999-12-31T23:59:59Z: dates are stored and printed with four-digit years, so no due date goes past it.
  public static let latestDate = Date(timeIntervalSince1970: 253_402_300_799)

  /// How well an item was recalled.
  public enum Rating: Int, Sendable, Codable, CaseIterable {
    case again = 1, hard, good, easy
  }

  /// Where an item is in its life.
  public enum State: Int, Sendable, Codable {
    case learning = 1, review, relearning

    public var name: String {
      switch self {
      case .learning: "learning"
      case .review: "review"
      case .relearning: "relearning"
      }
    }
  }

  /// The scheduling state of one item.
  public struct Card: Equatable, Sendable, Codable {
    public var state: State
    /// Index into the (re)learning steps; nil in Review.
    public var step: Int?
    public var stability: Double?
    public var difficulty: Double?
    public var lastReview: Date?
    public var due: Date

    /// A new item: Learning at step 0, due now.
    public init(due: Date) {
      state = .learning
      step = 0
      self.due = due
    }

    public init(state: State, step: Int?, stability: Double?, difficulty: Double?, lastReview: Date?, due: Date) {
      self.state = state
      self.step = step
      self.stability = stability
      self.difficulty = difficulty
      self.lastReview = lastReview
      self.due = due
    }
  }

  /// Scheduler settings; the defaults are py-fsrs 6.3.2's.
  public struct Parameters: Equatable, Sendable {
    public static let defaultWeights: [Double] = [
      0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629,
      1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]
    public var weights: [Double]
    public var desiredRetention: Double
    /// Learning and relearning steps, in seconds.
    public var learningSteps: [Double]
    public var relearningSteps: [Double]
    public var maximumInterval: Int

    public init(
      weights: [Double] = defaultWeights, desiredRetention: Double = 0.9, learningSteps: [Double] = [60, 600],
      relearningSteps: [Double] = [600], maximumInterval: Int = 36500
    ) {
      self.weights = weights
      self.desiredRetention = desiredRetention
      self.learningSteps = learningSteps
      self.relearningSteps = relearningSteps
      self.maximumInterval = maximumInterval
    }

    public static let `default` = Parameters()
  }

  /// Schedules reviews with one set of parameters.
  public struct Scheduler: Sendable {
    public let parameters: Parameters
    private let w: [Double]
    private let decay: Double
    private let factor: Double

    public init(parameters: Parameters = .default) {
      self.parameters = parameters
      w = parameters.weights
      decay = -w[20]
      factor = pow(0.9, 1 / decay) - 1
    }

    /// The card after a review with `rating` at `instant`. `fuzz` draws the fuzzed interval
    /// from a number in [0, 1) when the card ends in Review; nil schedules without fuzz.
    public func review(_ card: Card, rating: Rating, at instant: Date, fuzz: Double? = nil) -> Card {
      var next = card
      let g = Double(rating.rawValue)
      let elapsedDays = card.lastReview.map { Int((instant.timeIntervalSince($0) / 86400).rounded(.down)) }

      if let s = card.stability, let d = card.difficulty, let elapsed = elapsedDays {
        if elapsed < 1 {
          next.stability = shortTermStability(s, rating: rating)
        } else {
          let r = retrievability(elapsedDays: elapsed, stability: s)
          next.stability = rating == .again ? forgetStability(d, s, r) : recallStability(d, s, r, rating: rating)
        }
        next.difficulty = nextDifficulty(d, rating: rating)
      } else {
        next.stability = max(w[rating.rawValue - 1], 0.001)
        next.difficulty = clampDifficulty(initialDifficulty(g))
      }
      next.stability = max(next.stability!, 0.001)

      var interval: Double  // seconds
      switch card.state {
      case .learning, .relearning:
        let steps = card.state == .learning ? parameters.learningSteps : parameters.relearningSteps
        let k = card.step ?? 0
        if steps.isEmpty || (k >= steps.count && rating != .again) {
          next.state = .review
          next.step = nil
          interval = days(next.stability!, fuzz: fuzz)
        } else {
          switch rating {
          case .again:
            next.step = 0
            interval = steps[0]
          case .hard:
            if k == 0 && steps.count >= 2 {
              interval = (steps[0] + steps[1]) / 2
            } else if k == 0 {
              interval = steps[0] * 1.5
            } else {
              interval = steps[k]
            }
          case .good:
            if k + 1 == steps.count {
              next.state = .review
              next.step = nil
              interval = days(next.stability!, fuzz: fuzz)
            } else {
              next.step = k + 1
              interval = steps[k + 1]
            }
          case .easy:
            next.state = .review
            next.step = nil
            interval = days(next.stability!, fuzz: fuzz)
          }
        }
      case .review:
        if rating == .again && !parameters.relearningSteps.isEmpty {
          next.state = .relearning
          next.step = 0
          interval = parameters.relearningSteps[0]
        } else {
          interval = days(next.stability!, fuzz: fuzz)
        }
      }
      next.lastReview = instant
      // No schedule runs past the last instant a calendar date of four digits can name.
      next.due = min(instant.addingTimeInterval(interval), FSRS.latestDate)
      return next
    }

    /// Probability of recall after `elapsedDays` whole days.
    public func retrievability(elapsedDays: Int, stability: Double) -> Double {
      retrievability(days: Double(elapsedDays), stability: stability)
    }

    /// Probability of recall after `days` (fractional) days: the forgetting curve.
    public func retrievability(days: Double, stability: Double) -> Double {
      guard stability > 0 else { return 0 }
      return pow(1 + (factor * max(0, days)) / stability, decay)
    }

    /// The day interval for a stability, rounded half to even, within [1, maximum].
    public func interval(stability: Double) -> Int {
      let raw = (stability / factor) * (pow(parameters.desiredRetention, 1 / decay) - 1)
      return min(max(Int(raw.rounded(.toNearestOrEven)), 1), parameters.maximumInterval)
    }

    private func days(_ stability: Double, fuzz: Double?) -> Double {
      var interval = self.interval(stability: stability)
      if let fuzz { interval = fuzzed(interval, u: fuzz) }
      return Double(interval) * 86400
    }

    /// py-fsrs' fuzz: a range around the interval that widens with it.
    public func fuzzed(_ interval: Int, u: Double) -> Int {
      let i = Double(interval)
      if i < 2.5 { return interval }
      var delta = 1.0
      for (start, end, f) in [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, Double.infinity, 0.05)] {
        delta += f * max(min(i, end) - start, 0)
      }
      var lo = max(2, Int((i - delta).rounded(.toNearestOrEven)))
      let hi = min(Int((i + delta).rounded(.toNearestOrEven)), parameters.maximumInterval)
      lo = min(lo, hi)
      let drawn = Int((u * Double(hi - lo + 1) + Double(lo)).rounded(.toNearestOrEven))
      return min(drawn, parameters.maximumInterval)
    }

    private func initialDifficulty(_ g: Double) -> Double {
      (w[4] - pow(M_E, w[5] * (g - 1))) + 1
    }

    private func clampDifficulty(_ d: Double) -> Double { min(max(d, 1), 10) }

    private func nextDifficulty(_ d: Double, rating: Rating) -> Double {
      let deltaD = -w[6] * (Double(rating.rawValue) - 3)
      let damped = d + ((10 - d) * deltaD) / 9
      let reverted = w[7] * initialDifficulty(4) + (1 - w[7]) * damped
      return clampDifficulty(reverted)
    }

    private func shortTermStability(_ s: Double, rating: Rating) -> Double {
      var increase = pow(M_E, w[17] * ((Double(rating.rawValue) - 3) + w[18])) * pow(s, -w[19])
      if rating != .again { increase = max(increase, 1) }
      return s * increase
    }

    private func recallStability(_ d: Double, _ s: Double, _ r: Double, rating: Rating) -> Double {
      let hard = rating == .hard ? w[15] : 1
      let easy = rating == .easy ? w[16] : 1
      return s * (1 + ((((pow(M_E, w[8]) * (11 - d)) * pow(s, -w[9])) * (pow(M_E, (1 - r) * w[10]) - 1)) * hard) * easy)
    }

    private func forgetStability(_ d: Double, _ s: Double, _ r: Double) -> Double {
      let long = ((w[11] * pow(d, -w[12])) * (pow(s + 1, w[13]) - 1)) * pow(M_E, (1 - r) * w[14])
      let short = s / pow(M_E, w[17] * w[18])
      return min(long, short)
    }
  }
}
