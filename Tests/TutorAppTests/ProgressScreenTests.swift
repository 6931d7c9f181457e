import Foundation
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

@Suite struct ProgressReportTests {
  static let course = Fixtures.courseWithTypes

  @Test func conceptsAreMasteredOrWeakAndWrongPicksNameTheirMisconception() {
    var progress = LearnerProgress()
    progress.lessons["basics"] = LessonProgress(step: 1, passedCheckpoints: ["q-single"])
    progress.quizzes["basics-quiz"] = QuizProgress(bestScore: Score(points: 2, total: 3))
    // q-single has no concepts in the fixture: give the types quiz's questions stats instead.
    let stats: [String: AnswerStats] = [
      "q-single": AnswerStats(answers: 3, right: 1, wrongPicks: ["b": 2]),
      "q-tf": AnswerStats(answers: 1, right: 0, wrongPicks: ["t": 1]),
    ]
    let report = ProgressReport(course: Self.course, progress: progress, stats: stats)
    #expect(report.lessons[0].status == "step 2 of 2, 1/2 checkpoints")
    #expect(report.quizzes[0].status == "best 2/3 (67%)")
    #expect(report.misconceptions.map(\.choice) == ["B", "True"], "most picked first")
    #expect(report.misconceptions[0].feedback == "Not B.")
    #expect(report.answered == 4)
  }

  static var alphaCourse: Course {
    var files = Fixtures.files(typesQuiz: Fixtures.typesQuiz)
    files[3] = SourceFile(
      path: "Quizzes/basics.yaml",
      text: Fixtures.quiz.replacingOccurrences(
        of: "    see: basics#first", with: "    see: basics#first\n    concepts: [alpha]"))
    return CourseLoader.load(files).course!
  }

  func alpha(_ stats: AnswerStats, memory: StudyHistory.Memory? = nil, now: Date = testDate) -> ProgressReport
    .ConceptLine?
  {
    var history = StudyHistory(today: CalendarDay.local(now))
    history.memory["q-single"] = memory
    return ProgressReport(
      course: Self.alphaCourse,
      review: ProgressReview(progress: LearnerProgress(), stats: ["q-single": stats], history: history, now: now)
    ).concepts.first
  }

