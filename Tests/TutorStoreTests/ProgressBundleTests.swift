import Foundation
import GRDB
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorStore

/// Progress that travels: a bundle from one store merged into another, losing neither side's
/// answers, and changing nothing the second time.
@Suite struct ProgressBundleTests {
  let folder = Fixtures.temporaryFolder()
  static let start = Date(timeIntervalSince1970: 1_800_000_000)
  static let course = ProgressBundle.CourseStamp(id: "test", title: "Test", questions: ["a": 1])

  func store(_ name: String) throws -> SQLiteProgressStore {
    try SQLiteProgressStore(path: folder.appendingPathComponent(name).path)
  }

  func answer(_ id: String, score: Double = 1, in context: AnswerRecord.Context = .review) -> AnswerRecord {
    AnswerRecord(
      questionID: id, questionVersion: 1, context: context, response: "x",
      grade: Grade(score: score, chosenChoiceIDs: ["b"]),
      rating: score > 0 ? .good : .again)
  }

  /// Every table's rows for a learner, as text, to compare whole stores.
  func dump(_ store: SQLiteProgressStore) throws -> [String] {
    let path = store.path
    return try DatabaseQueue(path: path).read { db in
      var lines: [String] = []
      for table in [
        "answer", "quizAttempt", "lessonState", "reviewCard", "flag", "setting", "resume", "quizState",
        "questionStats", "studyDay",
      ] {
        let columns = try db.columns(in: table).map(\.name).filter {
          $0 != "id" && $0 != "quizAttemptId" && $0 != "openAttemptId"
        }
        for row in try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table)") {
          lines.append(table + " " + row.description)
        }
      }
      return lines.sorted()
    }
  }

  /// Each pair of backends the bundle travels between (a file at home, the school's server).
  static var journeys: [(StoreBackend, StoreBackend)] {
    StoreBackend.available.flatMap { from in StoreBackend.available.map { (from, $0) } }
  }

  /// What a store holds for a learner, through its own reads (the same on every backend).
  func holding(_ store: any SQLProgressStore, learner: Int64, name: String) throws -> (ProgressBundle, ProgressReview) {
    (
      try store.bundle(learner: learner, name: name, course: Self.course, tutor: "test", at: Self.start),
      try store.progressReview(learner: learner, now: Self.start.addingTimeInterval(86400))
    )
  }

  @Test(arguments: journeys) func aBundleMergesIntoAnotherStoreAndASecondImportChangesNothing(
    from: StoreBackend, to: StoreBackend
  ) throws {
    let home = try from.freshStore(in: folder)
    let ana = try home.learnerID(named: "ana", at: Self.start)
    try home.record(answer("q1"), learner: ana, at: Self.start)
    let attempt = try home.beginAttempt(learner: ana, quizID: "quiz", seed: 3, order: ["q2"], at: Self.start)
    try home.record(
      answer("q2", in: .quiz(id: "quiz", attempt: attempt)), learner: ana, at: Self.start.addingTimeInterval(60))
    try home.finishAttempt(
      attempt, learner: ana, score: Score(points: 1, total: 1), at: Self.start.addingTimeInterval(61))
    try home.saveLessonPosition(learner: ana, lessonID: "basics", step: 2, at: Self.start)
    _ = try home.setSetting("new-per-day", to: "5", learner: ana)
    let bundle = try home.bundle(learner: ana, name: "ana", course: Self.course, tutor: "test", at: Self.start)
    #expect(bundle.answers.count == 2 && bundle.attempts.count == 1 && bundle.cards.count == 2)

    // The same bundle read back from its JSON.
    let read = try ProgressBundle.read(try bundle.json()).get()
    #expect(read == bundle)

    let school = try to.freshStore(in: folder)
    let me = try school.learnerID(named: "ana-at-school", at: Self.start)
    try school.record(answer("q1", score: 0), learner: me, at: Self.start.addingTimeInterval(3600))
    try school.record(answer("q3"), learner: me, at: Self.start.addingTimeInterval(3600))
    try school.saveLessonPosition(learner: me, lessonID: "basics", step: 1, at: Self.start)
    try school.markLessonComplete(learner: me, lessonID: "basics", at: Self.start.addingTimeInterval(100))

    let first = try school.merge(read, learner: me)
    #expect(first.answers == 2 && first.attempts == 1 && first.lessons == 1 && first.settings == 1)
    #expect(first.cards == 1, "q2's schedule comes over; q1 keeps the one reviewed last, here")
    let merged = try holding(school, learner: me, name: "ana-at-school")
    let second = try school.merge(read, learner: me)
    #expect(second.isEmpty)
    #expect(try holding(school, learner: me, name: "ana-at-school") == merged, "the second import changes nothing")

    let progress = try school.progress(learner: me)
    #expect(progress.lessons["basics"]?.step == 2 && progress.lessons["basics"]?.isComplete == true)
    #expect(progress.quizzes["quiz"]?.bestScore == Score(points: 1, total: 1))
    let stats = try school.answerStats(learner: me)
    #expect(stats["q1"]?.answers == 2 && stats["q1"]?.right == 1, "both sides' answers to q1")
    #expect(stats["q2"]?.answers == 1 && stats["q3"]?.answers == 1)
    #expect(try school.settings(learner: me).newPerDay == 5)
    let q1 = try #require(try school.reviewCard(learner: me, questionID: "q1"))
    #expect(q1.failures == 1, "the later review (a lapse, at school) wins")
    // Back home, the school's answers join without doubling home's.
    let back = try home.merge(
      try school.bundle(learner: me, name: "ana-at-school", course: Self.course, tutor: "test", at: Self.start),
      learner: ana)
    #expect(back.answers == 2)
    #expect(try home.answerStats(learner: ana) == stats)
  }

  @Test func whatIsNotABundleThisTutorCanTakeIsRefusedWithItsReason() throws {
    func problem(_ text: String) -> ProgressBundle.Problem? {
      if case .failure(let problem) = ProgressBundle.read(Data(text.utf8)) { return problem }
      return nil
    }
    let good = String(
      decoding: try ProgressBundle(
        tutor: "t", exportedAt: "2026-12-01 00:00:00.000", learner: "ana", course: Self.course
      )
      .json(), as: UTF8.self)
    #expect(problem(good) == nil)
    if case .notJSON = problem(String(good.dropLast(20))) {} else { Issue.record("a cut file is not JSON") }
    #expect(problem("{\"answers\": []}") == .notABundle)
    #expect(problem("[1, 2]") == .notABundle)
    #expect(
      problem("{\"format\": \"tutor-progress-bundle\", \"version\": 2, \"tutor\": \"9.0\"}")
        == .newer(version: 2, tutor: "9.0"))
    #expect(
      problem(good.replacingOccurrences(of: "\"learner\":\"ana\"", with: "\"learner\":7"))?.description.hasPrefix(
        "it is damaged") == true)
    var twice = try ProgressBundle.read(Data(good.utf8)).get()
    let answer = ProgressBundle.Answer(
      uid: "u1", question: "a", questionVersion: 1, lesson: nil, quiz: nil, attempt: nil, response: "x", score: 1,
      chosen: [], hintsUsed: 0, confidence: nil, durationMs: nil, mode: "review", answeredAt: "2026-12-01 00:00:00.000",
      stateBefore: nil, shownOrder: nil, deferredRating: nil, given: nil)
    var badDate = twice
    badDate.cards = [
      .init(
        question: "a", questionVersion: 1, state: 2, step: nil, stability: 1, difficulty: 5, lastReview: nil, due: "",
        reps: 1, failures: 0, isLeech: false)
    ]
    #expect(
      problem(String(decoding: try badDate.json(), as: UTF8.self))
        == .damaged(detail: "a card's due '' is not a date written yyyy-MM-dd HH:mm:ss.SSS"))
    twice.answers = [answer, answer]
    #expect(
      problem(String(decoding: try twice.json(), as: UTF8.self)) == .damaged(detail: "two answers have the uid u1"))
  }
}

