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
    case resume(ResumePoint)
    /// The spaced-review session of the questions due now.
    case review
    /// Cram a lesson or concept: review without touching the schedule.
    case cram(String)
    /// The progress review.
    case progress
    case lesson(String)
    case quiz(String)
  }

  public enum Message: Equatable, Sendable {
    case selectionMovedUp, selectionMovedDown, selectionMovedToTop, selectionMovedToBottom, entryOpened, quitRequested
  }

  static let keymap: [KeyBinding<Message>] = [
    KeyBinding([.up, .character("k")], .selectionMovedUp, "up"),
    KeyBinding([.down, .character("j")], .selectionMovedDown, "down"),
    KeyBinding([.home, .character("g")], .selectionMovedToTop, "first", footer: false),
    KeyBinding([.end, .character("G")], .selectionMovedToBottom, "last (Progress)", footer: false),
    KeyBinding([.enter, .right, .character("l")], .entryOpened, "open"),
    KeyBinding([.character("q"), .escape], .quitRequested, "quit"),
  ]

  /// The rows in display order; Continue first when there is somewhere to continue.
  public static func entries(_ context: AppContext) -> [Entry] {
    var result: [Entry] = []
    if !context.progress.review.due.isEmpty { result.append(.review) }
    if let resume = validResume(context) { result.append(.resume(resume)) }
    result += context.course.lessons.map { .lesson($0.id) }
    result += context.course.quizzes.map { .quiz($0.id) }
    if context.progress.review.due.isEmpty && context.progress.review.scheduled > 0 { result.append(.review) }
    result.append(.progress)
    return result
  }

  /// Where Continue leads: the open quiz attempt or unfinished lesson the learner left; after a
  /// finished lesson, its quiz if not yet taken, else the next unfinished lesson.
  static func validResume(_ context: AppContext) -> ResumePoint? {
    let course = context.course
    let progress = context.progress
    switch progress.resume {
    case .quiz(let id) where course.quiz(id: id) != nil && progress.quizzes[id]?.openAttempt != nil:
      return progress.resume
    case .lesson(let id, _) where course.lesson(id: id) != nil && progress.lessons[id]?.isComplete != true:
      return progress.resume
    case .lesson(let id, _):
      if let quiz = course.quizzes.first(where: { $0.lesson == id && progress.quizzes[$0.id]?.bestScore == nil }) {
        return .quiz(id: quiz.id)
      }
      if let next = course.lessons.first(where: { progress.lessons[$0.id]?.isComplete != true }) {
        return .lesson(id: next.id, step: progress.lessons[next.id]?.step ?? 0)
      }
      return nil
    default:
      return nil
    }
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
    case .entryOpened:
      guard rows.indices.contains(state.selected) else { return [] }
      return open(rows[state.selected], context: context)
    }
    return []
  }

  static func open(_ entry: Entry, context: AppContext) -> [Effect] {
    switch entry {
    case .progress:
      return [.push(.progress(ProgressScreen.State())), .run(.loadAnswerStats)]
    case .review:
      let questions = ReviewPlan.interleaved(context.progress.review.due, in: context.course)
      guard !questions.isEmpty else {
        let next = context.progress.review.nextDue.map { " The next item is due \(RelativeTime.describe($0, from: context.now))." } ?? ""
        return [.status("Nothing is due for review now." + next)]
      }
      let session = QuizScreen.session(
        questions, mode: .review, title: "Review", now: context.now, seed: context.seed, budget: context.reviewBudget,
        leeches: Set(context.progress.review.leeches))
      return [.push(.quiz(session))]
    case .cram(let name):
      guard let questions = ReviewPlan.cram(name, in: context.course) else { return [.status("Nothing to cram for '\(name)'.")] }
      let title = context.course.lesson(id: name)?.title ?? name
      return [.push(.quiz(QuizScreen.session(questions, mode: .cram, title: "Cram: " + title, now: context.now, seed: context.seed, budget: context.reviewBudget, leeches: [])))]
    case .resume(.lesson(let id, let step)):
      return openLesson(id, step: step, context: context)
    case .resume(.quiz(let id)), .quiz(let id):
      return openQuiz(id, context: context)
    case .lesson(let id):
      return openLesson(id, step: context.progress.lessons[id]?.step, context: context)
    }
  }

  static func openLesson(_ id: String, step: Int?, context: AppContext) -> [Effect] {
    guard let lesson = context.course.lesson(id: id) else { return [] }
    let progress = context.progress.lessons[id] ?? LessonProgress()
    let state = LessonScreen.State(
      lesson: lesson, course: context.course, step: min(step ?? 0, lesson.steps.count - 1), passed: progress.passedCheckpoints,
      isComplete: progress.isComplete)
    return [.push(.lesson(state)), .run(.saveLessonPosition(lessonID: id, step: state.step))]
  }

  /// Resumes the open attempt in the mode it was started in, else starts one in the session's mode.
  static func openQuiz(_ id: String, context: AppContext) -> [Effect] {
    guard let quiz = context.course.quiz(id: id) else { return [] }
    let asksConfidence = context.asksConfidence || quiz.asksConfidence
    if let open = context.progress.quizzes[id]?.openAttempt {
      let run = QuizRun(quiz: quiz, order: open.order, grades: open.grades, seed: open.seed)
      if !run.isFinished {
        let mode = QuizMode(rawValue: open.mode) ?? .practice
        // An exam's clock runs from when the attempt began, across restarts; confidence ratings
        // go on if the attempt began with them.
        var state = QuizScreen.State(
          run: run, attemptID: open.id, mode: mode, asksConfidence: asksConfidence || open.asksConfidence,
          now: mode == .exam ? open.startedAt : context.now)
        state.questionShownAt = context.now
        return [.push(.quiz(state))]
      }
    }
    let run = QuizRun(quiz: quiz, seed: context.seed)
    return [
      .push(.quiz(QuizScreen.State(run: run, attemptID: nil, mode: context.quizMode, asksConfidence: asksConfidence, now: context.now))),
      .run(.beginQuizAttempt(quizID: id, seed: context.seed, order: run.order, mode: context.quizMode.rawValue, asksConfidence: asksConfidence)),
    ]
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
      for line in TextWrapper.wrap(course.info.description, width: width, style: Style(.muted)) { lines.append((line, nil)) }
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
      let leeches = queue.leeches.isEmpty ? "" : " · \(queue.leeches.count) leech\(queue.leeches.count == 1 ? "" : "es")"
      return ("Review", [StyledText("↻ Review: ", Style(.accent, [.bold])), StyledText("\(queue.due.count) due", Style(.normal, [.bold])), StyledText(leeches, Style(.warning))])
    case .cram(let name):
      return ("Review", [StyledText("Cram: \(name)")])
    case .progress:
      return ("Progress", [StyledText("Progress: "), StyledText("what is mastered, weak and due", Style(.muted))])
    case .resume(.lesson(let id, let step)):
      let lesson = course.lesson(id: id)
      let total = lesson?.steps.count ?? 0
      return ("Continue", [StyledText("▶ Continue: ", Style(.accent, [.bold])), StyledText("\(lesson?.title ?? id) — step \(min(step, max(0, total - 1)) + 1) of \(total)")])
    case .resume(.quiz(let id)):
      let quiz = course.quiz(id: id)
      guard let open = context.progress.quizzes[id]?.openAttempt else {
        return ("Continue", [StyledText("▶ Next: ", Style(.accent, [.bold])), StyledText("quiz — \(quiz?.title ?? id)")])
      }
      let kind = open.mode == QuizMode.retry.rawValue ? "retry, " : open.mode == QuizMode.exam.rawValue ? "exam, " : ""
      let next = min(open.grades.count + 1, open.order.count)
      return ("Continue", [StyledText("▶ Continue: ", Style(.accent, [.bold])), StyledText("\(quiz?.title ?? id) — \(kind)question \(next) of \(open.order.count)")])
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
      return ("Lessons", [StyledText("\(lesson.order). \(lesson.title)  "), status, StyledText(minutes, Style(.muted))])
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
      return ("Quizzes", [StyledText("\(quiz.title)  "), status, StyledText(" · \(quiz.questions.count) questions", Style(.muted))])
    }
  }
}
