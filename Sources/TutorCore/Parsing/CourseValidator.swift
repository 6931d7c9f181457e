import Foundation

/// Files that could not be read. A name that would be defined in one of them is not checked:
/// each error would only repeat the file's own, and bury it.
struct UnreadFiles {
  /// Lessons/course.yaml, missing or unreadable: citations are not checked.
  var courseFile: String?
  /// Lessons/glossary.yaml: glossary links are not checked.
  var glossary: String?
  /// Links to lessons are not checked, nor checkpoint questions (a lesson may define them).
  var lessons: [String] = []
  /// Checkpoint questions are not checked.
  var quizzes: [String] = []

  mutating func add(_ path: String, kind: CourseFileKind?) {
    switch kind {
    case .course: courseFile = path
    case .glossary: glossary = path
    case .lesson: lessons.append(path)
    case .quiz: quizzes.append(path)
    case nil: break
    }
  }

  /// The unread files that could define a name of this kind.
  func files(defining kind: SymbolUse.Kind) -> [String] {
    switch kind {
    case .glossaryTerm: return glossary.map { [$0] } ?? []
    case .citation: return courseFile.map { [$0] } ?? []
    case .question: return lessons + quizzes
    case .lesson, .prerequisite, .see, .concept: return lessons
    }
  }
}

/// Cross-file checks: duplicate ids, links that point nowhere, prerequisite cycles.
struct CourseValidator {
  let course: Course
  let record: CourseRecord
  var unread = UnreadFiles()
  let sink: DiagnosticSink

  func validate() {
    // Two halves side by side (the checks across files wait for every file, and ran on one core
    // while the other idled): duplicates, the glossary's links and prerequisite cycles; the other
    // links. Each reports to a sink of its own; they are merged in that order.
    let (course, record, unread) = (course, record, unread)
    let halves = ResultSlots<(sink: DiagnosticSink, unchecked: Unchecked)>(count: 2)
    DispatchQueue.concurrentPerform(iterations: 2) { half in
      let part = CourseValidator(course: course, record: record, unread: unread, sink: DiagnosticSink())
      halves[half] = (part.sink, half == 0 ? part.checkDefinitionsAndGlossary() : part.checkOtherLinks())
    }
    var unchecked = Unchecked()
    for half in halves.values {
      sink.absorb(half.sink)
      unchecked.count += half.unchecked.count
      unchecked.files.formUnion(half.unchecked.files)
    }
    if let first = unchecked.files.min() {
      sink.note(
        first,
        unchecked.count == 1
          ? "1 link into files that could not be read (see above) was not checked; it is checked once those files can be read"
          : "\(unchecked.count) links into files that could not be read (see above) were not checked; they are checked once those files can be read"
      )
    }
  }

  /// Links into files that could not be read: how many, and those files.
  struct Unchecked {
    var count = 0
    var files: Set<String> = []
  }

  /// A link that points nowhere: an error, unless a file that could define its name was unread.
  private func unresolved(_ use: SymbolUse, _ message: String, _ unchecked: inout Unchecked) {
    let blamed = unread.files(defining: use.kind)
    if blamed.isEmpty {
      sink.error(use.position.file, use.position.line, use.position.column, message, stage: .linking)
    } else {
      unchecked.count += 1
      unchecked.files.formUnion(blamed)
    }
  }

  /// Duplicate ids, links to glossary terms, prerequisite cycles.
  private func checkDefinitionsAndGlossary() -> Unchecked {
    reportDuplicates()
    var glossaryNames = Set<String>(minimumCapacity: course.glossary.count * 2)
    for term in course.glossary {
      glossaryNames.insert(term.term.lowercasedFast)
      for alias in term.aliases { glossaryNames.insert(alias.lowercasedFast) }
    }
    var unchecked = Unchecked()
    for uses in record.usesByFile {
      for use in uses where use.kind == .glossaryTerm && !glossaryNames.contains(use.name.lowercasedFast) {
        unresolved(use, "unknown glossary term '\(use.name)' (add it to Lessons/glossary.yaml)", &unchecked)
      }
    }
    reportPrerequisiteCycles()
    return unchecked
  }

