import Foundation
import TerminalUI
import TutorCore

/// How a quiz runs: practice (feedback at once, hints, undo), exam (no help, timer), a
/// retry of the questions missed in practice, a spaced review of due questions, or cram
/// (review that leaves the schedule alone).
public enum QuizMode: String, Equatable, Sendable {
  case practice, exam, retry, review, cram

  /// Review and cram sessions are not attempts at a quiz.
  public var isSession: Bool { self == .review || self == .cram }
}

/// How sure a learner said they were of an answer.
public enum Confidence: String, Equatable, Sendable, CaseIterable {
  case sure, unsure, guessing
}

/// Asks the questions of a quiz one by one.
public enum QuizScreen {
  // MARK: - State

  public enum Phase: Equatable, Sendable {
    case answering
    /// Answered; waiting for how sure the learner was.
    case confidence(Response)
    case feedback(Grade, Response)
  }

  public struct State: Equatable, Sendable {
    public var run: QuizRun
    /// The store's id of this attempt; arrives in a message after the attempt is opened.
    public var attemptID: Int64?
    public var mode: QuizMode
    public var exam: ExamSettings?
    public var asksConfidence: Bool
    public var input: AnswerInput
    public var phase: Phase = .answering
    public var hintsShown = 0
    public var questionShownAt: Date
    public var deadline: Date?
    public var timedOut = false
    public var responses: [String: Response] = [:]
    public var confidences: [String: Confidence] = [:]
    public var scroll = 0
    /// Columns and rows of the text area, set by the app from the terminal size.
    public var viewport = Size(width: 76, height: 20)
    /// A review's time budget: after it, the session ends once the question in hand is done.
    public var budgetEnds: Date?
    /// When each answered question is next due, as the store scheduled it.
    public var nextReviews: [String: Date] = [:]
    /// Questions flagged as leeches.
    public var leeches: Set<String> = []

    public init(
      run: QuizRun, attemptID: Int64?, mode: QuizMode = .practice, asksConfidence: Bool = false, now: Date = Date(timeIntervalSince1970: 0)
    ) {
      self.run = run
      self.attemptID = attemptID
      self.mode = mode
      exam = mode == .exam ? (run.quiz.exam ?? ExamSettings()) : nil
      self.asksConfidence = asksConfidence
      questionShownAt = now
      if let limit = exam?.timeLimitSeconds { deadline = now.addingTimeInterval(TimeInterval(limit)) }
      let question = run.currentQuestion ?? run.quiz.questions[0]
      input = AnswerInput(question: question, presentation: run.presentation(of: question))
    }

    var question: Question { input.question }
    var showsFeedbackNow: Bool { exam?.feedback != .end }
    var isPractice: Bool { mode != .exam }
    var canUndo: Bool { mode == .practice || mode == .retry }
    var canGoBack: Bool { (exam?.allowsGoingBack ?? false) && run.currentIndex > 0 && phase == .answering }
  }

  public enum Message: Equatable, Sendable {
    case input(AnswerInput.Message)
    case answerSubmitted, confidenceGiven(Confidence), nextRequested, previousRequested
    case hintRequested, lessonRequested, undoRequested
    case scrolledUp, scrolledDown, quitRequested
    case clockTicked
  }

  // MARK: - Keys