  @Test func masteryIsRecentAccuracyDrawnTowardAHalfTimesPredictedRecall() throws {
    // Five right of the latest five: (5 + 1) / (5 + 2).
    let strong = try #require(alpha(AnswerStats(answers: 9, right: 6, recentAnswers: 5, recentRight: 5)))
    #expect(abs(strong.accuracy - 6.0 / 7) < 1e-9)
    #expect(strong.recall == nil && strong.level == .mastered && strong.percent == 86)
    #expect(alpha(AnswerStats(answers: 2, right: 2))?.level == .learning, "two answers are not enough")
    #expect(alpha(AnswerStats(answers: 4, right: 1))?.level == .weak)
    // Recall falls with time since the last review: FSRS's forgetting curve, 90% at the stability.
    let stability = 10.0
    let reviewed = testDate.addingTimeInterval(-stability * 86400)
    let fading = try #require(
      alpha(
        AnswerStats(answers: 5, right: 5), memory: StudyHistory.Memory(stability: stability, lastReview: reviewed)))
    #expect(abs((fading.recall ?? 0) - 0.9) < 1e-6)
    #expect(abs(fading.mastery - 6.0 / 7 * 0.9) < 1e-6)
    #expect(fading.level == .learning, "right five times, but not reviewed for ten days")
    let fresh = try #require(
      alpha(AnswerStats(answers: 5, right: 5), memory: StudyHistory.Memory(stability: stability, lastReview: testDate)))
    #expect(fresh.recall == 1 && fresh.level == .mastered)
  }

  @Test func conceptsAreListedWeakestFirstWithTheirBarsInPlainText() {
    let report = ProgressReport(
      course: Self.alphaCourse, progress: LearnerProgress(), stats: ["q-single": AnswerStats(answers: 4, right: 1)])
    #expect(report.weak.map(\.concept) == ["alpha"])
    #expect(
      report.lines.contains("   33% ███▍░░░░░░ weak: alpha (1/4 right); drill it: tutor review --cram alpha"),
      "\(report.lines)")
    #expect(ProgressReport.bar(0, width: 4) == "░░░░" && ProgressReport.bar(1, width: 4) == "████")
    #expect(ProgressReport.bar(0.5, width: 3) == "█▌░")
    // Every eighth of a cell, at two widths: full cells, one partial cell, then empty ones.
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    for width in [1, 10] {
      for eighths in 0...(width * 8) {
        let cells =
          String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
          + String(repeating: "░", count: width - eighths / 8 - (eighths % 8 == 0 ? 0 : 1))
        #expect(
          ProgressReport.bar(Double(eighths) / Double(width * 8), width: width) == cells, "\(eighths)/\(width * 8)")
      }
    }
    #expect(ProgressReport.bar(1.5, width: 2) == "██" && ProgressReport.bar(-1, width: 2) == "░░")
    #expect(
      ProgressReport.sparkline([Score(points: 0, total: 4), Score(points: 2, total: 4), Score(points: 4, total: 4)])
        == "▁▅█")
    #expect(ProgressReport.duration(milliseconds: 40_999) == "40 s")
    #expect(ProgressReport.duration(milliseconds: 14 * 60_000) == "14 min")
    #expect(ProgressReport.duration(milliseconds: 125 * 60_000) == "2 h 05 min")
  }

  @Test func theStudyCalendarStreakAndWeekComeFromTheDaysStudied() {
    let today = CalendarDay("2026-12-03")!  // a Thursday
    #expect(today.weekday == 3)
    let days = [-20, -19, -18, -17, -3, -1, 0].map {
      StudyHistory.Day(day: today.adding(days: $0), answers: 10 - $0 / 4, milliseconds: 60_000)
    }
    let activity = ProgressReport.Activity(StudyHistory(days: days, today: today))
    #expect(activity.streak == 2 && activity.longestStreak == 4 && activity.daysStudied == 7)
    #expect(activity.weekAnswers == 10 + 10 + 10 && activity.weekMilliseconds == 180_000, "Monday to today")
    let calendar = activity.calendar(weeks: 12)
    #expect(calendar.count == 7 && calendar.allSatisfy { $0.count == 12 })
    #expect(calendar[3][11] == 10 && calendar[4][11] == nil, "today is this week's Thursday; Friday is to come")
    #expect(calendar[2][10] == 0 && calendar[0][11] == 10, "last week's Wednesday empty, this Monday studied")
    // Yesterday's streak still counts while today has no answers yet.
    let morning = ProgressReport.Activity(StudyHistory(days: Array(days.dropLast()), today: today))
    #expect(morning.streak == 1)
  }

  @Test func calendarDaysCountLikeTheCalendar() {
    #expect(CalendarDay("1970-01-01")?.number == 0)
    #expect(CalendarDay("2000-03-01")!.adding(days: -1).description == "2000-02-29")
    #expect(CalendarDay("2100-03-01")!.adding(days: -1).description == "2100-02-28")
    #expect(CalendarDay("2026-11-30")!.weekday == 0, "a Monday")
    #expect(CalendarDay("2026-13-01") == nil && CalendarDay("26-11-30") == nil)
    for malformed in ["+026-11-30", "2026-1a-30", "2026/11/30", "2026-11-300", "2026-11-3", "２026-11-30", ""] {
      #expect(CalendarDay(malformed) == nil, "\(malformed)")
    }
    for number in stride(from: -300_000, to: 2_900_000, by: 997) {
      #expect(CalendarDay(CalendarDay(number: number).description)?.number == number)
    }
  }

  @Test func theForecastDrawsAsBars() {
    #expect(ProgressScreen.sparkline([0, 1, 8, 4]) == " ▁█▄")
  }
}

