import Foundation
import TutorCore

/// A small course in memory, for tests that need valid content.
public enum Fixtures {
  public static let courseYAML = """
    id: test-course
    title: Test course
    references:
      - id: kwan-2010
        authors: Kwan P, Arzimanoglou A, Berg AT
        year: 2010
        title: Definition of drug resistant epilepsy
        journal: Epilepsia
    """

  public static let glossaryYAML = """
    terms:
      - term: KCC2
        aliases: [potassium-chloride cotransporter]
        definition: Exports chloride from neurons.
      - term: ASM
        definition: Anti-seizure medication.
    """

  public static let lesson = """
    ---
    id: basics
    title: Basics
    order: 1
    references: [kwan-2010]
    ---

    # First step {#first}

    Text with **bold [[KCC2]]**, *italic*, `code` and a citation [@kwan-2010].
    Second line of the same paragraph.

    - one item
      continued
    - two

    > [!key] Remember this.

    # Second step {#second}

    ```diagram
    A --> B
    ```

    ```chain
    title: A chain
    predict: true
    steps:
      - first link
      - second link
      - third link
    distractors: [wrong link]
    ```

    ```check
    question: q-single
    ```

    ```check
    id: inline-tf
    type: truefalse
    prompt: Inline question.
    answer: true
    hints: [Look at the first step.]
    ```
    """

  public static let quiz = """
    id: basics-quiz
    title: Basics quiz
    lesson: basics
    questions:
      - id: q-single
        type: single
        prompt: Pick a.
        shuffle: false
        choices:
          - text: A
            correct: true
          - text: B
            feedback: Not B.
        see: basics#first
      - id: q-multiple
        type: multiple
        prompt: Pick a and c.
        shuffle: false
        choices:
          - { text: A, correct: true }
          - { text: B }
          - { text: C, correct: true }
      - id: q-tf
        type: truefalse
        prompt: True?
        answer: false
        feedback_true: No.
    """

  /// One question of every typed kind (short, numeric, cloze, match, order).
  public static let typesQuiz = """
    id: types-quiz
    title: Every type
    lesson: basics
    questions:
      - id: t-short
        type: short
        prompt: Which gene encodes P-glycoprotein?
        answers: [ABCB1, MDR1]
        hints: [It starts with ABC., It ends with B1.]
        see: basics#second
      - id: t-short-long
        type: short
        prompt: Name the efflux transporter.
        answers: [P-glycoprotein, P-gp]
        typos: 2
      - id: t-numeric
        type: numeric
        prompt: How many times the longest interval?
        answer: 3
        unit: times
      - id: t-range
        type: numeric
        prompt: A number from one to five.
        range: [1, 5]
      - id: t-tolerance
        type: numeric
        prompt: About ten.
        answer: 10
        tolerance: 0.5
      - id: t-cloze
        type: cloze
        text: "P-glycoprotein is encoded by {{ABCB1|MDR1}} and pumps drugs back into the {{blood}}."
      - id: t-match
        type: match
        prompt: Match each drug to its main target.
        pairs:
          - { left: Everolimus, right: mTORC1 }
          - { left: Stiripentol, right: GABA-A receptor }
        distractors: [KCC2]
      - id: t-order
        type: order
        prompt: Put the steps in order.
        items:
          - Hilar mossy cells die
          - Granule cell axons sprout
          - Granule cells excite one another
      - id: t-alpha
        type: short
        prompt: Which subunit?
        answers: [α1]
    """

  /// A prediction chain whose links have their own wrong next links, each with why.
  public static let barrierChain = """
    ```chain
    title: Barrier chain
    predict: true
    steps:
      - Seizures release glutamate
      - link: Glutamate acts on NMDA receptors of capillary cells
        not:
          - text: Glutamate blocks sodium channels
            why: That is the target hypothesis; this chain runs through the barrier.
          - text: Glutamate is pumped into the blood
            why: Uptake clears glutamate but does not signal to the transporter.
      - link: COX-2 is induced
        not:
          - { text: P-gp falls, why: "The direction is wrong: the pumps rise." }
      - More P-gp pumps the drug back into the blood
    distractors:
      - text: Drug binding falls in the neurons
        why: That would be a target change, not a barrier one.
      - The liver clears the drug faster
    ```
    """

  /// The fixture lesson with its diagram replaced by `block`.
  public static func lesson(replacingDiagramWith block: String) -> String {
    lesson.replacingOccurrences(of: "```diagram\nA --> B\n```", with: block)
  }

  public static func files(
    course: String = courseYAML, glossary: String = glossaryYAML, lesson: String = lesson, quiz: String = quiz,
    typesQuiz: String? = nil
  ) -> [SourceFile] {
    var files = [
      SourceFile(path: "Lessons/course.yaml", text: course),
      SourceFile(path: "Lessons/glossary.yaml", text: glossary),
      SourceFile(path: "Lessons/01-basics.md", text: lesson),
      SourceFile(path: "Quizzes/basics.yaml", text: quiz),
    ]
    if let typesQuiz { files.append(SourceFile(path: "Quizzes/types.yaml", text: typesQuiz)) }
    return files
  }

  /// The fixture course with the every-type quiz.
  public static var courseWithTypes: Course { CourseLoader.load(files(typesQuiz: typesQuiz)).course! }

  public static var course: Course { CourseLoader.load(files()).course! }

  /// The repository's own course files (the bundled course).
  public static func bundledCourseFiles() -> [SourceFile] {
    var files: [SourceFile] = []
    for folder in ["Lessons", "Quizzes"] {
      let dir = repositoryRoot.appendingPathComponent(folder)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name != "README.md" {
        if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
          files.append(SourceFile(path: "\(folder)/\(name)", contents: Array(data)))
        }
      }
    }
    return files
  }

  public static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A fresh empty folder under the system's temporary folder.
  public static func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// A fixed moment for tests that save progress (2027-01-15T08:00:00Z): no test reads the wall clock.
public let testDate = Date(timeIntervalSince1970: 1_800_000_000)

extension AnswerRecord {
  /// A record as tests write it by hand: a rating moves the schedule at once.
  public init(
    questionID: String, questionVersion: Int, context: Context, response: String, grade: Grade, hintsUsed: Int = 0,
    confidence: Confidence? = nil, mode: StudyMode = .practice, durationMilliseconds: Int? = nil, rating: FSRS.Rating?
  ) {
    self.init(
      questionID: questionID, questionVersion: questionVersion, context: context, response: response, grade: grade,
      hintsUsed: hintsUsed, confidence: confidence, mode: mode, durationMilliseconds: durationMilliseconds,
      scheduling: rating.map { .now($0) } ?? .none)
  }
}

extension Presentation {
  /// Options and items in the order the author wrote them (the tutor itself always shuffles).
  public static func authored(for question: Question) -> Presentation {
    let items: Int
    switch question.body {
    case .order(let list): items = list.count
    case .match(let key): items = key.rightItems.count
    default: items = 0
    }
    return Presentation(choiceOrder: question.choices.map(\.id), itemOrder: Array(0..<items))
  }
}

extension LessonStep {
  /// The step's first mechanism chain.
  public var chain: MechanismChain? {
    for case .chain(let chain) in blocks { return chain }
    return nil
  }
}
