import TerminalUI
import TutorCore

/// The end of a quiz: the score and the questions missed, with their right answers.
public enum ResultsScreen {
  public struct State: Equatable, Sendable {
    public var run: QuizRun
    public var scroll = 0
    public init(run: QuizRun) { self.run = run }
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

  static func lines(_ state: State, width: Int) -> [[StyledText]] {
    let score = state.run.score
    var lines: [[StyledText]] = [
      [StyledText("Score: ", Style(.heading, [.bold])), StyledText(score.description, Style(score.fraction >= 0.8 ? .correct : .accent, [.bold]))],
      [],
    ]
    let missed = state.run.missed
    if missed.isEmpty {
      lines.append([StyledText("✓ Every question right.", Style(.correct, [.bold]))])
      return lines
    }
    lines.append([StyledText("Questions to revisit (\(missed.count)):", Style(.heading, [.bold]))])
    for question in missed {
      lines.append([])
      lines += TextWrapper.wrap([StyledText("✗ ", Style(.incorrect, [.bold])), StyledText(question.prompt, Style(.normal, [.bold]))], width: width)
      let right = question.choices.filter(\.isCorrect).map(\.text).joined(separator: "; ")
      lines += TextWrapper.wrap([StyledText("Right answer: ", Style(.correct, [.bold])), StyledText(right)], width: width)
      if let see = question.see {
        lines.append([StyledText("Revisit: \(see)", Style(.muted))])
      }
    }
    return lines
  }

  static func render(_ state: State, in area: Rect, into grid: inout Grid) {
    ScrollView.draw(lines(state, width: area.width), scroll: state.scroll, in: area, into: &grid)
  }
}
