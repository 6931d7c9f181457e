import TerminalUI
import TutorCore

/// The answer being composed for one question, whatever its type: the highlighted option,
/// ticked options, text fields, pairs, or the current arrangement of items.
public struct AnswerInput: Equatable, Sendable {
  public let question: Question
  public let presentation: Presentation
  /// Highlighted option, left item (match) or position (order).
  public var cursor = 0
  public var picked: Set<String> = []
  /// One field for short and numeric answers, one per blank for cloze.
  public var fields: [TextField] = []
  public var activeField = 0
  /// Per left item, the chosen index in `MatchKey.rightItems` (match).
  public var matches: [Int?] = []
  /// Match: the left item waiting for its partner, and the highlighted right item.
  public var choosingFor: Int?
  public var rightCursor = 0
  /// Order: the item indices in their current arrangement, and whether one is held.
  public var arrangement: [Int] = []
  public var isHolding = false
  /// True once the learner has done anything to the answer (or it was restored from a saved
  /// one): only a touched answer is submitted when an exam's time runs out, and no option is
  /// drawn as chosen before.
  public var isTouched = false
  /// Keys type into the text field; Esc leaves the field (keys are commands again), `i` returns.
  public var isEditing = true

  public init(question: Question, presentation: Presentation) {
    self.question = question
    self.presentation = presentation
    switch question.body {
    case .short, .numeric: fields = [TextField()]
    case .cloze(let cloze): fields = Array(repeating: TextField(), count: cloze.blanks.count)
    case .match(let key): matches = Array(repeating: nil, count: key.pairs.count)
    case .order: arrangement = presentation.itemOrder
    default: break
    }
  }

  /// Restores an earlier answer into the input (going back in an exam, undo).
  public init(question: Question, presentation: Presentation, response: Response?) {
    self.init(question: question, presentation: presentation)
    isTouched = response != nil
    switch response {
    case .choices(let ids)?:
      picked = question.allowsSeveralChoices ? ids : []
      if let first = choices.firstIndex(where: { ids.contains($0.id) }) { cursor = first }
    case .text(let text)?: fields = [TextField(text)]
    case .blanks(let answers)?: fields = answers.map { TextField($0) }
    case .matches(let picks)?: matches = picks
    case .ordering(let placed)?: arrangement = placed
    case nil: break
    }
  }

  public enum Message: Equatable, Sendable {
    case up, down, left, right, toggle
    /// An option, a left item (match) by its letter or number.
    case pick(Int)
    /// A right-hand item of a match by its letter.
    case pickRight(Int)
    case typed(Character), backspace, deleteForward, clearLine, home, end, nextField
    /// Esc in a text field: keys are commands again; `i` goes back to typing.
    case fieldLeft, fieldEntered
  }

  /// The shown choices of a choice question.
  public var choices: [Choice] { PlainText.choices(question, presentation) }

  /// True when the active field holds as many characters as an answer may have.
  public var isFull: Bool {
    fields.indices.contains(activeField) && fields[activeField].characters.count >= PlainText.maximumAnswerLength
  }

  /// True when the field being typed in is empty (where `?` still opens the help).
  public var activeFieldIsEmpty: Bool {
    !fields.indices.contains(activeField) || fields[activeField].characters.isEmpty
  }

  /// True when printable keys type into a field (they are not shortcuts then).
  public var capturesText: Bool { !fields.isEmpty && isEditing }

  /// A text answer whose field was left with Esc.
  public var hasFieldLeft: Bool { !fields.isEmpty && !isEditing }

  // MARK: - Keys

