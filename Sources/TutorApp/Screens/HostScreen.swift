import Foundation
import TerminalUI
import TutorCore

/// The teacher's screen in a live class: how to join, the lobby (names hidden on a projected
/// screen until shown), the open question's answers and timer, the reveal's histogram, and the
/// results. The host's events arrive through the run loop's inbox.
public enum HostScreen {
  public struct State: Equatable, Sendable {
    public var join: String
    public var quizTitle: String
    public var questionIDs: [String]
    public var questionCount: Int { questionIDs.count }
    /// The students by display name, in the order they joined; `away` after their connection
    /// closed (they may come back), removed ones are dropped.
    public var students: [Student] = []
    public var namesShown = false
    public var lobbyLocked = false
    public var pausedAt: Date?
    public var started = false
    /// The question open or last shown, its answers, and when its time is up.
    public var number = 0
    public var answered = 0
    public var present = 0
    public var endsAt: Date?
    public var isLocked = false
    public var reveal: ClassReveal?
    public var scores: [ClassScore] = []
    public var report: ClassReport?
    public var log: [String] = []
    /// The student list for removing a student or giving one more time (`m`), its cursor, and
    /// the student whose removal waits for `y`.
    public var moderating = false
    public var cursor = 0
    public var confirmingRemoval: String?
    public var confirmingEnd = false
    public var scroll = 0
    var height = 20
    let secondsPerQuestion: Int?

    public struct Student: Equatable, Sendable {
      public var name: String
      public var away = false
      /// More time on each question, given with `t`.
      public var extraSeconds = 0
    }

    /// The most extra time of a student still here: the question stays open that much longer.
    var mostExtraSeconds: Int { students.filter { !$0.away }.map(\.extraSeconds).max() ?? 0 }

    public var paused: Bool { pausedAt != nil }

    public init(join: String, quizTitle: String, questionIDs: [String], secondsPerQuestion: Int?) {
      self.join = join
      self.quizTitle = quizTitle
      self.questionIDs = questionIDs
      self.secondsPerQuestion = secondsPerQuestion
    }
  }

  /// Seconds given with `t` to the student under the cursor.
  static let extraSeconds = 30

