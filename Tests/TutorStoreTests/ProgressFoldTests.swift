import Foundation
import GRDB
import PropertyBased
import Testing
import TutorCore
import TutorStore
import TutorTestSupport

/// Random study journeys, driven through the core's sessions, saved to the SQLite store and to
/// the in-memory store, and folded into the copy the screens hold: all three must agree on the
/// learner's progress, and the two stores on schedules, the review queue and the statistics.
@Suite struct ProgressFoldTests {
  static let course = Fixtures.courseWithTypes

  @Test func theStoresAndTheScreensCopyAgreeAfterAnyJourney() async throws {
    await propertyCheck(count: 60, input: Gen.int(in: 0...999).array(of: 1...60)) { steps in
      do {
        try Journey(steps: steps).check()
      } catch {
        Issue.record("the journey failed: \(error)")
      }
    }
  }

  /// One learner's journey: each number picks the next thing they do.
  struct Journey {
    let steps: [Int]
    let folder = Fixtures.temporaryFolder()

    func check() throws {
      let sqlite = try SQLiteProgressStore(path: folder.appendingPathComponent("progress.sqlite").path)
      let memory = MemoryProgressStore()
      // The school's store, when there is a test server: it must agree with the SQLite store exactly.
      let school =
        try StoreBackend.available.contains(.postgresql) ? StoreBackend.postgresql.freshStore(in: folder) : nil
      var now = testDate
      let learner = try sqlite.learnerID(named: "ana", at: now)
      #expect(try memory.learnerID(named: "ana", at: now) == learner)
      #expect(try school?.learnerID(named: "ana", at: now) ?? learner == learner)
      var mirror = LearnerProgress()
      var quiz: QuizSession?
      var lesson: LessonSession?

      func save(_ changes: [ProgressChange]) throws {
        for change in changes {
          let disk = try sqlite.save(change, learner: learner, at: now)
          let held = try memory.save(change, learner: learner, at: now)
          if let school { #expect(try school.save(change, learner: learner, at: now) == disk, "\(change)") }
          var attemptID: Int64?
          if case .attemptBegun(let id) = disk {
            #expect(held == .attemptBegun(id), "both stores number attempts alike")
            attemptID = id
            quiz?.attemptBegun(id)
          }
          mirror.apply(change, at: now, attemptID: attemptID)
        }
      }

      for step in steps {
        now = now.addingTimeInterval(step % 7 == 0 ? 86400 * Double(1 + step % 3) : 60)
        let quizzes = ProgressFoldTests.course.quizzes
        switch step % 10 {
        case 0, 1:
          // Take a quiz: practice, exam or a restart, continuing what is open.
          let chosen = quizzes[step / 10 % quizzes.count]
          let modes: [QuizMode] = [.practice, .exam, .practice]
          let request = QuizSession.Request(
            mode: modes[step / 100 % 3], restart: step % 3 == 0, insistsOnMode: step % 2 == 0)
          let start = QuizSession.start(
            chosen, request: request, open: mirror.quizzes[chosen.id]?.openAttempt, seed: UInt64(step), now: now)
          quiz = start.session
          try save(start.changes)
        case 2, 3, 4:
          // Answer the question in hand, right or wrong, and move on.
          guard var session = quiz, let question = session.currentQuestion else { break }
          let response = ProgressFoldTests.response(to: question, right: step % 4 != 0)
          if let answered = session.answer(response, confidence: step % 5 == 0 ? .unsure : nil, at: now) {
            quiz = session
            try save(answered.change.map { [$0] } ?? [])
            session = quiz!
            if step % 9 == 0, let undo = session.withdraw() {
              quiz = session
              try save([undo])
              break
            }
            let changes = session.advance(at: now)
            quiz = session
            try save(changes)
          }
        case 5:
          // Let an exam's time run out with an answer in progress.
          guard var session = quiz, let question = session.currentQuestion else { break }
          if let changes = session.timeOut(
            at: now.addingTimeInterval(86400), answerInProgress: ProgressFoldTests.response(to: question, right: true))
          {
            quiz = session
            try save(changes)
          }
        case 6:
          // Open the lesson, or move in it.
          if var session = lesson {
            try save(session.move(to: step / 10 % 3))
            lesson = session
          } else {
            let opened = LessonSession(
              lesson: ProgressFoldTests.course.lessons[0], progress: mirror.lessons["basics"], step: step / 10 % 2,
              seed: UInt64(step))
            try save(opened.opening)
            lesson = opened
          }
        case 7:
          // Answer a checkpoint, or predict a chain link.
          guard var session = lesson else { break }
          let checkpoints = session.lesson.checkpoints
          let question = ProgressFoldTests.course.questionsByID[checkpoints[step / 10 % checkpoints.count].questionID]!
          try save(
            session.answer(question, response: ProgressFoldTests.response(to: question, right: step % 3 != 0)).changes)
          if let chain = session.lesson.steps[1].chain {
            let revealed = 1 + step / 10 % (chain.steps.count - 1)
            try save(
              session.predict(
                chain, step: 1, block: 1, revealed: revealed, picked: chain.steps[step % chain.steps.count]
              ).1)
          }
          lesson = session
        case 8:
          // A review of what is due.
          let due = try memory.reviewQueue(learner: learner, now: now).due
          let questions = ReviewPlan.interleaved(due, in: ProgressFoldTests.course)
          guard !questions.isEmpty else { break }
          var review = QuizSession.review(
            questions, mode: step % 20 == 8 ? .cram : .review, title: "Review", seed: UInt64(step), now: now)
          while let question = review.currentQuestion {
            if let change = review.answer(
              ProgressFoldTests.response(to: question, right: step % 3 != 1), confidence: nil, at: now)?.change
            {
              try save([change])
            }
            try save(review.advance(at: now))
          }
        default:
          // Finish the lesson.
          guard var session = lesson else { break }
          if case .complete(let changes) = session.finish() { try save(changes) }
          lesson = nil
        }
      }

      var disk = try sqlite.progress(learner: learner)
      var held = try memory.progress(learner: learner)
      disk.review = ReviewQueue()
      held.review = ReviewQueue()
      #expect(
        ProgressFoldTests.rounded(disk) == ProgressFoldTests.rounded(mirror),
        "the store reads back what the screens folded")
      #expect(ProgressFoldTests.rounded(held) == ProgressFoldTests.rounded(mirror))
      if let school {
        #expect(
          try school.progressReview(learner: learner, now: now) == sqlite.progressReview(learner: learner, now: now))
        for question in ProgressFoldTests.course.questionsByID.keys {
          #expect(
            try school.reviewCard(learner: learner, questionID: question)
              == sqlite.reviewCard(learner: learner, questionID: question))
        }
      }
      // The summaries that start-up and the progress review read, rebuilt from the attempts alone as the migration
      // does for a store written before it, reads back the same.
      let path = folder.appendingPathComponent("progress.sqlite").path
      let history = try sqlite.progressReview(learner: learner, now: now).history
      try DatabaseQueue(path: path).write { db in
        try db.execute(
          sql: """
            DROP TABLE quizState; DROP TABLE questionStats; DROP INDEX answerByQuestion; DROP INDEX answerInLesson; DROP INDEX answerByModeAndTime;
            DROP TABLE studyDay; DROP TRIGGER studyDayAnswered; DROP TRIGGER studyDayWithdrawn;
            DROP INDEX answerUID; DROP INDEX quizAttemptUID; ALTER TABLE answer DROP COLUMN uid; ALTER TABLE quizAttempt DROP COLUMN uid;
            DELETE FROM grdb_migrations WHERE identifier IN ('v7-start-up-summaries', 'v8-question-stats', 'v9-progress-that-travels');
            PRAGMA user_version = 0
            """)
      }
      let reopened = try SQLiteProgressStore(path: path)
      var rebuilt = try reopened.progress(learner: learner)
      rebuilt.review = ReviewQueue()
      #expect(ProgressFoldTests.rounded(rebuilt) == ProgressFoldTests.rounded(mirror), "the migration rebuilds it")
      #expect(try reopened.answerStats(learner: learner) == memory.answerStats(learner: learner))
      #expect(try reopened.progressReview(learner: learner, now: now).history == history, "and the study days")
      #expect(try sqlite.reviewQueue(learner: learner, now: now) == memory.reviewQueue(learner: learner, now: now))
      #expect(try sqlite.answerStats(learner: learner) == memory.answerStats(learner: learner))
      for question in ProgressFoldTests.course.questionsByID.keys {
        let a = try sqlite.reviewCard(learner: learner, questionID: question)
        let b = try memory.reviewCard(learner: learner, questionID: question)
        #expect(
          a?.questionVersion == b?.questionVersion && a?.reps == b?.reps && a?.failures == b?.failures
            && a?.isLeech == b?.isLeech)
        #expect(a?.state == b?.state && a?.stability == b?.stability && a?.difficulty == b?.difficulty)
        #expect(
          abs((a?.due.timeIntervalSince1970 ?? 0) - (b?.due.timeIntervalSince1970 ?? 0)) < 0.002,
          "\(question) is due alike")
      }
    }
  }

  /// A right answer to any question, or a wrong one.
  static func response(to question: Question, right: Bool) -> Response {
    switch question.body {
    case .single, .multiple, .trueFalse:
      let ids = question.choices.filter { $0.isCorrect == right }.map(\.id)
      return .choices(Set(right ? ids : Array(ids.prefix(1))))
    case .short(let key): return .text(right ? key.answers[0] : "nothing")
    case .numeric: return .text(right ? "3" : "-1")
    case .cloze(let cloze): return .blanks(cloze.blanks.map { right ? $0[0] : "x" })
    case .match(let key):
      return .matches(key.pairs.indices.map { right ? key.rightItems.firstIndex(of: key.pairs[$0].right) : nil })
    case .order(let items): return .ordering(right ? Array(items.indices) : Array(items.indices.reversed()))
    }
  }

  /// Progress as a store keeps it: grades by score and options picked (not the feedback
  /// details), scores rounded (a store sums points in its own order).
  static func rounded(_ progress: LearnerProgress) -> LearnerProgress {
    var copy = progress
    for (id, quiz) in copy.quizzes {
      copy.quizzes[id]?.openAttempt?.grades =
        quiz.openAttempt?.grades.mapValues {
          Grade(score: $0.score, chosenChoiceIDs: $0.chosenChoiceIDs)
        } ?? [:]
      copy.quizzes[id]?.bestScore = quiz.bestScore.map {
        Score(points: ($0.points * 1e6).rounded() / 1e6, total: $0.total)
      }
      copy.quizzes[id]?.lastScore = quiz.lastScore.map {
        Score(points: ($0.points * 1e6).rounded() / 1e6, total: $0.total)
      }
    }
    return copy
  }
}
