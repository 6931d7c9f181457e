import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// `/` finds a word in the course and jumps to it; the glossary and the references are a key away.
@Suite struct SearchScreenTests {
  @Test func theCourseIndexFindsTermsStepsAndQuestions() {
    let search = CourseSearch(Fixtures.courseWithTypes)
    let hits = search.search("kcc2")
    #expect(hits.first?.target == .term("KCC2"), "the glossary first")
    #expect(hits.contains { $0.target == .step(see: "basics#first") && $0.excerpt.contains("KCC2") })
    #expect(search.search("chloride neurons").first?.title == "Glossary: KCC2", "every word must occur")
    #expect(search.search("nothing like this").isEmpty)
    #expect(search.search("encodes").contains { $0.title.hasPrefix("Question: Which gene") })
    #expect(search.search("ABCB1").isEmpty, "answers are not searched: they would give themselves away")
  }

  @Test func aSearchLandsOnAGlossaryTerm() {
    var driver = AppDriver()
    driver.press(.character("/"))
    driver.type("kcc2")
    #expect(driver.text.contains("› Glossary: KCC2"))
    driver.press(.enter)
    guard case .list(let list) = driver.state.top else {
      Issue.record("the glossary opens")
      return
    }
    #expect(list.kind == .glossary)
    #expect(driver.text.contains("KCC2 (potassium-chloride cotransporter)"), "the term is in view")
    driver.press(.character("q"))
    #expect(driver.text.contains("Search: kcc2"), "q comes back to the search")
  }

  @Test func aSearchOpensTheLessonStepAsAVisit() {
    var driver = AppDriver()
    driver.press(.character("/"))
    driver.type("second link")
    driver.press(.enter)
    guard case .lesson(let lesson) = driver.state.top else {
      Issue.record("the step opens")
      return
    }
    #expect(lesson.step == 1 && lesson.isVisit, "a look-up does not move the learner's place")
  }

  @Test func questionMarkIsTypedInTheSearchFieldAndF1IsTheHelp() {
    var driver = AppDriver()
    driver.press(.character("/"))
    driver.type("why?")
    #expect(driver.text.contains("Search: why?"))
    #expect(!driver.state.showsHelp)
    driver.press(.f1)
    #expect(driver.state.showsHelp)
  }
}
