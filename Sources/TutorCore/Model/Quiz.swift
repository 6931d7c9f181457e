/// A quiz: an ordered list of questions and its settings.
public struct Quiz: Equatable, Sendable {
  public var id: String
  public var title: String
  /// The lesson that the quiz sends learners back to.
  public var lesson: String?
  public var shuffle: Bool
  public var exam: ExamSettings?
  public var questions: [Question]
  public var file: String

  public init(
    id: String, title: String, lesson: String? = nil, shuffle: Bool = false,
    exam: ExamSettings? = nil, questions: [Question], file: String = ""
  ) {
    self.id = id
    self.title = title
    self.lesson = lesson
    self.shuffle = shuffle
    self.exam = exam
    self.questions = questions
    self.file = file
  }

  public func question(id: String) -> Question? { questions.first { $0.id == id } }
}

/// Settings used when a quiz runs as an exam.
public struct ExamSettings: Equatable, Sendable {
  public enum Feedback: String, Equatable, Sendable { case end, immediate }
  public var timeLimitSeconds: Int?
  public var feedback: Feedback
  public init(timeLimitSeconds: Int? = nil, feedback: Feedback = .end) {
    self.timeLimitSeconds = timeLimitSeconds
    self.feedback = feedback
  }
}

/// A question of any type; identity is `id` plus `version`.
public struct Question: Equatable, Sendable {
  public var id: String
  public var version: Int
  public var prompt: String
  public var body: QuestionBody
  public var explanation: String
  public var hints: [String]
  public var concepts: [String]
  /// `lesson#anchor` of the step that teaches it.
  public var see: String?
  public var difficulty: Int?
  public var references: [String]

  public init(
    id: String, version: Int = 1, prompt: String, body: QuestionBody, explanation: String = "",
    hints: [String] = [], concepts: [String] = [], see: String? = nil, difficulty: Int? = nil,
    references: [String] = []
  ) {
    self.id = id
    self.version = version
    self.prompt = prompt
    self.body = body
    self.explanation = explanation
    self.hints = hints
    self.concepts = concepts
    self.see = see
    self.difficulty = difficulty
    self.references = references
  }

  /// The options a learner picks from, for the choice-based types.
  public var choices: [Choice] {
    switch body {
    case .single(let c), .multiple(let c): c
    case .trueFalse(let answer, let feedbackTrue, let feedbackFalse):
      [
        Choice(id: "t", text: "True", isCorrect: answer, feedback: feedbackTrue),
        Choice(id: "f", text: "False", isCorrect: !answer, feedback: feedbackFalse),
      ]
    }
  }

  /// The question type as authors write it.
  public var typeName: String {
    switch body {
    case .single: "single"
    case .multiple: "multiple"
    case .trueFalse: "truefalse"
    }
  }

  public var allowsSeveralChoices: Bool {
    if case .multiple = body { true } else { false }
  }
}

/// What kind of question it is, and its answer key.
public enum QuestionBody: Equatable, Sendable {
  case single([Choice])
  case multiple([Choice])
  case trueFalse(answer: Bool, feedbackTrue: String?, feedbackFalse: String?)
}

/// One option of a choice question.
public struct Choice: Equatable, Sendable {
  /// Stable id: written by the author or the letter of its written position.
  public var id: String
  public var text: String
  public var isCorrect: Bool
  /// Says what is wrong with a wrong option (the misconception it stands for).
  public var feedback: String?

  public init(id: String, text: String, isCorrect: Bool, feedback: String? = nil) {
    self.id = id
    self.text = text
    self.isCorrect = isCorrect
    self.feedback = feedback
  }
}
