/// A quiz: an ordered list of questions and its settings.
public struct Quiz: Equatable, Sendable {
  public var id: String
  public var title: String
  /// The lesson that the quiz sends learners back to.
  public var lesson: String?
  public var shuffle: Bool
  public var exam: ExamSettings?
  /// Ask how sure the learner was after each answer.
  public var asksConfidence: Bool
  public var questions: [Question]
  public var file: String

  public init(
    id: String, title: String, lesson: String? = nil, shuffle: Bool = false,
    exam: ExamSettings? = nil, asksConfidence: Bool = false, questions: [Question], file: String = ""
  ) {
    self.id = id
    self.title = title
    self.lesson = lesson
    self.shuffle = shuffle
    self.exam = exam
    self.asksConfidence = asksConfidence
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
  /// Whether the learner may go back to an earlier question before submitting.
  public var allowsGoingBack: Bool
  public init(timeLimitSeconds: Int? = nil, feedback: Feedback = .end, allowsGoingBack: Bool = true) {
    self.timeLimitSeconds = timeLimitSeconds
    self.feedback = feedback
    self.allowsGoingBack = allowsGoingBack
  }
}

/// How an item is written, as its author tags it, for the course's statistics
/// (`tutor check --stats`) and for the item-writing checks.
public struct ItemTags: Equatable, Sendable {
  /// Bloom's level: what the learner must do with what they know.
  public enum Level: String, Equatable, Sendable, CaseIterable { case remember, understand, apply, analyse }
  /// What the item is about.
  public enum Focus: String, Equatable, Sendable, CaseIterable { case mechanism, clinical, study, fact }
  /// The item-writing checks an author may accept for one item (say why in a comment).
  public enum Allowance: String, Equatable, Sendable, CaseIterable {
    case longestOption = "longest-option", absoluteWords = "absolute-words", countHint = "count-hint"
    case reusedCheckpoint = "reused-checkpoint"
  }
  public var level: Level?
  public var focus: Focus?
  /// Built on a patient or an experiment that has to be worked out.
  public var vignette: Bool
  /// The answer hinges on recalling a study's number.
  public var studyNumber: Bool
  public var allowances: Set<Allowance>