  enum Message: Equatable, Sendable {
    case command(ClassCommand), namesToggled, moderationToggled, cursor(Int), removeAsked, removeConfirmed
    case removeCancelled, moreTime, paged(PageMove), quitRequested, endAsked, endCancelled
  }

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    if state.report != nil {
      return [
        KeyBinding([.character("v")], .namesToggled, state.namesShown ? "hide names" : "show names"),
        KeyBinding([.character("q"), .escape], .quitRequested, "quit"),
      ] + PageMove.bindings(Message.paged)
    }
    if state.confirmingEnd {
      return [
        KeyBinding([.character("y")], .command(.end), "end the class"),
        KeyBinding([.character("n"), .escape], .endCancelled, "go on"),
      ]
    }
    if state.confirmingRemoval != nil {
      return [
        KeyBinding([.character("y")], .removeConfirmed, "remove"),
        KeyBinding([.character("n"), .escape], .removeCancelled, "keep"),
      ]
    }
    if state.moderating {
      return [
        KeyBinding([.down, .character("j")], .cursor(1), "next student"),
        KeyBinding([.up, .character("k")], .cursor(-1), "previous student"),
        KeyBinding([.character("t")], .moreTime, "\(extraSeconds) s more time"),
        KeyBinding([.character("x")], .removeAsked, "remove"),
        KeyBinding([.character("m"), .escape], .moderationToggled, "back"),
      ]
    }
    var bindings: [KeyBinding<Message>] = []
    if !state.started {
      bindings.append(KeyBinding([.character("s"), .enter], .command(.start), "start"))
    } else {
      let next =
        state.isLocked && state.reveal == nil
        ? "reveal" : state.number >= state.questionCount && state.reveal != nil ? "end" : "next"
      bindings.append(KeyBinding([.character("n"), .enter], .command(.next), next))
      bindings.append(KeyBinding([.character("r")], .command(.reveal), "reveal now", footer: false))
      bindings.append(
        KeyBinding([.character("p")], .command(state.paused ? .resume : .pause), state.paused ? "resume" : "pause"))
    }
    bindings += [
      KeyBinding([.character("v")], .namesToggled, state.namesShown ? "hide names" : "show names"),
      KeyBinding([.character("m")], .moderationToggled, "students"),
      KeyBinding(
        [.character("l")], .command(state.lobbyLocked ? .unlock : .lock),
        state.lobbyLocked ? "unlock lobby" : "lock lobby"),
      KeyBinding([.character("b")], .command(.board), "leaderboard", footer: false),
      KeyBinding([.character("e"), .character("q"), .escape], .endAsked, "end"),
    ]
    return bindings
  }

  static func update(_ state: inout State, _ message: Message) -> [Effect] {
    let names = state.students.map(\.name)
    switch message {
    case .namesToggled: state.namesShown.toggle()
    case .quitRequested: return [.run(.quit)]
    case .moderationToggled:
      state.moderating.toggle()
      state.cursor = min(state.cursor, max(0, names.count - 1))
    case .cursor(let step):
      state.cursor = max(0, min(names.count - 1, state.cursor + step))
    case .removeAsked:
      guard names.indices.contains(state.cursor) else { return [.status("No student to remove.")] }
      state.confirmingRemoval = names[state.cursor]
    case .removeCancelled: state.confirmingRemoval = nil
    case .endAsked: state.confirmingEnd = true
    case .endCancelled: state.confirmingEnd = false
    case .removeConfirmed:
      guard let name = state.confirmingRemoval else { return [] }
      state.confirmingRemoval = nil
      state.students.removeAll { $0.name == name }
      state.cursor = max(0, min(state.cursor, state.students.count - 1))
      state.log.append("Removed: \(name)")
      return [.run(.hostCommand(.kick(name)))]
    case .moreTime:
      guard names.indices.contains(state.cursor) else { return [.status("No student to give time to.")] }
      let name = names[state.cursor]
      if let index = state.students.firstIndex(where: { $0.name == name }) {
        state.students[index].extraSeconds += extraSeconds
      }
      state.log.append("\(name): \(extraSeconds) s more on each question")
      return [.run(.hostCommand(.extend(name, seconds: extraSeconds)))]
    case .paged(let move): state.scroll = move.scroll(from: state.scroll, height: state.height)
    case .command(let command):
      switch command {
      case .lock: state.lobbyLocked = true
      case .unlock: state.lobbyLocked = false
      case .start: state.started = true
      case .end: state.confirmingEnd = false
      default: break
      }
      return [.run(.hostCommand(command))]
    }
    state.log = Array(state.log.suffix(3))
    return []
  }

  static func receive(_ state: inout State, _ event: ClassHostEvent, now: Date) {
    switch event {
    case .listening: break
    case .joined(let name, let present):
      if let index = state.students.firstIndex(where: { $0.name == name }) {
        state.students[index].away = false
      } else {
        state.students.append(State.Student(name: name))
      }
      state.present = present
    case .left(let name):
      if let index = state.students.firstIndex(where: { $0.name == name }) { state.students[index].away = true }
    case .opened(let number, _):
      state.started = true
      state.number = number
      state.answered = 0
      state.isLocked = false
      state.reveal = nil
      state.endsAt = state.secondsPerQuestion.map { now.addingTimeInterval(TimeInterval($0)) }
    case .answered(_, let answered, let present):
      state.answered = answered
      state.present = present
    case .locked: state.isLocked = true
    case .revealed(_, let reveal):
      state.isLocked = true
      state.reveal = reveal
    case .scores(let scores): state.scores = scores
    case .ended(let report, let scores):
      state.report = report
      state.scores = scores
      state.moderating = false
      state.confirmingRemoval = nil
      state.scroll = 0
    case .paused: state.pausedAt = now
    case .resumed:
      if let pausedAt = state.pausedAt, let endsAt = state.endsAt {
        state.endsAt = endsAt.addingTimeInterval(now.timeIntervalSince(pausedAt))
      }
      state.pausedAt = nil
    case .refused(let text): state.log.append("Refused: \(text)")
    case .note(let text): state.log.append(text)
    }
    state.log = Array(state.log.suffix(3))
  }

  static func lines(_ state: State, course: Course, width: Int) -> [[StyledText]] {
    let heading = { (text: String) -> [StyledText] in [StyledText(text, Style(.heading, [.bold]))] }
    let shown = { (name: String) in state.namesShown ? name : "·····" }
    var lines: [[StyledText]] = [
      [StyledText("Join: ", Style(.accent, [.bold])), StyledText(state.join, Style(.normal, [.bold]))], [],
    ]
    if state.confirmingEnd {
      let text = "End the class for everyone now? y ends it and shows the results, n goes on."
      lines += TextWrapper.wrap([StyledText(text, Style(.warning, [.bold]))], width: width) + [[]]
    }
    if let report = state.report {
      lines.append(heading("Results"))
      for score in state.scores {
        let total = Score(points: score.points, total: score.outOf).description
        lines.append([StyledText("\(score.rank). \(shown(score.name))  \(total)")])
      }
      lines += [[], heading("Questions, hardest first")]
      for item in report.items.sorted(by: { $0.shareCorrect < $1.shareCorrect }) {
        let share = "\(Int((item.shareCorrect * 100).rounded()))% right"
        let separates = item.discrimination.map { String(format: " · discrimination %+.2f", $0) } ?? ""
        lines += TextWrapper.wrap(
          [StyledText(share + separates, Style(.accent, [.bold])), StyledText("  " + item.prompt)], width: width)
        for wrong in item.wrongChoices where wrong.times > 0 {
          let chose = "  ✗ \(wrong.times)× " + wrong.text + (wrong.feedback.isEmpty ? "" : " — " + wrong.feedback)
          lines += TextWrapper.wrap(chose, width: width, style: Style(.muted))
        }
      }
      return lines + [[]] + state.log.flatMap { TextWrapper.wrap($0, width: width, style: Style(.muted)) }
    }
    if state.moderating {
      lines.append(heading("Students: t gives \(extraSeconds) s more time, x removes"))
      if state.students.isEmpty { lines.append([StyledText("Nobody has joined yet.", Style(.muted))]) }
      for (index, student) in state.students.enumerated() {
        let mark = index == state.cursor ? "▸ " : "  "
        let style = index == state.cursor ? Style(.accent, [.bold]) : Style(.normal)
        let extra = student.extraSeconds > 0 ? "  +\(student.extraSeconds) s a question" : ""
        lines.append([
          StyledText(mark + student.name, style), StyledText((student.away ? "  (away)" : "") + extra, Style(.muted)),
        ])
      }
      if let name = state.confirmingRemoval {
        lines += [[], [StyledText("Remove \(name) from the class? y removes, n keeps.", Style(.warning, [.bold]))]]
      }
      return lines + [[]] + state.log.map { [StyledText($0, Style(.muted))] }
    }
    let away = state.students.filter(\.away).count
    var lobby = "\(state.students.count - away) joined"
    if away > 0 { lobby += ", \(away) away" }
    if state.lobbyLocked { lobby += " · lobby locked" }
    if state.paused { lobby += " · paused" }
    lines.append(heading("Class: " + lobby))
    let roll = state.students.map { $0.name + ($0.away ? " (away)" : "") }.joined(separator: ", ")
    lines += TextWrapper.wrap(
      state.namesShown ? roll : "Names hidden (v shows them).", width: width, style: Style(.muted))
    lines.append([])
    guard state.started else {
      lines.append([StyledText("Press s to start when everyone has joined.", Style(.hint, [.bold]))])
      return lines + [[]] + state.log.map { [StyledText($0, Style(.muted))] }
    }
    if let reveal = state.reveal, let question = course.questionsByID[reveal.questionID] {
      lines += TextWrapper.wrap([StyledText(question.prompt, Style(.normal, [.bold]))], width: width)
      lines.append([
        StyledText("Question \(state.number): \(reveal.correct) of \(reveal.answered) right", Style(.accent, [.bold]))
      ])
      let most = max(1, reveal.distribution.values.max() ?? 1)
      let label = max(10, width / 2)
      let room = max(1, width - label - 10)
      for choice in question.choices {
        let count = reveal.distribution[choice.id] ?? 0
        lines.append([
          StyledText(choice.isCorrect ? "✓ " : "  ", Style(.correct, [.bold])),
          StyledText(padded(DisplayWidth.truncated(choice.text, to: label), to: label) + " "),
          StyledText(String(repeating: "█", count: count * room / most), Style(choice.isCorrect ? .correct : .accent)),
          StyledText(" \(count)", Style(.muted)),
        ])
      }
      lines += TextWrapper.wrap(
        [StyledText("Right answer: ", Style(.correct, [.bold])), StyledText(reveal.rightAnswer)], width: width)
      if !reveal.explanation.isEmpty {
        lines += TextWrapper.wrap(
          [StyledText("Why: ", Style(.accent, [.bold])), StyledText(reveal.explanation)], width: width)
      }
    } else if state.number > 0, let question = currentQuestion(state, course: course) {
      var status = "Question \(state.number) of \(state.questionCount): \(state.answered) of \(state.present) answered"
      if state.isLocked { status += " · locked (n reveals)" }
      lines.append([StyledText(status, Style(.accent, [.bold]))])
      let given = state.students.filter { !$0.away && $0.extraSeconds > 0 }
      if !state.isLocked && !given.isEmpty {
        // Names only once shown: the screen may be projected.
        let who =
          state.namesShown
          ? given.map { "\($0.name) +\($0.extraSeconds) s" }.joined(separator: ", ")
          : given.count == 1 ? "1 student" : "\(given.count) students"
        lines += TextWrapper.wrap("More time: " + who, width: width, style: Style(.muted))
      }
      lines += TextWrapper.wrap([StyledText(question.prompt, Style(.normal, [.bold]))], width: width)
      for choice in question.choices {
        lines += TextWrapper.wrap([StyledText("• " + choice.text)], width: width, indent: 2)
      }
    } else if state.number > 0 {
      lines.append([
        StyledText(
          "Question \(state.number) of \(state.questionCount): \(state.answered) of \(state.present) answered",
          Style(.accent, [.bold]))
      ])
    }
    if !state.scores.isEmpty {
      lines += [[], heading("Leaderboard")]
      for score in state.scores.prefix(5) {
        lines.append([StyledText("\(score.rank). \(shown(score.name))  \(String(format: "%g", score.points))")])
      }
    }
    return lines + [[]] + state.log.map { [StyledText($0, Style(.muted))] }
  }

  /// The open question in the quiz's own order (the host shows it without letters: each student
  /// sees the options in their own order).
  static func currentQuestion(_ state: State, course: Course) -> Question? {
    state.questionIDs.indices.contains(state.number - 1)
      ? course.questionsByID[state.questionIDs[state.number - 1]] : nil
  }

  static func padded(_ text: String, to columns: Int) -> String {
    text + String(repeating: " ", count: max(0, columns - DisplayWidth.of(text)))
  }
}

