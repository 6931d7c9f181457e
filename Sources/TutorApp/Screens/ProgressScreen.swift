import TerminalUI
import TutorCore

/// The progress review: drills to practise now, mastery per concept (weakest first, each one key
/// from its drill or its lesson), the days studied, lessons, quizzes with their score history,
/// what is due, and the misconceptions the learner keeps picking.
public enum ProgressScreen {
  public struct State: Equatable, Sendable {
    /// What the store read for the review (statistics, memory, study days); nil until it answers.
    public var loaded: ProgressReview?
    public var scroll = 0
    /// The row highlighted (drills first, then concepts): Enter practises it.
    public var selected = 0
    /// Scroll to the highlighted row at the next layout (after it moved, not after paging).
    var followsSelection = false
    var height = 20
    public init(loaded: ProgressReview? = nil) { self.loaded = loaded }
  }

  /// A row to practise from: a block of questions, or a concept.
  enum Row: Equatable {
    case drill(title: String, detail: String, questionIDs: [String])
    case concept(ProgressReport.ConceptLine)
  }

  static func report(_ state: State, context: AppContext) -> ProgressReport? {
    guard var data = state.loaded else { return nil }
    // Lessons, quizzes and the queue as the app holds them now; the rest as the store read it.
    data.progress = context.progress
    return ProgressReport(course: context.course, review: data)
  }

  static func rows(_ report: ProgressReport?, _ state: State, context: AppContext) -> [Row] {
    guard let report, let stats = state.loaded?.stats else { return [] }
    let known = context.course.questionsByID
    var rows: [Row] = []
    let wrong = stats.filter { $0.value.lastRight == false && known[$0.key] != nil }.map(\.key).sorted()
    if !wrong.isEmpty {
      rows.append(.drill(title: "Answered wrong lately", detail: count(wrong.count, "question"), questionIDs: wrong))
    }
    let flagged = context.progress.flagged.filter { known[$0] != nil }.sorted()
    if !flagged.isEmpty {
      rows.append(.drill(title: "Flagged for review", detail: count(flagged.count, "question"), questionIDs: flagged))
    }
    return rows + report.concepts.map(Row.concept)
  }

  static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

  public enum Message: Equatable, Sendable {
    case paged(PageMove), moved(Int), practised, lessonOpened, searched, closed
  }

