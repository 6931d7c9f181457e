import Foundation

/// A live class quiz as the host keeps it: who joined, which question is open, every answer,
/// the clock. The host is authoritative: it grades with the core's `Grader`, keeps time, and
/// never lets the answer out before the reveal. Pure: the network layer feeds it events.
public struct ClassSession: Equatable, Sendable {
  public enum Pacing: Equatable, Sendable {
    /// The host opens each question; answers lock when time is up or everyone has answered.
    case teacher
    /// Everyone works through the quiz on their own until the deadline, if any.
    case student(deadline: Date?)
  }

  public struct Settings: Equatable, Sendable {
    public var code: String
    /// Seconds per question in a teacher-paced session (nil: no limit).
    public var secondsPerQuestion: Int?
    public var pacing: Pacing
    /// Who may join (student ids); nil: anyone with the code.
    public var roster: Set<String>?
    /// Answers this long after the deadline still count (network lag).
    public var graceSeconds: Double
    public init(
      code: String, secondsPerQuestion: Int? = 30, pacing: Pacing = .teacher, roster: Set<String>? = nil,
      graceSeconds: Double = 1
    ) {
      self.code = code
      self.secondsPerQuestion = secondsPerQuestion
      self.pacing = pacing
      self.roster = roster
      self.graceSeconds = graceSeconds
    }
  }

  public struct Answer: Equatable, Sendable {
    public var questionID: String
    public var response: Response
    public var grade: Grade
    public var seconds: Double
    public var key: String
  }

  public struct Student: Equatable, Sendable {
    /// Stable id: the OS user name on a Unix socket, else the name given at join.
    public var id: String
    public var name: String
    /// Kept by the client to resume after a dropped connection.
    public var token: String
    /// Shuffles this student's options, so a neighbour's letter is no help.
    public var seed: UInt64
    public var answers: [String: Answer] = [:]
    /// More time on every question (accessibility).
    public var extraSeconds = 0
    public var isRemoved = false
  }

  public enum Phase: Equatable, Sendable {
    case lobby
    case open(question: Int, openedAt: Date, closesAt: Date?)
    case locked(question: Int)
    case revealed(question: Int)
    /// Student-paced: running until the deadline.
    case running
    case ended
  }

  public enum Failure: Error, Equatable, Sendable {
    case wrongVersion, wrongCode, lobbyLocked, notOnRoster, nameTaken, removed, notJoined, notOpen, unknownQuestion

    /// The protocol's error code and a sentence for the student.
    public var message: (code: String, text: String) {
      switch self {
      case .wrongVersion: ("version", "This tutor speaks another version of the class protocol; update it.")
      case .wrongCode: ("code", "That join code is not this session's.")
      case .lobbyLocked: ("locked", "The teacher has locked the session: no one else can join now.")
      case .notOnRoster: ("roster", "You are not on this session's roster.")
      case .nameTaken: ("name", "Someone has that name already: choose another with --name.")
      case .removed: ("removed", "The teacher removed you from this session.")
      case .notJoined: ("join", "Join the session first.")
      case .notOpen: ("closed", "That question is not open for answers.")
      case .unknownQuestion: ("question", "No such question in this session.")
      }
    }
  }

  public let quiz: Quiz
  public let settings: Settings
  public private(set) var phase: Phase = .lobby
  public private(set) var students: [Student] = []
  public private(set) var isLobbyLocked = false
  /// How many of the quiz's questions have been asked, in its order: all of them once a
  /// student-paced session runs.
  public private(set) var askedCount = 0
  public var askedQuestions: ArraySlice<Question> { quiz.questions.prefix(askedCount) }
  private var generator: SeededGenerator
  /// Kept as answers come, so a class of a thousand costs no more per answer than a class of ten.
  private var positions: [String: Int] = [:]
  public private(set) var presentCount = 0
  private var answerCounts: [String: Int] = [:]
  private var mostExtraSeconds = 0

  public init(quiz: Quiz, settings: Settings, seed: UInt64) {
    self.quiz = quiz
    self.settings = settings
    generator = SeededGenerator(seed: seed)
  }

  // MARK: - Joining

  /// Lets a student in, or back in: the resume token, or an identity the OS vouches for
  /// (`identityIsProven`, a Unix socket's peer), takes over the earlier place; a name alone does
  /// not (that would let anyone answer for someone else).
  public mutating func join(
    id: String, name: String?, code: String, token: String?, version: Int = ClassProtocol.version,
    identityIsProven: Bool = false
  ) -> Result<Student, Failure> {
    guard version == ClassProtocol.version else { return .failure(.wrongVersion) }
    guard code == settings.code else { return .failure(.wrongCode) }
    let byToken = token.flatMap { token in students.firstIndex { $0.token == token } }
    if let index = byToken ?? positions[id] {
      guard students[index].token == token || identityIsProven else { return .failure(.nameTaken) }
      guard !students[index].isRemoved else { return .failure(.removed) }
      if let name, !name.isEmpty, !students.contains(where: { $0.name == name && $0.id != students[index].id }) {
        students[index].name = name
      }
      return .success(students[index])
    }
    if let roster = settings.roster, !roster.contains(id) { return .failure(.notOnRoster) }
    guard !isLobbyLocked else { return .failure(.lobbyLocked) }
    let shown = (name?.isEmpty == false ? name : nil) ?? id
    guard !students.contains(where: { $0.name == shown }) else { return .failure(.nameTaken) }
    let student = Student(
      id: id, name: shown, token: String(generator.next(), radix: 36) + String(generator.next(), radix: 36),
      seed: generator.next())
    positions[id] = students.count
    students.append(student)
    presentCount += 1
    return .success(student)
  }