  static func keymap(_ state: State) -> [KeyBinding<Message>] {
    let leave = KeyBinding<Message>(state.input.capturesText && state.phase == .answering ? [.escape] : [.character("q"), .escape], .quitRequested, "leave")
    switch state.phase {
    case .confidence:
      return [
        KeyBinding([.character("1"), .character("s")], .confidenceGiven(.sure), "sure"),
        KeyBinding([.character("2"), .character("u")], .confidenceGiven(.unsure), "unsure"),
        KeyBinding([.character("3"), .character("g")], .confidenceGiven(.guessing), "guessing"),
        leave,
      ]
    case .feedback:
      var bindings: [KeyBinding<Message>] = [
        KeyBinding([.enter, .right, .character(" "), .character("l")], .nextRequested, state.run.currentIndex + 1 < state.run.order.count ? "next question" : "results"),
        KeyBinding([.down, .character("j")], .scrolledDown, "scroll", footer: false),
        KeyBinding([.up, .character("k")], .scrolledUp, "scroll back", footer: false),
      ]
      if state.canUndo { bindings.append(KeyBinding([.character("u")], .undoRequested, "undo")) }
      if state.isPractice && state.question.see != nil { bindings.append(KeyBinding([.character("o")], .lessonRequested, "open lesson")) }
      return bindings + [leave]
    case .answering:
      var bindings = state.input.keymap.map { KeyBinding($0.keys, Message.input($0.message), $0.help, footer: $0.inFooter) }
      bindings.append(KeyBinding([.enter], .answerSubmitted, "answer"))
      if state.isPractice && state.hintsShown < state.question.hints.count {
        bindings.append(KeyBinding([.control("t")], .hintRequested, "hint"))
      }
      if state.isPractice && state.question.see != nil {
        bindings.append(KeyBinding([.control("o")], .lessonRequested, "lesson"))
      }
      if state.canGoBack { bindings.append(KeyBinding([.pageUp], .previousRequested, "previous question")) }
      return bindings + [leave]
    }
  }

  static func message(for key: Key, state: State) -> Message? {
    if let bound: Message = keymap(state).message(for: key) { return bound }
    guard state.phase == .answering, let inner = state.input.message(for: key) else { return nil }
    return .input(inner)
  }

  static func capturesText(_ state: State) -> Bool { state.phase == .answering && state.input.capturesText }

  /// The answer being typed, when text is captured (for `?` on an empty field).
  static func typedInput(_ state: State) -> AnswerInput? { capturesText(state) ? state.input : nil }

  // MARK: - Update

  static func update(_ state: inout State, _ message: Message, context: AppContext) -> [Effect] {
    switch message {
    case .input(let inner):
      if case .typed = inner, state.input.isFull {
        return [.status("An answer may be at most \(PlainText.maximumAnswerLength) characters long.")]
      }
      state.input.update(inner)
    case .answerSubmitted:
      return submit(&state, context: context)
    case .confidenceGiven(let confidence):
      guard case .confidence(let response) = state.phase else { return [] }
      return commit(&state, response: response, confidence: confidence, context: context)
    case .nextRequested:
      return next(&state, context: context)
    case .previousRequested:
      guard state.canGoBack else { return [] }
      state.run.goBack()
      showCurrent(&state, now: context.now)
    case .hintRequested:
      if state.isPractice { state.hintsShown = min(state.question.hints.count, state.hintsShown + 1) }
    case .lessonRequested:
      guard state.isPractice, let see = state.question.see else { return [] }
      return openLesson(see, context: context)
    case .undoRequested:
      guard state.canUndo, case .feedback(_, let response) = state.phase, let attempt = state.attemptID else { return [] }
      state.run.withdrawAnswer()
      state.responses[state.question.id] = nil
      state.input = AnswerInput(question: state.question, presentation: state.input.presentation, response: response)
      state.phase = .answering
      return [.run(.withdrawAnswer(questionID: state.question.id, attempt: attempt)), .status("Answer withdrawn: answer again.")]
    case .scrolledUp:
      state.scroll = max(0, state.scroll - 1)
    case .scrolledDown:
      state.scroll += 1
    case .quitRequested:
      return [.pop]
    case .clockTicked:
      if let deadline = state.deadline, context.now >= deadline, !state.timedOut { return timeUp(&state, context: context) }
    }
    return []
  }

  private static func submit(_ state: inout State, context: AppContext) -> [Effect] {
    guard state.phase == .answering else { return [] }
    switch state.input.response {
    case .failure(let problem):
      return [.status(problem.sentence)]
    case .success(let response):
      if state.asksConfidence {
        state.phase = .confidence(response)
        return []
      }
      return commit(&state, response: response, confidence: nil, context: context)
    }
  }