@Suite struct ProgressScreenTests {
  @Test func homeOpensTheProgressReviewAndTheStoreFillsIt() {
    var progress = LearnerProgress()
    progress.review = ReviewQueue(
      due: ["q-single"], forecast: [1, 0, 2] + Array(repeating: 0, count: 11), leeches: [], scheduled: 3)
    var driver = AppDriver(progress: progress)
    // Review, lesson, two quizzes, Progress: End jumps to the last row.
    let commands = driver.press(.end, .enter)
    #expect(commands == [.loadProgressReview(questions: Fixtures.courseWithTypes.questionsByID.keys.sorted())])
    #expect(driver.screen[0].hasPrefix(" Progress: Test course"))
    #expect(!driver.text.contains("Reading your answers…"), "the store answered at once")
    let today = CalendarDay.local(testDate)
    let history = StudyHistory(
      days: [StudyHistory.Day(day: today, answers: 7, milliseconds: 90_000)], today: today,
      attempts: [0, 2, 3].map {
        StudyHistory.ScoredAttempt(quizID: "basics-quiz", finishedAt: testDate, score: Score(points: $0, total: 3))
      })
    _ = App.update(
      &driver.state,
      .reviewLoaded(["q-single": AnswerStats(answers: 2, right: 1, wrongPicks: ["b": 1])], history: history))
    #expect(driver.text.contains("Streak 1 day · longest 1 · this week 7 answers in 1 min · 1 days studied"))
    #expect(driver.text.contains("· 1. Basics — not started"))
    driver.press(.pageDown)
    #expect(driver.text.contains("1 due now · 3 questions scheduled"), "\(driver.text)")
    #expect(driver.text.contains("Next 14 days  ▄ █"))
    #expect(driver.text.contains("1× “B” — Pick a."))
    #expect(driver.text.contains("scores ▁▆█ (3 attempts)"))
    driver.press(.escape)
    #expect(driver.state.stack.count == 1)
  }

  @Test func aConceptIsOneKeyFromItsDrillAndItsLesson() throws {
    var driver = AppDriver(course: ProgressReportTests.alphaCourse)
    driver.press(.end, .enter)
    _ = driver.send(.reviewLoaded(["q-single": AnswerStats(answers: 4, right: 1, lastRight: true)]))
    #expect(driver.text.contains("›  33% ███▍░░░░░░ alpha      weak · 1/4 right"), "\(driver.text)")
    #expect(driver.screen.last?.contains("o its lesson") == true)
    driver.press(.character("o"))
    guard case .lesson(let lesson) = driver.state.top else {
      Issue.record("o opens the step its question points to")
      return
    }
    #expect(lesson.step == 0 && lesson.isVisit)
    driver.press(.character("q"), .enter)
    let quiz = try #require(driver.quiz, "Enter practises the concept")
    #expect(quiz.mode == .cram && quiz.run.order == ["q-single"])
  }

  @Test func theCalendarIsLegibleWithoutColour() {
    var driver = AppDriver()
    driver.press(.end, .enter)
    let today = CalendarDay.local(testDate)
    let days = [(0, 3), (-1, 20), (-8, 40), (-9, 9)].map {
      StudyHistory.Day(day: today.adding(days: $0.0), answers: $0.1, milliseconds: 0)
    }
    _ = driver.send(.reviewLoaded([:], history: StudyHistory(days: days, today: today)))
    let calendar = driver.screen.filter {
      ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "].contains(where: $0.contains)
    }
    #expect(calendar.count == 7, "\(driver.text)")
    let row = { (day: CalendarDay) in calendar[day.weekday] }
    #expect(row(today).contains("░"), "3 answers: the lightest shade")
    #expect(row(today.adding(days: -1)).contains("▓"))
    #expect(row(today.adding(days: -8)).contains("█"))
    #expect(row(today.adding(days: -9)).contains("▒"))
    #expect(driver.text.contains("· none  ░ 1–4  ▒ 5–14  ▓ 15–29  █ 30+ answers a day"))
  }
}

/// Progress you can act on: drills from the progress review, revisits from the results.
@Suite struct ActionableProgressTests {
  func progressWithDrills() -> AppDriver {
    var progress = LearnerProgress()
    progress.flagged = ["t-short"]
    var driver = AppDriver(progress: progress)
    driver.press(.end, .enter)
    _ = driver.send(
      .reviewLoaded([
        "q-single": AnswerStats(answers: 2, right: 1, wrongPicks: ["b": 1], lastRight: false),
        "q-tf": AnswerStats(answers: 1, right: 1, lastRight: true),
      ]))
    return driver
  }

