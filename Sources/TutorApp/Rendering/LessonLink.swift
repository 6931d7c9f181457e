import TutorCore

/// Names a `lesson#anchor` link for people: "What makes epilepsy drug-resistant? › The Rule of Three".
enum LessonLink {
  static func describe(_ see: String, in course: Course) -> String {
    let parts = see.split(separator: "#", maxSplits: 1).map(String.init)
    guard let lesson = course.lesson(id: parts[0]) else { return see }
    guard parts.count > 1, let index = lesson.stepIndex(anchor: parts[1]) else { return lesson.title }
    return "\(lesson.title) › \(lesson.steps[index].title) (step \(index + 1))"
  }
}
