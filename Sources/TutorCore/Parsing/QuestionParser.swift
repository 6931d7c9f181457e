import Yams

/// Parses one question (in a quiz or an inline checkpoint).
struct QuestionParser {
  let reader: YAMLReader

  static let supportedTypes = ["single", "multiple", "truefalse"]
  static let plannedTypes = ["short", "numeric", "cloze", "match", "order"]
  static let commonKeys: Set<String> = [
    "id", "version", "type", "prompt", "explanation", "hints", "concepts", "see",
    "difficulty", "references",
  ]
  static let keysByType: [String: Set<String>] = [
    "single": ["choices"],
    "multiple": ["choices"],
    "truefalse": ["answer", "feedback_true", "feedback_false"],
  ]

  func parse(_ node: Node, record: inout ParseRecord) -> Question? {
    guard let map = reader.mapping(node, context: "a question") else { return nil }
    let id = map.string("id", required: true, context: "the question")
    let context = "question '\(id ?? "?")'"
    if let id, !Identifier.isValid(id) {
      reader.error(map.value("id"), "question id '\(id)' must be kebab-case (a-z, 0-9, hyphens)")
    }
    guard let type = map.string("type", required: true, context: context) else { return nil }
    if Self.plannedTypes.contains(type) {
      reader.error(map.value("type"), "question type '\(type)' is not supported yet (supported: \(Self.supportedTypes.joined(separator: ", ")))")
      return nil
    }
    guard let typeKeys = Self.keysByType[type] else {
      reader.error(map.value("type"), "unknown question type '\(type)' (supported: \(Self.supportedTypes.joined(separator: ", ")))")
      return nil
    }
    map.rejectUnknownKeys(Self.commonKeys.union(typeKeys), in: context)
    let prompt = map.string("prompt", required: true, context: context)
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
    default:
      body = parseChoices(map, type: type, context: context)
    }

    guard let id, let prompt, let body else { return nil }
    if let idNode = map.value("id") {
      record.definitions.append(Definition(kind: .question, id: id, position: reader.position(of: idNode)))
    }
    return Question(
      id: id, version: max(1, version), prompt: prompt, body: body,
      explanation: map.string("explanation", context: context) ?? "",
      hints: map.strings("hints", context: context).map(\.0),
      concepts: map.strings("concepts", context: context).map(\.0),
      see: see, difficulty: difficulty, references: references.map(\.0))
  }

  private func parseChoices(_ map: MappingReader, type: String, context: String) -> QuestionBody? {
    let nodes = map.sequence("choices", required: true, context: context)
    var choices: [Choice] = []
    var ids: Set<String> = []
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    for (index, choiceNode) in nodes.enumerated() {
      guard let choiceMap = reader.mapping(choiceNode, context: "a choice") else { continue }
      choiceMap.rejectUnknownKeys(["id", "text", "correct", "feedback"], in: "a choice of \(context)")
      guard let text = choiceMap.string("text", required: true, context: "a choice") else { continue }
      let id = choiceMap.string("id", context: "a choice") ?? String(letters[min(index, letters.count - 1)])
      if !ids.insert(id).inserted {
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
        correct == 0 ? "\(context) has no correct choice" : "single-answer \(context) has \(correct) correct choices (use type: multiple)")
    }
    if type == "multiple" && correct == 0 {
      reader.error(map.keyNode("choices"), "\(context) has no correct choice")
    }
    return type == "single" ? .single(choices) : .multiple(choices)
  }
}