extension HostScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { HostScreen.keymap(self).map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    HostScreen.keymap(self).message(for: key).map { HostScreen.update(&self, $0) }
  }

  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect] {
    if case .classHost(let hostEvent) = event { HostScreen.receive(&self, hostEvent, now: context.now) }
    return []
  }

  mutating func layOut(viewport: Size, context: AppContext) {
    height = viewport.height
    let count = HostScreen.lines(self, course: context.course, width: viewport.width).count
    scroll = ScrollView.clampedScroll(scroll, lineCount: count, height: viewport.height)
  }

  func title(_ context: AppContext) -> (left: String, right: String) {
    var right = ""
    if let endsAt, !isLocked, report == nil {
      func clock(_ seconds: Int) -> String { String(format: "%d:%02d", seconds / 60, seconds % 60) }
      let now = pausedAt ?? context.now
      let left = max(0, Int(endsAt.timeIntervalSince(now).rounded(.up)))
      right = "⏱ " + clock(left) + " "
      // The class's time, then what is left of the most extra time a student has.
      let most = mostExtraSeconds
      if most > 0 {
        let untilLast = Int(endsAt.addingTimeInterval(TimeInterval(most)).timeIntervalSince(now).rounded(.up))
        right += "+" + clock(min(most, max(0, untilLast))) + " "
      }
    }
    return ("Hosting: " + quizTitle, right)
  }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ScrollView.draw(
      HostScreen.lines(self, course: context.course, width: textArea.width), scroll: scroll, in: textArea, into: &grid)
  }
}