  public init(
    level: Level? = nil, focus: Focus? = nil, vignette: Bool = false, studyNumber: Bool = false,
    allowances: Set<Allowance> = []
  ) {
    self.level = level
    self.focus = focus
    self.vignette = vignette
    self.studyNumber = studyNumber
    self.allowances = allowances
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
  public var tags: ItemTags
  /// `shuffle: false`: the options keep the author's order (a scale, "both of the above").
  public var keepsChoiceOrder: Bool

  public init(
    id: String, version: Int = 1, prompt: String, body: QuestionBody, explanation: String = "",
    hints: [String] = [], concepts: [String] = [], see: String? = nil, difficulty: Int? = nil,
    references: [String] = [], tags: ItemTags = ItemTags(), keepsChoiceOrder: Bool = false
  ) {
    self.tags = tags
    self.keepsChoiceOrder = keepsChoiceOrder
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

  /// The options a learner picks from, for the choice-based types (empty for the others).
  public var choices: [Choice] {
    switch body {
    case .single(let c), .multiple(let c): c
    case .trueFalse(let answer, let feedbackTrue, let feedbackFalse):
      [
        Choice(id: "t", text: "True", isCorrect: answer, feedback: feedbackTrue),
        Choice(id: "f", text: "False", isCorrect: !answer, feedback: feedbackFalse),
      ]
    case .short, .numeric, .cloze, .match, .order: []
    }
  }

  /// The question type as authors write it.
  public var typeName: String {
    switch body {
    case .single: "single"
    case .multiple: "multiple"
    case .trueFalse: "truefalse"
    case .short: "short"
    case .numeric: "numeric"
    case .cloze: "cloze"
    case .match: "match"
    case .order: "order"
    }
  }

  public var allowsSeveralChoices: Bool {
    if case .multiple = body { true } else { false }
  }

  /// True for the types answered by picking options (single, multiple, truefalse).
  public var isChoiceQuestion: Bool { !choices.isEmpty }

  /// The right answer as one line of text, for results and plain mode.
  public var answerSummary: String {
    switch body {
    case .single, .multiple, .trueFalse:
      return choices.filter(\.isCorrect).map(\.text).joined(separator: "; ")
    case .short(let key):
      return key.answers.joined(separator: " / ")
    case .numeric(let key):
      return key.summary
    case .cloze(let cloze):
      return cloze.filledText
    case .match(let key):
      return key.pairs.map { "\($0.left) → \($0.right)" }.joined(separator: "; ")
    case .order(let items):
      return items.joined(separator: " → ")
    }
  }
}

/// What kind of question it is, and its answer key.
public enum QuestionBody: Equatable, Sendable {
  case single([Choice])
  case multiple([Choice])
  case trueFalse(answer: Bool, feedbackTrue: String?, feedbackFalse: String?)
  case short(ShortAnswerKey)
  case numeric(NumericKey)
  case cloze(ClozeText)
  case match(MatchKey)
  /// The items in the right order; shown shuffled.
  case order([String])
}

/// Accepted answers of a typed question, and how many typos each may carry.
public struct ShortAnswerKey: Equatable, Sendable {
  public var answers: [String]
  /// Edit distance allowed; `nil` uses the default (0 below 5 letters, else 1).
  public var typos: Int?
  public init(answers: [String], typos: Int? = nil) {
    self.answers = answers
    self.typos = typos
  }
}

/// A numeric answer: exact, within a tolerance, or within a range; with an optional unit.
public struct NumericKey: Equatable, Sendable {
  public var answer: Double?
  public var tolerance: Double
  public var range: ClosedRange<Double>?
  public var unit: String?
  public init(answer: Double?, tolerance: Double = 0, range: ClosedRange<Double>? = nil, unit: String? = nil) {
    self.answer = answer
    self.tolerance = tolerance
    self.range = range
    self.unit = unit
  }

  public var summary: String {
    let unitText = unit.map { " \($0)" } ?? ""
    if let range {
      return "\(NumberText.format(range.lowerBound)) to \(NumberText.format(range.upperBound))\(unitText)"
    }
    let base = NumberText.format(answer ?? 0)
    return tolerance > 0 ? "\(base) ± \(NumberText.format(tolerance))\(unitText)" : base + unitText
  }
}

/// A sentence with blanks, each with its accepted answers.
public struct ClozeText: Equatable, Sendable {
  public enum Segment: Equatable, Sendable {
    case text(String)
    case blank([String])
  }
  public var segments: [Segment]
  public var typos: Int?
  public init(segments: [Segment], typos: Int? = nil) {
    self.segments = segments
    self.typos = typos
  }

  public var blanks: [[String]] { segments.compactMap { if case .blank(let a) = $0 { a } else { nil } } }

  /// The sentence with each blank filled by its first accepted answer.
  public var filledText: String {
    segments.map { segment in
      switch segment {
      case .text(let text): text
      case .blank(let answers): answers.first ?? ""
      }
    }.joined()
  }

  /// The sentence with numbered gaps: "P-gp is encoded by [1] ...".
  public var gappedText: String {
    var number = 0
    return segments.map { segment in
      switch segment {
      case .text(let text): return text
      case .blank:
        number += 1
        return "[\(number)]"
      }
    }.joined()
  }
}

/// Pairs of a matching question and extra right-hand items.
public struct MatchKey: Equatable, Sendable {
  public struct Pair: Equatable, Sendable {
    public var left: String
    public var right: String
    public init(left: String, right: String) {
      self.left = left
      self.right = right
    }
  }
  public var pairs: [Pair]
  public var distractors: [String]
  public init(pairs: [Pair], distractors: [String] = []) {
    self.pairs = pairs
    self.distractors = distractors
  }

  /// Every right-hand item once: the pairs' right sides, then the distractors.
  public var rightItems: [String] {
    var items: [String] = []
    for item in pairs.map(\.right) + distractors where !items.contains(item) { items.append(item) }
    return items
  }
}

/// Numbers as people write them: no trailing ".0".
public enum NumberText {
  public static func format(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
  }
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
