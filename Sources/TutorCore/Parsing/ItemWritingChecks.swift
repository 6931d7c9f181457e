import Foundation

/// Warnings about cues a test-wise learner can use without knowing the content (NBME item-writing
/// rules): the right option the longest, absolute words only in wrong options, a hint that tells
/// how many options are right or spells the answer, a quiz whose true/false items are nearly all
/// one way, and a checkpoint that a quiz asks again word for word. An author who keeps one on
/// purpose lists it under the question's `allow:`.
struct ItemWritingChecks {
  let course: Course
  /// Where each question is defined.
  let positions: [String: SourcePosition]
  let sink: DiagnosticSink

  /// Words that make a statement absolute; test-wise learners know such options are usually wrong.
  static let absoluteWords: Set<String> = [
    "always", "never", "only", "all", "none", "every", "must", "cannot", "completely", "entirely", "impossible",
  ]

  func check() {
    let reused = Self.checkpointsInQuizzes(course)
    // Each quiz, and the lessons' checkpoints, on a sink of its own, side by side; the sinks are
    // merged in the order one pass would have reported in.
    let (course, positions) = (course, positions)
    let parts = ResultSlots<DiagnosticSink>(count: course.quizzes.count + 1)
    DispatchQueue.concurrentPerform(iterations: course.quizzes.count + 1) { index in
      let part = ItemWritingChecks(course: course, positions: positions, sink: DiagnosticSink())
      if index < course.quizzes.count {
        part.check(course.quizzes[index], reused: reused)
      } else {
        part.checkLessonCheckpoints()
      }
      parts[index] = part.sink
    }
    for part in parts.values { sink.absorb(part) }
  }

  private func check(_ quiz: Quiz, reused: Set<String>) {
    for question in quiz.questions {
      check(question)
      if reused.contains(question.id), !question.tags.allowances.contains(.reusedCheckpoint) {
        warn(
          question,
          "question '\(question.id)' is a lesson checkpoint and a quiz item: the quiz asks again what the lesson just asked (write a variant, or allow: [reused-checkpoint])"
        )
      }
    }
    checkTrueFalseBalance(quiz)
  }

  private func checkLessonCheckpoints() {
    for lesson in course.lessons {
      for case .check(let checkpoint) in lesson.steps.flatMap(\.blocks) {
        if case .inline(let question) = checkpoint.source { check(question) }
      }
    }
  }

  private func warn(_ question: Question, _ message: String) {
    guard let position = positions[question.id] else { return }
    sink.warning(position.file, position.line, position.column, message)
  }

  private func check(_ question: Question) {
    let allowed = question.tags.allowances
    if !allowed.contains(.longestOption), Self.rightOptionIsLongest(question) {
      warn(
        question,
        "the right option of question '\(question.id)' is the longest: a test-wise learner picks it unread (balance the lengths, or allow: [longest-option])"
      )
    }
    if !allowed.contains(.absoluteWords), let count = Self.absoluteWordsOnlyInWrongOptions(question) {
      warn(
        question,
        "question '\(question.id)' has absolute words (always, never, only…) in \(count) wrong options and in no right one: they mark the wrong options (or allow: [absolute-words])"
      )
    }
    if !allowed.contains(.countHint) {
      for hint in question.hints where Self.revealsTheAnswer(hint) {
        warn(
          question,
          "a hint of question '\(question.id)' gives the answer away by its form: \"\(hint)\" (hint at the principle instead)"
        )
      }
    }
  }

  /// Ids of quiz questions that a lesson also asks as a checkpoint.
  static func checkpointsInQuizzes(_ course: Course) -> Set<String> {
    let checkpoints = Set(course.lessons.flatMap { $0.checkpoints.map(\.questionID) })
    return Set(course.quizzes.flatMap(\.questions).map(\.id)).intersection(checkpoints)
  }

  /// How many wrong options of a choice item carry absolute words when no right one does
  /// (two or more mark the wrong options); nil when that cue is absent.
  static func absoluteWordsOnlyInWrongOptions(_ question: Question) -> Int? {
    switch question.body {
    case .single(let choices), .multiple(let choices):
      var wrong = 0
      for choice in choices where isAbsolute(choice.text) {
        if choice.isCorrect { return nil }
        wrong += 1
      }
      return wrong >= 2 ? wrong : nil
    default:
      return nil
    }
  }

  /// A single-choice item whose one right option is strictly longer than every wrong one.
  static func rightOptionIsLongest(_ question: Question) -> Bool {
    guard case .single(let choices) = question.body else { return false }
    let right = choices.filter(\.isCorrect)
    let wrong = choices.filter { !$0.isCorrect }
    guard right.count == 1, wrong.count >= 2 else { return false }
    let length = right[0].text.count
    return wrong.allSatisfy { $0.text.count < length }
  }

