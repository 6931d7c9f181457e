import Foundation

/// Parses a quiz file.
struct QuizParser {
  let file: String
  let sink: DiagnosticSink

  func parse(_ text: [UInt8], record: inout ParseRecord) -> Quiz? {
    let reader = YAMLReader(file: file, lineOffset: 0, sink: sink)
    let document = reader.compose(utf8: text)
    if case .empty = document { sink.fileError(file, 1, 1, "the quiz file is empty") }
    guard let root = document.root, let map = reader.mapping(root, context: "a quiz file", stage: .reading) else {
      return nil
    }
    map.rejectUnknownKeys(
      ["id", "title", "description", "lesson", "shuffle", "confidence", "exam", "questions"], in: "a quiz")
    let id = map.string("id", required: true, context: "the quiz")
    if let id {
      if !Identifier.isValid(id) { reader.error(map.value("id"), "quiz id '\(id)' must be kebab-case") }
      record.definitions.append(Definition(kind: .quiz, id: id, position: reader.position(of: map.value("id"))))
    }
    let title = map.string("title", required: true, context: "the quiz")
    let lesson = map.string("lesson", context: "the quiz")
    if let lesson {
      record.uses.append(SymbolUse(kind: .lesson, name: lesson, position: reader.position(of: map.value("lesson"))))
    }
    var exam: ExamSettings?
    if let examNode = map.value("exam"), let examMap = reader.mapping(examNode, context: "'exam'") {
      examMap.rejectUnknownKeys(["time_limit", "feedback", "allow_back"], in: "'exam'")
      let limit = examMap.int("time_limit", context: "'exam'")
      if let limit, limit <= 0 {
        reader.error(examMap.value("time_limit"), "'time_limit' must be a positive number of seconds")
      }
      var feedback = ExamSettings.Feedback.end
      if let raw = examMap.string("feedback", context: "'exam'") {
        if let parsed = ExamSettings.Feedback(rawValue: raw) {
          feedback = parsed
        } else {
          reader.error(examMap.value("feedback"), "'feedback' must be 'end' or 'immediate'")
        }
      }
      exam = ExamSettings(
        timeLimitSeconds: limit, feedback: feedback,
        allowsGoingBack: examMap.bool("allow_back", context: "'exam'") ?? true)
    }
    let questionNodes = map.sequence("questions", required: true, context: "the quiz")
    if map.has("questions") && questionNodes.isEmpty {
      reader.error(map.value("questions"), "the quiz has no questions")
    }
    let parser = QuestionParser(reader: reader)
    let questions = questionNodes.compactMap { parser.parse($0, record: &record) }
    guard let id, let title else { return nil }
    return Quiz(
      id: id, title: title, lesson: lesson, shuffle: map.bool("shuffle", context: "the quiz") ?? false,
      exam: exam, asksConfidence: map.bool("confidence", context: "the quiz") ?? false, questions: questions, file: file
    )
  }
}

/// Parses `course.yaml` and `glossary.yaml`.
struct CourseInfoParser {
  let file: String
  let sink: DiagnosticSink

  /// The course's id, title and references; nil when the file cannot be read. A missing id or
  /// title is reported, and the rest (the references) is still returned.
  func parseInfo(_ text: [UInt8], record: inout ParseRecord) -> CourseInfo? {
    let reader = YAMLReader(file: file, lineOffset: 0, sink: sink)
    let document = reader.compose(utf8: text)
    if case .empty = document { sink.fileError(file, 1, 1, "course.yaml is empty: it needs at least id and title") }
    guard let root = document.root, let map = reader.mapping(root, context: "course.yaml", stage: .reading) else {
      return nil
    }
    map.rejectUnknownKeys(
      ["id", "title", "version", "description", "authors", "reviewed", "references"], in: "course.yaml")
    let id = map.string("id", required: true, context: "course.yaml")
    let title = map.string("title", required: true, context: "course.yaml")
    var references: [Reference] = []
    var seen: Set<String> = []
    for node in map.sequence("references", context: "course.yaml") {
      guard let ref = reader.mapping(node, context: "a reference") else { continue }
      ref.rejectUnknownKeys(["id", "authors", "year", "title", "journal", "doi", "url", "note"], in: "a reference")
      guard let refID = ref.string("id", required: true, context: "a reference") else { continue }
      if !seen.insert(refID).inserted { reader.error(ref.value("id"), "duplicate reference id '\(refID)'") }
      record.references.append((refID, reader.position(of: ref.value("id"))))
      let authors = ref.string("authors", context: "reference '\(refID)'") ?? ""
      let refTitle = ref.string("title", required: true, context: "reference '\(refID)'") ?? ""
      references.append(
        Reference(
          id: refID, authors: authors, year: ref.int("year", context: ""), title: refTitle,
          journal: ref.string("journal", context: "") ?? "", doi: ref.string("doi", context: ""),
          url: ref.string("url", context: "")))
    }
    return CourseInfo(
      id: id ?? "course", title: title ?? "Course", version: map.string("version", context: "") ?? "1",
      description: map.string("description", context: "") ?? "",
      authors: map.strings("authors", context: "").map(\.0), reviewed: map.string("reviewed", context: ""),
      references: references)
  }

  /// The glossary's terms; nil when the file cannot be read.
  func parseGlossary(_ text: [UInt8]) -> [GlossaryTerm]? {
    let reader = YAMLReader(file: file, lineOffset: 0, sink: sink)
    let document = reader.compose(utf8: text)
    if case .empty = document {
      sink.fileError(file, 1, 1, "glossary.yaml is empty: it needs 'terms', a list of terms with their definitions")
    }
    guard let root = document.root, let map = reader.mapping(root, context: "glossary.yaml", stage: .reading) else {
      return nil
    }
    map.rejectUnknownKeys(["terms"], in: "glossary.yaml")
    var terms: [GlossaryTerm] = []
    let nodes = map.sequence("terms", required: true, context: "glossary.yaml")
    // Room for each term and a few aliases, so that the set is not rebuilt as it grows.
    var names = Set<String>(minimumCapacity: nodes.count * 3)
    for node in nodes {
      guard let entry = reader.mapping(node, context: "a glossary entry") else { continue }
      entry.rejectUnknownKeys(["term", "aliases", "definition"], in: "a glossary entry")
      guard let term = entry.string("term", required: true, context: "a glossary entry") else { continue }
      let definition = entry.string("definition", required: true, context: "glossary term '\(term)'") ?? ""
      let aliases = entry.strings("aliases", context: "")
      for (name, nameNode) in [(term, entry.value("term")!)] + aliases {
        if !names.insert(name.lowercasedFast).inserted {
          reader.error(nameNode, "'\(name)' is defined twice in the glossary")
        }
      }
      terms.append(GlossaryTerm(term: term, aliases: aliases.map(\.0), definition: definition))
    }
    return terms
  }
}
