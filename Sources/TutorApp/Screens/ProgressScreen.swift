import TerminalUI
import TutorCore

/// The progress review: lessons, quizzes, what is due, concepts mastered and weak, and the
/// misconceptions the learner keeps picking.
public enum ProgressScreen {
  public struct State: Equatable, Sendable {
    /// Answer statistics; nil until the store has answered.
    public var stats: [String: AnswerStats]?
    public var scroll = 0
    /// The drill highlighted: Enter starts it.
    public var selected = 0
    var height = 20
    public init(stats: [String: AnswerStats]? = nil) { self.stats = stats }
  }

  /// A block of questions to practise now: a weak concept, the ones answered wrong lately, the flagged ones.
  struct Drill: Equatable {
    var title: String
    var detail: String
    var questionIDs: [String]
  }

  static func drills(_ state: State, context: AppContext) -> [Drill] {
    guard let stats = state.stats else { return [] }
    let course = context.course
    let known = course.questionsByID
    let report = ProgressReport(course: course, progress: context.progress, stats: stats)
    var drills = report.weak.map { concept in
      Drill(
        title: concept.name, detail: "weak: \(concept.right)/\(concept.answers) right",
        questionIDs: (ReviewPlan.cram(concept.concept, in: course) ?? []).map(\.id))
    }
    let wrong = stats.filter { $0.value.lastRight == false && known[$0.key] != nil }.map(\.key).sorted()
    if !wrong.isEmpty {
      drills.append(
        Drill(
          title: "Answered wrong lately", detail: "\(wrong.count) question\(wrong.count == 1 ? "" : "s")",
          questionIDs: wrong))
    }
    let flagged = context.progress.flagged.filter { known[$0] != nil }.sorted()
    if !flagged.isEmpty {
      drills.append(
        Drill(
          title: "Flagged for review", detail: "\(flagged.count) question\(flagged.count == 1 ? "" : "s")",
          questionIDs: flagged))
    }
    return drills.filter { !$0.questionIDs.isEmpty }
  }

  public enum Message: Equatable, Sendable { case paged(PageMove), drillMoved(Int), drillStarted, searched, closed }

  static func keymap(_ state: State, context: AppContext) -> [KeyBinding<Message>] {
    let hasDrills = !drills(state, context: context).isEmpty
    var bindings: [KeyBinding<Message>] = []
    if hasDrills {
      bindings += [
        KeyBinding([.down, .character("j")], .drillMoved(1), "next drill"),
        KeyBinding([.up, .character("k")], .drillMoved(-1), "previous", footer: false),
        KeyBinding([.enter], .drillStarted, "drill it"),
      ]
    }
    bindings += PageMove.bindings(Message.paged, lines: !hasDrills, footer: !hasDrills)
    bindings.append(KeyBinding([.character("/")], .searched, "search", footer: false))
    bindings.append(
      KeyBinding(hasDrills ? [.character("q"), .escape] : [.enter, .character("q"), .escape], .closed, "back"))
    return bindings
  }

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    switch message {
    case .paged(let move): state.scroll = move.scroll(from: state.scroll, height: state.height)
    case .drillMoved(let step):
      let count = drills(state, context: context).count
      state.selected = max(0, min(count - 1, state.selected + step))
      state.scroll = 0
    case .drillStarted:
      let all = drills(state, context: context)
      guard all.indices.contains(state.selected) else { return [] }
      return [.open(.drill(title: all[state.selected].title, questionIDs: all[state.selected].questionIDs))]
    case .searched: return [.open(.search)]
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
    var lines: [[StyledText]] = []
    let drills = drills(state, context: context)
    if !drills.isEmpty {
      lines.append(heading("Practise now"))
      lines += TextWrapper.wrap(
        "Each drill asks its questions in a fresh order; o opens a question's lesson step.", width: width,
        style: Style(.muted))
      for (index, drill) in drills.enumerated() {
        let selected = index == state.selected
        let style = selected ? Style(.selection, [.reverse]) : Style.normal
        lines += TextWrapper.wrap(
          [
            StyledText(selected ? "› " : "· ", selected ? style : Style(.muted)), StyledText(drill.title, style),
            StyledText(" — \(drill.detail)", selected ? style : Style(.muted)),
          ],
          width: width)
      }
      lines.append([])
    }
    lines.append(heading("Lessons"))
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
  func help(_ context: AppContext) -> [HelpEntry] { ProgressScreen.keymap(self, context: context).map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    ProgressScreen.keymap(self, context: context).message(for: key).map {
      ProgressScreen.update(&self, $0, context: context)
    }
  }

  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect] {
    if case .answerStatsLoaded(let loaded) = event { stats = loaded }
    return []
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    let count = ProgressScreen.lines(self, context: context, width: viewport.width).count
    height = viewport.height
    scroll = ScrollView.clampedScroll(scroll, lineCount: count, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { ("Progress: " + context.course.info.title, "") }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ProgressScreen.render(self, context: context, in: textArea, into: &grid)
  }
}
