import TerminalUI
import TutorCore

/// `/`: searches the course as the learner types, and opens the place found.
public enum SearchScreen {
  public struct State: Equatable, Sendable {
    var field = TextField()
    var index: CourseSearch
    var hits: [CourseSearch.Hit] = []
    var selected = 0
    var scroll = 0
    var height = 20

    public init(course: Course) { index = CourseSearch(course) }
  }

  enum Message: Equatable, Sendable {
    case typed(Character), erased, cleared, moved(Int), opened, closed
  }

  static let keymap: [KeyBinding<Message>] = [
    KeyBinding([.enter], .opened, "open"),
    KeyBinding([.down, .control("n")], .moved(1), "next"),
    KeyBinding([.up, .control("p")], .moved(-1), "previous"),
    KeyBinding([.backspace], .erased, "erase", footer: false),
    KeyBinding([.control("u")], .cleared, "clear", footer: false),
    KeyBinding([.escape], .closed, "back"),
  ]

  static func message(for key: Key) -> Message? {
    if let bound: Message = keymap.message(for: key) { return bound }
    if case .character(let c) = key { return .typed(c) }
    return nil
  }

  static func update(_ state: inout State, _ message: Message) -> [Effect] {
    switch message {
    case .typed(let c) where state.field.characters.count < 80: state.field.insert(c)
    case .typed: return []
    case .erased: state.field.deleteBackward()
    case .cleared: state.field = TextField()
    case .moved(let step):
      state.selected = max(0, min(state.hits.count - 1, state.selected + step))
      return []
    case .opened:
      guard state.hits.indices.contains(state.selected) else { return [] }
      switch state.hits[state.selected].target {
      case .step(let see): return [.open(.lookUp(see: see))]
      case .term(let term): return [.open(.glossary(term: term))]
      }
    case .closed:
      return [.pop]
    }
    state.hits = state.index.search(state.field.text)
    state.selected = 0
    state.scroll = 0
    return []
  }

  static func lines(_ state: State, width: Int) -> [[StyledText]] {
    var lines: [[StyledText]] = [
      [StyledText("Search: ", Style(.accent, [.bold]))] + QuestionView.field(state.field, active: true)
    ]
    lines.append([])
    if state.field.text.trimmed.isEmpty {
      lines += TextWrapper.wrap(
        "Type words to find them in the lessons, the glossary and the questions; Enter opens the place found.",
        width: width, style: Style(.muted))
      return lines
    }
    if state.hits.isEmpty {
      lines.append([StyledText("Nothing found.", Style(.muted))])
      return lines
    }
    for (index, hit) in state.hits.enumerated() {
      let selected = index == state.selected
      let style = selected ? Style(.selection, [.reverse]) : Style(.normal, [.bold])
      lines.append([
        StyledText(selected ? "› " : "· ", style),
        StyledText(DisplayWidth.truncated(hit.title, to: max(10, width - 2)), style),
      ])
      lines.append([StyledText("  " + DisplayWidth.truncated(hit.excerpt, to: max(10, width - 2)), Style(.muted))])
    }
    return lines
  }
}

extension SearchScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { SearchScreen.keymap.map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    SearchScreen.message(for: key).map { SearchScreen.update(&self, $0) }
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    height = viewport.height
    // Keep the highlighted hit (two lines, after the two of the field) in view.
    let line = 2 + selected * 2
    if line + 2 > scroll + height { scroll = line + 2 - height }
    if line < scroll { scroll = max(0, line - 2) }
  }

  func title(_ context: AppContext) -> (left: String, right: String) {
    ("Search: " + context.course.info.title, hits.isEmpty ? "" : "\(hits.count) found ")
  }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ScrollView.draw(SearchScreen.lines(self, width: textArea.width), scroll: scroll, in: textArea, into: &grid)
  }

  var typing: Typing? { Typing(isEmpty: field.characters.isEmpty) }
}