extension ProgressBundleTests {
  @Test(arguments: StoreBackend.available) func aResetClearsALessonAQuizOrEverythingButTheSettings(
    backend: StoreBackend
  ) throws {
    let store = try backend.freshStore(in: folder)
    let ana = try store.learnerID(named: "ana", at: Self.start)
    try store.record(answer("q1", in: .checkpoint(lesson: "basics")), learner: ana, at: Self.start)
    try store.saveLessonPosition(learner: ana, lessonID: "basics", step: 2, at: Self.start)
    let attempt = try store.beginAttempt(learner: ana, quizID: "quiz", seed: 3, order: ["q2"], at: Self.start)
    try store.record(answer("q2", in: .quiz(id: "quiz", attempt: attempt)), learner: ana, at: Self.start)
    try store.record(answer("q1"), learner: ana, at: Self.start)
    _ = try store.setSetting("new-per-day", to: "5", learner: ana)
    #expect(try store.resetCounts(.quiz("quiz"), learner: ana) == (1, 1))

    try store.reset(.lesson("basics"), learner: ana)
    var progress = try store.progress(learner: ana)
    #expect(progress.lessons["basics"] == nil && progress.quizzes["quiz"] != nil)
    #expect(try store.answerStats(learner: ana)["q1"]?.answers == 1, "the review answer to q1 stays")
    #expect(try store.reviewCard(learner: ana, questionID: "q1") != nil, "and so does its schedule")

    try store.reset(.quiz("quiz"), learner: ana)
    progress = try store.progress(learner: ana)
    #expect(progress.quizzes["quiz"] == nil)
    #expect(try store.reviewCard(learner: ana, questionID: "q2") == nil, "q2 has no answers left")

    try store.reset(.all, learner: ana)
    #expect(try store.answerStats(learner: ana).isEmpty)
    #expect(try store.progressReview(learner: ana, now: Self.start).history.days.isEmpty)
    #expect(try store.settings(learner: ana).newPerDay == 5, "settings stay")
  }
}

