import Foundation
import Testing
import TutorTestSupport

@testable import TutorCore

@Suite struct ReviewGradingTests {
  static let right = Grade(score: 1)
  static let partly = Grade(score: 0.5)
  static let wrong = Grade(score: 0)

  /// The documented mapping from an answer to an FSRS rating.
  @Test(arguments: [
    (wrong, 0, nil as Confidence?, 2.0, FSRS.Rating.again),
    (partly, 0, nil, 2.0, .hard),
    (right, 1, nil, 2.0, .hard),
    (right, 0, .unsure, 2.0, .hard),
    (right, 0, .guessing, 2.0, .hard),
    (right, 0, nil, 30.0, .good),
    (right, 0, .sure, 30.0, .good),
    (right, 0, nil, 5.0, .easy),
    (right, 0, .sure, 5.0, .easy),
  ])
  func ratesAnswersWithoutSelfGrading(
    grade: Grade, hints: Int, confidence: Confidence?, seconds: Double, rating: FSRS.Rating
  ) {
    #expect(
      ReviewGrading.rating(for: grade, hintsUsed: hints, confidence: confidence, seconds: seconds, quickSeconds: 10)
        == rating)
  }

  @Test func anAnswerWithoutATimeIsNeverEasy() {
    #expect(
      ReviewGrading.rating(for: Self.right, hintsUsed: 0, confidence: nil, seconds: nil, quickSeconds: 10) == .good)
  }

  @Test func quickTimeGrowsWithWhatThereIsToReadAndDo() {
    let course = Fixtures.courseWithTypes
    let tf = course.questionsByID["q-tf"]!
    let order = course.questionsByID["t-order"]!
    let cloze = course.questionsByID["t-cloze"]!
    #expect(ReviewGrading.quickSeconds(for: tf) < ReviewGrading.quickSeconds(for: order))
    #expect(ReviewGrading.quickSeconds(for: tf) == 3 + 1.0 / 4 + 0.5)
    #expect(ReviewGrading.quickSeconds(for: cloze) > 10)
  }

  @Test func dueQuestionsAreInterleavedAcrossLessons() {
    let course = Fixtures.courseWithTypes
    // q-single, q-multiple: basics (quiz "basics"); t-short: basics via see; inline-tf: basics checkpoint.
    let questions = ReviewPlan.interleaved(["q-single", "q-multiple", "gone", "t-short"], in: course)
    #expect(questions.map(\.id) == ["q-single", "q-multiple", "t-short"])
    #expect(ReviewPlan.lesson(of: "inline-tf", in: course) == "basics")
  }

  /// Lesson 3 opens with warm-ups on lesson 1: in a review they belong to lesson 1, where `see:` points.
  @Test func aWarmUpBelongsToTheLessonItBringsBack() throws {
    let course = try #require(CourseLoader.load(Fixtures.bundledCourseFiles()).course)
    #expect(course.lesson(id: "channels")?.checkpoints.contains { $0.questionID == "ch-warm-ana-next" } == true)
    #expect(ReviewPlan.lesson(of: "ch-warm-ana-next", in: course) == "dre-definition")
  }

  @Test func interleavingTakesOneFromEachLessonInTurn() {
    var files = Fixtures.files(typesQuiz: Fixtures.typesQuiz)
    files.append(
      SourceFile(
        path: "Lessons/02-other.md",
        text:
          "---\nid: other\ntitle: Other\norder: 2\n---\n# Only {#only}\n\n```check\nid: other-tf\ntype: truefalse\nprompt: Other?\nanswer: true\n```\n"
      ))
    let course = CourseLoader.load(files).course!
    let questions = ReviewPlan.interleaved(["q-single", "q-multiple", "other-tf"], in: course)
    #expect(questions.map(\.id) == ["q-single", "other-tf", "q-multiple"])
  }

  @Test func cramTakesALessonsQuestionsOrAConcept() {
    let course = Fixtures.courseWithTypes
    #expect(ReviewPlan.cram("basics", in: course)?.map(\.id).prefix(2) == ["q-single", "inline-tf"])
    #expect(ReviewPlan.cram("no-such-thing", in: course) == nil)
  }

  @Test func settingsAreCheckedBeforeTheyAreTaken() {
    var settings = ReviewSettings()
    #expect(settings.set("retention", to: "0.95") == nil)
    #expect(settings.desiredRetention == 0.95)
    #expect(settings.set("retention", to: "0.99") == "retention must be a number from 0.7 to 0.97")
    #expect(settings.set("new-per-day", to: "-1") != nil)
    #expect(settings.set("colour", to: "red")?.hasPrefix("unknown setting 'colour'") == true)
  }
}
