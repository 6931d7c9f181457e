import Foundation
import TerminalUI
import Testing
@testable import TutorApp
import TutorCore
import TutorTestSupport

/// The shipped course, used as a learner would: every lesson paged through at 80x24 and
/// 120x40 with every chain revealed and every checkpoint answered right, and every quiz
/// answered right in plain mode.
@Suite struct CourseWalkthroughTests {
  static let course = CourseLoader.load(Fixtures.bundledCourseFiles()).course!

  @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
  func everyLessonReadsThroughAndCompletes(size: Size) throws {
    for lesson in Self.course.lessons {
      var state = AppState(course: Self.course, progress: LearnerProgress(), size: size, seed: 1)
      _ = App.open(.lesson(id: lesson.id), in: &state)
      var guardCount = 0
      while case .lesson(let screen) = state.top, guardCount < 2000 {
        guardCount += 1
        let frame = App.render(state)
        // Nothing is cut: diagram rows fit, and no line runs into the margin.
        #expect(
          !frame.lines.contains { $0.hasSuffix("›") },
          "\(lesson.id) step \(screen.step + 1): a diagram row is cut at \(size)")
        for line in frame.lines { #expect(DisplayWidth.of(line) <= size.width) }
        _ = App.update(&state, .key(nextKey(for: screen, state: state)))
      }
      #expect(
        state.progress.lessons[lesson.id]?.isComplete == true,
        "\(lesson.id) did not complete at \(size) after \(guardCount) keys:\n\(App.render(state).lines.joined(separator: "\n"))"
      )
    }
  }

  /// The key a diligent learner presses next: answer the waiting checkpoint right, reveal the
  /// chain (predicting right), else scroll to the end of the step, then page on.
  private func nextKey(for screen: LessonScreen.State, state: AppState) -> Key {
    switch LessonScreen.activeInteraction(screen) {
    case .chain(let key, let chain)? where screen.interactionVisible && chain.predict:
      let revealed = screen.chains[key]?.revealed ?? 1
      let options = LessonScreen.predictionOptions(screen, chain, revealed: revealed)
      let right = options.firstIndex(of: chain.steps[revealed])!
      let highlighted = screen.chains[key]?.highlighted ?? 0
      return highlighted < right ? .down : (highlighted > right ? .up : .enter)
    case .check(let id)? where screen.interactionVisible:
      let input = screen.check(id)!.input
      if let key = answerKey(input) { return key }
      return .enter
    default:
      if LessonScreen.activeInteraction(screen) != nil { return .enter }  // scrolls to it
      // Read the whole step, then turn the page.
      let lineCount = LessonScreen.lines(screen, course: Self.course, width: screen.viewport.width).0.count
      return screen.scroll + screen.viewport.height < lineCount ? .down : .pageDown
    }
  }

  /// One key towards the right answer of a checkpoint, or nil when it is ready to submit.
  private func answerKey(_ input: AnswerInput) -> Key? {
    let question = input.question
    switch question.body {
    case .single, .trueFalse:
      let right = input.choices.firstIndex(where: \.isCorrect)!
      if !input.isTouched { return right == 0 ? .character(question.typeName == "truefalse" ? "t" : "a") : .down }
      return input.cursor < right ? .down : (input.cursor > right ? .up : nil)
    case .multiple:
      let rights = Set(input.choices.filter(\.isCorrect).map(\.id))
      if input.picked == rights { return nil }
      let index = input.choices.firstIndex { rights.contains($0.id) != input.picked.contains($0.id) }!
      return .character(Character(PlainText.letter(index)))
    case .short(let key):
      return typing(key.answers[0], into: input.fields[0])
    case .numeric(let key):
      return typing(NumberText.format(key.answer ?? key.range!.lowerBound), into: input.fields[0])
    case .cloze(let cloze):
      for (index, accepted) in cloze.blanks.enumerated() where input.fields[index].text != accepted[0] {
        if input.activeField != index { return .tab }
        return typing(accepted[0], into: input.fields[index])
      }
      return nil
    case .match(let key):
      for (index, pair) in key.pairs.enumerated() {
        let target = key.rightItems.firstIndex(of: pair.right)!
        if input.matches[index] != target {
          if input.choosingFor != index { return .character(Character(String(index + 1))) }
          return .character(Character(PlainText.letter(input.presentation.itemOrder.firstIndex(of: target)!)))
        }
      }
      return nil
    case .order:
      guard let wrong = input.arrangement.enumerated().first(where: { $0.offset != $0.element }) else {
        return input.isHolding ? .character(" ") : nil
      }
      let from = input.arrangement.firstIndex(of: wrong.offset)!
      if !input.isHolding {
        if input.cursor != from { return input.cursor < from ? .down : .up }
        return .character(" ")
      }
      if input.cursor > wrong.offset { return .up }
      return .character(" ")
    }
  }

  private func typing(_ text: String, into field: TextField) -> Key? {
    if field.text == text { return nil }
    if !text.hasPrefix(field.text) { return .control("u") }
    return .character(Array(text)[field.text.count])
  }

  @Test(arguments: Self.course.quizzes.map(\.id))
  func everyQuizScoresFullMarksInPlainModeWithTheRightAnswers(quizID: String) throws {
    let quiz = try #require(Self.course.quiz(id: quizID))
    let script = AnswerScript(run: QuizRun(quiz: quiz, seed: 5), mistakes: false, confidence: quiz.asksConfidence)
    let folder = Fixtures.temporaryFolder()
    let result = try Binary.run(
      [
        "quiz", quizID, "--plain", "--seed", "5", "--course", Fixtures.repositoryRoot.path, "--store",
        folder.appendingPathComponent("p.sqlite").path,
      ],
      input: script.plainLines.joined(separator: "\n") + "\n")
    #expect(!result.output.contains("Could not read"), "\(quizID): an answer was unreadable")
    #expect(
      result.output.split(separator: "\n").last == "Score: \(quiz.questions.count)/\(quiz.questions.count) (100%)",
      "\(quizID)")
  }
}
