/// The order in which a question's options or items are shown.
public struct Presentation: Equatable, Sendable {
  /// Choice ids in the order shown (choice questions).
  public var choiceOrder: [String]
  /// Indices of `order` items, or of a match's `rightItems`, in the order shown.
  public var itemOrder: [Int]

  public init(choiceOrder: [String], itemOrder: [Int]) {
    self.choiceOrder = choiceOrder
    self.itemOrder = itemOrder
  }

  /// Options, order items and match items are shuffled at every encounter, so a learner cannot
  /// answer by position (and the order of a key would give it away). True/false, and options
  /// their author keeps in order (`shuffle: false`), are shown as written.
  public static func make(for question: Question, using generator: inout SeededGenerator) -> Presentation {
    var choiceIDs = question.choices.map(\.id)
    if !question.body.isTrueFalse && !question.keepsChoiceOrder { choiceIDs.shuffle(using: &generator) }
    var items: [Int] = []
    switch question.body {
    case .order(let list):
      items = Array(list.indices)
      if items.count > 1 {
        repeat { items.shuffle(using: &generator) } while items == Array(list.indices)
      }
    case .match(let key):
      items = Array(key.rightItems.indices)
      items.shuffle(using: &generator)
    default:
      break
    }
    return Presentation(choiceOrder: choiceIDs, itemOrder: items)
  }

  /// The presentation of one question at one encounter (a lesson checkpoint).
  public static func make(for question: Question, seed: UInt64) -> Presentation {
    var generator = SeededGenerator(seed: seed ^ StableHash.of(question.id))
    return make(for: question, using: &generator)
  }
}

extension QuestionBody {
  var isTrueFalse: Bool { if case .trueFalse = self { true } else { false } }
}

/// One attempt at a quiz: the question order, the answers so far, and the position.
/// Pure: the caller persists it through the store.
public struct QuizRun: Equatable, Sendable {
  public let quiz: Quiz
  /// The seed its shuffles came from (saved with the attempt, so a resumed run looks the same).
  public let seed: UInt64
  /// Question ids in the order asked.
  public private(set) var order: [String]
  public private(set) var presentations: [String: Presentation]
  public private(set) var grades: [String: Grade]
  public var currentIndex: Int

  /// Starts a run; a shuffled quiz is shuffled reproducibly from `seed`. `only` limits the
  /// run to some questions (a retry of the missed ones), in the quiz's order.
  public init(quiz: Quiz, seed: UInt64, only: [String]? = nil) {
    self.quiz = quiz
    self.seed = seed
    var generator = SeededGenerator(seed: seed)
    var ids = quiz.questions.map(\.id)
    if let only { ids = ids.filter(only.contains) }
    order = quiz.shuffle ? ids.shuffled(using: &generator) : ids
    var presentations: [String: Presentation] = [:]
    for question in quiz.questions {
      presentations[question.id] = Presentation.make(for: question, seed: seed)
    }
    self.presentations = presentations
    grades = [:]
    currentIndex = 0
  }

  /// Resumes a run with its saved order and answers; ids no longer in the quiz are dropped.
  public init(quiz: Quiz, order savedOrder: [String], grades savedGrades: [String: Grade], seed: UInt64) {
    self.init(quiz: quiz, seed: seed)
    let known = Set(quiz.questions.map(\.id))
    let kept = savedOrder.filter(known.contains)
    let added = savedOrder.isEmpty ? quiz.questions.map(\.id).filter { !kept.contains($0) } : []
    order = kept + added
    grades = savedGrades.filter { known.contains($0.key) }
    currentIndex = order.firstIndex { grades[$0] == nil } ?? order.count
  }

  /// Asks the questions in `ids`' order (a review keeps its interleaving; options still shuffle).
  mutating func keepOrder(_ ids: [String]) {
    order = ids.filter { quiz.question(id: $0) != nil }
  }

  public var isFinished: Bool { currentIndex >= order.count }

  public var currentQuestion: Question? {
    guard currentIndex < order.count else { return nil }
    return quiz.question(id: order[currentIndex])
  }

  public func presentation(of question: Question) -> Presentation {
    presentations[question.id] ?? Presentation.make(for: question, seed: seed)
  }

  /// Grades and records the answer to the current question (it stays current until `advance`).
  @discardableResult
  public mutating func answer(_ response: Response) -> Grade? {
    guard let question = currentQuestion else { return nil }
    let grade = Grader.grade(question, response: response)
    grades[question.id] = grade
    return grade
  }

  /// Forgets the answer to the current question (practice mode's undo).
  public mutating func withdrawAnswer() {
    guard let question = currentQuestion else { return }
    grades[question.id] = nil
  }

  /// Moves to the next question.
  public mutating func advance() {
    if currentIndex < order.count { currentIndex += 1 }
  }

  /// Moves to the previous question (exams that allow going back).
  public mutating func goBack() {
    if currentIndex > 0 { currentIndex -= 1 }
  }

  /// Ends the run: unanswered questions score 0.
  public mutating func finish() { currentIndex = order.count }

  public var score: Score {
    Score(points: order.compactMap { grades[$0]?.score }.reduce(0, +), total: order.count)
  }

  /// Questions answered wrong, only partly right, or not at all, in the order asked.
  public var missed: [Question] {
    order.compactMap { id in
      if let grade = grades[id], grade.isCorrect { return nil }
      return quiz.question(id: id)
    }
  }

  public var answeredCount: Int { order.filter { grades[$0] != nil }.count }
}

/// A small reproducible random generator (SplitMix64), so `--seed` gives the same order everywhere.
public struct SeededGenerator: RandomNumberGenerator, Equatable, Sendable {
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

/// FNV-1a: a hash that is the same in every run (Swift's `Hasher` is not).
public enum StableHash {
  public static func of(_ text: String) -> UInt64 {
    var hash = Builder()
    hash.add(text)
    return hash.value
  }

  /// The hash of text given in pieces, the same as `of` their concatenation, without making it.
  public struct Builder {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
      for byte in text.utf8 { add(byte) }
    }

    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
      for byte in bytes { add(byte) }
    }

    /// A number as `String(number)` writes it.
    public mutating func add(_ number: Int) {
      if number < 0 { add(UInt8(ascii: "-")) }
      var rest = number.magnitude
      var divisor: UInt = 1
      while rest / divisor >= 10 { divisor *= 10 }
      while divisor > 0 {
        add(UInt8(ascii: "0") + UInt8(rest / divisor))
        rest %= divisor
        divisor /= 10
      }
    }

    private mutating func add(_ byte: UInt8) {
      value ^= UInt64(byte)
      value = value &* 0x100_0000_01b3
    }
  }
}