@Suite struct JSONColumnTests {
  @Test func listsAndCountsReadBackAsFoundationReadsThem() throws {
    for list in [[], ["a"], ["a", "b, c"], ["quote \" and \\ backslash", "tab\tline\nend", "\u{1}", "ünï ✓"]] {
      let text = try JSONColumn.json(list)
      #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == list, "\(text)")
      #expect(try JSONColumn.decodeJSON(text) == list)
    }
    #expect(JSONColumn.simpleList("[ \"a\" , \"b\" ]") == ["a", "b"])
    #expect(JSONColumn.simpleList("[\"a\\\"b\"]") == nil, "an escape goes to Foundation")
    #expect(try JSONColumn.decodeJSON("[\"a\\\"b\"]") == ["a\"b"])
    #expect(JSONColumn.simpleList("[\"a\"") == nil && JSONColumn.simpleList("[\"a\"] x") == nil)
    let counts = JSONColumn.json(["b": 2, "a\"": 1])
    #expect(try JSONDecoder().decode([String: Int].self, from: Data(counts.utf8)) == ["b": 2, "a\"": 1])
    // Counts read back as written, escapes and all; the quick reader leaves anything unusual
    // to Foundation.
    for picks in [[:], ["b": 2], ["b": 2, "a\"": 1, "ünï ✓": 12, "x/y": 3, "tab\t": 4], ["a": 123_456_789_012]] {
      #expect(JSONColumn.decodeCounts(JSONColumn.json(picks)) == picks, "\(JSONColumn.json(picks))")
    }
    #expect(JSONColumn.simpleCounts(" { \"a\" : 1 , \"b\":2 } ") == nil, "a space after the object is not read")
    #expect(JSONColumn.simpleCounts("{ \"a\" : 1 , \"b\":2 }") == ["a": 1, "b": 2])
    #expect(JSONColumn.simpleCounts("{\"a\\\"\":1}") == nil, "an escape goes to Foundation")
    for broken in ["{", "{\"a\"", "{\"a\":}", "{\"a\":1", "{\"a\":1,}", "{\"a\":-1}", "{\"a\":1.5}", "[1]", "", "{}x"] {
      #expect(JSONColumn.simpleCounts(broken) == nil, "\(broken)")
    }
    #expect(JSONColumn.decodeCounts("{\"a\":-1}") == ["a": -1], "Foundation reads what the quick reader leaves")
    #expect(JSONColumn.decodeCounts("not json") == [:])
  }
}

