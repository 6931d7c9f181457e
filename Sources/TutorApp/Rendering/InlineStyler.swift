import TerminalUI
import TutorCore

/// Turns lesson inline markup into styled runs.
enum InlineStyler {
  static func runs(_ inlines: [Inline], course: Course, base: Style = .normal) -> [StyledText] {
    inlines.flatMap { inline -> [StyledText] in
      switch inline {
      case .text(let s): [StyledText(s, base)]
      case .bold(let inner): runs(inner, course: course, base: base.adding(.bold))
      case .italic(let inner): runs(inner, course: course, base: base.adding(.italic))
      case .code(let s): [StyledText(s, Style(.code, base.emphasis))]
      case .term(_, let shown): [StyledText(shown, Style(.term, base.emphasis.union(.underline)))]
      case .citation(let key):
        [
          StyledText(
            "[" + (course.info.references.first { $0.id == key }?.shortCitation ?? key) + "]", Style(.citation))
        ]
      }
    }
  }
}
