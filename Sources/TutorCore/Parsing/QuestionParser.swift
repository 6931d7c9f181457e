/// Parses one question (in a quiz or an inline checkpoint).
struct QuestionParser {
  let reader: YAMLReader

  static let supportedTypes = ["single", "multiple", "truefalse", "short", "numeric", "cloze", "match", "order"]
  static let commonKeys: Set<String> = [
    "id", "version", "type", "prompt", "explanation", "hints", "concepts", "see",
    "difficulty", "references", "level", "focus", "vignette", "study_number", "allow", "shuffle",
  ]
  static let keysByType: [String: Set<String>] = [
    "single": ["choices"],
    "multiple": ["choices"],
    "truefalse": ["answer", "feedback_true", "feedback_false"],
    "short": ["answers", "typos"],
    "numeric": ["answer", "tolerance", "range", "unit"],
    "cloze": ["text", "typos"],
    "match": ["pairs", "distractors"],
    "order": ["items"],
  ]

  /// Each type's keys with the common ones.
  static let allKeysByType = keysByType.mapValues { commonKeys.union($0) }
  private static let choiceLetters = "abcdefghijklmnopqrstuvwxyz".map(String.init)

  func parse(_ node: Node, record: inout ParseRecord) -> Question? {
    guard let map = reader.mapping(node, context: "a question") else { return nil }
    let id = map.string("id", required: true, context: "the question")
    let context = "question '\(id ?? "?")'"
    if let id, !Identifier.isValid(id) {
      reader.error(map.value("id"), "question id '\(id)' must be kebab-case (a-z, 0-9, hyphens)")
    }
    // Defined even when the rest is broken: a checkpoint naming it is not an error of its own.
    if let id, let idNode = map.value("id") {
      record.definitions.append(Definition(kind: .question, id: id, position: reader.position(of: idNode)))
    }
    guard let type = map.string("type", required: true, context: context) else { return nil }
    guard let typeKeys = Self.keysByType[type] else {
      reader.error(
        map.value("type"), "unknown question type '\(type)' (supported: \(Self.supportedTypes.joined(separator: ", ")))"
      )
      return nil
    }
    map.rejectUnknownKeys(Self.allKeysByType[type] ?? Self.commonKeys.union(typeKeys), in: context)
    let prompt =
      map.string("prompt", required: type != "cloze", context: context)
      ?? (type == "cloze" ? "Fill in the blanks." : nil)
    let version = map.int("version", context: context) ?? 1
    if version < 1 { reader.error(map.value("version"), "'version' must be 1 or more") }
    let difficulty = map.int("difficulty", context: context)
    if let difficulty, !(1...5).contains(difficulty) {
      reader.error(map.value("difficulty"), "'difficulty' must be between 1 and 5")
    }
    let see = map.string("see", context: context)
    if let see {
      record.uses.append(SymbolUse(kind: .see, name: see, position: reader.position(of: map.value("see"))))
    }
    let references = map.strings("references", context: context)
    let concepts = map.strings("concepts", context: context)
    for (concept, node) in concepts {
      record.uses.append(SymbolUse(kind: .concept, name: concept, position: reader.position(of: node)))
    }
    for (ref, node) in references {
      record.uses.append(SymbolUse(kind: .citation, name: ref, position: reader.position(of: node)))
    }

    let body: QuestionBody?
    switch type {
    case "truefalse":
      let answer = map.bool("answer", context: context)
      if answer == nil && !map.has("answer") {
        reader.error(node, "\(context) is missing 'answer' (true or false)")
      }
      body = answer.map {
        .trueFalse(
          answer: $0, feedbackTrue: map.string("feedback_true", context: context),
          feedbackFalse: map.string("feedback_false", context: context))
      }
    case "short":
      let answers = map.strings("answers", context: context).map(\.0).filter { !$0.isEmpty }
      if answers.isEmpty {
        reader.error(map.value("answers") ?? node, "\(context) needs 'answers': a list of accepted answers")
      }
      body = answers.isEmpty ? nil : .short(ShortAnswerKey(answers: answers, typos: typos(map, context: context)))
    case "numeric":
      body = parseNumeric(map, node: node, context: context)
    case "cloze":
      body = parseCloze(map, node: node, context: context)
    case "match":
      body = parseMatch(map, node: node, context: context)
    case "order":
      let items = map.strings("items", context: context)
      if items.count < 2 {
        reader.error(map.keyNode("items") ?? node, "\(context) needs at least two 'items' to put in order")
      }
      if items.count > 9 {
        reader.error(map.keyNode("items"), "\(context) has \(items.count) items; at most 9 are allowed")
      }
      if Set(items.map(\.0)).count != items.count {
        reader.error(map.keyNode("items"), "\(context) lists the same item twice")
      }
      body = items.count < 2 ? nil : .order(items.map(\.0))
    default:
      body = parseChoices(map, type: type, context: context)
    }

    let tags = parseTags(map, context: context)
    guard let id, let prompt, let body else { return nil }
    return Question(
      id: id, version: max(1, version), prompt: prompt, body: body,
      explanation: map.string("explanation", context: context) ?? "",
      hints: map.strings("hints", context: context).map(\.0),
      concepts: concepts.map(\.0),
      see: see, difficulty: difficulty, references: references.map(\.0), tags: tags,
      keepsChoiceOrder: map.bool("shuffle", context: context) == false)
  }

