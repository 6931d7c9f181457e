import Foundation
import Plot
import TutorCore

/// `tutor report --html FILE`: one self-contained page (inline CSS and SVG, nothing from the
/// network) that opens in any browser and prints cleanly: the students' table, each quiz's
/// scores, mastery per concept across the class, the most-missed questions and misconceptions.
enum ReportPage {
  typealias BodyNode = Node<HTML.BodyContext>

  static func html(_ report: CohortReport, generatedAt: String) -> String {
    let students = report.students.count
    let page = HTML(
      .lang(.english),
      .head(
        .meta(.charset(.utf8)),
        .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
        .title("Class report: \(report.courseTitle)"),
        .element(named: "style", nodes: [.raw(css)])
      ),
      .body(
        .h1("Class report: \(report.courseTitle)"),
        .p(
          .class("meta"),
          .text("\(students) student\(students == 1 ? "" : "s") · made \(generatedAt) by tutor \(Tutor.version)")),
        .h2("Students"),
        studentsTable(report),
        .h2("Scores per quiz"),
        .p(.class("note"), .text("Each dot is a student's best score; the bar marks the median.")),
        scoresChart(report),
        .h2("Mastery per concept across the class"),
        .p(
          .class("note"),
          .text(
            "Mastery: recent accuracy times FSRS's predicted recall. The bar is the class's mean for the students who "
              + "answered the concept; the line runs from the lowest to the highest. Weakest first.")),
        masteryChart(report),
        .h2("Most-missed questions"),
        missedChart(report),
        .h2("Most common misconceptions"),
        misconceptionsTable(report)
      )
    )
    return page.render(indentedBy: .spaces(1))
  }

  static let css = """
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1b1b;
      margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
    h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
    h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
    .meta, .note { color: #555; margin-top: 0; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
    th { background: #f3f3f3; }
    td.n, th.n { text-align: right; }
    svg { display: block; width: 100%; height: auto; }
    svg text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #1b1b1b; }
    .axis { stroke: #bbb; stroke-width: 1; }
    .dot { fill: #2b6cb0; fill-opacity: 0.75; }
    .median { stroke: #c05621; stroke-width: 3; }
    .bar { fill: #2b6cb0; }
    .weak { fill: #c53030; }
    .range { stroke: #1b1b1b; stroke-width: 1.5; }
    .missed { fill: #c05621; }
    @media print {
      body { margin: 0; max-width: none; font-size: 11pt; }
      h2 { break-after: avoid; }
      svg, table { break-inside: avoid; }
      .dot, .bar, .weak, .missed { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
    }
    """

  static func studentsTable(_ report: CohortReport) -> BodyNode {
    let head = ["Student", "Lessons", "Quizzes", "Mean best", "Mastered", "Weak", "Due", "Answers", "Last studied"]
    return .table(
      .tr(
        .forEach(head.enumerated()) { index, title in .th(.class(index == 0 || index == 8 ? "" : "n"), .text(title)) }),
      .forEach(report.students) { student in
        let cells = [
          "\(student.lessonsCompleted)/\(student.report.lessons.count)",
          "\(student.quizzesTaken)/\(student.report.quizzes.count)", student.meanBest.map { "\($0)%" } ?? "–",
          "\(student.count(.mastered))", "\(student.count(.weak))", "\(student.report.review.due.count)",
          "\(student.report.answered)",
        ]
        return .tr(
          .td(.text(student.name)), .forEach(cells) { .td(.class("n"), .text($0)) },
          .td(.text(student.lastStudied?.description ?? "never")))
      }
    )
  }

  /// An SVG element with its attributes and children.
  static func svg(_ name: String, _ attributes: [(String, String)], _ children: [BodyNode] = []) -> BodyNode {
    .element(named: name, nodes: attributes.map { BodyNode.attribute(named: $0.0, value: $0.1) } + children)
  }

  static func label(_ text: String, x: Double, y: Double, anchor: String = "start") -> BodyNode {
    svg("text", [("x", format(x)), ("y", format(y)), ("text-anchor", anchor)], [.text(text)])
  }

  static func format(_ value: Double) -> String { String(format: "%.1f", value) }

  static func clipped(_ text: String, _ length: Int) -> String {
    text.count > length ? String(text.prefix(length - 1)) + "…" : text
  }

