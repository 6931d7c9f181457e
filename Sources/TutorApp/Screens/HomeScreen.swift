import TerminalUI
import TutorCore

/// The course's front page: Continue, the lessons with their state, the quizzes with their best score.
public enum HomeScreen {
  // MARK: - State

  public struct State: Equatable, Sendable {
    public var selected: Int
    public init(selected: Int = 0) { self.selected = selected }
  }

  /// One selectable row.
  public enum Entry: Equatable, Sendable {
    case resume(Continuation)
    /// The spaced-review session of the questions due now.
    case review
    /// Cram a lesson or concept: review without touching the schedule.
    case cram(String)
    /// The progress review.
    case progress
    /// Search the course; the glossary; the reference list.
    case search, glossary, references
    case lesson(String)
    case quiz(String)
  }

  public enum Message: Equatable, Sendable {
    case selectionMovedUp, selectionMovedDown, selectionMovedToTop, selectionMovedToBottom, entryOpened, quitRequested
    case searchRequested
  }

  static let keymap: [KeyBinding<Message>] = [
    KeyBinding([.up, .character("k")], .selectionMovedUp, "up"),
    KeyBinding([.down, .character("j")], .selectionMovedDown, "down"),
    KeyBinding([.home, .character("g")], .selectionMovedToTop, "first", footer: false),
    KeyBinding([.end, .character("G")], .selectionMovedToBottom, "last (Progress)", footer: false),
    KeyBinding([.enter, .right, .character("l")], .entryOpened, "open"),
    KeyBinding([.character("/")], .searchRequested, "search"),
    KeyBinding([.character("q"), .escape], .quitRequested, "quit"),
  ]

  /// The rows in display order; Continue first when there is somewhere to continue.
  public static func entries(_ context: AppContext) -> [Entry] {
    var result: [Entry] = []
    if !context.progress.review.due.isEmpty { result.append(.review) }
    if let continuation = Continuation.of(context.course, progress: context.progress) {
      result.append(.resume(continuation))
    }
    result += context.course.lessons.map { .lesson($0.id) }
    result += context.course.quizzes.map { .quiz($0.id) }
    if context.progress.review.due.isEmpty && context.progress.review.scheduled > 0 { result.append(.review) }
    result += [.search, .glossary, .references, .progress]
    return result
  }

