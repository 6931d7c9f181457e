import Foundation

/// How a learner has answered one question so far.
public struct AnswerStats: Equatable, Sendable {
  public var answers: Int
  public var right: Int
  /// Wrong picks of each option, by choice id (what misconceptions the learner holds).
  public var wrongPicks: [String: Int]
  /// Whether the latest answer was right (nil before any).
  public var lastRight: Bool?
  /// The latest answers (up to `AnswerStats.recentWindow`) and how many of them were right.
  public var recentAnswers: Int
  public var recentRight: Int
  /// How many of a question's latest answers make its recent accuracy.
  public static let recentWindow = 5

  /// Without recent counts, the latest answers are taken to be the right ones first.
  public init(
    answers: Int = 0, right: Int = 0, wrongPicks: [String: Int] = [:], lastRight: Bool? = nil,
    recentAnswers: Int? = nil, recentRight: Int? = nil
  ) {
    self.answers = answers
    self.right = right
    self.wrongPicks = wrongPicks
    self.lastRight = lastRight
    self.recentAnswers = recentAnswers ?? min(answers, Self.recentWindow)
    self.recentRight = recentRight ?? min(right, self.recentAnswers)
  }
}

/// What is mastered, what is weak, what is due, and how study went: the progress review, built
/// from values. The Progress screen, `tutor progress` and its JSON and CSV all read this one value.
public struct ProgressReport: Equatable, Sendable {
  public struct LessonLine: Equatable, Sendable {
    public var id: String
    public var title: String
    public var status: String
    public var isComplete: Bool
    /// The step reached (0-based) and the lesson's number of steps.
    public var step: Int?
    public var steps: Int
    public var checkpointsPassed: Int
    public var checkpoints: Int
  }
  public struct QuizLine: Equatable, Sendable {
    public var id: String
    public var title: String
    public var best: Score?
    public var last: Score?
    /// Answered so far in an unfinished attempt, and the attempt's length.
    public var inProgress: (answered: Int, of: Int)?
    /// Every score, oldest first.
    public var history: [Score]

    public static func == (a: QuizLine, b: QuizLine) -> Bool {
      a.id == b.id && a.title == b.title && a.best == b.best && a.last == b.last
        && a.inProgress?.answered == b.inProgress?.answered && a.inProgress?.of == b.inProgress?.of
        && a.history == b.history
    }

    public var status: String {
      var parts: [String] = []
      if let best { parts.append("best \(best.description)") }
      if let last, last != best { parts.append("last \(last.description)") }
      if let inProgress { parts.append("in progress, \(inProgress.answered) of \(inProgress.of) answered") }
      return parts.isEmpty ? "not taken" : parts.joinedText(separator: ", ")
    }
  }

  /// A concept's mastery: its recent accuracy times the predicted recall of its questions.
  public struct ConceptLine: Equatable, Sendable {
    public enum Level: String, Sendable { case weak, learning, mastered }
    public var concept: String
    /// Its readable name, from the lesson that declares it.
    public var name: String
    /// Every answer to its questions, and the right ones.
    public var right: Int
    public var answers: Int
    /// The latest answers to each of its questions (up to five each), and the right ones.
    public var recentRight: Int
    public var recentAnswers: Int
    /// FSRS's probability of recall now, averaged over its scheduled questions (nil: none is).
    public var recall: Double?
    /// Its answered questions.
    public var questionIDs: [String]

    /// Recent accuracy, drawn toward one half while the answers are few (one right and one wrong
    /// answer assumed beforehand): two right answers make 75 %, not 100 %.
    public var accuracy: Double { Double(recentRight + 1) / Double(recentAnswers + 2) }
    /// Between 0 and 1: what the learner got right lately and is predicted to still remember.
    public var mastery: Double { accuracy * (recall ?? 1) }
    public var percent: Int { Int((mastery * 100).rounded()) }
    /// By the percent shown, so that a concept shown at 60% is never called weak.
    public var level: Level {
      if answers >= 3 && percent >= Int(ProgressReport.masteredShare * 100) { return .mastered }
      return percent < Int(ProgressReport.weakShare * 100) ? .weak : .learning
    }
  }