  /// Every other link: citations, checkpoint questions, concepts, lessons and `see:`.
  private func checkOtherLinks() -> Unchecked {
    let questions = Set(record.definitions.filter { $0.kind == .question }.map(\.id))
    let lessons = Dictionary(course.lessons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    // A lesson with errors defines its id all the same: links to it are not errors of their own.
    let lessonIDs = Set(record.definitions.filter { $0.kind == .lesson }.map(\.id))
    let references = Set(course.info.references.map(\.id))
    let anchors = lessons.mapValues { Set($0.steps.map(\.anchor)) }
    let concepts = Set(course.lessons.flatMap(\.concepts))
    var unchecked = Unchecked()

    for uses in record.usesByFile {
      for use in uses {
        let p = use.position
        switch use.kind {
        case .glossaryTerm:
          continue  // the other half's
        case .citation:
          if !references.contains(use.name) {
            unresolved(
              use, "unknown reference '\(use.name)' (add it to the references of Lessons/course.yaml)", &unchecked)
          }
        case .question:
          if !questions.contains(use.name) {
            unresolved(use, "the checkpoint names question '\(use.name)', which no quiz defines", &unchecked)
          }
        case .concept:
          // Only a warning: a course without lesson concepts still runs; names show in progress.
          if !concepts.contains(use.name) {
            sink.warning(
              p.file, p.line, p.column,
              "concept '\(use.name)' is not declared in any lesson's concepts: (declare it there with a readable name)")
          }
        case .lesson, .prerequisite:
          if !lessonIDs.contains(use.name) {
            unresolved(use, "no lesson has the id '\(use.name)'", &unchecked)
          }
        case .see:
          // Split at the first '#' on the bytes (a Character split walks grapheme clusters).
          let hash = use.name.byteRange(of: "#")
          let parts =
            hash.map { [String(use.name[..<$0.lowerBound]), String(use.name[$0.upperBound...])] }?
            .filter { !$0.isEmpty } ?? [use.name]
          let id = parts.first ?? ""
          guard let lesson = lessons[id] else {
            if !lessonIDs.contains(id) { unresolved(use, "'see: \(use.name)' points to no lesson", &unchecked) }
            continue  // a lesson with errors: its steps are checked once it has none
          }
          if parts.count == 2, anchors[lesson.id]?.contains(parts[1]) != true {
            sink.error(
              p.file, p.line, p.column, "'see: \(use.name)': lesson '\(lesson.id)' has no step '#\(parts[1])'",
              stage: .linking)
          }
        }
      }
    }
    return unchecked
  }

  private func reportDuplicates() {
    struct Key: Hashable {
      let kind: Definition.Kind
      let id: String
    }
    var first = [Key: Definition](minimumCapacity: record.definitions.count)
    for definition in record.definitions {
      let key = Key(kind: definition.kind, id: definition.id)
      if let earlier = first[key] {
        let p = definition.position
        sink.error(
          p.file, p.line, p.column,
          "duplicate \(definition.kind.rawValue) id '\(definition.id)' (first defined at \(earlier.position.file):\(earlier.position.line))",
          stage: .linking)
      } else {
        first[key] = definition
      }
    }
  }

  private func reportPrerequisiteCycles() {
    let byID = Dictionary(course.lessons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    var reported: Set<String> = []
    var path: [String] = []  // the lessons being visited, outermost first

    func visit(_ id: String) {
      if state[id] == 2 { return }
      if state[id] == 1 {
        let cycle = path[(path.firstIndex(of: id) ?? 0)...] + [id]
        let lesson = byID[id]
        if reported.insert(Set(cycle).sorted().joined(separator: ",")).inserted, let lesson {
          sink.error(lesson.file, 2, 1, "prerequisite cycle: \(cycle.joined(separator: " → "))", stage: .linking)
        }
        return
      }
      state[id] = 1
      path.append(id)
      for next in byID[id]?.prerequisites ?? [] where byID[next] != nil {
        visit(next)
      }
      path.removeLast()
      state[id] = 2
    }
    for lesson in course.lessons { visit(lesson.id) }
  }
}
