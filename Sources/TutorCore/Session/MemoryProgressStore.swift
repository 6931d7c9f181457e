import Foundation

/// A progress store held in memory: for tests, and the model a disk store must agree with.
/// It keeps the same rules as the SQLite store, from the same core functions.
public final class MemoryProgressStore: ProgressStore {
  private var hostedClasses: [ClassRecord] = []

  public func saveClass(_ record: ClassRecord) throws -> Int64 {
    if isReadOnly { throw Failure.readOnly }
    hostedClasses.append(record)
    return Int64(hostedClasses.count)
  }

  public func classes() throws -> [(number: Int64, record: ClassRecord)] {
    hostedClasses.enumerated().map { (Int64($0.offset + 1), $0.element) }.reversed()
  }

  public enum Failure: Error, Equatable {
    case attemptFinished
    case answersMissing(saved: Double, claimed: Double)
    case readOnly
  }

  private struct SavedAnswer {
    var id: Int
    var learner: Int64
    var record: AnswerRecord
    var at: Date
    /// The question's schedule before this answer moved it (`.some(nil)`: it had none).
    var scheduleBefore: ReviewCard??

    var attempt: Int64? {
      if case .quiz(_, let attempt) = record.context { attempt } else { nil }
    }
  }

  private struct Attempt {
    var quizID: String
    var learner: Int64
    var mode: QuizMode
    var finished = false
    /// Closed with a score (not abandoned).
    var submitted = false
  }

  public var isReadOnly = false
  private var learners: [String: Int64] = [:]
  private var progressByLearner: [Int64: LearnerProgress] = [:]
  private var answers: [SavedAnswer] = []
  private var attempts: [Int64: Attempt] = [:]
  private var cards: [Int64: [String: ReviewCard]] = [:]
  private var settingsByLearner: [Int64: ReviewSettings] = [:]
  private var nextAnswerID = 1

  public init() {}

  public func learnerID(named name: String, at date: Date) throws -> Int64 {
    if let id = learners[name] { return id }
    let id = Int64(learners.count + 1)
    learners[name] = id
    return id
  }

  public func existingLearnerID(named name: String) throws -> Int64? { learners[name] }

  public func setSetting(_ key: String, to value: String, learner: Int64) throws -> String? {
    var settings = try settings(learner: learner)
    if let problem = settings.set(key, to: value) { return problem }
    settingsByLearner[learner] = settings
    return nil
  }

  public func settings(learner: Int64) throws -> ReviewSettings { settingsByLearner[learner] ?? ReviewSettings() }

  @discardableResult
  public func save(_ change: ProgressChange, learner: Int64, at date: Date) throws -> SaveReceipt {
    if isReadOnly { throw Failure.readOnly }
    var receipt = SaveReceipt.saved
    var attemptID: Int64?
    switch change {
    case .answerRecorded(let answer):
      if case .quiz(_, let attempt) = answer.context {
        if attempts[attempt]?.finished == true { throw Failure.attemptFinished }
        replaceEarlierAnswers(to: answer.questionID, in: attempt, learner: learner)
      }
      var before: ReviewCard??
      if let rating = answer.rating {
        before = .some(cards[learner]?[answer.questionID])
        let next = try schedule(
          answer.questionID, version: answer.questionVersion, rating: rating, learner: learner, at: date)
        receipt = .scheduled(questionID: answer.questionID, due: next.card.due)
      }
      answers.append(SavedAnswer(id: nextAnswerID, learner: learner, record: answer, at: date, scheduleBefore: before))
      nextAnswerID += 1
    case .answerWithdrawn(let questionID, let attempt):
      // Without an attempt: the latest answer given in a review (no attempt, no lesson).
      if let index = answers.lastIndex(where: {
        $0.learner == learner && $0.record.questionID == questionID && $0.attempt == attempt
          && (attempt != nil || $0.record.context == .review)
      }) {
        restore(answers[index], learner: learner)
        answers.remove(at: index)
      }
    case .attemptBegun(let quizID, _, _, let mode, _):
      let id = Int64(attempts.count + 1)
      attempts[id] = Attempt(quizID: quizID, learner: learner, mode: mode)
      attemptID = id
      receipt = .attemptBegun(id)
    case .attemptFinished(_, let attempt, let score):
      guard attempts[attempt]?.finished == false else { return .saved }
      let latest = latestAnswers(in: attempt)
      let saved = latest.reduce(0) { $0 + $1.record.grade.score }
      if abs(saved - score.points) > 1e-6 { throw Failure.answersMissing(saved: saved, claimed: score.points) }
      attempts[attempt]?.finished = true
      attempts[attempt]?.submitted = true
      for answer in latest {
        if case .atSubmission(let rating) = answer.record.scheduling {
          _ = try schedule(
            answer.record.questionID, version: answer.record.questionVersion, rating: rating, learner: learner, at: date
          )
        }
      }
    case .attemptsAbandoned(let quizID):
      for (id, attempt) in attempts where attempt.quizID == quizID && attempt.learner == learner {
        attempts[id]?.finished = true
      }
    case .lessonPositionSaved, .lessonCompleted, .questionFlagged:
      break
    }
    progressByLearner[learner, default: LearnerProgress()].apply(change, at: date, attemptID: attemptID)
    return receipt
  }

