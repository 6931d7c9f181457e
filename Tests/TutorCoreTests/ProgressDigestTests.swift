import Foundation
import Testing
import TutorCore
import TutorTestSupport

/// `tutor progress` reads the course's digest instead of the course: the report must be the same
/// as from the full course, after the digest has been through JSON.
@Suite struct ProgressDigestTests {
  static func progressAndStats(_ course: Course) -> (LearnerProgress, [String: AnswerStats]) {
    var progress = LearnerProgress()
    for (index, lesson) in course.lessons.enumerated() {
      switch index % 3 {
      case 0: progress.lessons[lesson.id] = LessonProgress(step: 0, isComplete: true)
      case 1:
        progress.lessons[lesson.id] = LessonProgress(
          step: lesson.steps.count / 2, passedCheckpoints: Set(lesson.checkpoints.prefix(1).map(\.questionID)))
      default: break
      }
    }
    for (index, quiz) in course.quizzes.enumerated() where index % 2 == 0 {
      progress.quizzes[quiz.id] = QuizProgress(
        bestScore: Score(points: Double(quiz.questions.count), total: quiz.questions.count),
        lastScore: Score(points: 1, total: quiz.questions.count))
    }
    var stats: [String: AnswerStats] = [:]
    for (index, (id, question)) in course.questionsByID.sorted(by: { $0.key < $1.key }).enumerated() {
      let wrong = question.choices.filter { !$0.isCorrect }.map(\.id)
      stats[id] = AnswerStats(
        answers: 2 + index % 4, right: index % 3,
        wrongPicks: Dictionary(uniqueKeysWithValues: wrong.map { ($0, 1 + index % 2) }),
        lastRight: index % 2 == 0)
    }
    return (progress, stats)
  }

  @Test(arguments: ["fixture", "bundled"])
  func theReportFromTheDigestIsTheReportFromTheCourse(which: String) throws {
    let files = which == "fixture" ? Fixtures.files() : Fixtures.bundledCourseFiles()
    let course = try #require(CourseLoader.load(files).course)
    let digest = try #require(ProgressDigest(text: ProgressDigest(course).text))
    #expect(digest == ProgressDigest(course), "the text keeps everything")
    let (progress, stats) = Self.progressAndStats(course)
    let review = ProgressReview(
      progress: progress, stats: stats, history: StudyHistory(today: CalendarDay.local(Date())), now: Date())
    let full = ProgressReport(course: course, review: review)
    #expect(ProgressReport(outline: digest.outline, review: review).lines == full.lines)
    #expect(!full.misconceptions.isEmpty, "the comparison covers misconceptions")
    if which == "bundled" { #expect(!full.concepts.isEmpty, "and concepts, with their names") }

    // As `tutor progress` reads it: the text only of the questions with wrong options picked.
    let light = try #require(ProgressDigest(bytes: Array(ProgressDigest(course).text.utf8), withText: false))
    #expect(light.questionIDs.sorted() == course.questionsByID.keys.sorted())
    #expect(ProgressReport(outline: light.outline, review: review).lines == full.lines)
    for (id, question) in course.questionsByID {
      #expect(light.outline.concepts(id) == question.concepts, "\(id)")
      for choice in question.choices {
        let read = try #require(light.choice(id, choice.id), "\(id)")
        #expect(read.prompt == question.prompt, "\(id)")
        #expect(read.choice == choice, "\(id)")
      }
      #expect(light.choice(id, "no-such-choice") == nil)
    }
    #expect(light.choice("no-such-question", "a") == nil)
  }
}

extension ProgressDigestTests {
  @Test func fieldsWithTabsBreaksAndBackslashesComeBackWhole() throws {
    var course = try #require(CourseLoader.load(Fixtures.files()).course)
    course.info.title = "A\ttitle\nwith \\ and \r\n"
    course.quizzes[0].title = "\\t is not a tab"
    let digest = ProgressDigest(course)
    #expect(ProgressDigest(text: digest.text) == digest)
    #expect(ProgressDigest(text: "tutor progress digest 1\n") == nil, "another version is not read")
    #expect(ProgressDigest(text: digest.text + "option\tx\n") == nil, "nor a damaged file")
    #expect(ProgressDigest(bytes: Array(digest.text.utf8)) == digest, "the bytes read as the text")
    #expect(ProgressDigest(bytes: Array(digest.text.utf8.dropLast())) == nil, "nor a cut one")
    #expect(ProgressDigest(text: digest.text.replacingOccurrences(of: "\tquiz\t", with: "\tquizz\t")) == nil)
    // The text's size, and each question's place in it, are checked.
    var lines = digest.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let sizeLine = try #require(lines.firstIndex { $0.hasPrefix("text\t") })
    let size = try #require(Int(lines[sizeLine].dropFirst(5)))
    lines[sizeLine] = "text\t\(size + 1)"
    #expect(ProgressDigest(text: lines.joined(separator: "\n")) == nil, "a text shorter than it says")
    #expect(ProgressDigest(text: lines.joined(separator: "\n") + "\n") != nil, "a line more, as long as it says")
    lines[sizeLine] = "text\t\(size)"
    let lastQuestion = try #require(lines.lastIndex { $0.hasPrefix("question\t") })
    var fields = lines[lastQuestion].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    fields[5] = String(size + 1)
    lines[lastQuestion] = fields.joined(separator: "\t")
    #expect(ProgressDigest(text: lines.joined(separator: "\n")) == nil, "a question's text past its end")
    fields[5] = String(try #require(Int(fields[4])) + 1)
    lines[lastQuestion] = fields.joined(separator: "\t")
    #expect(ProgressDigest(text: lines.joined(separator: "\n")) == nil, "a question's text cut")
    // A question whose feedback field starts with "+" keeps the rest; "-" means none.
    course.quizzes[0].questions[0].body = .single([
      Choice(id: "a", text: "A", isCorrect: true, feedback: "+plus"), Choice(id: "b", text: "B", isCorrect: false),
    ])
    let withFeedback = ProgressDigest(course)
    #expect(ProgressDigest(text: withFeedback.text) == withFeedback)
    // Read without the text, then with it: the escapes are undone the same way.
    let light = try #require(ProgressDigest(bytes: Array(withFeedback.text.utf8), withText: false))
    let id = course.quizzes[0].questions[0].id
    #expect(light.choice(id, "a")?.choice.feedback == "+plus")
    #expect(light.choice(id, "b")?.choice.feedback == nil)
    #expect(light.choice(id, "b")?.prompt == course.quizzes[0].questions[0].prompt)
    #expect(ProgressDigest(bytes: Array(withFeedback.text.utf8.dropLast()), withText: false) == nil)

    // Read without the text, a question is found by its id even when its fields hold escapes.
    var escaped = course
    escaped.quizzes[0].questions[1].id = "with\\back\tslash"
    escaped.quizzes[0].questions[1].concepts = ["a\\b", "tab\there"]
    let read = try #require(ProgressDigest(bytes: Array(ProgressDigest(escaped).text.utf8), withText: false))
    #expect(read.outline.concepts("with\\back\tslash") == ["a\\b", "tab\there"])
    let choice = try #require(escaped.quizzes[0].questions[1].choices.first, "a question with options")
    #expect(read.choice("with\\back\tslash", choice.id)?.choice == choice)
    #expect(read.questionIDs.contains("with\\back\tslash"))
    #expect(read.outline.concepts("with") == nil)
  }
}
