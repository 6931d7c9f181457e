/// Cross-file checks: duplicate ids, links that point nowhere, prerequisite cycles.
struct CourseValidator {
  let course: Course
  let record: ParseRecord
  let sink: DiagnosticSink

  func validate() {
    reportDuplicates()
    let questions = Set(record.definitions.filter { $0.kind == .question }.map(\.id))
    let lessons = Dictionary(course.lessons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let references = Set(course.info.references.map(\.id))
    let anchors = lessons.mapValues { Set($0.steps.map(\.anchor)) }
    var glossaryNames: Set<String> = []
    for term in course.glossary {
      glossaryNames.insert(term.term.lowercased())
      for alias in term.aliases { glossaryNames.insert(alias.lowercased()) }
    }

    for use in record.uses {
      let p = use.position
      switch use.kind {
      case .glossaryTerm:
        if !glossaryNames.contains(use.name.lowercased()) {
          sink.error(p.file, p.line, p.column, "unknown glossary term '\(use.name)' (add it to Lessons/glossary.yaml)")
        }
      case .citation:
        if !references.contains(use.name) {
          sink.error(p.file, p.line, p.column, "unknown reference '\(use.name)' (add it to the references of Lessons/course.yaml)")
        }
      case .question:
        if !questions.contains(use.name) {
          sink.error(p.file, p.line, p.column, "the checkpoint names question '\(use.name)', which no quiz defines")
        }
      case .lesson, .prerequisite:
        if lessons[use.name] == nil {
          sink.error(p.file, p.line, p.column, "no lesson has the id '\(use.name)'")
        }
      case .see:
        let parts = use.name.split(separator: "#", maxSplits: 1).map(String.init)
        guard let lesson = lessons[parts.first ?? ""] else {
          sink.error(p.file, p.line, p.column, "'see: \(use.name)' points to no lesson")
          continue
        }
        if parts.count == 2, anchors[lesson.id]?.contains(parts[1]) != true {
          sink.error(p.file, p.line, p.column, "'see: \(use.name)': lesson '\(lesson.id)' has no step '#\(parts[1])'")
        }
      }
    }
    reportPrerequisiteCycles()
  }

  private func reportDuplicates() {
    var first: [String: Definition] = [:]
    for definition in record.definitions {
      let key = "\(definition.kind.rawValue):\(definition.id)"
      if let earlier = first[key] {
        let p = definition.position
        sink.error(
          p.file, p.line, p.column,
          "duplicate \(definition.kind.rawValue) id '\(definition.id)' (first defined at \(earlier.position.file):\(earlier.position.line))")
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
          sink.error(lesson.file, 2, 1, "prerequisite cycle: \(cycle.joined(separator: " → "))")
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