  /// The text's bytes with ASCII capitals in lower case, and whether they are all ASCII.
  static func lowercasingASCII(_ text: String) -> (bytes: [UInt8], isASCII: Bool) {
    var text = text
    return text.withUTF8 { bytes in
      var isASCII = true
      let lower = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
        for index in bytes.indices {
          let byte = bytes[index]
          isASCII = isASCII && byte < 0x80
          buffer[index] = byte.asciiLowercased
        }
        count = bytes.count
      }
      return (lower, isASCII)
    }
  }

  /// Where the words of `bytes` are: runs of lower-case ASCII letters, or with `wide` also of
  /// capitals, digits and non-ASCII bytes. Words are compared as bytes where they are found: a
  /// String for each word of each option cost 76,000 instructions a question.
  static func words(_ bytes: UnsafeBufferPointer<UInt8>, wide: Bool) -> [Range<Int>] {
    func inWord(_ byte: UInt8) -> Bool {
      byte &- 0x61 < 26 || wide && (byte >= 0x80 || byte &- 0x41 < 26 || byte &- 0x30 < 10)
    }
    var words: [Range<Int>] = []
    var index = 0
    while index < bytes.count {
      while index < bytes.count && !inWord(bytes[index]) { index += 1 }
      let start = index
      while index < bytes.count && inWord(bytes[index]) { index += 1 }
      if index > start { words.append(start..<index) }
    }
    return words
  }

  /// Whether the bytes `range` of `bytes` spell one of `list`.
  private static func isOneOf(_ range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, _ list: [[UInt8]]) -> Bool {
    list.contains { word in
      word.count == range.count
        && word.withUnsafeBufferPointer {
          memcmp($0.baseAddress!, bytes.baseAddress! + range.lowerBound, $0.count) == 0
        }
    }
  }

  private static let absoluteWordList = absoluteWords.sorted().map { Array($0.utf8) }

  static func isAbsolute(_ text: String) -> Bool {
    // ASCII text (most options) is split into words on the bytes; splitting Characters cost
    // 46,000 instructions an option. Other text keeps the Unicode notion of a letter.
    let (lower, isASCII) = lowercasingASCII(text)
    guard isASCII else {
      return text.lowercased().split { !$0.isLetter }.contains { absoluteWords.contains(String($0)) }
    }
    return lower.withUnsafeBufferPointer { bytes in
      words(bytes, wide: false).contains { isOneOf($0, of: bytes, absoluteWordList) }
    }
  }

  private static let numberWords = ["one", "two", "three", "four", "five", "1", "2", "3", "4", "5"].map {
    Array($0.utf8)
  }
  private static let countedWords = [
    "letters", "letter", "options", "answers", "statements", "apply", "right", "correct", "true",
  ].map { Array($0.utf8) }

  private static let givingAwayPhrases = [
    "starts with", "begins with", "starting with", "look for the option", "the longest",
  ].map { Array($0.utf8) }

  /// A hint that counts the right options, counts letters or gives the first letter.
  static func revealsTheAnswer(_ hint: String) -> Bool {
    // The words and phrases looked for are ASCII: other characters keep their case, and any
    // other letter only keeps a word whole (Unicode case mapping cost 50,000 instructions a hint).
    return lowercasingASCII(hint).bytes.withUnsafeBufferPointer { bytes in
      // Words of letters and digits, split on the bytes (splitting Characters is much slower).
      let words = words(bytes, wide: true)
      let countsOptions = words.indices.contains { index in
        isOneOf(words[index], of: bytes, numberWords)
          && words[(index + 1)...].prefix(3).contains { isOneOf($0, of: bytes, countedWords) }
      }
      return countsOptions
        || givingAwayPhrases.contains { phrase in
          phrase.withUnsafeBufferPointer { ByteSearch.firstRange(of: $0, in: bytes) != nil }
        }
    }
  }

  private func checkTrueFalseBalance(_ quiz: Quiz) {
    let answers = quiz.questions.compactMap { question -> Bool? in
      if case .trueFalse(let answer, _, _) = question.body { answer } else { nil }
    }
    guard answers.count >= 4 else { return }
    let trueShare = Double(answers.filter { $0 }.count) / Double(answers.count)
    if trueShare < 0.2 || trueShare > 0.8 {
      let trueCount = answers.filter { $0 }.count
      sink.warning(
        quiz.file, 1, 1,
        "\(trueCount) of the \(answers.count) true/false items of quiz '\(quiz.id)' are true: \"always answer \(trueCount * 2 < answers.count ? "false" : "true")\" scores well (balance them)"
      )
    }
  }
}
