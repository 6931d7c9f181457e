import Testing
import TutorTestSupport

@testable import TutorCore

/// The typed answers a clinician gives are accepted by the bundled course, and near misses are
/// not (issue 9: the epileptologist's missing synonyms, the matcher's articles and generic words).
@Suite struct CourseSynonymTests {
  static let course = CourseLoader.load(Fixtures.bundledCourseFiles()).course

  /// Grades `typed` in blank `blank` of a cloze (the other blanks take their first answer), or as
  /// the whole answer of a short question.
  static func score(_ id: String, blank: Int = 0, _ typed: String) throws -> Double {
    let question = try #require(course?.questionsByID[id], "no question '\(id)' in the bundled course")
    switch question.body {
    case .short:
      return Grader.grade(question, response: .text(typed)).score
    case .cloze(let cloze):
      var answers = cloze.blanks.map { $0[0] }
      answers[blank] = typed
      let grade = Grader.grade(question, response: .blanks(answers))
      return grade.score * Double(cloze.blanks.count) - Double(cloze.blanks.count - 1)
    default:
      Issue.record("'\(id)' is not a typed question")
      return 0
    }
  }

  @Test(arguments: [
    ("gen-hla-cloze", 1, "DRESS syndrome"), ("gen-hla-cloze", 1, "drug reaction with eosinophilia and systemic symptoms"),
    ("gen-hla-cloze", 2, "seizure freedom"), ("hip-sprouting-cloze", 3, "Timm's"), ("mtor-cloze-tsc", 2, "sirolimus"),
    ("mtor-cloze-tsc", 1, "TORC1"), ("gen-dravet-gene", 0, "SCN1A gene"), ("gen-dravet-gene", 0, "the SCN1A gene"),
    ("ch-m-current", 0, "the M-current"), ("ch-m-current", 0, "M-type current"), ("wdf-pgp-gene", 0, "PGY1"),
    ("fx-dre-pseudo-term", 0, "pseudopharmacoresistance"), ("fx-glia-kir-name", 0, "KCNJ10"), ("fx-glia-kir-name", 0, "Kir4.1 channel"),
    ("surg-operation-name", 0, "ATLR"),
  ])
  func aCliniciansAnswerIsAccepted(id: String, blank: Int, typed: String) throws {
    #expect(try Self.score(id, blank: blank, typed) == 1, "'\(typed)' for \(id)")
  }

  @Test(arguments: [
    ("gen-dravet-gene", 0, "SCN2A gene"), ("gen-dravet-gene", 0, "SCN1B"), ("fx-glia-kir-name", 0, "Kir4.2"),
    ("fx-glia-kir-name", 0, "KCNJ11"), ("mtor-cloze-tsc", 1, "mTORC2"), ("wdf-pgp-gene", 0, "ABCB2"),
    ("gen-hla-cloze", 1, "the syndrome"),
  ])
  func aNearMissIsStillWrong(id: String, blank: Int, typed: String) throws {
    #expect(try Self.score(id, blank: blank, typed) < 1, "'\(typed)' for \(id)")
  }
}