  public func student(_ id: String) -> Student? {
    positions[id].map { students[$0] }.flatMap { $0.isRemoved ? nil : $0 }
  }

  /// How many of those present have answered a question.
  public func answerCount(_ questionID: String) -> Int { answerCounts[questionID] ?? 0 }
  public var present: [Student] { students.filter { !$0.isRemoved } }

  // MARK: - The teacher's moves

  public mutating func lockLobby(_ locked: Bool) { isLobbyLocked = locked }

  public mutating func remove(_ id: String) {
    guard let index = positions[id] ?? students.firstIndex(where: { $0.name == id }), !students[index].isRemoved else {
      return
    }
    students[index].isRemoved = true
    presentCount -= 1
    for questionID in students[index].answers.keys { answerCounts[questionID, default: 1] -= 1 }
  }

  public mutating func extend(_ id: String, seconds: Int) {
    guard let index = positions[id] ?? students.firstIndex(where: { $0.name == id }) else { return }
    students[index].extraSeconds += max(0, seconds)
    mostExtraSeconds = max(mostExtraSeconds, students[index].extraSeconds)
  }

  /// Starts the session: a student-paced one runs; a teacher-paced one opens its first question.
  public mutating func start(at now: Date) {
    guard phase == .lobby else { return }
    if case .student = settings.pacing {
      phase = .running
      askedCount = quiz.questions.count
    } else {
      open(0, at: now)
    }
  }

  /// The question open, locked or revealed, in the quiz's order.
  public var currentIndex: Int? {
    switch phase {
    case .open(let index, _, _), .locked(let index), .revealed(let index): index
    default: nil
    }
  }

  /// Teacher-paced: the next question (revealing the open one first); after the last, the end.
  /// Returns what happened, for the host to send.
  public mutating func next(at now: Date) -> Phase {
    switch phase {
    case .lobby: start(at: now)
    case .open, .locked: reveal()
    case .revealed(let index):
      if index + 1 < quiz.questions.count { open(index + 1, at: now) } else { phase = .ended }
    case .running, .ended: phase = .ended
    }
    return phase
  }

  public mutating func reveal() {
    if case .open(let index, _, _) = phase { phase = .locked(question: index) }
    if case .locked(let index) = phase { phase = .revealed(question: index) }
  }

  public mutating func end() { phase = .ended }

  /// Time left on the open question while the session is paused (nil: not paused).
  public private(set) var pausedWithSecondsLeft: TimeInterval?
  public var isPaused: Bool { pausedWithSecondsLeft != nil }

  /// Stops the clock of the open question; answers wait until it is resumed.
  public mutating func pause(at now: Date) {
    guard !isPaused, case .open(_, _, let closesAt) = phase else { return }
    pausedWithSecondsLeft = closesAt.map { max(0, $0.timeIntervalSince(now)) } ?? .infinity
  }

  /// Starts the clock again with the time that was left.
  public mutating func resume(at now: Date) {
    guard let left = pausedWithSecondsLeft, case .open(let index, let openedAt, _) = phase else {
      pausedWithSecondsLeft = nil
      return
    }
    pausedWithSecondsLeft = nil
    phase = .open(question: index, openedAt: openedAt, closesAt: left.isFinite ? now.addingTimeInterval(left) : nil)
  }

  private mutating func open(_ index: Int, at now: Date) {
    let closes = settings.secondsPerQuestion.map { now.addingTimeInterval(TimeInterval($0)) }
    phase = .open(question: index, openedAt: now, closesAt: closes)
    askedCount = max(askedCount, index + 1)
  }

  // MARK: - Answers

