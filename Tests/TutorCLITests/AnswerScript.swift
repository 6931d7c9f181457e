import TerminalTesting
import TerminalUI
import TutorCore

/// The same answers to a quiz, written twice: as plain-mode lines and as full-screen keys.
/// `mistakes` makes some answers wrong or partly right, to compare partial credit too.
struct AnswerScript {
  var plainLines: [String] = []
  var keys: [InputEvent] = []

  /// The plain-mode lines that read a whole lesson answering every checkpoint and every chain
  /// prediction right, in reading order.
  /// With `firstWrong`, the first choice checkpoint is first answered with a wrong option.
  /// With `predictionWrong`, the first chain prediction picks a wrong link.
  /// `seed` is the lesson visit's (`tutor study --seed`): it orders the options.
  static func lessonLines(
    _ lesson: Lesson, course: Course, seed: UInt64 = 1, firstWrong: Bool = false, predictionWrong: Bool = false
  ) -> [String] {
    var script = AnswerScript()
    var wrongGiven = !firstWrong
    var wrongPrediction = predictionWrong
    for step in lesson.steps {
      for block in step.blocks {
        switch block {
        case .check(let checkpoint):
          guard let question = course.questionsByID[checkpoint.questionID] else { continue }
          if !wrongGiven, let wrong = firstWrongOption(question, seed: seed) {
            script.plainLines.append(wrong.answer)
            wrongGiven = true
          }
          script.add(question, presentation: Presentation.make(for: question, seed: seed), wrong: false)
        case .chain(let chain) where chain.predict:
          for revealed in 1..<chain.steps.count {
            let options = chain.predictionOptions(revealed: revealed, seed: seed)
            let right = options.firstIndex(of: chain.steps[revealed])!
            script.plainLines.append(PlainText.letter(wrongPrediction ? (right + 1) % options.count : right))
            wrongPrediction = false
          }
        default: break
        }
      }
    }
    return script.plainLines
  }

  private init() {}

  /// The plain lines that answer each question right, in order, as a session seeded with `seed` shows them.
  static func lines(for questions: [Question], seed: UInt64 = 1) -> [String] {
    var script = AnswerScript()
    for question in questions {
      script.add(question, presentation: Presentation.make(for: question, seed: seed), wrong: false)
    }
    return script.plainLines
  }

  /// The first wrong option of a single-choice or true/false checkpoint: its plain answer and text.
  static func firstWrongOption(_ question: Question, seed: UInt64 = 1) -> (answer: String, text: String)? {
    let shown = PlainText.choices(question, Presentation.make(for: question, seed: seed))
    switch question.body {
    case .single: break
    case .trueFalse:
      guard let wrong = shown.first(where: { !$0.isCorrect }) else { return nil }
      return (wrong.id, wrong.text)
    default: return nil
    }
    guard let index = shown.firstIndex(where: { !$0.isCorrect }) else { return nil }
    return (PlainText.letter(index), shown[index].text)
  }

  /// The first checkpoint of a lesson that `lessonLines(firstWrong:)` answers wrong first.
  static func firstWrongCheckpoint(_ lesson: Lesson, course: Course) -> (question: Question, text: String)? {
    for checkpoint in lesson.checkpoints {
      guard let question = course.questionsByID[checkpoint.questionID] else { continue }
      if let wrong = firstWrongOption(question) { return (question, wrong.text) }
    }
    return nil
  }

  /// With `confidence` (a quiz that asks it), every answer is followed by "sure".
  init(run: QuizRun, mistakes: Bool, confidence: Bool = false) {
    for id in run.order {
      guard let question = run.quiz.question(id: id) else { continue }
      add(question, presentation: run.presentation(of: question), wrong: mistakes && isMistake(question))
      if confidence {
        plainLines.append("1")
        keys.insert(.key(.character("1")), at: keys.count - 1)
      }
    }
  }

  /// Which questions get a mistake: every typed kind, so partial credit is exercised.
  private func isMistake(_ question: Question) -> Bool {
    switch question.body {
    case .multiple, .cloze, .match, .order: true
    default: false
    }
  }

  private func letter(_ index: Int) -> String { PlainText.letter(index) }

  private mutating func press(_ text: String) { keys += text.map { .key(.character($0)) } }
  private mutating func key(_ key: Key) { keys.append(.key(key)) }

  private mutating func add(_ question: Question, presentation: Presentation, wrong: Bool) {
    compose(question, presentation: presentation, wrong: wrong)
    key(.enter)  // answer
    key(.enter)  // next question (or the results)
  }

  /// The answer to one question, right or (with `wrong`) wrong or partly right: its plain lines
  /// and the full-screen keys that compose it, before Enter submits it.
  static func answer(_ question: Question, presentation: Presentation, wrong: Bool) -> AnswerScript {
    var script = AnswerScript()
    script.compose(question, presentation: presentation, wrong: wrong)
    return script
  }

  private mutating func compose(_ question: Question, presentation: Presentation, wrong: Bool) {
    switch question.body {
    case .single, .trueFalse:
      let shown = PlainText.choices(question, presentation)
      let index = shown.firstIndex(where: \.isCorrect)!
      let tf = question.typeName == "truefalse"
      let answer = tf ? (shown[index].id) : letter(index)
      plainLines.append(answer)
      press(answer)
    case .multiple:
      let shown = PlainText.choices(question, presentation)
      var letters = shown.indices.filter { shown[$0].isCorrect }.map(letter)
      if wrong { letters.removeLast() }
      plainLines.append(letters.joined(separator: ","))
      for l in letters { press(l) }
    case .short(let key):
      plainLines.append(key.answers[0])
      press(key.answers[0])
    case .numeric(let key):
      let text = NumberText.format(key.answer ?? key.range!.lowerBound)
      plainLines.append(text)
      press(text)
    case .cloze(let cloze):
      let answers = cloze.blanks.enumerated().map { index, accepted in wrong && index == 0 ? "nonsense" : accepted[0] }
      plainLines += answers
      for (index, answer) in answers.enumerated() {
        if index > 0 { key(.tab) }
        press(answer)
      }
    case .match(let matchKey):
      let rights = matchKey.rightItems
      var targets = matchKey.pairs.map { rights.firstIndex(of: $0.right)! }
      if wrong { targets.swapAt(0, 1) }
      let letters = targets.map { letter(presentation.itemOrder.firstIndex(of: $0)!) }
      plainLines.append(letters.enumerated().map { "\($0.offset + 1)\($0.element)" }.joined(separator: " "))
      for (index, l) in letters.enumerated() { press("\(index + 1)\(l)") }
    case .order(let items):
      var wanted = Array(items.indices)
      if wrong { wanted.swapAt(0, 1) }
      plainLines.append(wanted.map { letter(presentation.itemOrder.firstIndex(of: $0)!) }.joined(separator: " "))
      // Full screen: carry each wanted item up to its place, as a learner would.
      var arrangement = presentation.itemOrder
      var cursor = 0
      for (target, item) in wanted.enumerated() {
        let from = arrangement.firstIndex(of: item)!
        while cursor < from { key(.down); cursor += 1 }
        while cursor > from { key(.up); cursor -= 1 }
        key(.character(" "))
        while cursor > target {
          key(.up)
          arrangement.swapAt(cursor, cursor - 1)
          cursor -= 1
        }
        key(.character(" "))
      }
    }
  }
}