  @Test func progressOffersDrillsAndEnterStartsOne() throws {
    var driver = progressWithDrills()
    #expect(driver.text.contains("› Answered wrong lately — 1 question"))
    #expect(driver.text.contains("· Flagged for review — 1 question"))
    driver.press(.down)
    #expect(driver.text.contains("› Flagged for review"))
    driver.press(.up, .enter)
    guard let quiz = driver.quiz else {
      Issue.record("Enter starts the drill")
      return
    }
    #expect(quiz.mode == .cram, "a drill leaves the schedule alone")
    #expect(quiz.run.order == ["q-single"])
    #expect(driver.screen[0].hasPrefix(" Drill: Answered wrong lately"))
    #expect(driver.screen.last?.contains("lesson") == true, "the question's lesson step is one key away")
  }

  @Test func resultsOpenTheStepToRevisitAndComeBack() throws {
    var driver = AppDriver()
    driver.press(.down, .enter)
    driver.press(.character("b"), .enter, .enter)  // q-single wrong: it has a see: link
    driver.press(.character("a"), .character("c"), .enter, .enter)
    driver.press(.character("f"), .enter, .enter)
    #expect(driver.text.contains("› Revisit: Basics › First step (step 1)"))
    driver.press(.enter)
    guard case .lesson(let lesson) = driver.state.top else {
      Issue.record("Enter opens the step")
      return
    }
    #expect(lesson.step == 0 && lesson.isVisit)
    driver.press(.character("q"))
    #expect(driver.screen[0].hasPrefix(" Results: Basics quiz"), "q comes back to the results")
  }
}

extension AppMessage {
  /// The store's answer to the progress review: these statistics, and a study history.
  static func reviewLoaded(
    _ stats: [String: AnswerStats], history: StudyHistory = StudyHistory(today: CalendarDay.local(testDate))
  ) -> AppMessage {
    .progressReviewLoaded(ProgressReview(progress: LearnerProgress(), stats: stats, history: history, now: testDate))
  }
}

@Suite struct CohortReportTests {
  @Test func theClassViewGathersEachStudentsReport() {
    let course = ProgressReportTests.alphaCourse
    func student(_ name: String, best: Score?, stats: [String: AnswerStats]) -> CohortReport.Student {
      var progress = LearnerProgress()
      if let best { progress.quizzes["basics-quiz"] = QuizProgress(bestScore: best) }
      let report = ProgressReport(course: course, progress: progress, stats: stats)
      return CohortReport.Student(name: name, report: report, stats: stats, lastStudied: nil)
    }
    let report = CohortReport(
      course: course,
      students: [
        student(
          "ana", best: Score(points: 3, total: 4),
          stats: ["q-single": AnswerStats(answers: 4, right: 1, wrongPicks: ["b": 3])]),
        student("ben", best: Score(points: 1, total: 4), stats: ["q-single": AnswerStats(answers: 2, right: 2)]),
        student("cleo", best: nil, stats: ["q-single": AnswerStats(answers: 1, right: 0, wrongPicks: ["b": 1])]),
      ])
    let quiz = report.quizzes.first { $0.id == "basics-quiz" }
    #expect(quiz?.best == [75, 25, nil] && quiz?.median == 50)
    #expect(report.concepts.map(\.id) == ["alpha"] && report.concepts[0].mastery == [33, 75, 33])
    #expect(report.concepts[0].mean == 47)
    #expect(
      report.misconceptions.count == 1 && report.misconceptions[0].students == 2 && report.misconceptions[0].times == 4)
    #expect(report.missed.map(\.id) == ["q-single"] && report.missed[0].wrong == 4 && report.missed[0].answers == 7)
    #expect(report.students.map(\.meanBest) == [75, 25, nil])
    #expect(report.csvRows[1].prefix(4) == ["ana", "0", "1", "75"])
    #expect(report.csvRows[0].last == "concept:alpha" && report.csvRows[3].last == "33")
    #expect(report.lines.contains("  Basics quiz  taken by 2, median 50%, lowest 25%, highest 75%"), "\(report.lines)")
  }
}
