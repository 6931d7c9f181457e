import TerminalUI
import TutorCore

/// The progress review: lessons, quizzes, what is due, concepts mastered and weak, and the
/// misconceptions the learner keeps picking.
public enum ProgressScreen {
  public struct State: Equatable, Sendable {
    /// Answer statistics; nil until the store has answered.
    public var stats: [String: AnswerStats]?
    public var scroll = 0
    public init(stats: [String: AnswerStats]? = nil) { self.stats = stats }
  }

  public enum Message: Equatable, Sendable { case scrolledUp, scrolledDown, closed }

  static let keymap: [KeyBinding<Message>] = [
    KeyBinding([.down, .character("j"), .pageDown, .character(" ")], .scrolledDown, "scroll"),
    KeyBinding([.up, .character("k"), .pageUp], .scrolledUp, "scroll back", footer: false),
    KeyBinding([.enter, .character("q"), .escape], .closed, "back to the course"),
  ]

  static func update(_ state: inout State, _ message: Message) -> [Effect] {
    switch message {
    case .scrolledUp: state.scroll = max(0, state.scroll - 1)
    case .scrolledDown: state.scroll += 1
    case .closed: return [.pop]
    }
    return []
  }

  static let bars = Array("▁▂▃▄▅▆▇█")

  /// Fourteen days of due counts as a row of bars.
  static func sparkline(_ counts: [Int]) -> String {
    let top = max(1, counts.max() ?? 1)
    return String(counts.map { $0 == 0 ? " " : bars[min(bars.count - 1, ($0 * bars.count - 1) / top)] })
  }

  static func lines(_ state: State, context: AppContext, width: Int) -> [[StyledText]] {
    guard let stats = state.stats else { return [[StyledText("Reading your answers…", Style(.muted))]] }
    let report = ProgressReport(course: context.course, progress: context.progress, stats: stats)
    let heading = { (text: String) -> [StyledText] in [StyledText(text, Style(.heading, [.bold]))] }
    var lines: [[StyledText]] = [heading("Lessons")]
    for lesson in report.lessons {
      lines += TextWrapper.wrap(
        [
          StyledText(lesson.isComplete ? "✓ " : "· ", Style(lesson.isComplete ? .correct : .muted, [.bold])),
          StyledText(lesson.title + " — "),
          StyledText(lesson.status, Style(lesson.isComplete ? .correct : .muted)),
        ], width: width)
    }
    lines += [[], heading("Quizzes")]
    for quiz in report.quizzes {
      let good = (quiz.best?.fraction ?? 0) >= ProgressReport.masteredShare
      lines += TextWrapper.wrap(
        [
          StyledText(quiz.title + " — "),
          StyledText(quiz.status, Style(quiz.best == nil ? .muted : (good ? .correct : .accent), [.bold])),
        ], width: width)
    }
    lines += [[], heading("Review")]
    let review = report.review
    lines.append([
      StyledText("\(review.due.count) due now", Style(review.due.isEmpty ? .muted : .accent, [.bold])),
      StyledText(" · \(review.scheduled) questions scheduled"),
    ])
    if review.forecast.count == 14 {
      lines.append([
        StyledText("Next 14 days  ", Style(.muted)), StyledText(sparkline(review.forecast), Style(.accent)),
        StyledText("  (\(review.forecast.reduce(0, +)) in all)", Style(.muted)),
      ])
    }
    if !review.leeches.isEmpty {
      lines += TextWrapper.wrap(
        [StyledText("Leeches: ", Style(.warning, [.bold])), StyledText(review.leeches.joined(separator: ", "))],
        width: width)
    }
    lines += [[], heading("Concepts")]
    if report.concepts.isEmpty {
      lines += TextWrapper.wrap(
        "Answer a few more questions to see which concepts are mastered and which are weak.", width: width,
        style: Style(.muted))
    }
    for concept in report.mastered {
      lines.append([
        StyledText("✓ mastered  ", Style(.correct, [.bold])),
        StyledText("\(concept.name) (\(concept.right)/\(concept.answers))"),
      ])
    }
    for concept in report.weak {
      lines.append([
        StyledText("✗ weak      ", Style(.incorrect, [.bold])),
        StyledText("\(concept.name) (\(concept.right)/\(concept.answers))"),
      ])
    }
    if !report.misconceptions.isEmpty {
      lines += [[], heading("Misconceptions you picked")]
      for item in report.misconceptions.prefix(8) {
        lines += TextWrapper.wrap(
          [
            StyledText("\(item.times)× ", Style(.incorrect, [.bold])),
            StyledText("“\(item.choice)”", Style(.normal, [.bold])),
            StyledText(" — \(item.prompt)", Style(.muted)),
          ], width: width)
        if !item.feedback.isEmpty {
          lines += TextWrapper.wrap([StyledText(item.feedback, Style(.muted))], width: width - 3).map {
            [StyledText("   ")] + $0
          }
        }
      }
    }
    return lines
  }

  static func render(_ state: State, context: AppContext, in area: Rect, into grid: inout Grid) {
    ScrollView.draw(lines(state, context: context, width: area.width), scroll: state.scroll, in: area, into: &grid)
  }
}

extension ProgressScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { ProgressScreen.keymap.map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    ProgressScreen.keymap.message(for: key).map { ProgressScreen.update(&self, $0) }
  }

  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect] {
    if case .answerStatsLoaded(let loaded) = event { stats = loaded }
    return []
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    let count = ProgressScreen.lines(self, context: context, width: viewport.width).count
    scroll = ScrollView.clampedScroll(scroll, lineCount: count, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { ("Progress: " + context.course.info.title, "") }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ProgressScreen.render(self, context: context, in: textArea, into: &grid)
  }
}