  public struct Misconception: Equatable, Sendable {
    public var prompt: String
    public var choice: String
    /// What is wrong with the choice, as the author wrote it.
    public var feedback: String
    public var times: Int
  }

  /// The days studied: a calendar of answers, the streak, this week's time.
  public struct Activity: Equatable, Sendable {
    public var today: CalendarDay
    public var answersByDay: [CalendarDay: Int]
    /// Days in a row with answers, up to today (or to yesterday, while today has none yet).
    public var streak: Int
    public var longestStreak: Int
    /// Since Monday.
    public var weekAnswers: Int
    public var weekMilliseconds: Int
    public var daysStudied: Int

    public init(_ history: StudyHistory) {
      today = history.today
      var answersByDay = [CalendarDay: Int](minimumCapacity: history.days.count)
      for day in history.days { answersByDay[day.day, default: 0] += day.answers }
      self.answersByDay = answersByDay
      // The days with answers, oldest first, once each: as the store gives them (each day once,
      // in order), else from the sum of each day; walked rather than looked up (a learner of
      // three years has 1,000 days).
      let unique =
        zip(history.days, history.days.dropFirst()).allSatisfy({ $0.day < $1.day })
        ? history.days.filter { $0.answers > 0 }.map(\.day.number)
        : answersByDay.compactMap { $0.value > 0 ? $0.key.number : nil }.stablySorted(by: <)
      daysStudied = unique.count
      var day = unique.contains(today.number) ? today.number : today.number - 1
      var position = unique.count - 1
      while position >= 0 && unique[position] > day { position -= 1 }
      var streak = 0
      while position >= 0 && unique[position] == day {
        streak += 1
        day -= 1
        position -= 1
      }
      self.streak = streak
      var longest = 0
      var run = 0
      for (index, day) in unique.enumerated() {
        run = index > 0 && unique[index - 1] == day - 1 ? run + 1 : 1
        longest = max(longest, run)
      }
      longestStreak = longest
      let today = history.today
      let monday = today.adding(days: -today.weekday)
      let week = history.days.filter { $0.day >= monday && $0.day <= today }
      weekAnswers = week.reduce(0) { $0 + $1.answers }
      weekMilliseconds = week.reduce(0) { $0 + $1.milliseconds }
    }

    /// Answers per day for the last `weeks` weeks, a row per weekday (Monday first) and a column
    /// per week (this week last); nil for the days after today.
    public func calendar(weeks: Int) -> [[Int?]] {
      let firstMonday = today.adding(days: -today.weekday - 7 * (weeks - 1))
      return (0..<7).map { weekday in
        (0..<weeks).map { week in
          let day = firstMonday.adding(days: 7 * week + weekday)
          return day > today ? nil : answersByDay[day] ?? 0
        }
      }
    }
  }

  public var lessons: [LessonLine]
  public var quizzes: [QuizLine]
  public var review: ReviewQueue
  /// Every answered concept, weakest first.
  public var concepts: [ConceptLine]
  public var misconceptions: [Misconception]
  public var answered: Int
  public var activity: Activity

  /// A concept is mastered at this mastery (with at least 3 answers), weak below `weakShare`.
  public static let masteredShare = 0.8
  public static let weakShare = 0.6

