/// What the home screen shows of a course, small enough to read back instantly: the tutor
/// caches it for a course that checked clean, draws the home screen from it, and reads the
/// full course while the learner looks.
public struct CourseSummary: Codable, Equatable, Sendable {
  public struct LessonEntry: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var order: Int
    public var minutes: Int?
    public var steps: Int
  }

  public struct QuizEntry: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var lesson: String?
    public var questions: Int
  }

  public var id: String
  public var title: String
  public var description: String
  public var lessons: [LessonEntry]
  public var quizzes: [QuizEntry]

  public init(_ course: Course) {
    id = course.info.id
    title = course.info.title
    description = course.info.description
    lessons = course.lessons.map {
      LessonEntry(id: $0.id, title: $0.title, order: $0.order, minutes: $0.minutes, steps: $0.steps.count)
    }
    quizzes = course.quizzes.map {
      QuizEntry(id: $0.id, title: $0.title, lesson: $0.lesson, questions: $0.questions.count)
    }
  }

  /// A stand-in course with the same titles and counts, for drawing before the real one is read.
  public var placeholder: Course {
    Course(
      info: CourseInfo(id: id, title: title, description: description),
      lessons: lessons.map { entry in
        Lesson(
          id: entry.id, title: entry.title, order: entry.order, minutes: entry.minutes,
          steps: Array(repeating: LessonStep(anchor: "", title: "", blocks: []), count: entry.steps))
      },
      quizzes: quizzes.map { entry in
        Quiz(
          id: entry.id, title: entry.title, lesson: entry.lesson,
          questions: (0..<entry.questions).map {
            Question(
              id: "\(entry.id)-\($0)", prompt: "", body: .trueFalse(answer: true, feedbackTrue: nil, feedbackFalse: nil)
            )
          })
      },
      glossary: [])
  }
}
