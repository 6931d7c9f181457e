import Foundation

/// A whole course: its description, lessons, quizzes and glossary.
public struct Course: Equatable, Sendable {
  public var info: CourseInfo
  public var lessons: [Lesson]
  public var quizzes: [Quiz]
  public var glossary: [GlossaryTerm]

  public init(info: CourseInfo, lessons: [Lesson], quizzes: [Quiz], glossary: [GlossaryTerm]) {
    self.info = info
    self.lessons = lessons.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    // Quizzes follow their lessons' order; those of no lesson (a final exam) come last.
    let order = Dictionary(lessons.map { ($0.id, $0.order) }, uniquingKeysWith: { a, _ in a })
    self.quizzes = quizzes.sorted {
      (order[$0.lesson ?? ""] ?? Int.max, $0.id) < (order[$1.lesson ?? ""] ?? Int.max, $1.id)
    }
    self.glossary = glossary
  }

  public func lesson(id: String) -> Lesson? { lessons.first { $0.id == id } }

  /// A concept's readable name, from the lesson that declares it; the id when none has one.
  public func conceptName(_ id: String) -> String {
    for lesson in lessons { if let name = lesson.conceptNames[id] { return name } }
    return id
  }
  public func quiz(id: String) -> Quiz? { quizzes.first { $0.id == id } }

  /// Every question of the course by id: quiz questions and inline checkpoints.
  public var questionsByID: [String: Question] {
    var result: [String: Question] = [:]
    result.reserveCapacity(quizzes.reduce(0) { $0 + $1.questions.count } + lessons.count * 4)
    for quiz in quizzes { for q in quiz.questions { result[q.id] = q } }
    for lesson in lessons {
      for case .check(let check) in lesson.steps.flatMap(\.blocks) {
        if case .inline(let q) = check.source { result[q.id] = q }
      }
    }
    return result
  }

}

/// The course's own description (`Lessons/course.yaml`).
public struct CourseInfo: Equatable, Sendable {
  public var id: String
  public var title: String
  public var version: String
  public var description: String
  public var authors: [String]
  public var reviewed: String?
  public var references: [Reference]

  public init(
    id: String, title: String, version: String = "1", description: String = "",
    authors: [String] = [], reviewed: String? = nil, references: [Reference] = []
  ) {
    self.id = id
    self.title = title
    self.version = version
    self.description = description
    self.authors = authors
    self.reviewed = reviewed
    self.references = references
  }
}

/// A published source that lessons and questions cite by `id`.
public struct Reference: Equatable, Sendable {
  public var id: String
  public var authors: String
  public var year: Int?
  public var title: String
  public var journal: String
  public var doi: String?
  public var url: String?

  public init(
    id: String, authors: String, year: Int?, title: String, journal: String,
    doi: String? = nil, url: String? = nil
  ) {
    self.id = id
    self.authors = authors
    self.year = year
    self.title = title
    self.journal = journal
    self.doi = doi
    self.url = url
  }

  /// The surname of "Kwan P", "van Vliet EA" or "de Lanerolle NC": a lowercase particle stays
  /// with the name after it; a name without initials ("CPIC", "Epilepsy Foundation") is kept whole.
  static func surname(_ author: String) -> String {
    var words = author.split(separator: " ").map(String.init)
    if words.count > 2, words[words.count - 2].lowercased() == "et", words[words.count - 1].lowercased().hasPrefix("al")
    {
      words.removeLast(2)
      return surname(words.joined(separator: " "))
    }
    // "Engel J Jr": a generational suffix follows the initials.
    if words.count > 2, ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"].contains(words[words.count - 1].lowercased()) {
      words.removeLast()
      return surname(words.joined(separator: " "))
    }
    guard let last = words.last, words.count > 1 else { return author }
    let hasInitials = last.count <= 3 && last.allSatisfy { $0.isUppercase || $0 == "." || $0 == "-" }
    guard hasInitials else { return author }
    var name: [String] = []
    for word in words.dropLast() {
      name.append(word)
      if let first = word.first, first.isUppercase { break }
    }
    return name.joined(separator: " ")
  }

  /// "Kwan et al. 2010", "Kwan & Brodie 2000" or "Brodie 2017": surnames only.
  /// "Authors (year). Title. Journal": the reference in full, as the notes and the reference list show it.
  public var fullText: String {
    var text = authors.isEmpty ? "" : authors + " "
    text += year.map { "(\($0)). " } ?? ""
    return text + title + (journal.isEmpty ? "" : ". " + journal)
  }

  public var shortCitation: String {
    let parts = authors.split(separator: ",").map { $0.trimmed }
    let named = parts.filter { !$0.lowercased().hasPrefix("et al") }
    let surnames = named.map(Self.surname)
    let hasEtAl = authors.lowercased().contains("et al")
    var text: String
    switch (surnames.count, hasEtAl) {
    case (0, _):
      // No authors known: the opening words of the title stand in.
      let words = title.split(separator: " ").prefix(3).joined(separator: " ")
      text = words.isEmpty ? id : words + "…"
    case (1, false): text = surnames[0]
    case (2, false): text = "\(surnames[0]) & \(surnames[1])"
    default: text = "\(surnames[0]) et al."
    }
    return text + (year.map { " \($0)" } ?? "")
  }
}

/// One glossary entry (`Lessons/glossary.yaml`).
public struct GlossaryTerm: Equatable, Sendable {
  public var term: String
  public var aliases: [String]
  public var definition: String
  public init(term: String, aliases: [String] = [], definition: String) {
    self.term = term
    self.aliases = aliases
    self.definition = definition
  }
}
