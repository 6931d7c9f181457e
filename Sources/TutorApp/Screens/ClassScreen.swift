import Foundation
import TerminalUI
import TutorCore

/// A student in a live class: the host's current question in the same question view as
/// practice, its timer, what was answered and, after the reveal, whether it was right and why.
/// The host's messages arrive through the run loop's inbox.
/// The student's connection to the class, as the link reports it.
public enum ClassConnection: Equatable, Sendable {
  case reconnecting, reconnected, closed
}

public enum ClassScreen {
  public enum Phase: Equatable, Sendable {
    case waiting(String)
    case answering(ClassQuestion, AnswerInput, endsAt: Date?)
    case answered(ClassQuestion, AnswerInput)
    case revealed(ClassReveal)
    case ended(String)
  }

  public struct State: Equatable, Sendable {
    public var phase: Phase = .waiting("Joining the class…")
    public var title = "Live class"
    public var name = ""
    public var questionCount = 0
    public var leaderboard: [ClassScore] = []
    /// The connection dropped and the link is getting it back.
    public var offline = false
    var answersSent = 0

    public init() {}
  }

  enum Message: Equatable, Sendable {
    case input(AnswerInput.Message), submitted, left
  }

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    guard case .answering(_, let input, _) = state.phase else {
      return [KeyBinding([.character("q"), .escape], .left, "leave the class")]
    }
    var bindings = input.keymap.map { KeyBinding($0.keys, Message.input($0.message), $0.help, footer: $0.inFooter) }
    bindings.append(KeyBinding([.enter], .submitted, "answer"))
    if !input.capturesText { bindings.append(KeyBinding([.character("q"), .escape], .left, "leave the class")) }
    return bindings
  }

  static func message(for key: Key, state: State) -> Message? {
    if let bound: Message = keymap(state).message(for: key) { return bound }
    guard case .answering(_, let input, _) = state.phase, let inner = input.message(for: key) else { return nil }
    return .input(inner)
  }

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    switch message {
    case .input(let inner):
      guard case .answering(let asked, var input, let ends) = state.phase else { return [] }
      input.update(inner)
      state.phase = .answering(asked, input, endsAt: ends)
    case .submitted:
      guard case .answering(let asked, let input, _) = state.phase else { return [] }
      switch input.response {
      case .failure(let problem): return [.status(problem.sentence)]
      case .success(let response):
        state.answersSent += 1
        state.phase = .answered(asked, input)
        let question = input.question
        // The answer also goes into the student's own store and review queue.
        let record = AnswerRecord.make(
          question: question, response: response, grade: Grader.grade(question, response: response),
          context: .review, mode: .review, presentation: input.presentation)
        return [
          .run(.classSend(.answer(questionID: asked.id, key: "\(asked.id)-\(state.answersSent)", response: response))),
          .run(.save(.answerRecorded(record))),
        ]
      }
    case .left:
      return [.run(.classSend(.bye)), .run(.quit)]
    }
    return []
  }

  /// The connection dropped, came back, or is gone; an answer given meanwhile is sent when it
  /// is back.
  static func connection(_ state: inout State, _ connection: ClassConnection) -> [Effect] {
    switch connection {
    case .reconnecting:
      state.offline = true
      return [.status("The connection to the class was lost; reconnecting…")]
    case .reconnected:
      state.offline = false
      return [.status("Back in the class.")]
    case .closed:
      state.offline = false
      if case .ended = state.phase { return [] }
      state.phase = .ended(
        "The class cannot be reached any more. Your answers are kept in your own progress; "
          + "tutor join with the same code takes your place back if the class goes on.")
      return []
    }
  }

  /// A message from the host.
  static func receive(_ state: inout State, _ message: HostMessage, context: AppContext) -> [Effect] {
    switch message {
    case .welcome(_, let name, _, let title, let count):
      state.name = name
      state.title = title
      state.questionCount = count
    case .waiting(let text):
      if case .answered = state.phase, text.hasPrefix("Answer saved") { return [] }
      state.phase = .waiting(text)
    case .question(let asked):
      guard let question = context.course.questionsByID[asked.id] else {
        state.phase = .waiting("This course has no question '\(asked.id)': ask your teacher which course to open.")
        return []
      }
      let endsAt = asked.secondsLeft.map { context.now.addingTimeInterval(TimeInterval($0)) }
      // Answered already, and asked again after a reconnect: the answer sent counts.
      if case .answered(let current, _) = state.phase, current.id == asked.id { return [] }
      // The same question again (more time given): the answer being made stays.
      if case .answering(let current, let input, _) = state.phase, current.id == asked.id {
        state.phase = .answering(asked, input, endsAt: endsAt)
        return []
      }
      let presentation = Presentation(
        choiceOrder: asked.options.map(\.id), itemOrder: asked.items.compactMap { Int($0.id) })
      state.phase = .answering(asked, AnswerInput(question: question, presentation: presentation), endsAt: endsAt)
      return [.status(nil)]
    case .ack: break
    case .lock:
      guard case .answering(let asked, let input, _) = state.phase else { return [] }
      state.phase = .answered(asked, input)
      return [.status("Time is up for this question.")]
    case .reveal(let reveal):
      state.phase = .revealed(reveal)
      return [.status(nil)]
    case .leaderboard(let top):
      state.leaderboard = top
    case .scores(let scores):
      let mine = scores.first { $0.name == state.name }
      let score = Score(points: mine?.points ?? 0, total: mine?.outOf ?? state.questionCount)
      state.phase = .ended("Your score: " + score.description)
    case .error(_, let text):
      return [.status(text)]
    case .bye(let reason):
      if case .ended = state.phase { return [.status(reason)] }
      state.phase = .ended(reason)
    case .heartbeat: break
    }
    return []
  }

  static func lines(_ state: State, course: Course, width: Int) -> [[StyledText]] {
    switch state.phase {
    case .waiting(let text):
      return TextWrapper.wrap(text, width: width, style: Style(.muted)) + leaderboardLines(state)
    case .answering(_, let input, _):
      return QuestionView.lines(QuestionView.Model(input: input), width: width)
    case .answered(_, let input):
      return QuestionView.lines(QuestionView.Model(input: input), width: width)
        + [[], [StyledText("Answer saved. Waiting for the others.", Style(.accent, [.bold]))]]
    case .revealed(let reveal):
      guard let question = course.questionsByID[reveal.questionID] else { return [] }
      var lines = TextWrapper.wrap([StyledText(question.prompt, Style(.normal, [.bold]))], width: width)
      lines.append([])
      switch reveal.yourScore {
      case let score? where score >= 1 - 1e-9: lines.append([StyledText("✓ Correct", Style(.correct, [.bold]))])
      case let score? where score > 0: lines.append([StyledText("≈ Partly correct", Style(.hint, [.bold]))])
      case .some: lines.append([StyledText("✗ Incorrect", Style(.incorrect, [.bold]))])
      case nil: lines.append([StyledText("– Not answered", Style(.muted, [.bold]))])
      }
      lines += TextWrapper.wrap(
        [StyledText("Right answer: ", Style(.correct, [.bold])), StyledText(reveal.rightAnswer)], width: width)
      if !reveal.explanation.isEmpty {
        lines += TextWrapper.wrap(
          [StyledText("Why: ", Style(.hint, [.bold])), StyledText(reveal.explanation)], width: width)
      }
      lines.append([])
      lines.append([StyledText("\(reveal.correct) of \(reveal.answered) in the class got it right.", Style(.muted))])
      return lines + leaderboardLines(state)
    case .ended(let text):
      return [[StyledText(text, Style(.heading, [.bold]))], [], [StyledText("Press q to leave.", Style(.muted))]]
    }
  }

  static func leaderboardLines(_ state: State) -> [[StyledText]] {
    guard !state.leaderboard.isEmpty else { return [] }
    return [[], [StyledText("Leaderboard", Style(.heading, [.bold]))]]
      + state.leaderboard.map { [StyledText("\($0.rank). \($0.name)  \(String(format: "%g", $0.points))")] }
  }
}