extension ProgressBundleTests {
  /// The hand-written JSON is the text Foundation's encoder writes, and reads back the same.
  @Test func theBundleIsWrittenAsFoundationWritesIt() throws {
    var bundle = ProgressBundle(
      tutor: "0.1", exportedAt: "2026-12-01 00:00:00.000", learner: "Zoë \"z\" / \\ \u{1}\u{8}\u{c}\t\n",
      course: .init(id: "c", title: "Épilepsie ✓", questions: ["b": 2, "a": 1]))
    bundle.answers = [
      .init(
        uid: "u1", question: "q", questionVersion: 1, lesson: nil, quiz: "z", attempt: "a1", response: "1, 2",
        score: 0.5, chosen: ["a", "b\""], hintsUsed: 2, confidence: "sure", durationMs: 1200, mode: "practice",
        answeredAt: "2026-12-01 00:00:01.000", stateBefore: 2, shownOrder: ["b", "a"], deferredRating: nil,
        given: "{\"single\":\"a\"}"),
      .init(
        uid: "u2", question: "q", questionVersion: 1, lesson: "l", quiz: nil, attempt: nil, response: "", score: 1,
        chosen: [], hintsUsed: 0, confidence: nil, durationMs: nil, mode: "checkpoint",
        answeredAt: "2026-12-01 00:00:02.000", stateBefore: nil, shownOrder: nil, deferredRating: 3, given: nil),
    ]
    bundle.attempts = [
      .init(
        uid: "a1", quiz: "z", seed: -7, order: ["q"], mode: "exam", asksConfidence: true,
        startedAt: "2026-12-01 00:00:00.000", finishedAt: nil, points: 2.25, total: 3)
    ]
    bundle.cards = [
      .init(
        question: "q", questionVersion: 1, state: 2, step: nil, stability: 3.1234567891, difficulty: 5,
        lastReview: "2026-12-01 00:00:01.000", due: "2026-12-04 00:00:01.000", reps: 1, failures: 0, isLeech: false)
    ]
    bundle.flags = [.init(question: "q", flaggedAt: "2026-12-01 00:00:00.000")]
    bundle.lessons = [.init(lesson: "l", step: 2, completedAt: nil, updatedAt: "2026-12-01 00:00:00.000")]
    bundle.settings = ["retention": "0.9", "new-per-day": "5"]
    bundle.resume = .init(kind: "quiz", item: "z", step: 0, updatedAt: "2026-12-01 00:00:00.000")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let written = try bundle.json()
    #expect(String(decoding: written, as: UTF8.self) == String(decoding: try encoder.encode(bundle), as: UTF8.self))
    #expect(try ProgressBundle.read(written).get() == bundle)
  }
}