  /// Every answer kept for a learner, in the order given (replaced and withdrawn ones are gone).
  public func answers(learner: Int64) -> [AnswerRecord] {
    answers.filter { $0.learner == learner }.map(\.record)
  }

  public func progress(learner: Int64) throws -> LearnerProgress {
    var progress = progressByLearner[learner] ?? LearnerProgress()
    progress.review = ReviewQueue()
    return progress
  }

  public func reviewCard(learner: Int64, questionID: String) throws -> ReviewCard? { cards[learner]?[questionID] }

  public func reviewQueue(learner: Int64, now: Date) throws -> ReviewQueue {
    let all = cards[learner] ?? [:]
    let reviewedToday = answers.filter {
      $0.learner == learner && $0.record.mode == .review && $0.at > now.addingTimeInterval(-DailyReviewLimits.window)
    }
    .map {
      DailyReviewLimits.ReviewedItem(
        questionID: $0.record.questionID, stateBefore: ($0.scheduleBefore ?? nil)?.card.state)
    }
    let room = DailyReviewLimits.room(settings: try settings(learner: learner), reviewedToday: reviewedToday)
    func due(_ state: FSRS.State) -> [DailyReviewLimits.DueItem] {
      all.filter { $0.value.card.state == state && $0.value.card.due <= now }
        .map { DailyReviewLimits.DueItem(questionID: $0.key, due: $0.value.card.due) }
        .sorted { ($0.due, $0.questionID) < ($1.due, $1.questionID) }
    }
    var forecast = [Int](repeating: 0, count: 14)
    forecast[0] = all.values.filter { $0.card.due <= now }.count
    for day in 0..<14 {
      let from = now.addingTimeInterval(Double(day) * 86400)
      forecast[day] += all.values.filter { $0.card.due > from && $0.card.due <= from.addingTimeInterval(86400) }.count
    }
    return ReviewQueue(
      due: DailyReviewLimits.queue(
        review: due(.review), relearning: due(.relearning), learning: due(.learning), room: room),
      forecast: forecast, leeches: all.filter(\.value.isLeech).map(\.key).sorted(), scheduled: all.count,
      nextDue: all.values.map(\.card.due).filter { $0 > now }.min())
  }

  public func answerStats(learner: Int64) throws -> [String: AnswerStats] {
    var grades: [String: [Grade]] = [:]
    for answer in answers where answer.learner == learner && answer.record.mode != .prediction {
      // An exam's answers stay out of progress until it is submitted (for good, if abandoned).
      if let attempt = answer.attempt, let exam = attempts[attempt], exam.mode == .exam, !exam.submitted { continue }
      grades[answer.record.questionID, default: []].append(answer.record.grade)
    }
    return grades.mapValues { grades in
      var stats = AnswerStats()
      for grade in grades { stats.count(grade) }
      let recent = grades.suffix(AnswerStats.recentWindow)
      stats.recentAnswers = recent.count
      stats.recentRight = recent.filter(\.isCorrect).count
      return stats
    }
  }

  // MARK: - Rules shared with the disk store, through the core

  private func schedule(_ questionID: String, version: Int, rating: FSRS.Rating, learner: Int64, at date: Date) throws
    -> ReviewCard
  {
    let next = ReviewCard.next(
      after: cards[learner]?[questionID], questionID: questionID, version: version, rating: rating, at: date,
      settings: try settings(learner: learner))
    cards[learner, default: [:]][questionID] = next
    return next
  }

  private func restore(_ answer: SavedAnswer, learner: Int64) {
    guard let before = answer.scheduleBefore else { return }
    cards[learner, default: [:]][answer.record.questionID] = before
  }

  /// An attempt holds one answer per question: a changed answer replaces the earlier one and
  /// puts back the schedule it moved, unless a later answer moved it since.
  private func replaceEarlierAnswers(to questionID: String, in attempt: Int64, learner: Int64) {
    while let index = answers.lastIndex(where: { $0.attempt == attempt && $0.record.questionID == questionID }) {
      let earlier = answers[index]
      if !answers.contains(where: { $0.learner == learner && $0.record.questionID == questionID && $0.id > earlier.id })
      {
        restore(earlier, learner: learner)
      }
      answers.remove(at: index)
    }
  }

  private func latestAnswers(in attempt: Int64) -> [SavedAnswer] {
    var latest: [String: SavedAnswer] = [:]
    for answer in answers where answer.attempt == attempt { latest[answer.record.questionID] = answer }
    return latest.values.sorted { $0.id < $1.id }
  }
}

extension AnswerStats {
  /// Counts one answer (in the order given): right, or wrong with the options it picked.
  public mutating func count(_ grade: Grade) {
    answers += 1
    lastRight = grade.isCorrect
    if grade.isCorrect {
      right += 1
    } else {
      for choice in grade.chosenChoiceIDs { wrongPicks[choice, default: 0] += 1 }
    }
  }
}
