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
    ("ch-m-current", 0, "the M-current"), ("ch-m-current", 0, "M-type current"), ("ch-m-current", 0, "Kv7 current"),
    ("wdf-pgp-gene", 0, "PGY1"), ("wdf-pgp-gene", 0, "the ABCB1 gene"), ("hip-sprouting-cloze", 3, "Timm's"),
    ("hip-sprouting-cloze", 0, "mossy fibers"), ("glia-pgp-cloze", 0, "the NMDA receptors"),
    ("glia-pgp-cloze", 1, "cyclooxygenase 2"),
    ("glia-pgp-cloze", 2, "P-glycoprotein"),
  ])
  func aCliniciansAnswerIsAccepted(id: String, blank: Int, typed: String) throws {
    #expect(try Self.score(id, blank: blank, typed) == 1, "'\(typed)' for \(id)")
  }

  @Test(arguments: [
    ("wdf-pgp-gene", 0, "ABCB2"), ("wdf-pgp-gene", 0, "ABCC1 gene"), ("wdf-pgp-gene", 0, "MDR2"),
    ("ch-m-current", 0, "T-current"),
    ("ch-m-current", 0, "the h-current"), ("glia-pgp-cloze", 0, "AMPA"), ("glia-pgp-cloze", 1, "COX-1"),
    ("hip-sprouting-cloze", 3, "Tim"),
  ])
  func aNearMissIsStillWrong(id: String, blank: Int, typed: String) throws {
    #expect(try Self.score(id, blank: blank, typed) < 1, "'\(typed)' for \(id)")
  }
}
