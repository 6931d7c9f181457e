import TerminalUI
import TutorCore

/// The course's glossary or its reference list, to read through and search.
public enum ListScreen {
  public enum Kind: Equatable, Sendable { case glossary, references }

  public struct State: Equatable, Sendable {
    public var kind: Kind
    public var scroll = 0
    /// A glossary term to bring into view when the list is first laid out.
    var focus: String?
    var height = 20

    public init(kind: Kind, focus: String? = nil) {
      self.kind = kind
      self.focus = focus
    }
  }

  enum Message: Equatable, Sendable { case paged(PageMove), searched, closed }

  static let keymap: [KeyBinding<Message>] =
    PageMove.bindings(Message.paged) + [
      KeyBinding([.character("/")], .searched, "search the course"),
      KeyBinding([.character("q"), .escape], .closed, "back"),
    ]

  static func update(_ state: inout State, _ message: Message) -> [Effect] {
    switch message {
    case .paged(let move): state.scroll = move.scroll(from: state.scroll, height: state.height)
    case .searched: return [.open(.search)]
    case .closed: return [.pop]
    }
    return []
  }

  /// The lines, and where each glossary term starts.
  static func lines(_ state: State, course: Course, width: Int) -> ([[StyledText]], [String: Int]) {
    var lines: [[StyledText]] = []
    var starts: [String: Int] = [:]
    switch state.kind {
    case .glossary:
      for term in course.glossary.sorted(by: { $0.term.lowercased() < $1.term.lowercased() }) {
        starts[term.term] = lines.count
        let aliases = term.aliases.isEmpty ? "" : " (" + term.aliases.joined(separator: ", ") + ")"
        lines += TextWrapper.wrap(
          [StyledText(term.term, Style(.term, [.bold])), StyledText(aliases, Style(.muted))], width: width)
        lines += TextWrapper.wrap(term.definition, width: width - 2).map { [StyledText("  ")] + $0 }
        lines.append([])
      }
    case .references:
      for reference in course.info.references.sorted(by: { $0.shortCitation < $1.shortCitation }) {
        lines += TextWrapper.wrap(
          [StyledText("[\(reference.shortCitation)] ", Style(.citation, [.bold])), StyledText(reference.fullText)],
          width: width)
        if let doi = reference.doi { lines.append([StyledText("  doi:" + doi, Style(.muted))]) }
        lines.append([])
      }
    }
    return (lines, starts)
  }
}

extension ListScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { ListScreen.keymap.map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    ListScreen.keymap.message(for: key).map { ListScreen.update(&self, $0) }
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    height = viewport.height
    let (lines, starts) = ListScreen.lines(self, course: context.course, width: viewport.width)
    if let focus, let start = starts[focus] {
      scroll = start
      self.focus = nil
    }
    scroll = ScrollView.clampedScroll(scroll, lineCount: lines.count, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) {
    switch kind {
    case .glossary: ("Glossary", "\(context.course.glossary.count) terms ")
    case .references: ("References", "\(context.course.info.references.count) sources ")
    }
  }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ScrollView.draw(
      ListScreen.lines(self, course: context.course, width: textArea.width).0, scroll: scroll, in: textArea, into: &grid
    )
  }
}