  /// What the report reads of a course: its lessons and quizzes in order, the concepts' names,
  /// each question's concepts, and the text of a wrong option someone picked. From a `Course`,
  /// or from the cached `ProgressDigest` without reading the course.
  public struct Outline {
    public struct Lesson {
      public var id: String
      public var title: String
      public var order: Int
      public var steps: Int
      /// Its checkpoints' question ids, in reading order.
      public var checkpoints: [String]
    }
    public struct Quiz {
      public var id: String
      public var title: String
    }
    public var courseID: String
    public var courseTitle: String
    public var lessons: [Lesson]
    public var quizzes: [Quiz]
    /// Each concept's name, from the first lesson that names it (`Course.conceptName`).
    public var conceptNames: [String: String]
    /// A question's concepts; nil for a question the course does not have.
    public var concepts: (String) -> [String]?
    /// A question's prompt and one of its options (by question id and choice id).
    public var choice: (String, String) -> (prompt: String, choice: Choice)?

    public init(
      courseID: String, courseTitle: String, lessons: [Lesson], quizzes: [Quiz], conceptNames: [String: String],
      concepts: @escaping (String) -> [String]?, choice: @escaping (String, String) -> (prompt: String, choice: Choice)?
    ) {
      self.courseID = courseID
      self.courseTitle = courseTitle
      self.lessons = lessons
      self.quizzes = quizzes
      self.conceptNames = conceptNames
      self.concepts = concepts
      self.choice = choice
    }

    public init(_ course: Course) {
      let questions = course.questionsByID
      var conceptNames: [String: String] = [:]
      for lesson in course.lessons { conceptNames.merge(lesson.conceptNames) { first, _ in first } }
      self.init(
        courseID: course.info.id, courseTitle: course.info.title,
        lessons: course.lessons.map {
          Lesson(
            id: $0.id, title: $0.title, order: $0.order, steps: $0.steps.count,
            checkpoints: $0.checkpoints.map(\.questionID))
        },
        quizzes: course.quizzes.map { Quiz(id: $0.id, title: $0.title) }, conceptNames: conceptNames,
        concepts: { questions[$0]?.concepts },
        choice: { id, choiceID in
          guard let question = questions[id], let choice = question.choices.first(where: { $0.id == choiceID })
          else { return nil }
          return (question.prompt, choice)
        })
    }
  }

  public init(course: Course, review data: ProgressReview) {
    self.init(outline: Outline(course), review: data)
  }