  private static func commit(_ state: inout State, response: Response, confidence: Confidence?, context: AppContext) -> [Effect] {
    let question = state.question
    guard let grade = state.run.answer(response) else { return [] }
    state.responses[question.id] = response
    if let confidence { state.confidences[question.id] = confidence }
    var effects: [Effect] = []
    let milliseconds = max(0, Int((context.now.timeIntervalSince(state.questionShownAt) * 1000).rounded()))
    // Every answer moves the question's review schedule, except in cram.
    let rating: FSRS.Rating? =
      state.mode == .cram
      ? nil
      : ReviewGrading.rating(
        for: grade, of: question, hintsUsed: state.hintsShown, confidence: confidence?.rawValue,
        seconds: Double(milliseconds) / 1000)
    let answerContext: AnswerRecord.Context?
    if state.mode.isSession {
      answerContext = .review
    } else {
      answerContext = state.attemptID.map { .quiz(id: state.run.quiz.id, attempt: $0) }
    }
    if let answerContext {
      effects.append(
        .run(
          .recordAnswer(
            AnswerRecord(
              questionID: question.id, questionVersion: question.version, context: answerContext,
              response: PlainText.describe(response, for: question), grade: grade, hintsUsed: state.hintsShown,
              confidence: confidence?.rawValue, mode: state.mode.rawValue, durationMilliseconds: milliseconds, rating: rating))))
    } else {
      effects.append(.status("This answer could not be saved: no attempt is open."))
    }
    if rating == .again && state.leeches.contains(question.id) && question.see != nil {
      effects.append(.status("This question keeps slipping (a leech): press o to read its lesson step again."))
    }
    if state.showsFeedbackNow {
      state.phase = .feedback(grade, response)
      let before = QuestionView.lines(model(state, graded: false), width: state.viewport.width).count
      let after = QuestionView.lines(model(state), width: state.viewport.width).count
      state.scroll = max(0, min(after - state.viewport.height, before - 2))
      return effects
    }
    return effects + next(&state, context: context)
  }

  private static func next(_ state: inout State, context: AppContext) -> [Effect] {
    state.run.advance()
    if let budget = state.budgetEnds, context.now >= budget, !state.run.isFinished {
      state.run.finish()
      return finish(&state) + [.status("Time budget reached: the session ends here; every answer is saved.")]
    }
    // In an exam that allows going back, skip over questions already answered.
    while let question = state.run.currentQuestion, state.exam != nil, state.run.grades[question.id] != nil {
      state.run.advance()
    }
    guard state.run.isFinished else {
      showCurrent(&state, now: context.now)
      return []
    }
    return finish(&state)
  }

  private static func finish(_ state: inout State) -> [Effect] {
    var effects: [Effect] = []
    if let attempt = state.attemptID, !state.mode.isSession {
      effects.append(.run(.finishQuizAttempt(attempt: attempt, score: state.run.score)))
    }
    effects.append(.replaceTop(.results(ResultsScreen.State(quiz: state))))
    return effects
  }

  private static func timeUp(_ state: inout State, context: AppContext) -> [Effect] {
    state.timedOut = true
    var effects: [Effect] = []
    // The answer in progress counts if the learner composed it (an untouched default is no
    // answer) and it can be read.
    if state.phase == .answering, state.input.isTouched, case .success(let response) = state.input.response,
      state.run.grades[state.question.id] == nil
    {
      effects += commit(&state, response: response, confidence: nil, context: context).filter {
        if case .run = $0 { true } else { false }
      }
    } else if case .confidence(let response) = state.phase {
      effects += commit(&state, response: response, confidence: nil, context: context).filter {
        if case .run = $0 { true } else { false }
      }
    }
    state.run.finish()
    return effects + finish(&state) + [.status("Time is up: the exam was submitted.")]
  }

  private static func showCurrent(_ state: inout State, now: Date) {
    guard let question = state.run.currentQuestion else { return }
    state.input = AnswerInput(question: question, presentation: state.run.presentation(of: question), response: state.responses[question.id])
    state.phase = .answering
    state.hintsShown = 0
    state.scroll = 0
    state.questionShownAt = now
  }