  // MARK: - Update

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    let rows = entries(context)
    switch message {
    case .selectionMovedUp:
      state.selected = max(0, state.selected - 1)
    case .selectionMovedDown:
      state.selected = min(rows.count - 1, state.selected + 1)
    case .selectionMovedToTop:
      state.selected = 0
    case .selectionMovedToBottom:
      state.selected = rows.count - 1
    case .quitRequested:
      return [.run(.quit)]
    case .searchRequested:
      return [.open(.search)]
    case .entryOpened:
      guard rows.indices.contains(state.selected) else { return [] }
      return open(rows[state.selected], context: context)
    }
    return []
  }

  static func open(_ entry: Entry, context: AppContext) -> [Effect] {
    switch entry {
    case .progress: [.open(.progress)]
    case .search: [.open(.search)]
    case .glossary: [.open(.glossary(term: nil))]
    case .references: [.open(.references)]
    case .review: [.open(.review)]
    case .cram(let name): [.open(.cram(name))]
    case .resume(let continuation):
      switch continuation.point {
      case .lesson(let id, let step): [.open(.lesson(id: id, step: step))]
      case .quiz(let id): [.open(.quiz(id: id))]
      }
    case .quiz(let id): [.open(.quiz(id: id))]
    case .lesson(let id): [.open(.lesson(id: id))]
    }
  }

  // MARK: - Rendering

  static func render(_ state: State, context: AppContext, in area: Rect, into grid: inout Grid) {
    let course = context.course
    let rows = entries(context)
    // The selection bar spans the column before the text and the one after it: text gets `width` columns.
    let width = min(area.width - 3, 100)
    let left = area.x + max(1, (area.width - width - 1) / 2)
    var y = area.y + 1
    var lines: [(text: [StyledText], entry: Int?)] = []

    lines.append(([StyledText(course.info.title, Style(.heading, [.bold]))], nil))
    if !course.info.description.isEmpty {
      for line in TextWrapper.wrap(course.info.description, width: width, style: Style(.muted)) {
        lines.append((line, nil))
      }
    }
    lines.append(([], nil))
    var section = ""
    for (index, entry) in rows.enumerated() {
      let (heading, text) = describe(entry, context: context)
      if heading != section {
        if !section.isEmpty { lines.append(([], nil)) }
        lines.append(([StyledText(heading, Style(.heading, [.bold]))], nil))
        section = heading
      }
      lines.append((text, index))
    }

    // Keep the selection visible on short terminals.
    let selectedLine = lines.firstIndex { $0.entry == state.selected } ?? 0
    let visible = area.height - 1
    let offset = max(0, min(selectedLine - visible + 2, lines.count - visible))
    for line in lines.dropFirst(max(0, offset)).prefix(max(0, visible)) {
      let isSelected = line.entry == state.selected
      if isSelected {
        grid.fill(Rect(x: left - 1, y: y, width: width + 2, height: 1), style: Style(.selection, [.reverse]))
        grid.write("›", x: left - 1, y: y, style: Style(.selection, [.reverse, .bold]))
      }
      var x = left + 1
      for run in Self.fitted(line.text, columns: width) {
        let style = isSelected ? Style(.selection, run.style.emphasis.union(.reverse)) : run.style
        x += grid.write(run.text, x: x, y: y, style: style, clip: Rect(x: left + 1, y: y, width: width, height: 1))
      }
      y += 1
    }
  }

  /// The spans cut to `columns`, ending in "…" when something was cut.
  static func fitted(_ spans: [StyledText], columns: Int) -> [StyledText] {
    guard spans.reduce(0, { $0 + DisplayWidth.of($1.text) }) > columns else { return spans }
    var result: [StyledText] = []
    var left = columns
    for span in spans {
      let width = DisplayWidth.of(span.text)
      if width < left {
        result.append(span)
        left -= width
      } else {
        result.append(StyledText(DisplayWidth.truncated(span.text, to: left), span.style))
        break
      }
    }
    return result
  }

  /// Section heading and row text for an entry.
  static func describe(_ entry: Entry, context: AppContext) -> (String, [StyledText]) {
    let course = context.course
    switch entry {
    case .review:
      let queue = context.progress.review
      if queue.due.isEmpty {
        let next = queue.nextDue.map { "next \(RelativeTime.describe($0, from: context.now))" } ?? "nothing scheduled"
        return ("Review", [StyledText("Review  "), StyledText("nothing due · \(next)", Style(.muted))])
      }
      let leeches =
        queue.leeches.isEmpty ? "" : " · \(queue.leeches.count) leech\(queue.leeches.count == 1 ? "" : "es")"
      return (
        "Review",
        [
          StyledText("↻ Review: ", Style(.accent, [.bold])),
          StyledText("\(queue.due.count) due", Style(.normal, [.bold])), StyledText(leeches, Style(.warning)),
        ]
      )
    case .cram(let name):
      return ("Review", [StyledText("Cram: \(name)")])
    case .progress:
      return ("Progress", [StyledText("Progress: "), StyledText("what is mastered, weak and due", Style(.muted))])
    case .search:
      return ("Course", [StyledText("Search the course  "), StyledText("/ anywhere", Style(.muted))])
    case .glossary:
      return ("Course", [StyledText("Glossary  "), StyledText("\(course.glossary.count) terms", Style(.muted))])
    case .references:
      let count = course.info.references.count
      return (
        "Course", [StyledText("References  "), StyledText("\(count) source\(count == 1 ? "" : "s")", Style(.muted))]
      )
    case .resume(let continuation):
      let label = StyledText(continuation.kind == .continuing ? "▶ Continue: " : "▶ Next: ", Style(.accent, [.bold]))
      switch continuation.point {
      case .lesson(let id, let step):
        let lesson = course.lesson(id: id)
        let total = lesson?.steps.count ?? 0
        let place = continuation.kind == .continuing ? " — step \(min(step, max(0, total - 1)) + 1) of \(total)" : ""
        return (
          "Continue",
          [
            label,
            StyledText(
              "\(lesson.map { continuation.kind == .next ? "lesson \($0.order) — \($0.title)" : $0.title } ?? id)\(place)"
            ),
          ]
        )
      case .quiz(let id):
        let quiz = course.quiz(id: id)
        guard let open = context.progress.quizzes[id]?.openAttempt else {
          return ("Continue", [label, StyledText("quiz — \(quiz?.title ?? id)")])
        }
        let kind = open.mode == .retry ? "retry, " : open.mode == .exam ? "exam, " : ""
        let next = min(open.grades.count + 1, open.order.count)
        return (
          "Continue", [label, StyledText("\(quiz?.title ?? id) — \(kind)question \(next) of \(open.order.count)")]
        )
      }
    case .lesson(let id):
      let lesson = course.lesson(id: id)!
      let progress = context.progress.lessons[id]
      let status: StyledText
      if progress?.isComplete == true {
        status = StyledText("✓ complete", Style(.correct, [.bold]))
      } else if let progress {
        status = StyledText("step \(progress.step + 1)/\(lesson.steps.count)", Style(.accent))
      } else {
        status = StyledText("not started", Style(.muted))
      }
      let minutes = lesson.minutes.map { " · \($0) min" } ?? ""
      return (
        "Lessons", [StyledText("\(lesson.order). \(lesson.title)  "), status, StyledText(minutes, Style(.muted))]
      )
    case .quiz(let id):
      let quiz = course.quiz(id: id)!
      let progress = context.progress.quizzes[id]
      var status = StyledText("not taken", Style(.muted))
      if let best = progress?.bestScore {
        status = StyledText("best \(best.description)", Style(best.fraction >= 0.8 ? .correct : .accent, [.bold]))
      }
      if progress?.openAttempt != nil && progress?.bestScore == nil {
        status = StyledText("in progress", Style(.accent))
      }
      return (
        "Quizzes",
        [StyledText("\(quiz.title)  "), status, StyledText(" · \(quiz.questions.count) questions", Style(.muted))]
      )
    }
  }
}

extension HomeScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { HomeScreen.keymap.map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    HomeScreen.keymap.message(for: key).map { HomeScreen.update(&self, $0, context: context) }
  }

  func title(_ context: AppContext) -> (left: String, right: String) {
    let count = context.course.lessons.count
    return (context.course.info.title, count == 1 ? "1 lesson " : "\(count) lessons ")
  }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    HomeScreen.render(self, context: context, in: body, into: &grid)
  }
}
