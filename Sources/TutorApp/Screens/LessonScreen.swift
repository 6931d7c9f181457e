import TerminalUI
import TutorCore

/// A lesson as pages of steps, with checkpoints to answer and mechanism chains to reveal.
public enum LessonScreen {
  // MARK: - State

  public struct State: Equatable, Sendable {
    public var lesson: Lesson
    public var step: Int
    public var scroll = 0
    /// Checkpoint question ids answered correctly.
    public var passed: Set<String>
    public var isComplete: Bool
    /// The checkpoint questions by id (inline ones and those from quizzes).
    public var questions: [String: Question]
    public var checks: [String: CheckState] = [:]
    public var chains: [String: ChainState] = [:]
    /// Columns and rows of the text area, set by the app from the terminal size.
    public var viewport = Size(width: 76, height: 20)
    /// The block just answered or revealed: kept in view until the learner scrolls or pages.
    public var pinnedBlock: Int?
    /// Whether the waiting checkpoint or chain is on screen: only then do ↑/↓ pick options.
    public var interactionVisible = false

    public init(lesson: Lesson, course: Course, step: Int = 0, passed: Set<String> = [], isComplete: Bool = false) {
      self.lesson = lesson
      self.step = max(0, min(step, lesson.steps.count - 1))
      self.passed = passed
      self.isComplete = isComplete
      let all = course.questionsByID
      var questions: [String: Question] = [:]
      for checkpoint in lesson.checkpoints {
        if let question = all[checkpoint.questionID] { questions[checkpoint.questionID] = question }
      }
      self.questions = questions
    }

    var currentStep: LessonStep { lesson.steps[step] }
  }

  public struct CheckState: Equatable, Sendable {
    public var highlighted = 0
    public var picked: Set<String> = []
    public var grade: Grade?
  }

  public struct ChainState: Equatable, Sendable {
    /// Links shown so far (the first is shown from the start).
    public var revealed = 1
    public var highlighted = 0
    /// Whether the last prediction was right, and the link it picked.
    public var lastPrediction: Prediction?
  }

  public struct Prediction: Equatable, Sendable {
    public var wasRight: Bool
    public var picked: String
  }

  /// Something in the current step that waits for the learner.
  enum Interaction: Equatable {
    case check(String)
    case chain(key: String, MechanismChain)
  }

  public enum Message: Equatable, Sendable {
    case nextStep, previousStep, scrolledUp, scrolledDown
    case selectionMovedUp, selectionMovedDown, choiceToggled, choicePicked(Int), submitted
    case closed
  }