  /// The keys of this input, for routing and for the footer.
  public var keymap: [KeyBinding<Message>] {
    if hasFieldLeft { return [KeyBinding([.character("i")], .fieldEntered, "edit the answer")] }
    switch question.body {
    case .single, .trueFalse:
      return [KeyBinding([.up, .character("k")], .up, "up"), KeyBinding([.down, .character("j")], .down, "down")]
    case .multiple:
      return [
        KeyBinding([.up, .character("k")], .up, "up"), KeyBinding([.down, .character("j")], .down, "down"),
        KeyBinding([.character(" ")], .toggle, "tick"),
      ]
    case .short, .numeric:
      return textKeys
    case .cloze:
      return textKeys + [
        KeyBinding([.tab, .down], .nextField, "next blank"),
        KeyBinding([.up], .up, "previous blank", footer: false),
      ]
    case .match:
      return [
        KeyBinding([.up, .character("k")], .up, "up"), KeyBinding([.down, .character("j")], .down, "down"),
        KeyBinding([.character(" ")], .toggle, choosingFor == nil ? "pick" : "pair"),
        KeyBinding([.left, .right], .right, "switch column", footer: false),
        KeyBinding([.backspace, .character("x")], .backspace, "unpair", footer: false),
      ]
    case .order:
      return [
        KeyBinding([.up, .character("k")], .up, isHolding ? "move item up" : "up"),
        KeyBinding([.down, .character("j")], .down, isHolding ? "move item down" : "down"),
        KeyBinding([.character(" ")], .toggle, isHolding ? "drop" : "pick up"),
      ]
    }
  }

  private var textKeys: [KeyBinding<Message>] {
    [
      KeyBinding([.left], .left, "cursor", footer: false), KeyBinding([.right], .right, "cursor", footer: false),
      KeyBinding([.backspace], .backspace, "erase", footer: false),
      KeyBinding([.delete], .deleteForward, "erase forward", footer: false),
      KeyBinding([.control("u")], .clearLine, "clear", footer: false),
      KeyBinding([.home, .control("a")], .home, "start of line", footer: false),
      KeyBinding([.end, .control("e")], .end, "end of line", footer: false),
      KeyBinding([.escape], .fieldLeft, "leave field"),
    ]
  }

  /// A key's message: the table first, then typing or letter shortcuts.
  public func message(for key: Key) -> Message? {
    if let bound: Message = keymap.message(for: key) { return bound }
    guard case .character(let c) = key else { return nil }
    if capturesText { return .typed(c) }
    switch question.body {
    case .trueFalse:
      return c == "t" ? .pick(0) : c == "f" ? .pick(1) : nil
    case .single, .multiple:
      return Self.letterIndex(c).flatMap { $0 < choices.count ? .pick($0) : nil }
    case .match(let key):
      if let digit = c.wholeNumberValue, (1...key.pairs.count).contains(digit) { return .pick(digit - 1) }
      return Self.letterIndex(c).flatMap { $0 < key.rightItems.count ? .pickRight($0) : nil }
    default:
      return nil
    }
  }

  static func letterIndex(_ c: Character) -> Int? {
    guard let index = "abcdefghi".firstIndex(of: c) else { return nil }
    return "abcdefghi".distance(from: "abcdefghi".startIndex, to: index)
  }

  // MARK: - Update

  public mutating func update(_ message: Message) {
    switch message {
    case .fieldLeft:
      isEditing = false
      return
    case .fieldEntered:
      isEditing = true
      return
    default:
      isTouched = true
    }
    switch question.body {
    case .single, .trueFalse, .multiple: updateChoice(message)
    case .short, .numeric, .cloze: updateText(message)
    case .match(let key): updateMatch(message, key: key)
    case .order: updateOrder(message)
    }
  }

  private mutating func updateChoice(_ message: Message) {
    let count = choices.count
    switch message {
    case .up: cursor = max(0, cursor - 1)
    case .down: cursor = min(count - 1, cursor + 1)
    case .toggle: toggle(cursor)
    case .pick(let index):
      cursor = index
      if question.allowsSeveralChoices { toggle(index) }
    default: break
    }
  }