  public init(outline: Outline, review data: ProgressReview) {
    let progress = data.progress
    let stats = data.stats
    lessons = outline.lessons.map { lesson in
      let state = progress.lessons[lesson.id]
      let checkpoints = lesson.checkpoints
      let checks = state.map { state in checkpoints.filter { state.passedCheckpoints.contains($0) }.count } ?? 0
      var status: String
      if state?.isComplete == true {
        status = "complete"
      } else if let state {
        status = "step \(state.step + 1) of \(lesson.steps), \(checks)/\(checkpoints.count) checkpoints"
      } else {
        status = "not started"
      }
      // Chain links predicted, scored on their first try.
      if let predictions = state?.predictions, !predictions.isEmpty {
        let right = predictions.values.filter { $0 }.count
        status += ", \(right) of \(predictions.count) chain link\(predictions.count == 1 ? "" : "s") predicted"
      }
      return LessonLine(
        id: lesson.id, title: "\(lesson.order). \(lesson.title)", status: status, isComplete: state?.isComplete == true,
        step: state?.step, steps: lesson.steps, checkpointsPassed: checks, checkpoints: checkpoints.count)
    }
    var history: [String: [Score]] = [:]
    for attempt in data.history.attempts { history[attempt.quizID, default: []].append(attempt.score) }
    quizzes = outline.quizzes.map { quiz in
      let state = progress.quizzes[quiz.id]
      return QuizLine(
        id: quiz.id, title: quiz.title, best: state?.bestScore, last: state?.lastScore,
        inProgress: state?.openAttempt.map { ($0.grades.count, $0.order.count) }, history: history[quiz.id] ?? [])
    }
    review = progress.review
    let scheduler = FSRS.Scheduler()
    // Lines kept in an array, found through one dictionary lookup per concept and question
    // (a line's fields updated through the dictionary cost a lookup each, and copies).
    var lines: [ConceptLine] = []
    var lineIndex = [String: Int](minimumCapacity: outline.conceptNames.count)
    var recallSums: [(sum: Double, count: Int)] = []
    var misconceptions: [Misconception] = []
    let conceptNames = outline.conceptNames
    for (id, stat) in stats {
      guard let concepts = outline.concepts(id) else { continue }
      let recall = data.history.memory[id].map {
        scheduler.retrievability(days: data.now.timeIntervalSince($0.lastReview) / 86400, stability: $0.stability)
      }
      for concept in concepts {
        let index: Int
        if let known = lineIndex[concept] {
          index = known
        } else {
          index = lines.count
          lineIndex[concept] = index
          lines.append(
            ConceptLine(
              concept: concept, name: conceptNames[concept] ?? concept, right: 0, answers: 0, recentRight: 0,
              recentAnswers: 0, recall: nil, questionIDs: []))
          recallSums.append((0, 0))
        }
        lines[index].right += stat.right
        lines[index].answers += stat.answers
        lines[index].recentRight += stat.recentRight
        lines[index].recentAnswers += stat.recentAnswers
        lines[index].questionIDs.append(id)
        if let recall {
          recallSums[index].sum += recall
          recallSums[index].count += 1
        }
      }
      for (choiceID, times) in stat.wrongPicks {
        guard let (prompt, choice) = outline.choice(id, choiceID), !choice.isCorrect else { continue }
        misconceptions.append(
          Misconception(prompt: prompt, choice: choice.text, feedback: choice.feedback ?? "", times: times))
      }
    }
    for index in lines.indices {
      if recallSums[index].count > 0 { lines[index].recall = recallSums[index].sum / Double(recallSums[index].count) }
      lines[index].questionIDs = lines[index].questionIDs.stablySorted(by: <)
    }
    // Sorted by index on keys worked out once (sorting the lines moved each line's strings and
    // arrays at every swap, and worked out the mastery at every comparison).
    let keys = lines.map { ($0.mastery, $0.concept) }
    concepts = Array(lines.indices).stablySorted { keys[$0] < keys[$1] }.map { lines[$0] }
    self.misconceptions = misconceptions.stablySorted { ($1.times, $0.prompt) < ($0.times, $1.prompt) }
    answered = stats.values.reduce(0) { $0 + $1.answers }
    activity = Activity(data.history)
  }

  /// From the progress and statistics alone (no memory, no study days), as of `now`.
  public init(course: Course, progress: LearnerProgress, stats: [String: AnswerStats], now: Date = Date()) {
    self.init(
      course: course,
      review: ProgressReview(
        progress: progress, stats: stats, history: StudyHistory(today: CalendarDay.local(now)), now: now))
  }

  public var mastered: [ConceptLine] { concepts.filter { $0.level == .mastered } }
  public var weak: [ConceptLine] { concepts.filter { $0.level == .weak } }

  /// A bar of `width` cells for a share between 0 and 1, in eighths of a cell.
  public static func bar(_ share: Double, width: Int) -> String {
    let width = max(0, width)
    let eighths = Int((max(0, min(1, share)) * Double(width * 8)).rounded())
    // Written as bytes: every cell is three bytes of UTF-8, E2 96 and the last byte (appending
    // the cells as strings cost 3,700 instructions a bar).
    return String(unsafeUninitializedCapacity: width * 3) { bytes in
      for cell in 0..<width {
        let last: UInt8 =
          cell < eighths / 8
          ? 0x88  // █
          : cell == eighths / 8 && eighths % 8 > 0
            ? 0x90 - UInt8(eighths % 8)  // ▏ (8F) to ▉ (89)
            : 0x91  // ░
        bytes[cell * 3] = 0xE2
        bytes[cell * 3 + 1] = 0x96
        bytes[cell * 3 + 2] = last
      }
      return width * 3
    }
  }