  // MARK: - Keys

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    var bindings: [KeyBinding<Message>] = []
    let paging: [KeyBinding<Message>] = [
      KeyBinding([.right, .character("l"), .pageDown], .nextStep, "next step"),
      KeyBinding([.left, .character("h"), .pageUp], .previousStep, "previous"),
    ]
    let active = activeInteraction(state)
    if active != nil && !state.interactionVisible {
      bindings += [
        KeyBinding([.enter], .submitted, active.map { if case .check = $0 { "go to the checkpoint" } else { "go to the chain" } } ?? ""),
        KeyBinding([.down, .character("j")], .scrolledDown, "scroll"),
        KeyBinding([.up, .character("k")], .scrolledUp, "scroll back", footer: false),
      ]
      bindings += paging
      bindings.append(KeyBinding([.character(" ")], .nextStep, "next step", footer: false))
      bindings.append(KeyBinding([.character("q"), .escape], .closed, "back"))
      return bindings
    }
    switch active {
    case .check(let id)?:
      bindings += [
        KeyBinding([.up, .character("k")], .selectionMovedUp, "up"),
        KeyBinding([.down, .character("j")], .selectionMovedDown, "down"),
      ]
      if state.questions[id]?.allowsSeveralChoices == true {
        bindings.append(KeyBinding([.character(" ")], .choiceToggled, "tick"))
      }
      bindings.append(KeyBinding([.enter], .submitted, "answer"))
      bindings += paging
    case .chain(_, let chain)? where chain.predict:
      bindings += [
        KeyBinding([.up, .character("k")], .selectionMovedUp, "up"),
        KeyBinding([.down, .character("j")], .selectionMovedDown, "down"),
        KeyBinding([.enter], .submitted, "predict"),
      ]
      bindings += paging
    case .chain?:
      bindings.append(KeyBinding([.enter], .submitted, "reveal next link"))
      bindings += paging
      bindings += [
        KeyBinding([.down, .character("j")], .scrolledDown, "scroll", footer: false),
        KeyBinding([.up, .character("k")], .scrolledUp, "scroll back", footer: false),
      ]
    case nil:
      bindings += [KeyBinding([.right, .character("l"), .pageDown, .character(" "), .enter], .nextStep, "next step")]
      bindings += [paging[1]]
      bindings += [
        KeyBinding([.down, .character("j")], .scrolledDown, "scroll"),
        KeyBinding([.up, .character("k")], .scrolledUp, "scroll back", footer: false),
      ]
    }
    if !bindings.contains(where: { $0.keys.contains(.character(" ")) }) {
      bindings.append(KeyBinding([.character(" ")], .nextStep, "next step", footer: false))
    }
    bindings.append(KeyBinding([.character("q"), .escape], .closed, "back"))
    return bindings
  }

  static func message(for key: Key, state: State) -> Message? {
    if let bound: Message = keymap(state).message(for: key) { return bound }
    guard state.interactionVisible, case .character(let c) = key,
      case .check(let id)? = activeInteraction(state), let question = state.questions[id]
    else { return nil }
    if QuestionView.isTrueFalse(question) { return c == "t" ? .choicePicked(0) : c == "f" ? .choicePicked(1) : nil }
    guard let index = "abcdefghi".firstIndex(of: c) else { return nil }
    let position = "abcdefghi".distance(from: "abcdefghi".startIndex, to: index)
    return position < question.choices.count ? .choicePicked(position) : nil
  }

  // MARK: - Update

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    let effects = apply(&state, message)
    layOut(&state, course: context.course)
    return effects
  }

  private static func apply(_ state: inout State, _ message: Message) -> [Effect] {
    switch message {
    case .nextStep:
      return goForward(&state)
    case .previousStep:
      guard state.step > 0 else { return [] }
      return moveTo(&state, step: state.step - 1)
    case .scrolledUp:
      state.pinnedBlock = nil
      state.scroll = max(0, state.scroll - 1)
    case .scrolledDown:
      state.pinnedBlock = nil
      state.scroll += 1
    case .selectionMovedUp, .selectionMovedDown:
      moveSelection(&state, by: message == .selectionMovedUp ? -1 : 1)
    case .choiceToggled:
      if case .check(let id)? = activeInteraction(state), let question = state.questions[id] {
        var check = state.checks[id] ?? CheckState()
        let choiceID = question.choices[min(check.highlighted, question.choices.count - 1)].id
        if check.picked.contains(choiceID) { check.picked.remove(choiceID) } else { check.picked.insert(choiceID) }
        check.grade = nil
        state.checks[id] = check
      }
    case .choicePicked(let index):
      if case .check(let id)? = activeInteraction(state), let question = state.questions[id] {
        var check = state.checks[id] ?? CheckState()
        check.highlighted = index
        check.grade = nil
        if question.allowsSeveralChoices {
          let choiceID = question.choices[index].id
          if check.picked.contains(choiceID) { check.picked.remove(choiceID) } else { check.picked.insert(choiceID) }
        }
        state.checks[id] = check
      }
    case .submitted:
      if let index = activeBlockIndex(state), !state.interactionVisible {
        state.pinnedBlock = index
        return []
      }
      state.pinnedBlock = activeBlockIndex(state)
      switch activeInteraction(state) {
      case .check(let id)?: return answerCheck(&state, id: id)
      case .chain(let key, let chain)?: revealLink(&state, key: key, chain: chain)
      case nil: return goForward(&state)
      }
    case .closed:
      return [.pop]
    }
    return []
  }

  private static func moveTo(_ state: inout State, step: Int) -> [Effect] {
    state.step = step
    state.scroll = 0
    state.pinnedBlock = nil
    return [.run(.saveLessonPosition(lessonID: state.lesson.id, step: step))]
  }

  private static func goForward(_ state: inout State) -> [Effect] {
    if state.step + 1 < state.lesson.steps.count { return moveTo(&state, step: state.step + 1) }
    if state.isComplete { return [.pop, .status("Lesson complete: \(state.lesson.title) ✓")] }
    let pending = state.lesson.checkpoints.map(\.questionID).filter { !state.passed.contains($0) }
    if pending.isEmpty {
      state.isComplete = true
      return [.run(.markLessonComplete(lessonID: state.lesson.id)), .pop, .status("Lesson complete: \(state.lesson.title) ✓")]
    }
    let target = state.lesson.steps.firstIndex { step in
      step.blocks.contains { if case .check(let c) = $0 { pending.contains(c.questionID) } else { false } }
    } ?? state.step
    var effects = target == state.step ? [] : moveTo(&state, step: target)
    effects.append(.status("Answer the checkpoint\(pending.count > 1 ? "s" : "") to complete the lesson (\(pending.count) left)."))
    return effects
  }

  private static func moveSelection(_ state: inout State, by delta: Int) {
    switch activeInteraction(state) {
    case .check(let id)?:
      let count = state.questions[id]?.choices.count ?? 1
      var check = state.checks[id] ?? CheckState()
      check.highlighted = max(0, min(count - 1, check.highlighted + delta))
      if check.grade != nil && !(state.questions[id]?.allowsSeveralChoices ?? false) { check.grade = nil }
      state.checks[id] = check
    case .chain(let key, let chain)?:
      var chainState = state.chains[key] ?? ChainState()
      let count = predictionOptions(chain, revealed: chainState.revealed).count
      chainState.highlighted = max(0, min(count - 1, chainState.highlighted + delta))
      state.chains[key] = chainState
    case nil:
      state.scroll = max(0, state.scroll + delta)
    }
  }

  private static func answerCheck(_ state: inout State, id: String) -> [Effect] {
    guard let question = state.questions[id] else { return [] }
    var check = state.checks[id] ?? CheckState()
    let picked: Set<String>
    if question.allowsSeveralChoices {
      guard !check.picked.isEmpty else { return [.status("Tick the options that apply with Space (or their letters), then press Enter.")] }
      picked = check.picked
    } else {
      picked = [question.choices[min(check.highlighted, question.choices.count - 1)].id]
    }
    let grade = Grader.grade(question, response: .choices(picked))
    check.grade = grade
    state.checks[id] = check
    let letters = question.choices.enumerated().filter { picked.contains($0.element.id) }.map { PlainText.letter($0.offset) }
    var effects: [Effect] = [
      .run(
        .recordAnswer(
          AnswerRecord(
            questionID: question.id, questionVersion: question.version, context: .checkpoint(lesson: state.lesson.id),
            response: letters.joined(separator: ","), grade: grade)))
    ]
    if grade.isCorrect {
      state.passed.insert(id)
      let all = Set(state.lesson.checkpoints.map(\.questionID))
      if !state.isComplete && all.isSubset(of: state.passed) {
        state.isComplete = true
        effects.append(.run(.markLessonComplete(lessonID: state.lesson.id)))
        effects.append(.status("Every checkpoint answered: lesson complete ✓"))
      }
    }
    return effects
  }

  private static func revealLink(_ state: inout State, key: String, chain: MechanismChain) {
    var chainState = state.chains[key] ?? ChainState()
    guard chainState.revealed < chain.steps.count else { return }
    if chain.predict {
      let options = predictionOptions(chain, revealed: chainState.revealed)
      let picked = options[min(chainState.highlighted, options.count - 1)]
      chainState.lastPrediction = Prediction(wasRight: picked == chain.steps[chainState.revealed], picked: picked)
    }
    chainState.revealed += 1
    chainState.highlighted = 0
    state.chains[key] = chainState
  }

  // MARK: - Queries

  static func interactions(_ state: State) -> [Interaction] {
    state.currentStep.blocks.enumerated().compactMap { index, block in
      switch block {
      case .check(let checkpoint): return .check(checkpoint.questionID)
      case .chain(let chain): return .chain(key: "\(state.step):\(index)", chain)
      default: return nil
      }
    }
  }

  /// The first interaction of the step still waiting for the learner.
  static func activeInteraction(_ state: State) -> Interaction? {
    interactions(state).first { interaction in
      switch interaction {
      case .check(let id): return !state.passed.contains(id) && state.questions[id] != nil
      case .chain(let key, let chain): return (state.chains[key]?.revealed ?? 1) < chain.steps.count
      }
    }
  }

  /// Index in the step's blocks of the interaction waiting for the learner.
  static func activeBlockIndex(_ state: State) -> Int? {
    guard let active = activeInteraction(state) else { return nil }
    return state.currentStep.blocks.enumerated().first { index, block in
      switch (block, active) {
      case (.check(let c), .check(let id)): return c.questionID == id
      case (.chain, .chain(let key, _)): return key == "\(state.step):\(index)"
      default: return false
      }
    }?.offset
  }

  /// Fits the scroll position to the text: keeps a just-answered block in view and notes
  /// whether the waiting interaction is on screen. The app calls it after every update and resize.
  static func layOut(_ state: inout State, course: Course) {
    let (lines, ranges) = lines(state, course: course, width: state.viewport.width)
    let height = max(1, state.viewport.height)
    if let pinned = state.pinnedBlock, let range = ranges[pinned] {
      if range.upperBound > state.scroll + height { state.scroll = range.upperBound - height }
      if range.lowerBound < state.scroll || range.count > height { state.scroll = range.lowerBound }
    }
    state.scroll = ScrollView.clampedScroll(state.scroll, lineCount: lines.count, height: height)
    if let index = activeBlockIndex(state), let range = ranges[index] {
      let end = min(range.upperBound, range.lowerBound + height)
      state.interactionVisible = range.lowerBound >= state.scroll && end <= state.scroll + height
    } else {
      state.interactionVisible = false
    }
  }

  /// The real next link and up to two distractors, in a stable order.
  static func predictionOptions(_ chain: MechanismChain, revealed: Int) -> [String] {
    guard revealed < chain.steps.count else { return [] }
    let answer = chain.steps[revealed]
    var distractors: [String] = []
    for candidate in chain.distractors + Array(chain.steps.dropFirst(revealed + 1)).reversed()
    where candidate != answer && !distractors.contains(candidate) && !chain.steps.prefix(revealed).contains(candidate) {
      distractors.append(candidate)
      if distractors.count == 2 { break }
    }
    var options = [answer] + distractors
    var generator = SeededGenerator(seed: StableHash.of(chain.title) &+ UInt64(revealed))
    options.shuffle(using: &generator)
    return options
  }
}

/// FNV-1a: a hash that is the same in every run (Swift's `Hasher` is not).
enum StableHash {
  static func of(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