  /// Counts an answer graded by the core; the same key again is acknowledged without counting
  /// twice. Returns whether it is newly counted.
  public mutating func answer(student id: String, questionID: String, key: String, response: Response, at now: Date)
    -> Result<Bool, Failure>
  {
    guard let index = positions[id], !students[index].isRemoved else { return .failure(.notJoined) }
    if let earlier = students[index].answers[questionID] {
      return earlier.key == key ? .success(false) : .failure(.notOpen)
    }
    guard let questionIndex = quiz.questions.firstIndex(where: { $0.id == questionID }) else {
      return .failure(.unknownQuestion)
    }
    let started: Date
    switch phase {
    case .open(let open, let openedAt, let closesAt) where open == questionIndex:
      guard !isPaused else { return .failure(.notOpen) }
      let extra = TimeInterval(students[index].extraSeconds)
      if let closesAt, now > closesAt.addingTimeInterval(settings.graceSeconds + extra) { return .failure(.notOpen) }
      started = openedAt
    case .running:
      if case .student(let deadline?) = settings.pacing, now > deadline.addingTimeInterval(settings.graceSeconds) {
        return .failure(.notOpen)
      }
      started = now
    default:
      return .failure(.notOpen)
    }
    let question = quiz.questions[questionIndex]
    students[index].answers[questionID] = Answer(
      questionID: questionID, response: response, grade: Grader.grade(question, response: response),
      seconds: max(0, now.timeIntervalSince(started)), key: key)
    answerCounts[questionID, default: 0] += 1
    return .success(true)
  }

  /// The clock: an open question locks once its time (and the grace) is up for everyone, or
  /// everyone present has answered; a student-paced session ends at its deadline or when all
  /// have finished. True when something changed.
  public mutating func tick(at now: Date) -> Bool {
    switch phase {
    case .open(let index, _, let closesAt):
      guard !isPaused else { return false }
      let id = quiz.questions[index].id
      let everyone = presentCount > 0 && answerCount(id) == presentCount
      let longest = TimeInterval(mostExtraSeconds)
      let timeUp = closesAt.map { now > $0.addingTimeInterval(settings.graceSeconds + longest) } ?? false
      guard everyone || timeUp else { return false }
      phase = .locked(question: index)
      return true
    case .running:
      let finished = presentCount > 0 && quiz.questions.allSatisfy { answerCount($0.id) == presentCount }
      var late = false
      if case .student(let deadline?) = settings.pacing {
        late = now > deadline.addingTimeInterval(settings.graceSeconds)
      }
      guard finished || late else { return false }
      phase = .ended
      return true
    default:
      return false
    }
  }

  // MARK: - What students see

  /// The question as `id` sees it: options shuffled for that student, nothing of the answer.
  public func question(_ index: Int, for id: String, at now: Date) -> ClassQuestion? {
    guard let student = student(id), quiz.questions.indices.contains(index) else { return nil }
    let question = quiz.questions[index]
    let presentation = Presentation.make(for: question, seed: student.seed)
    var secondsLeft: Int?
    if case .open(let open, _, let closesAt?) = phase, open == index {
      secondsLeft = max(0, Int(closesAt.timeIntervalSince(now).rounded(.up)) + student.extraSeconds)
    }
    var items: [ClassQuestion.Option] = []
    var left: [String] = []
    var blanks = 0
    var unit: String?
    switch question.body {
    case .order(let list): items = presentation.itemOrder.map { .init(id: String($0), text: list[$0]) }
    case .match(let key):
      items = presentation.itemOrder.map { .init(id: String($0), text: key.rightItems[$0]) }
      left = key.pairs.map(\.left)
    case .cloze(let cloze): blanks = cloze.blanks.count
    case .numeric(let key): unit = key.unit
    default: break
    }
    let options = PlainText.choices(question, presentation).map { ClassQuestion.Option(id: $0.id, text: $0.text) }
    return ClassQuestion(
      id: question.id, number: index + 1, of: quiz.questions.count, type: question.typeName,
      prompt: question.body.isCloze ? (question.clozeText ?? question.prompt) : question.prompt,
      options: options, items: items, left: left, blanks: blanks, unit: unit, secondsLeft: secondsLeft)
  }

  /// After the reveal: the right answer, the class's answers, and this student's score.
  public func reveal(_ index: Int, for id: String?) -> ClassReveal {
    let question = quiz.questions[index]
    let answers = present.compactMap { $0.answers[question.id] }
    var distribution: [String: Int] = [:]
    for answer in answers { for choice in answer.grade.chosenChoiceIDs { distribution[choice, default: 0] += 1 } }
    return ClassReveal(
      questionID: question.id, rightAnswer: question.answerSummary, explanation: question.explanation,
      distribution: distribution, answered: answers.count, correct: answers.filter(\.grade.isCorrect).count,
      yourScore: id.flatMap { student($0)?.answers[question.id]?.grade.score })
  }

  // MARK: - Results

  public func points(of student: Student) -> Double { student.answers.values.reduce(0) { $0 + $1.grade.score } }

  /// The scores, best first; equal points share a rank.
  public var scores: [ClassScore] {
    ClassScore.ranked(present.map { ($0.name, points(of: $0)) }, outOf: askedCount)
  }
}

extension QuestionBody {
  var isCloze: Bool { if case .cloze = self { true } else { false } }
}

extension Question {
  /// A cloze's sentence with numbered gaps.
  var clozeText: String? { if case .cloze(let cloze) = body { cloze.gappedText } else { nil } }
}
