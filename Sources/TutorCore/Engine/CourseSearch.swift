/// Finds where the course speaks of something: lesson steps, glossary terms, question prompts.
/// Matching ignores case, accents, spaces and punctuation (as answers are matched); every word
/// of the query must occur.
public struct CourseSearch: Equatable, Sendable {
  public struct Hit: Equatable, Sendable {
    public enum Target: Equatable, Sendable {
      /// A lesson step, as a `see:` link (`lesson#anchor`).
      case step(see: String)
      case term(String)
    }
    public var target: Target
    /// What was found: "Glossary: KCC2", "Lesson 2 › Six ways to explain failure", "Question: …".
    public var title: String
    public var excerpt: String
  }

  private struct Entry: Equatable, Sendable {
    var hit: Hit
    var lines: [String]
    var folded: [String]
  }

  private let entries: [Entry]

  /// Indexes the course once; each search is then a scan of folded text.
  public init(_ course: Course) {
    var entries: [Entry] = []
    func add(_ target: Hit.Target, _ title: String, _ lines: [String]) {
      let kept = lines.map(\.trimmed).filter { !$0.isEmpty }
      entries.append(
        Entry(hit: Hit(target: target, title: title, excerpt: ""), lines: kept, folded: kept.map(AnswerMatcher.fold)))
    }
    for term in course.glossary {
      add(
        .term(term.term), "Glossary: " + term.term,
        [([term.term] + term.aliases).joined(separator: ", "), term.definition])
    }
    for lesson in course.lessons {
      for step in lesson.steps {
        let lines = step.blocks.flatMap { PlainText.blockLines($0, course: course, width: 10_000) }
        add(.step(see: "\(lesson.id)#\(step.anchor)"), "Lesson \(lesson.order) › \(step.title)", [step.title] + lines)
      }
    }
    for quiz in course.quizzes {
      for question in quiz.questions {
        guard let see = question.see else { continue }
        add(.step(see: see), "Question: " + question.prompt, [question.prompt])
      }
    }
    self.entries = entries
  }

  /// The places that speak of every word of `query`, glossary first, then lessons, then questions;
  /// each with the line that matched first.
  public func search(_ query: String, limit: Int = 50) -> [Hit] {
    let words = query.split(whereSeparator: \.isWhitespace).map { AnswerMatcher.fold(String($0)) }.filter {
      !$0.isEmpty
    }
    guard !words.isEmpty else { return [] }
    var hits: [Hit] = []
    for entry in entries {
      let whole = entry.folded.joined(separator: " ")
      guard words.allSatisfy(whole.contains) else { continue }
      var hit = entry.hit
      let line = entry.folded.firstIndex { line in words.contains(where: line.contains) } ?? 0
      hit.excerpt = entry.lines.indices.contains(line) ? entry.lines[line] : ""
      hits.append(hit)
      if hits.count == limit { break }
    }
    return hits
  }
}