  static func keymap(_ state: State, context: AppContext) -> [KeyBinding<Message>] {
    let rows = rows(report(state, context: context), state, context: context)
    var bindings: [KeyBinding<Message>] = []
    if !rows.isEmpty {
      bindings += [
        KeyBinding([.down, .character("j")], .moved(1), "next"),
        KeyBinding([.up, .character("k")], .moved(-1), "previous", footer: false),
        KeyBinding([.enter], .practised, "practise it"),
      ]
      if case .concept = rows[min(state.selected, rows.count - 1)] {
        bindings.append(KeyBinding([.character("o")], .lessonOpened, "its lesson"))
      }
    }
    bindings += PageMove.bindings(Message.paged, lines: rows.isEmpty, footer: rows.isEmpty)
    bindings.append(KeyBinding([.character("/")], .searched, "search", footer: false))
    bindings.append(
      KeyBinding(rows.isEmpty ? [.enter, .character("q"), .escape] : [.character("q"), .escape], .closed, "back"))
    return bindings
  }

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    let rows = rows(report(state, context: context), state, context: context)
    switch message {
    case .paged(let move):
      state.scroll = move.scroll(from: state.scroll, height: state.height)
      state.followsSelection = false
    case .moved(let step):
      state.selected = max(0, min(rows.count - 1, state.selected + step))
      state.followsSelection = true
    case .practised:
      guard rows.indices.contains(state.selected) else { return [] }
      switch rows[state.selected] {
      case .drill(let title, _, let questionIDs): return [.open(.drill(title: title, questionIDs: questionIDs))]
      case .concept(let concept): return [.open(.cram(concept.concept))]
      }
    case .lessonOpened:
      guard rows.indices.contains(state.selected), case .concept(let concept) = rows[state.selected] else { return [] }
      return lessonStep(of: concept, in: context.course).map { [.open($0)] } ?? []
    case .searched: return [.open(.search)]
    case .closed: return [.pop]
    }
    return []
  }

  /// Where a concept is taught: the step its first linked question points to, else the lesson
  /// that declares it.
  static func lessonStep(of concept: ProgressReport.ConceptLine, in course: Course) -> Destination? {
    let questions = course.questionsByID
    if let see = concept.questionIDs.lazy.compactMap({ questions[$0]?.see }).first { return .lookUp(see: see) }
    if let lesson = course.lessons.first(where: { $0.conceptNames[concept.concept] != nil }) {
      return .lesson(id: lesson.id, step: 0)
    }
    return nil
  }

  /// Fourteen days of due counts as a row of bars.
  static func sparkline(_ counts: [Int]) -> String {
    let top = max(1, counts.max() ?? 1)
    let bars = ProgressReport.sparks
    return String(counts.map { $0 == 0 ? " " : bars[min(bars.count - 1, ($0 * bars.count - 1) / top)] })
  }

  /// A day's shade in the calendar: none, a few answers, more, many (legible without colour).
  static func shade(_ answers: Int?) -> String {
    guard let answers else { return " " }
    switch answers {
    case 0: return "·"
    case 1..<5: return "░"
    case 5..<15: return "▒"
    case 15..<30: return "▓"
    default: return "█"
    }
  }

  struct Laid {
    var lines: [[StyledText]]
    /// The line of each selectable row.
    var rowLines: [Int]
  }

  static func lines(_ state: State, context: AppContext, width: Int) -> Laid {
    guard let report = report(state, context: context) else {
      return Laid(lines: [[StyledText("Reading your answers…", Style(.muted))]], rowLines: [])
    }
    let heading = { (text: String) -> [StyledText] in [StyledText(text, Style(.heading, [.bold]))] }
    var lines: [[StyledText]] = []
    var rowLines: [Int] = []
    let rows = rows(report, state, context: context)
    func marker(_ index: Int) -> (String, Style) {
      index == state.selected ? ("› ", Style(.selection, [.reverse])) : ("· ", Style.normal)
    }
    let drills = rows.enumerated().filter { if case .drill = $0.element { true } else { false } }
    if !drills.isEmpty {
      lines.append(heading("Practise now"))
      for (index, row) in drills {
        guard case .drill(let title, let detail, _) = row else { continue }
        let (mark, style) = marker(index)
        rowLines.append(lines.count)
        lines += TextWrapper.wrap(
          [
            StyledText(mark, index == state.selected ? style : Style(.muted)), StyledText(title, style),
            StyledText(" — \(detail)", index == state.selected ? style : Style(.muted)),
          ],
          width: width)
      }
      lines.append([])
    }

    lines.append(heading("Study"))
    let activity = report.activity
    lines += TextWrapper.wrap(
      [
        StyledText("Streak \(count(activity.streak, "day"))", Style(activity.streak > 0 ? .correct : .muted, [.bold])),
        StyledText(
          " · longest \(activity.longestStreak) · this week \(count(activity.weekAnswers, "answer")) in "
            + "\(ProgressReport.duration(milliseconds: activity.weekMilliseconds)) · \(activity.daysStudied) days studied"
        ),
      ], width: width)
    let weeks = 12
    let cell = width >= 100 ? 2 : 1
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    for (weekday, days) in activity.calendar(weeks: weeks).enumerated() {
      var line = [StyledText(names[weekday] + " ", Style(.muted))]
      for answers in days {
        let shade = shade(answers)
        line.append(
          StyledText(
            String(repeating: shade, count: cell) + (cell == 1 ? "" : " "),
            (answers ?? 0) > 0 ? Style(.accent) : Style(.muted)))
      }
      if weekday == 6 { line.append(StyledText("  (this week last)", Style(.muted))) }
      lines.append(line)
    }
    lines.append([StyledText("    · none  ░ 1–4  ▒ 5–14  ▓ 15–29  █ 30+ answers a day", Style(.muted))])

    lines.append([])

    lines.append(heading("Mastery, weakest first"))
    if report.concepts.isEmpty {
      lines += TextWrapper.wrap(
        "Answer a few questions to see how well each concept is mastered.", width: width, style: Style(.muted))
    } else {
      lines += TextWrapper.wrap(
        "Recent accuracy × predicted recall. Enter practises a concept; o opens its lesson.", width: width,
        style: Style(.muted))
    }
    let barWidth = width >= 120 ? 20 : 10
    let longestDetail =
      report.concepts.map { " \($0.level.rawValue) · \($0.right)/\($0.answers) right".count }.max() ?? 0
    let nameRoom = max(
      10, min(report.concepts.map(\.name.count).max() ?? 0, width - (2 + 4 + 1 + barWidth + 1) - longestDetail))
    for (offset, concept) in report.concepts.enumerated() {
      let index = drills.count + offset
      let selected = index == state.selected
      let (mark, selection) = marker(index)
      let levelStyle: Style =
        switch concept.level {
        case .mastered: Style(.correct, [.bold])
        case .learning: Style(.accent)
        case .weak: Style(.incorrect, [.bold])
        }
      let percent = String(repeating: " ", count: max(0, 3 - String(concept.percent).count)) + "\(concept.percent)%"
      let detail = " \(concept.level.rawValue) · \(concept.right)/\(concept.answers) right"
      var name = concept.name.count > nameRoom ? String(concept.name.prefix(nameRoom - 1)) + "…" : concept.name
      name += String(repeating: " ", count: max(0, nameRoom - name.count))
      rowLines.append(lines.count)
      lines.append([
        StyledText(mark, selected ? selection : Style(.muted)),
        StyledText(percent + " ", selected ? selection : .normal),
        StyledText(ProgressReport.bar(concept.mastery, width: barWidth), levelStyle), StyledText(" "),
        StyledText(name, selected ? selection : .normal), StyledText(detail, Style(.muted)),
      ])
    }

    lines += [[], heading("Lessons")]
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
      var parts = [
        StyledText(quiz.title + " — "),
        StyledText(quiz.status, Style(quiz.best == nil ? .muted : (good ? .correct : .accent), [.bold])),
      ]
      if quiz.history.count > 1 {
        let recent = Array(quiz.history.suffix(width >= 120 ? 24 : 12))
        parts += [
          StyledText("  scores ", Style(.muted)), StyledText(ProgressReport.sparkline(recent), Style(.accent)),
          StyledText(" (\(quiz.history.count) attempts)", Style(.muted)),
        ]
      }
      lines += TextWrapper.wrap(parts, width: width)
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
    return Laid(lines: lines, rowLines: rowLines)
  }

  static func render(_ state: State, context: AppContext, in area: Rect, into grid: inout Grid) {
    ScrollView.draw(
      lines(state, context: context, width: area.width).lines, scroll: state.scroll, in: area, into: &grid)
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
    if case .progressReviewLoaded(let review) = event { loaded = review }
    return []
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    let laid = ProgressScreen.lines(self, context: context, width: viewport.width)
    height = viewport.height
    if followsSelection, laid.rowLines.indices.contains(selected) {
      let line = laid.rowLines[selected]
      // The first rows keep the headings above them in view.
      if selected == 0 {
        scroll = 0
      } else if line < scroll {
        scroll = line
      } else if line >= scroll + viewport.height {
        scroll = line - viewport.height + 1
      }
      followsSelection = false
    }
    scroll = ScrollView.clampedScroll(scroll, lineCount: laid.lines.count, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) { ("Progress: " + context.course.info.title, "") }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ProgressScreen.render(self, context: context, in: textArea, into: &grid)
  }
}