  /// Eighths of a cell's height, for sparklines.
  public static let sparks = Array("▁▂▃▄▅▆▇█")

  /// Scores as a row of bars, one per attempt (the height is the share of points).
  public static func sparkline(_ scores: [Score]) -> String {
    String(scores.map { sparks[min(sparks.count - 1, Int(($0.fraction * Double(sparks.count - 1)).rounded()))] })
  }

  /// "2 h 05 min", "14 min", "40 s".
  public static func duration(milliseconds: Int) -> String {
    let seconds = milliseconds / 1000
    if seconds < 60 { return "\(seconds) s" }
    let minutes = seconds / 60
    if minutes < 60 { return "\(minutes) min" }
    let rest = minutes % 60
    return "\(minutes / 60) h \(rest < 10 ? "0" : "")\(rest) min"
  }

  /// The report as plain lines (for `tutor progress` and screen readers).
  public var lines: [String] {
    var lines = ["Lessons:"]
    lines += lessons.map { "  \($0.isComplete ? "✓" : "·") \($0.title): \($0.status)" }
    lines.append("Quizzes:")
    lines += quizzes.map {
      "  \($0.title): \($0.status)" + ($0.history.count > 1 ? "; scores \(Self.sparkline($0.history.suffix(12)))" : "")
    }
    lines.append("Review:")
    lines.append("  \(review.due.count) due now, \(review.scheduled) questions scheduled")
    if !review.forecast.isEmpty {
      lines.append("  next 14 days: " + review.forecast.map(String.init).joinedText(separator: " "))
    }
    if !review.leeches.isEmpty { lines.append("  leeches: \(review.leeches.joinedText(separator: ", "))") }
    lines.append("Study:")
    lines.append(
      "  streak \(activity.streak) day\(activity.streak == 1 ? "" : "s") (longest \(activity.longestStreak)), "
        + "this week \(activity.weekAnswers) answers in \(Self.duration(milliseconds: activity.weekMilliseconds)), "
        + "\(activity.daysStudied) days studied")
    lines.append("Mastery by concept, weakest first (\(answered) answers; recent accuracy × predicted recall):")
    if concepts.isEmpty { lines.append("  not enough answers yet") }
    // Written as bytes: an append to a String cost 350 instructions, and these lines, made by
    // interpolation, were a tenth of `tutor progress`.
    lines.reserveCapacity(lines.count + concepts.count + 10)
    for concept in concepts {
      let percent = String(concept.percent)
      let level = concept.level
      var line = LineBytes(capacity: 96 + concept.name.utf8.count + concept.concept.utf8.count)
      line.add("  ")
      for _ in percent.utf8.count..<max(3, percent.utf8.count) { line.add(" ") }
      line.add(percent)
      line.add("% ")
      line.add(Self.bar(concept.mastery, width: 10))
      line.add(" ")
      line.add(level.rawValue)
      line.add(": ")
      line.add(concept.name)
      line.add(" (")
      line.add(String(concept.right))
      line.add("/")
      line.add(String(concept.answers))
      line.add(" right)")
      if level == .weak {
        line.add("; drill it: tutor review --cram ")
        line.add(concept.concept)
      }
      lines.append(line.string)
    }
    if !misconceptions.isEmpty {
      lines.append("Misconceptions picked:")
      for item in misconceptions.prefix(8) {
        let question = item.prompt.count > 60 ? String(item.prompt.prefix(59)) + "…" : item.prompt
        lines.append(
          "  \(item.times)× \"\(item.choice)\" (in: \(question))" + (item.feedback.isEmpty ? "" : " — \(item.feedback)")
        )
      }
    }
    return lines
  }
}

/// A line's UTF-8 bytes, added piece by piece into room made at once, then made a string.
struct LineBytes {
  private var bytes: [UInt8] = []

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  mutating func add(_ text: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func add(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  var string: String { String(decoding: bytes, as: UTF8.self) }
}