  private static func openLesson(_ see: String, context: AppContext) -> [Effect] {
    let parts = see.split(separator: "#", maxSplits: 1).map(String.init)
    guard let lesson = context.course.lesson(id: parts[0]) else { return [] }
    let step = parts.count > 1 ? lesson.stepIndex(anchor: parts[1]) ?? 0 : 0
    var screen = LessonScreen.State(lesson: lesson, course: context.course, step: step, passed: context.progress.lessons[lesson.id]?.passedCheckpoints ?? [])
    screen.isVisit = true
    return [.push(.lesson(screen)), .status("Reading \(lesson.title): q returns to the quiz.")]
  }

  // MARK: - Rendering

  static func model(_ state: State, graded: Bool = true) -> QuestionView.Model {
    var model = QuestionView.Model(input: state.input, hintsShown: state.hintsShown)
    if graded, case .feedback(let grade, let response) = state.phase {
      model.grade = grade
      model.response = response
    }
    return model
  }

  /// A session of review (or cram) over `questions`, which may come from several quizzes and lessons.
  public static func session(_ questions: [Question], mode: QuizMode, title: String, now: Date, seed: UInt64, budget: TimeInterval?, leeches: Set<String>) -> State {
    let quiz = Quiz(id: mode.rawValue, title: title, questions: questions)
    var state = State(run: QuizRun(quiz: quiz, seed: seed), attemptID: nil, mode: mode, now: now)
    state.budgetEnds = budget.map { now.addingTimeInterval($0) }
    state.leeches = leeches
    return state
  }

  static func title(_ state: State, now: Date) -> (String, String) {
    let total = state.run.order.count
    var right = "question \(min(state.run.currentIndex + 1, total)) of \(total) "
    if state.mode == .exam { right = "exam · " + right }
    if state.mode == .retry { right = "retry · " + right }
    if state.mode.isSession { right = "\(state.mode.rawValue) · item \(min(state.run.currentIndex + 1, total)) of \(total) " }
    if let budget = state.budgetEnds {
      let left = max(0, Int(budget.timeIntervalSince(now).rounded(.up)))
      right = (left > 0 ? String(format: "%d:%02d left · ", left / 60, left % 60) : "last item · ") + right
    }
    if let deadline = state.deadline {
      let left = max(0, Int(deadline.timeIntervalSince(now).rounded(.up)))
      right = String(format: "⏱ %d:%02d · ", left / 60, left % 60) + right
    }
    return (state.run.quiz.title, right)
  }

  static func lines(_ state: State, width: Int, now: Date = .distantPast) -> [[StyledText]] {
    var lines = QuestionView.lines(model(state), width: width)
    if case .feedback = state.phase, let due = state.nextReviews[state.question.id], state.mode != .exam {
      lines.append([])
      lines.append([StyledText("Next review: ", Style(.accent, [.bold])), StyledText(RelativeTime.describe(due, from: now))])
    }
    if case .confidence = state.phase {
      lines.append([])
      lines.append([StyledText("How sure are you? ", Style(.accent, [.bold])), StyledText("1 sure · 2 unsure · 3 guessing")])
    }
    return lines
  }

  static func render(_ state: State, now: Date, in area: Rect, into grid: inout Grid) {
    guard state.run.currentQuestion != nil else { return }
    ScrollView.draw(lines(state, width: area.width, now: now), scroll: state.scroll, in: area, into: &grid)
  }
}

/// Draws wrapped lines with a vertical offset and "more" markers.
enum ScrollView {
  static func clampedScroll(_ scroll: Int, lineCount: Int, height: Int) -> Int {
    max(0, min(scroll, lineCount - height))
  }

  static func draw(_ lines: [[StyledText]], scroll: Int, in area: Rect, into grid: inout Grid) {
    guard area.height > 0 else { return }
    let offset = clampedScroll(scroll, lineCount: lines.count, height: area.height)
    for (row, line) in lines.dropFirst(offset).prefix(area.height).enumerated() {
      grid.write(line, x: area.x, y: area.y + row, clip: area)
    }
    // Markers sit in the right margin so they never hide text.
    let column = min(grid.size.width - 1, area.maxX + 1)
    if offset > 0 {
      grid.write("↑", x: column, y: area.y, style: Style(.accent, [.bold]))
    }
    if offset + area.height < lines.count {
      grid.write("↓", x: column, y: area.maxY - 1, style: Style(.accent, [.bold]))
    }
  }
}
