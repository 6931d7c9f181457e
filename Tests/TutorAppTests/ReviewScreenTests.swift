import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// Spaced review from the home screen: the due count, the session, rescheduling, the budget.
@Suite struct ReviewScreenTests {
  func driver(due: [String], leeches: [String] = []) -> AppDriver {
    var progress = LearnerProgress()
    progress.review = ReviewQueue(
      due: due, forecast: Array(repeating: 0, count: 14), leeches: leeches, scheduled: due.count + 1)
    return AppDriver(progress: progress)
  }

  @Test func theHomeScreenShowsHowManyAreDue() {
    let home = driver(due: ["q-single", "q-tf"], leeches: ["q-tf"])
    #expect(home.screen.contains("› ↻ Review: 2 due · 1 leech"))
    var none = driver(due: [])
    none.state.progress.review.nextDue = none.now.addingTimeInterval(3 * 3600)
    #expect(none.screen.contains { $0.contains("Review  nothing due · next in 3 hours") })
  }

  @Test func aReviewAsksTheDueQuestionsAndReschedulesEachOne() throws {
    var review = driver(due: ["q-single", "t-short"])
    #expect(review.press(.enter) == [])
    #expect(review.screen[0].contains("review · item 1 of 2"))
    review.wait(seconds: 30)
    let commands = review.press(.character("a"), .enter)  // q-single: a is right
    guard case .save(.answerRecorded(let record))? = commands.first else {
      Issue.record("the answer is recorded")
      return
    }
    #expect(record.context == .review)
    #expect(record.mode == .review)
    #expect(record.rating == .good, "right but not quick")
    _ = App.update(
      &review.state, .answerScheduled(questionID: "q-single", due: review.now.addingTimeInterval(3 * 86400)))
    #expect(review.text.contains("Next review: in 3 days"))
    #expect(review.screen.last?.contains("u undo") == true, "a review answer can be taken back")
    review.press(.enter)
    review.type("ABCB1")
    review.press(.enter, .enter)
    #expect(review.text.contains("Score: 2/2 (100%)"))
    let back = review.press(.enter)
    #expect(back == [.loadReviewQueue], "home asks for the queue again")
  }

  @Test func theBudgetEndsTheSessionAfterTheQuestionInHand() throws {
    var review = driver(due: ["q-single", "q-multiple", "q-tf"])
    review.state.reviewBudget = 60
    review.press(.enter)
    #expect(review.screen[0].contains("1:00 left · review · item 1 of 3"))
    review.wait(seconds: 90)
    #expect(review.screen[0].contains("last item"))
    #expect(review.quiz?.question.id == "q-single", "the question in hand is not taken away")
    let answered = review.press(.character("a"), .enter)
    #expect(
      answered.contains { if case .save(.answerRecorded) = $0 { true } else { false } },
      "the answer in progress is saved")
    review.press(.enter)
    #expect(review.state.status == "Time budget reached: the session ends here; every answer is saved.")
    #expect(review.text.contains("Score: 1/3"))
  }

  @Test func aLeechFailedAgainPointsToItsLesson() {
    var review = driver(due: ["q-single"], leeches: ["q-single"])
    review.press(.enter)
    review.press(.down, .enter)
    #expect(review.state.status == "This question keeps slipping (a leech): press o to read its lesson step again.")
    review.press(.character("o"))
    guard case .lesson = review.state.top else {
      Issue.record("o opens the lesson")
      return
    }
  }

  @Test func cramReviewsALessonWithoutScheduling() throws {
    var cram = driver(due: [])
    _ = App.open(.cram("basics"), in: &cram.state)
    #expect(cram.screen[0].hasPrefix(" Cram: Basics"))
    let commands = cram.press(.character("a"), .enter)
    guard case .save(.answerRecorded(let record))? = commands.first else {
      Issue.record("a cram answer is still recorded")
      return
    }
    #expect(record.rating == nil)
    #expect(record.mode == .cram)
  }
}

/// A review says where each question comes from, and its last answer can be taken back.
@Suite struct ReviewSourceAndUndoTests {
  @Test func aReviewItemNamesItsLessonAndUndoPutsBackItsSchedule() throws {
    var progress = LearnerProgress()
    progress.review = ReviewQueue(due: ["q-single"], forecast: Array(repeating: 0, count: 14), scheduled: 1)
    var review = AppDriver(progress: progress)
    review.press(.enter)
    #expect(review.text.contains("Lesson 1: Basics"), "the lesson it belongs to")
    review.press(.character("b"), .enter)
    #expect(try review.store.reviewCard(learner: 1, questionID: "q-single") != nil)
    #expect(review.screen.last?.contains("u undo") == true)
    let undone = review.press(.character("u"))
    #expect(undone == [.save(.answerWithdrawn(questionID: "q-single", attempt: nil))])
    #expect(try review.store.reviewCard(learner: 1, questionID: "q-single") == nil, "the schedule it made is gone")
    #expect(review.store.answers(learner: 1).isEmpty)
    review.press(.character("a"), .enter)
    #expect(review.text.contains("✓ Correct"))
  }
}