  /// Rows of a horizontal chart over 0 to 100 %: a label at the left, a plot area, a title for
  /// screen readers.
  static func chart(title: String, rows: Int, rowHeight: Double = 24, _ content: (Double, Double, Double) -> [BodyNode])
    -> BodyNode
  {
    let width = 760.0
    let left = 300.0
    let plot = width - left - 90
    let height = Double(rows) * rowHeight + 34
    var nodes: [BodyNode] = [svg("title", [], [.text(title)])]
    for tick in stride(from: 0, through: 100, by: 25) {
      let x = left + plot * Double(tick) / 100
      nodes.append(
        svg(
          "line", [("class", "axis"), ("x1", format(x)), ("x2", format(x)), ("y1", "4"), ("y2", format(height - 24))]))
      nodes.append(label("\(tick)%", x: x, y: height - 8, anchor: "middle"))
    }
    nodes += content(left, plot, rowHeight)
    return svg(
      "svg",
      [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img")],
      nodes)
  }

  static func scoresChart(_ report: CohortReport) -> BodyNode {
    chart(title: "Best score of each student, per quiz", rows: report.quizzes.count) { left, plot, row in
      var nodes: [BodyNode] = []
      for (index, quiz) in report.quizzes.enumerated() {
        let y = Double(index) * row + 16
        nodes.append(label(clipped(quiz.title, 40), x: left - 8, y: y + 4, anchor: "end"))
        if quiz.taken.isEmpty { nodes.append(label("not taken", x: left + 4, y: y + 4)) }
        for (student, best) in zip(report.students, quiz.best) {
          guard let score = best else { continue }
          nodes.append(
            svg(
              "circle",
              [("class", "dot"), ("cx", format(left + plot * Double(score) / 100)), ("cy", format(y)), ("r", "5")],
              [svg("title", [], [.text("\(student.name): \(score)%")])]))
        }
        if let median = quiz.median {
          let x = left + plot * Double(median) / 100
          nodes.append(
            svg(
              "line",
              [("class", "median"), ("x1", format(x)), ("x2", format(x)), ("y1", format(y - 8)), ("y2", format(y + 8))])
          )
        }
      }
      return nodes
    }
  }

  static func masteryChart(_ report: CohortReport) -> BodyNode {
    let concepts = Array(report.concepts.prefix(25))
    guard !concepts.isEmpty else { return .p(.class("note"), .text("No concept has been answered yet.")) }
    return chart(title: "Mean mastery per concept, weakest first", rows: concepts.count) { left, plot, row in
      var nodes: [BodyNode] = []
      for (index, concept) in concepts.enumerated() {
        let y = Double(index) * row + 6
        nodes.append(label(clipped(concept.name, 40), x: left - 8, y: y + 14, anchor: "end"))
        nodes.append(
          svg(
            "rect",
            [
              ("class", concept.mean < Int(ProgressReport.weakShare * 100) ? "weak" : "bar"), ("x", format(left)),
              ("y", format(y + 2)), ("width", format(plot * Double(concept.mean) / 100)), ("height", format(row - 8)),
            ]))
        if let low = concept.answered.min(), let high = concept.answered.max(), high > low {
          nodes.append(
            svg(
              "line",
              [
                ("class", "range"), ("x1", format(left + plot * Double(low) / 100)),
                ("x2", format(left + plot * Double(high) / 100)), ("y1", format(y + row / 2 - 2)),
                ("y2", format(y + row / 2 - 2)),
              ]))
        }
        nodes.append(label("\(concept.mean)%", x: left + plot + 6, y: y + 14))
      }
      return nodes
    }
  }

  static func missedChart(_ report: CohortReport) -> BodyNode {
    let missed = Array(report.missed.prefix(10))
    guard !missed.isEmpty else { return .p(.class("note"), .text("No question has been answered wrong yet.")) }
    return chart(title: "Share of wrong answers, most-missed questions", rows: missed.count) { left, plot, row in
      var nodes: [BodyNode] = []
      for (index, question) in missed.enumerated() {
        let y = Double(index) * row + 6
        nodes.append(label(clipped(question.prompt, 40), x: left - 8, y: y + 14, anchor: "end"))
        nodes.append(
          svg(
            "rect",
            [
              ("class", "missed"), ("x", format(left)), ("y", format(y + 2)), ("width", format(plot * question.share)),
              ("height", format(row - 8)),
            ]))
        nodes.append(
          label("\(Int((question.share * 100).rounded()))% of \(question.answers)", x: left + plot + 6, y: y + 14))
      }
      return nodes
    }
  }

  static func misconceptionsTable(_ report: CohortReport) -> BodyNode {
    guard !report.misconceptions.isEmpty else {
      return .p(.class("note"), .text("No wrong option has been picked yet."))
    }
    return .table(
      .tr(
        .th(.class("n"), "Students"), .th(.class("n"), "Times"), .th("Option picked"), .th("Question"),
        .th("What is wrong")),
      .forEach(report.misconceptions.prefix(12)) { item in
        .tr(
          .td(.class("n"), .text("\(item.students)")), .td(.class("n"), .text("\(item.times)")),
          .td(.text(item.choice)),
          .td(.text(item.prompt)), .td(.text(item.feedback)))
      }
    )
  }
}
