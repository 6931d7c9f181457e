/// A lesson: front matter and a sequence of steps (pages).
public struct Lesson: Equatable, Sendable {
  public var id: String
  public var title: String
  public var summary: String
  public var order: Int
  public var minutes: Int?
  public var prerequisites: [String]
  public var objectives: [String]
  public var concepts: [String]
  /// Readable names of the concepts, by id (`concepts:` written as `id: Name`).
  public var conceptNames: [String: String] = [:]
  public var references: [String]
  public var reviewed: String?
  public var steps: [LessonStep]
  /// The file it came from, relative to the course folder.
  public var file: String

  public init(
    id: String, title: String, summary: String = "", order: Int = 0, minutes: Int? = nil,
    prerequisites: [String] = [], objectives: [String] = [], concepts: [String] = [],
    references: [String] = [], reviewed: String? = nil, steps: [LessonStep], file: String = ""
  ) {
    self.id = id
    self.title = title
    self.summary = summary
    self.order = order
    self.minutes = minutes
    self.prerequisites = prerequisites
    self.objectives = objectives
    self.concepts = concepts
    self.references = references
    self.reviewed = reviewed
    self.steps = steps
    self.file = file
  }

  /// The checkpoints of the lesson, in reading order.
  public var checkpoints: [Checkpoint] {
    steps.flatMap(\.blocks).compactMap { if case .check(let c) = $0 { c } else { nil } }
  }

  /// Index of the step with `anchor`, if any.
  public func stepIndex(anchor: String) -> Int? { steps.firstIndex { $0.anchor == anchor } }
}

/// One page of a lesson, started by a `#` heading.
public struct LessonStep: Equatable, Sendable {
  public var anchor: String
  public var title: String
  public var blocks: [Block]
  /// Line of the heading in the source file.
  public var line: Int

  public init(anchor: String, title: String, blocks: [Block], line: Int = 0) {
    self.anchor = anchor
    self.title = title
    self.blocks = blocks
    self.line = line
  }
}

/// A block of lesson content.
public enum Block: Equatable, Sendable {
  case paragraph([Inline])
  case subheading(String)
  case list(ordered: Bool, items: [[Inline]])
  case callout(CalloutKind, [Inline])
  /// Shown verbatim, never wrapped.
  case diagram([String])
  case chain(MechanismChain)
  case check(Checkpoint)
}

/// The kinds of callout an author may write as `> [!kind]`.
public enum CalloutKind: String, Equatable, Sendable, CaseIterable {
  case key, clinical, misconception, note

  public var label: String {
    switch self {
    case .key: "Key point"
    case .clinical: "Clinical"
    case .misconception: "Misconception"
    case .note: "Note"
    }
  }
}

/// Inline text with its markup.
public enum Inline: Equatable, Sendable {
  case text(String)
  indirect case bold([Inline])
  indirect case italic([Inline])
  case code(String)
  /// A glossary link `[[term]]` or `[[term|shown text]]`.
  case term(term: String, shown: String)
  /// A citation `[@key]`.
  case citation(String)

  /// The text as a reader sees it.
  public var plainText: String {
    switch self {
    case .text(let s), .code(let s): s
    case .bold(let inner), .italic(let inner): inner.plainText
    case .term(_, let shown): shown
    case .citation(let key): "[\(key)]"
    }
  }
}

extension Array where Element == Inline {
  /// The inline run as plain text.
  public var plainText: String { map(\.plainText).joined() }
}

/// A mechanism chain: shown one link at a time; with `predict` the learner
/// first picks the next link among distractors.
public struct MechanismChain: Equatable, Sendable {
  /// A wrong "next link", and why it is wrong (shown after it is picked).
  public struct Distractor: Equatable, Sendable {
    public var text: String
    public var why: String?
    public init(_ text: String, why: String? = nil) {
      self.text = text
      self.why = why
    }
  }

  public var title: String
  public var predict: Bool
  public var steps: [String]
  /// Wrong next links offered at any link (chain-wide).
  public var distractors: [String]
  /// Per link (aligned with `steps`), the wrong next links written for it; empty when none.
  public var linkDistractors: [[Distractor]]
  /// Why each chain-wide distractor is wrong, where the author said.
  public var reasons: [String: String]

  public init(
    title: String, predict: Bool, steps: [String], distractors: [String] = [], linkDistractors: [[Distractor]] = [],
    reasons: [String: String] = [:]
  ) {
    self.title = title
    self.predict = predict
    self.steps = steps
    self.linkDistractors =
      linkDistractors.count == steps.count ? linkDistractors : Array(repeating: [], count: steps.count)
    self.reasons = reasons
    self.distractors = distractors
  }
}

/// A checkpoint question inside a lesson.
public struct Checkpoint: Equatable, Sendable {
  public enum Source: Equatable, Sendable {
    /// A question from a quiz, by id.
    case reference(String)
    /// A question written in the lesson itself.
    case inline(Question)
  }
  public var source: Source
  /// Position in the lesson file, for diagnostics.
  public var line: Int
  public var column: Int

  public init(source: Source, line: Int = 0, column: Int = 0) {
    self.source = source
    self.line = line
    self.column = column
  }

  public var questionID: String {
    switch source {
    case .reference(let id): id
    case .inline(let q): q.id
    }
  }
}

extension MechanismChain {
  /// The options offered to predict link `revealed`: the link, its own wrong next links, else
  /// wrong links drawn in turn from the chain-wide ones and from links further down (out of
  /// order), so the same two are not offered at every link; shuffled reproducibly.
  /// The options are shuffled from `seed`, so each visit shows them in a fresh order.
  public func predictionOptions(revealed: Int, seed: UInt64 = 0) -> [String] {
    guard revealed < steps.count else { return [] }
    let answer = steps[revealed]
    var distractors = linkDistractors[revealed].prefix(3).map(\.text)
    if distractors.count < 2 {
      var pool = (self.distractors + steps.dropFirst(revealed + 1)).filter {
        $0 != answer && !distractors.contains($0) && !steps.prefix(revealed).contains($0)
      }
      var rotation = SeededGenerator(seed: StableHash.of(title) &+ UInt64(revealed) &* 7919)
      pool.shuffle(using: &rotation)
      var seen: Set<String> = Set(distractors)
      for candidate in pool where distractors.count < 2 && seen.insert(candidate).inserted {
        distractors.append(candidate)
      }
    }
    var options = [answer] + distractors
    var generator = SeededGenerator(seed: (StableHash.of(title) &+ UInt64(revealed)) ^ seed)
    options.shuffle(using: &generator)
    return options
  }

  /// Why `picked` is not the link that comes after the ones revealed, where that can be said.
  public func whyNot(_ picked: String, revealed: Int) -> String? {
    guard revealed < steps.count, picked != steps[revealed] else { return nil }
    if let own = linkDistractors[revealed].first(where: { $0.text == picked }), let why = own.why { return why }
    if let why = reasons[picked] { return why }
    if let later = steps.firstIndex(of: picked), later > revealed {
      return "That comes later in the chain: it does not follow straight from “\(steps[revealed - 1])”."
    }
    return nil
  }
}
