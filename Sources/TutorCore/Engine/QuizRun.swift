/// One attempt at a quiz: the question order, the answers so far, and the position.
/// Pure: the caller persists it through the store.
public struct QuizRun: Equatable, Sendable {
  public let quiz: Quiz
  /// Question ids in the order asked.
  public private(set) var order: [String]
  /// Option order per question id (shuffled quizzes show options in another order).
  public private(set) var optionOrder: [String: [String]]
  public private(set) var grades: [String: Grade]
  public var currentIndex: Int

  /// Starts a run; a shuffled quiz is shuffled reproducibly from `seed`.
  public init(quiz: Quiz, seed: UInt64) {
    self.quiz = quiz
    var generator = SeededGenerator(seed: seed)
    let ids = quiz.questions.map(\.id)
    order = quiz.shuffle ? ids.shuffled(using: &generator) : ids
    var options: [String: [String]] = [:]
    for question in quiz.questions {
      let optionIDs = question.choices.map(\.id)
      let shuffleOptions = quiz.shuffle && { if case .trueFalse = question.body { false } else { true } }()
      options[question.id] = shuffleOptions ? optionIDs.shuffled(using: &generator) : optionIDs
    }
    optionOrder = options
    grades = [:]
    currentIndex = 0
  }

  /// Resumes a run with its saved order and answers; ids no longer in the quiz are dropped.
  public init(quiz: Quiz, order savedOrder: [String], grades savedGrades: [String: Grade], seed: UInt64) {
    self.init(quiz: quiz, seed: seed)
    let known = Set(quiz.questions.map(\.id))
    let kept = savedOrder.filter(known.contains)
    let added = quiz.questions.map(\.id).filter { !kept.contains($0) }
    order = kept + added
    grades = savedGrades.filter { known.contains($0.key) }
    currentIndex = order.firstIndex { grades[$0] == nil } ?? order.count
  }

  public var isFinished: Bool { currentIndex >= order.count }

  public var currentQuestion: Question? {
    guard currentIndex < order.count else { return nil }
    return quiz.question(id: order[currentIndex])
  }

  /// The options of a question in the order shown.
  public func shownChoices(of question: Question) -> [Choice] {
    let byID = Dictionary(question.choices.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    return (optionOrder[question.id] ?? question.choices.map(\.id)).compactMap { byID[$0] }
  }

  /// Grades and records the answer to the current question (it stays current until `advance`).
  @discardableResult
  public mutating func answer(_ response: Response) -> Grade? {
    guard let question = currentQuestion else { return nil }
    let grade = Grader.grade(question, response: response)
    grades[question.id] = grade
    return grade
  }

  /// Moves to the next question.
  public mutating func advance() {
    if currentIndex < order.count { currentIndex += 1 }
  }

  public var score: Score {
    Score(points: order.compactMap { grades[$0]?.score }.reduce(0, +), total: order.count)
  }

  /// Questions answered wrong or only partly right, in the order asked.
  public var missed: [Question] {
    order.compactMap { id in
      guard let grade = grades[id], !grade.isCorrect else { return nil }
      return quiz.question(id: id)
    }
  }
}

/// A small reproducible random generator (SplitMix64), so `--seed` gives the same order everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