  /// `level`, `focus`, `vignette`, `study_number` and `allow`: how the item is written.
  private func parseTags(_ map: MappingReader, context: String) -> ItemTags {
    var tags = ItemTags()
    if let level = map.string("level", context: context) {
      tags.level = ItemTags.Level(rawValue: level)
      if tags.level == nil {
        reader.error(
          map.value("level"),
          "unknown level '\(level)' (known: \(ItemTags.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
    }
    if let focus = map.string("focus", context: context) {
      tags.focus = ItemTags.Focus(rawValue: focus)
      if tags.focus == nil {
        reader.error(
          map.value("focus"),
          "unknown focus '\(focus)' (known: \(ItemTags.Focus.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
    }
    tags.vignette = map.bool("vignette", context: context) ?? false
    tags.studyNumber = map.bool("study_number", context: context) ?? false
    for (name, node) in map.strings("allow", context: context) {
      if let allowance = ItemTags.Allowance(rawValue: name) {
        tags.allowances.insert(allowance)
      } else {
        reader.error(
          node,
          "unknown allowance '\(name)' (known: \(ItemTags.Allowance.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
    }
    return tags
  }

  private func typos(_ map: MappingReader, context: String) -> Int? {
    let value = map.int("typos", context: context)
    if let value, value < 0 { reader.error(map.value("typos"), "'typos' must be 0 or more") }
    return value.map { max(0, $0) }
  }

  private func number(_ node: Node, key: String) -> Double? {
    guard case .scalar(let scalar) = node, let value = Double(scalar.string.trimmed), value.isFinite else {
      reader.error(node, "'\(key)' must be a number")
      return nil
    }
    return value
  }

  private func parseNumeric(_ map: MappingReader, node: Node, context: String) -> QuestionBody? {
    let answer = map.value("answer").flatMap { number($0, key: "answer") }
    let tolerance = map.value("tolerance").flatMap { number($0, key: "tolerance") } ?? 0
    if tolerance < 0 { reader.error(map.value("tolerance"), "'tolerance' must not be negative") }
    var range: ClosedRange<Double>?
    if let rangeNode = map.value("range") {
      let bounds = (rangeNode.sequence.map(Array.init) ?? []).compactMap { number($0, key: "range") }
      if bounds.count == 2, bounds[0] <= bounds[1] {
        range = bounds[0]...bounds[1]
      } else {
        reader.error(rangeNode, "'range' must be two numbers, low then high, for example [1, 5]")
        return nil
      }
    }
    if answer == nil && range == nil {
      if !map.has("answer") { reader.error(node, "\(context) needs 'answer' (a number) or 'range' ([low, high])") }
      return nil
    }
    return .numeric(
      NumericKey(answer: answer, tolerance: max(0, tolerance), range: range, unit: map.string("unit", context: context))
    )
  }

  private func parseCloze(_ map: MappingReader, node: Node, context: String) -> QuestionBody? {
    guard let text = map.string("text", required: true, context: context), let textNode = map.value("text") else {
      return nil
    }
    var segments: [ClozeText.Segment] = []
    var source = text
    // The blanks are found on the bytes: a search for "{{" by Characters cost 16,000 instructions.
    let problem = source.withUTF8 { bytes -> String? in
      func find(_ pattern: StaticString, from start: Int) -> Range<Int>? {
        ByteSearch.firstRange(
          of: UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount),
          in: UnsafeBufferPointer(rebasing: bytes[start...])
        ).map { start + $0.lowerBound..<start + $0.upperBound }
      }
      func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
      }
      var rest = 0
      while let open = find("{{", from: rest) {
        if open.lowerBound > rest { segments.append(.text(string(rest..<open.lowerBound))) }
        guard let close = find("}}", from: open.upperBound) else {
          return "a '{{' blank in \(context) is not closed by '}}'"
        }
        let answers = string(open.upperBound..<close.lowerBound).split(separator: "|").map(\.trimmed).filter {
          !$0.isEmpty
        }
        if answers.isEmpty { return "an empty blank '{{}}' in \(context): write the accepted answers inside" }
        segments.append(.blank(answers))
        rest = close.upperBound
      }
      if rest < bytes.count { segments.append(.text(string(rest..<bytes.count))) }
      return nil
    }
    if let problem {
      reader.error(textNode, problem)
      return nil
    }
    let cloze = ClozeText(segments: segments, typos: typos(map, context: context))
    if cloze.blanks.isEmpty {
      reader.error(textNode, "\(context) has no blanks: mark each with {{answer}} or {{answer|synonym}}")
      return nil
    }
    return .cloze(cloze)
  }

  private func parseMatch(_ map: MappingReader, node: Node, context: String) -> QuestionBody? {
    var pairs: [MatchKey.Pair] = []
    var lefts: Set<String> = []  // sets, not searches of `pairs`: thousands of pairs stay linear
    var failed = false
    for pairNode in map.sequence("pairs", required: true, context: context) {
      guard let pair = reader.mapping(pairNode, context: "a pair") else {
        failed = true
        continue
      }
      pair.rejectUnknownKeys(["left", "right"], in: "a pair of \(context)")
      let left = pair.string("left", required: true, context: "a pair of \(context)")
      let right = pair.string("right", required: true, context: "a pair of \(context)")
      guard let left, let right else {
        failed = true
        continue
      }
      if !lefts.insert(left).inserted {
        reader.error(pair.value("left"), "\(context) pairs '\(left)' twice")
        failed = true
      }
      pairs.append(MatchKey.Pair(left: left, right: right))
    }
    if map.has("pairs") && pairs.count < 2 && !failed {
      reader.error(map.keyNode("pairs"), "\(context) needs at least two pairs")
      return nil
    }
    let distractors = map.strings("distractors", context: context)
    let rights = Set(pairs.map(\.right))
    for (item, itemNode) in distractors where rights.contains(item) {
      reader.error(itemNode, "distractor '\(item)' is also a right answer")
      failed = true
    }
    if pairs.count + distractors.count > 9 {
      reader.error(map.keyNode("pairs"), "\(context) has more than 9 right-hand items; at most 9 are allowed")
      failed = true
    }
    return failed || pairs.count < 2 ? nil : .match(MatchKey(pairs: pairs, distractors: distractors.map(\.0)))
  }

  private func parseChoices(_ map: MappingReader, type: String, context: String) -> QuestionBody? {
    let nodes = map.sequence("choices", required: true, context: context)
    var choices: [Choice] = []
    choices.reserveCapacity(nodes.count)
    var ids = KeySet(capacity: nodes.count)
    let letters = Self.choiceLetters
    for (index, choiceNode) in nodes.enumerated() {
      guard let choiceMap = reader.mapping(choiceNode, context: "a choice") else { continue }
      choiceMap.rejectUnknownKeys(["id", "text", "correct", "feedback"], in: "a choice of \(context)")
      guard let text = choiceMap.string("text", required: true, context: "a choice") else { continue }
      let id = choiceMap.string("id", context: "a choice") ?? letters[min(index, letters.count - 1)]
      if !ids.insert(id) {
        reader.error(choiceMap.value("id") ?? choiceNode, "two choices of \(context) have the id '\(id)'")
      }
      choices.append(
        Choice(
          id: id, text: text, isCorrect: choiceMap.bool("correct", context: "a choice") ?? false,
          feedback: choiceMap.string("feedback", context: "a choice")))
    }
    guard !nodes.isEmpty else { return nil }
    if choices.count < 2 {
      reader.error(map.keyNode("choices"), "\(context) needs at least two choices")
    }
    if choices.count > 9 {
      reader.error(map.keyNode("choices"), "\(context) has \(choices.count) choices; at most 9 are allowed")
    }
    let correct = choices.filter(\.isCorrect).count
    if type == "single" && correct != 1 {
      reader.error(
        map.keyNode("choices"),
        correct == 0
          ? "\(context) has no correct choice"
          : "single-answer \(context) has \(correct) correct choices (use type: multiple)")
    }
    if type == "multiple" && correct == 0 {
      reader.error(map.keyNode("choices"), "\(context) has no correct choice")
    }
    return type == "single" ? .single(choices) : .multiple(choices)
  }
}