extension ClassScreen.State: ScreenModel {
  func help(_ context: AppContext) -> [HelpEntry] { ClassScreen.keymap(self).map(\.helpEntry) }

  mutating func handle(_ key: Key, context: AppContext) -> [Effect]? {
    ClassScreen.message(for: key, state: self).map { ClassScreen.update(&self, $0, context: context) }
  }

  mutating func receive(_ event: ScreenEvent, context: AppContext) -> [Effect] {
    switch event {
    case .classMessage(let message): return ClassScreen.receive(&self, message, context: context)
    case .classConnection(let connection): return ClassScreen.connection(&self, connection)
    default: return []
    }
  }

  func title(_ context: AppContext) -> (left: String, right: String) {
    var right = (offline ? "offline · " : "") + (name.isEmpty ? "" : "\(name) ")
    if case .answering(let asked, _, let ends?) = phase {
      let left = max(0, Int(ends.timeIntervalSince(context.now).rounded(.up)))
      right =
        String(format: "⏱ %d:%02d · ", left / 60, left % 60) + "question \(asked.number) of \(asked.of) · " + right
    }
    return (title, right)
  }

  func render(_ context: AppContext, body: Rect, textArea: Rect, into grid: inout Grid) {
    ScrollView.draw(
      ClassScreen.lines(self, course: context.course, width: textArea.width), scroll: 0, in: textArea, into: &grid)
  }

  var typing: Typing? {
    guard case .answering(_, let input, _) = phase, input.capturesText else { return nil }
    return Typing(isEmpty: input.activeFieldIsEmpty)
  }
}
