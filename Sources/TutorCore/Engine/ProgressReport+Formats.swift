import Foundation

/// `tutor progress --json` and `--csv`: the report's numbers for scripts and spreadsheets. The
/// fields are documented in the README ("Progress as JSON and CSV"); `format` and `version` let
/// a reader refuse what it does not know.
extension ProgressReport {
  public static let jsonFormat = "tutor-progress"
  public static let jsonVersion = 1

  struct JSONForm: Encodable {
    struct Course: Encodable {
      var id: String
      var title: String
    }
    struct Lesson: Encodable {
      var id: String
      var title: String
      var status: String
      var complete: Bool
      var step: Int?
      var steps: Int
      var checkpointsPassed: Int
      var checkpoints: Int
    }
    struct ScoreForm: Encodable {
      var points: Double
      var total: Int
      var percent: Int
      init(_ score: Score) {
        points = (score.points * 100).rounded() / 100
        total = score.total
        percent = score.percent
      }
    }
    struct InProgress: Encodable {
      var answered: Int
      var of: Int
    }
    struct Quiz: Encodable {
      var id: String
      var title: String
      var status: String
      var best: ScoreForm?
      var last: ScoreForm?
      var inProgress: InProgress?
      var history: [ScoreForm]
    }
    struct Review: Encodable {
      var dueNow: Int
      var scheduled: Int
      var forecast: [Int]
      var leeches: [String]
      var nextDue: String?
    }
    struct Concept: Encodable {
      var id: String
      var name: String
      var level: String
      var mastery: Int
      var accuracy: Double
      var recall: Double?
      var answers: Int
      var right: Int
      var recentAnswers: Int
      var recentRight: Int
      var questions: [String]
    }
    struct Misconception: Encodable {
      var choice: String
      var prompt: String
      var feedback: String
      var times: Int
    }
    struct Day: Encodable {
      var date: String
      var answers: Int
    }
    struct Activity: Encodable {
      var today: String
      var streak: Int
      var longestStreak: Int
      var daysStudied: Int
      var weekAnswers: Int
      var weekSeconds: Int
      var days: [Day]
    }
    var format = ProgressReport.jsonFormat
    var version = ProgressReport.jsonVersion
    var learner: String
    var course: Course
    var generatedAt: String
    var answers: Int
    var lessons: [Lesson]
    var quizzes: [Quiz]
    var review: Review
    var concepts: [Concept]
    var misconceptions: [Misconception]
    var activity: Activity
  }

  static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

  /// The report as one JSON object (keys sorted, UTF-8, dates in UTC as ISO 8601).
  public func json(learner: String, course: (id: String, title: String), at now: Date) -> String {
    let form = JSONForm(
      learner: learner, course: .init(id: course.id, title: course.title),
      generatedAt: Timestamp.format(now), answers: answered,
      lessons: lessons.map {
        .init(
          id: $0.id, title: $0.title, status: $0.status, complete: $0.isComplete, step: $0.step, steps: $0.steps,
          checkpointsPassed: $0.checkpointsPassed, checkpoints: $0.checkpoints)
      },
      quizzes: quizzes.map {
        .init(
          id: $0.id, title: $0.title, status: $0.status, best: $0.best.map(JSONForm.ScoreForm.init),
          last: $0.last.map(JSONForm.ScoreForm.init),
          inProgress: $0.inProgress.map { .init(answered: $0.answered, of: $0.of) },
          history: $0.history.map(JSONForm.ScoreForm.init))
      },
      review: .init(
        dueNow: review.due.count, scheduled: review.scheduled, forecast: review.forecast, leeches: review.leeches,
        nextDue: review.nextDue.map(Timestamp.format)),
      concepts: concepts.map {
        .init(
          id: $0.concept, name: $0.name, level: $0.level.rawValue, mastery: $0.percent,
          accuracy: Self.rounded($0.accuracy), recall: $0.recall.map(Self.rounded), answers: $0.answers,
          right: $0.right,
          recentAnswers: $0.recentAnswers, recentRight: $0.recentRight, questions: $0.questionIDs)
      },
      misconceptions: misconceptions.map {
        .init(choice: $0.choice, prompt: $0.prompt, feedback: $0.feedback, times: $0.times)
      },
      activity: .init(
        today: activity.today.description, streak: activity.streak, longestStreak: activity.longestStreak,
        daysStudied: activity.daysStudied, weekAnswers: activity.weekAnswers,
        weekSeconds: activity.weekMilliseconds / 1000,
        days: activity.answersByDay.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map {
          .init(date: $0.key.description, answers: $0.value)
        }))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(form)) ?? Data(), as: UTF8.self)
  }

  /// The CSV columns: one row per lesson, quiz and concept.
  public static let csvHeader = ["kind", "id", "title", "status", "percent", "answers", "right"]

  /// A row per lesson (percent: checkpoints passed), quiz (percent: best score) and concept
  /// (percent: mastery), under `csvHeader`.
  public var csvRows: [[String]] {
    var rows = [Self.csvHeader]
    for lesson in lessons {
      let percent = lesson.checkpoints == 0 ? "" : String(lesson.checkpointsPassed * 100 / lesson.checkpoints)
      rows.append(["lesson", lesson.id, lesson.title, lesson.status, percent, "", ""])
    }
    for quiz in quizzes {
      rows.append(["quiz", quiz.id, quiz.title, quiz.status, quiz.best.map { String($0.percent) } ?? "", "", ""])
    }
    for concept in concepts {
      rows.append([
        "concept", concept.concept, concept.name, concept.level.rawValue, String(concept.percent),
        String(concept.answers), String(concept.right),
      ])
    }
    return rows
  }
}