extension ProgressBundleTests {
  /// An exam open on both machines, then submitted on one: importing the submission brings its
  /// answers into the other's statistics.
  @Test(arguments: journeys) func anExamSubmittedElsewhereCountsOnceItsEndingIsImported(
    from: StoreBackend, to: StoreBackend
  ) throws {
    let home = try from.freshStore(in: folder)
    let ana = try home.learnerID(named: "ana", at: Self.start)
    let exam = try home.beginAttempt(learner: ana, quizID: "quiz", seed: 1, order: ["q1"], mode: .exam, at: Self.start)
    try home.record(
      AnswerRecord(
        questionID: "q1", questionVersion: 1, context: .quiz(id: "quiz", attempt: exam), response: "a",
        grade: Grade(score: 1), mode: .exam, scheduling: .atSubmission(.good)), learner: ana, at: Self.start)
    let school = try to.freshStore(in: folder)
    let me = try school.learnerID(named: "ana", at: Self.start)
    _ = try school.merge(
      try home.bundle(learner: ana, name: "ana", course: Self.course, tutor: "t", at: Self.start), learner: me)
    #expect(try school.answerStats(learner: me).isEmpty, "an open exam does not count yet")
    try home.finishAttempt(exam, learner: ana, score: Score(points: 1, total: 1), at: Self.start.addingTimeInterval(60))
    let summary = try school.merge(
      try home.bundle(learner: ana, name: "ana", course: Self.course, tutor: "t", at: Self.start), learner: me)
    #expect(summary.attempts == 1 && summary.answers == 0)
    #expect(try school.answerStats(learner: me)["q1"]?.answers == 1)
    #expect(try school.progress(learner: me).quizzes["quiz"]?.bestScore == Score(points: 1, total: 1))
  }
}

extension ProgressBundleTests {
  /// A large import counts its days in one pass instead of through the trigger: the days come
  /// out the same, and the trigger is back for the next answer.
  @Test func aLargeImportCountsItsStudyDaysAsTheTriggerWould() throws {
    var all = ProgressBundle(tutor: "t", exportedAt: "2026-12-01 00:00:00.000", learner: "ana", course: Self.course)
    all.answers = (0..<6_000).map { index in
      let day = 10 + index % 3
      return ProgressBundle.Answer(
        uid: "u\(index)", question: "q\(index % 40)", questionVersion: 1, lesson: nil, quiz: nil, attempt: nil,
        response: "a", score: index % 4 == 0 ? 0 : 1, chosen: ["a"], hintsUsed: 0, confidence: nil,
        durationMs: 1_000 + index, mode: "review", answeredAt: "2026-11-\(day) 12:00:00.000", stateBefore: nil,
        shownOrder: nil, deferredRating: nil, given: nil)
    }
    let bulk = try store("bulk.sqlite")
    let ana = try bulk.learnerID(named: "ana", at: Self.start)
    #expect(try bulk.merge(all, learner: ana).answers == 6_000)
    let piecemeal = try store("piecemeal.sqlite")
    let ben = try piecemeal.learnerID(named: "ana", at: Self.start)
    for half in [all.answers.prefix(3_000), all.answers.suffix(3_000)] {
      var part = all
      part.answers = Array(half)
      _ = try piecemeal.merge(part, learner: ben)
    }
    let days = try bulk.progressReview(learner: ana, now: Self.start).history.days
    #expect(days.count == 3 && days.map(\.answers) == [2_000, 2_000, 2_000])
    #expect(days == (try piecemeal.progressReview(learner: ben, now: Self.start).history.days))
    #expect(try bulk.answerStats(learner: ana) == (try piecemeal.answerStats(learner: ben)))
    try bulk.record(answer("q1"), learner: ana, at: Self.start)
    #expect(try bulk.progressReview(learner: ana, now: Self.start).history.days.count == 4, "the trigger counts again")
  }
}

extension ProgressBundleTests {
  /// A bundle of a heavy learner, over 300 questions and many days, some answers wrong.
  static func heavyBundle(answers: Int) -> ProgressBundle {
    var bundle = ProgressBundle(tutor: "t", exportedAt: "2026-12-01 00:00:00.000", learner: "ana", course: course)
    bundle.answers = (0..<answers).map { index in
      let wrong = index % 5 == 0
      return ProgressBundle.Answer(
        uid: "u\(index)", question: "q\(index * 7 % 300)", questionVersion: 1, lesson: index % 9 == 0 ? "l" : nil,
        quiz: index % 13 == 0 ? "exam" : nil, attempt: index % 13 == 0 ? "open-exam" : nil, response: wrong ? "b" : "a",
        score: wrong ? 0 : 1,
        chosen: [wrong ? "b\(index % 3)" : "a"],
        hintsUsed: 0, confidence: nil, durationMs: index % 700 * 1_000, mode: index % 11 == 0 ? "prediction" : "review",
        answeredAt: String(
          format: "2026-%02d-%02d %02d:%02d:00.000", 1 + index % 11, 1 + index % 28, index % 24, index % 60),
        stateBefore: nil, shownOrder: nil, deferredRating: nil, given: nil)
    }
    // An exam still open: its answers do not count yet.
    bundle.attempts = [
      .init(
        uid: "open-exam", quiz: "exam", seed: 1, order: [], mode: "exam", asksConfidence: false,
        startedAt: "2026-01-01 00:00:00.000", finishedAt: nil, points: nil, total: nil)
    ]
    return bundle
  }