  private mutating func toggle(_ index: Int) {
    guard question.allowsSeveralChoices, choices.indices.contains(index) else { return }
    let id = choices[index].id
    if picked.contains(id) { picked.remove(id) } else { picked.insert(id) }
  }

  private mutating func updateText(_ message: Message) {
    guard fields.indices.contains(activeField) else { return }
    switch message {
    case .typed(let c) where fields[activeField].characters.count < PlainText.maximumAnswerLength:
      fields[activeField].insert(c)
    case .backspace: fields[activeField].deleteBackward()
    case .deleteForward: fields[activeField].deleteForward()
    case .clearLine: fields[activeField].clearToStart()
    case .left: fields[activeField].moveLeft()
    case .right: fields[activeField].moveRight()
    case .home: fields[activeField].moveToStart()
    case .end: fields[activeField].moveToEnd()
    case .nextField, .down: activeField = (activeField + 1) % fields.count
    case .up: activeField = (activeField + fields.count - 1) % fields.count
    default: break
    }
  }

  private mutating func updateMatch(_ message: Message, key: MatchKey) {
    let rightCount = key.rightItems.count
    switch message {
    case .up:
      if choosingFor != nil { rightCursor = max(0, rightCursor - 1) } else { cursor = max(0, cursor - 1) }
    case .down:
      if choosingFor != nil {
        rightCursor = min(rightCount - 1, rightCursor + 1)
      } else {
        cursor = min(key.pairs.count - 1, cursor + 1)
      }
    case .left, .right:
      choosingFor = choosingFor == nil ? cursor : nil
    case .toggle:
      if let left = choosingFor {
        matches[left] = presentation.itemOrder[rightCursor]
        choosingFor = nil
        cursor = matches.firstIndex { $0 == nil } ?? left
      } else {
        choosingFor = cursor
        if let current = matches[cursor], let shown = presentation.itemOrder.firstIndex(of: current) {
          rightCursor = shown
        }
      }
    case .pickRight(let index):
      let left = choosingFor ?? cursor
      matches[left] = presentation.itemOrder[index]
      choosingFor = nil
      cursor = matches.firstIndex { $0 == nil } ?? left
    case .pick(let index):
      cursor = index
      choosingFor = index
    case .backspace:
      matches[choosingFor ?? cursor] = nil
      choosingFor = nil
    default: break
    }
  }

  private mutating func updateOrder(_ message: Message) {
    switch message {
    case .up where cursor > 0:
      if isHolding { arrangement.swapAt(cursor, cursor - 1) }
      cursor -= 1
    case .down where cursor < arrangement.count - 1:
      if isHolding { arrangement.swapAt(cursor, cursor + 1) }
      cursor += 1
    case .toggle:
      isHolding.toggle()
    default: break
    }
  }

  // MARK: - The answer

  /// The answer as it stands, or why it cannot be submitted yet.
  public var response: Result<Response, PlainText.UnreadableAnswer> {
    func fail(_ reason: String) -> Result<Response, PlainText.UnreadableAnswer> { .failure(.init(reason: reason)) }
    switch question.body {
    case .single, .trueFalse:
      guard isTouched, choices.indices.contains(cursor) else {
        return fail("Choose an option first: its letter, or ↑/↓ to it")
      }
      return .success(.choices([choices[cursor].id]))
    case .multiple:
      return picked.isEmpty
        ? fail("Tick the options that apply with Space (or their letters), then press Enter")
        : .success(.choices(picked))
    case .short, .numeric:
      return PlainText.parseAnswer([fields[0].text], for: question, presentation: presentation)
    case .cloze:
      return PlainText.parseAnswer(fields.map(\.text), for: question, presentation: presentation)
    case .match:
      if let missing = matches.firstIndex(where: { $0 == nil }) { return fail("item \(missing + 1) has no match yet") }
      return .success(.matches(matches))
    case .order:
      return .success(.ordering(arrangement))
    }
  }
}