  /// An import of more answers than the store holds drops the answer indexes and builds them
  /// again; the store comes out as answer-by-answer imports leave it, with the same indexes.
  @Test func aHeavyImportRebuildsTheIndexesAndLeavesTheStoreAsSmallImportsWould() throws {
    let all = Self.heavyBundle(answers: 12_000)
    let rebuilds = 10_000
    let heavy = try store("heavy.sqlite")
    let ana = try heavy.learnerID(named: "ana", at: Self.start)
    #expect(try heavy.merge(all, learner: ana, rebuildingIndexesFrom: rebuilds).answers == all.answers.count)
    let small = try store("small.sqlite")
    let ben = try small.learnerID(named: "ana", at: Self.start)
    for start in stride(from: 0, to: all.answers.count, by: AnswerImport.bulk) {
      var part = all
      part.answers = Array(all.answers[start..<min(start + AnswerImport.bulk, all.answers.count)])
      _ = try small.merge(part, learner: ben)
    }
    // The one-question refresh, question by question, as the reference for the statistics.
    try small.writing { db in
      for question in Set(all.answers.map(\.question)) {
        try QuestionStats.refresh(SQLiteConnection(db: db), learner: ben, questionID: question)
      }
    }
    let before = try dump(heavy)
    #expect(before == (try dump(small)))
    func indexes(_ store: SQLiteProgressStore) throws -> [String] {
      try DatabaseQueue(path: store.path).read { db in
        try String.fetchAll(
          db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1")
      }
    }
    #expect(try indexes(heavy) == (try indexes(small)))
    #expect(try indexes(heavy).contains { $0.contains("answerUID") })
    #expect(
      try heavy.merge(all, learner: ana, rebuildingIndexesFrom: rebuilds).isEmpty, "the second import adds nothing")
    // Half here already: the other half comes in without a rebuild, and the first half is skipped.
    let half = try store("half.sqlite")
    let cy = try half.learnerID(named: "ana", at: Self.start)
    var first = all
    first.answers = Array(all.answers.prefix(all.answers.count / 2))
    _ = try half.merge(first, learner: cy, rebuildingIndexesFrom: rebuilds)
    #expect(
      try half.merge(all, learner: cy, rebuildingIndexesFrom: rebuilds).answers == all.answers.count
        - first.answers.count)
    #expect(try dump(half) == before)
    #expect(try dump(heavy) == before)
    // In time order, as an export writes it, the tally takes each question's answers backwards.
    var ordered = all
    ordered.answers = all.answers.enumerated().sorted { a, b in
      a.element.answeredAt == b.element.answeredAt ? a.offset < b.offset : a.element.answeredAt < b.element.answeredAt
    }.map(\.element)
    let timed = try store("timed.sqlite")
    let dee = try timed.learnerID(named: "ana", at: Self.start)
    _ = try timed.merge(ordered, learner: dee, rebuildingIndexesFrom: rebuilds)
    let tallied = try dump(timed)
    try timed.writing { db in
      for question in Set(all.answers.map(\.question)) {
        try QuestionStats.refresh(SQLiteConnection(db: db), learner: dee, questionID: question)
      }
    }
    #expect(try dump(timed) == tallied)
    #expect(tallied.filter { $0.hasPrefix("questionStats") }.count == 300)
  }
}
