import ArgumentParser
import CSV
import Foundation
import TutorApp
import TutorClassroom
import TutorCore

/// The host's plain mode: events as lines, the teacher's commands from standard input.
final class PlainHostPrinter: @unchecked Sendable {
  let quiz: Quiz
  let keeper: ClassResults
  private let lock = NSLock()
  private let ended = DispatchSemaphore(value: 0)

  init(quiz: Quiz, keeper: ClassResults) {
    self.quiz = quiz
    self.keeper = keeper
  }

  func write(_ line: String) {
    lock.lock()
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
    lock.unlock()
  }

  func waitForEnd() { ended.wait() }

  @Sendable func handle(_ event: ClassHost.Event) {
    switch event {
    case .listening: break
    case .joined(let name, let present): write("Joined: \(name) (\(present) in the class)")
    case .left(let name): write("Left: \(name)")
    case .opened(let number, let of): write("Question \(number) of \(of) is open.")
    case .answered(let number, let answered, let present):
      write("Question \(number): \(answered) of \(present) answered.")
    case .locked(let number): write("Question \(number) is locked.")
    case .revealed(let number, let reveal):
      write("Question \(number): \(reveal.correct) of \(reveal.answered) right. Right answer: \(reveal.rightAnswer)")
      if let question = quiz.question(id: reveal.questionID) {
        for choice in question.choices where reveal.distribution[choice.id] != nil {
          write("  \(choice.isCorrect ? "✓" : "·") \(choice.text): \(reveal.distribution[choice.id] ?? 0)")
        }
      }
    case .scores(let scores):
      for score in scores.prefix(5) {
        write("\(score.rank). \(score.name) \(Score(points: score.points, total: score.outOf).description)")
      }
    case .ended(let report, let scores):
      write("The session has ended.")
      ClassResults.lines(report, scores: scores).forEach(write)
      keeper.keep(report).forEach(write)
      ended.signal()
    case .paused: write("Paused: the clock has stopped.")
    case .resumed: write("Resumed.")
    case .refused(let text): write("Refused: \(text)")
    case .note(let text): write(text)
    }
  }

  /// Reads the teacher's commands until `end` or the end of input.
  static func readCommands(into host: ClassHost, printer: PlainHostPrinter) {
    while let line = readLine() {
      let words = line.split(separator: " ").map(String.init)
      switch words.first?.lowercased() {
      case "start"?: host.perform(.start)
      case "next"?: host.perform(.next)
      case "reveal"?: host.perform(.reveal)
      case "end"?:
        host.perform(.end)
        return
      case "lock"?: host.perform(.lock)
      case "unlock"?: host.perform(.unlock)
      case "board"?: host.perform(.board)
      case "pause"?: host.perform(.pause)
      case "resume"?: host.perform(.resume)
      case "kick"? where words.count > 1: host.perform(.kick(words.dropFirst().joined(separator: " ")))
      case "extend"? where words.count > 2:
        guard let seconds = Int(words.last!) else { fallthrough }
        host.perform(.extend(words.dropFirst().dropLast().joined(separator: " "), seconds: seconds))
      case nil: continue
      default:
        printer.write(
          "Commands: start, next, reveal, end, lock, unlock, pause, resume, kick NAME, extend NAME SECONDS, board, help."
        )
      }
    }
    host.perform(.end)
  }
}

/// A student's plain mode: each question printed as `tutor quiz --plain` prints it.
struct PlainClassStudent {
  let session: Session

  /// The link's events, taken in order by the main thread.
  final class Inbox: @unchecked Sendable {
    private var events: [ClassLink.Event] = []
    private let condition = NSCondition()
    func post(_ event: ClassLink.Event) {
      condition.lock()
      events.append(event)
      condition.signal()
      condition.unlock()
    }
    func take() -> ClassLink.Event {
      condition.lock()
      defer { condition.unlock() }
      while events.isEmpty { condition.wait() }
      return events.removeFirst()
    }
  }

  func write(_ line: String) { Self.write(line) }
  static func write(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

  func run(address: ClassAddress, code: String, name: String) throws {
    let inbox = Inbox()
    // News of the connection is printed at once, even while an answer is being typed.
    let link = ClassLink.make(session, address: address, code: code, name: name) { event in
      switch event {
      case .reconnecting: Self.write("The connection to the class was lost; reconnecting…")
      case .reconnected: Self.write("Back in the class.")
      case .message, .closed: inbox.post(event)
      }
    }
    do {
      try link.start()
    } catch {
      Diagnostics.printError("Cannot reach the class at \(address).")
      throw ExitCode(69)
    }
    defer { link.close() }
    session.warmUpStore()
    var myName = name
    var total = 0
    var joined = false
    // Asked again after a reconnect while its answer was being typed: that answer counts.
    var answered: Set<String> = []
    let questions = session.course.questionsByID
    while true {
      let message: HostMessage
      switch inbox.take() {
      case .message(let received): message = received
      case .reconnecting, .reconnected: continue
      case .closed:
        Diagnostics.printError(
          joined
            ? "The class at \(address) cannot be reached any more."
            : "The class at \(address) closed the connection before you joined.")
        throw ExitCode(69)
      }
      switch message {
      case .welcome(_, let name, _, let title, let count):
        if !joined { write("Joined \(title) as \(name).") }
        joined = true
        myName = name
        total = count
      case .waiting(let text):
        write(text)
      case .question(let asked):
        if answered.contains(asked.id) { continue }
        guard let question = questions[asked.id] else {
          write("Question \(asked.number): this course has no question '\(asked.id)'.")
          continue
        }
        let presentation = Presentation(
          choiceOrder: asked.options.map(\.id), itemOrder: asked.items.compactMap { Int($0.id) })
        write("")
        PlainText.questionLines(question, presentation: presentation, number: asked.number, of: asked.of).forEach(write)
        guard let response = readAnswer(question, presentation: presentation) else {
          write("End of input: you left the class.")
          link.leave()
          throw ExitCode(3)
        }
        answered.insert(question.id)
        link.send(.answer(questionID: question.id, key: UUID().uuidString, response: response))
        record(question, response: response, presentation: presentation)
      case .ack: write("Answer saved.")
      case .lock: write("Time is up for this question.")
      case .reveal(let reveal):
        guard let question = questions[reveal.questionID] else { continue }
        let verdict =
          reveal.yourScore.map { $0 >= 1 - 1e-9 ? "✓ Correct." : ($0 > 0 ? "≈ Partly correct." : "✗ Incorrect.") }
          ?? "– Not answered."
        write("\(verdict) Right answer: \(question.answerSummary)")
        if !question.explanation.isEmpty { write(question.explanation) }
      case .leaderboard(let top):
        write(
          "Leaderboard: "
            + top.map { "\($0.rank). \($0.name) \(String(format: "%g", $0.points))" }.joined(separator: ", "))
      case .scores(let scores):
        let mine = scores.first { $0.name == myName }
        write("Score: \(Score(points: mine?.points ?? 0, total: mine?.outOf ?? total).description)")
      case .error(_, let text):
        write("Refused: \(text)")
        if !joined { throw ExitCode(1) }
      case .bye(let reason):
        write(reason)
        return
      case .heartbeat: break
      }
    }
  }

  private func readAnswer(_ question: Question, presentation: Presentation) -> Response? {
    let needed = PlainText.answerLineCount(question)
    var lines: [String] = []
    while let line = readLine() {
      lines.append(line)
      if lines.count < needed { continue }
      switch PlainText.parseAnswer(lines, for: question, presentation: presentation) {
      case .success(let response): return response
      case .failure(let problem):
        write("Could not read that answer: \(problem.reason). Try again:")
        lines = []
      }
    }
    return nil
  }

  /// A class answer feeds the student's own review queue, as any answer does.
  private func record(_ question: Question, response: Response, presentation: Presentation) {
    let record = AnswerRecord.make(
      question: question, response: response, grade: Grader.grade(question, response: response), context: .review,
      mode: .review, presentation: presentation)
    _ = session.execute(.save(.answerRecorded(record)))
  }
}

/// Passes the host's events on to whoever shows them (the plain printer, or the full screen's
/// inbox once the run loop exists); events that come before are kept and passed on then.
final class ClassEventSink: @unchecked Sendable {
  private let lock = NSLock()
  private var early: [ClassHostEvent] = []
  private var target: (@Sendable (ClassHostEvent) -> Void)?

  @Sendable func post(_ event: ClassHostEvent) {
    lock.lock()
    guard let target else {
      early.append(event)
      lock.unlock()
      return
    }
    lock.unlock()
    target(event)
  }

  func forward(_ target: @escaping @Sendable (ClassHostEvent) -> Void) {
    lock.lock()
    self.target = target
    let waiting = early
    early = []
    lock.unlock()
    waiting.forEach(target)
  }
}

/// Keeps a class's results: in the host's store (`tutor classes` shows them again), and as
/// `summary.csv` and `answers.csv` with `--csv`. Called once, on the host's loop, at the end.
final class ClassResults: @unchecked Sendable {
  private let store: any ProgressStore
  private let csvFolder: String?
  /// What went wrong, for the exit status (74) after the screen is closed.
  private(set) var failures: [String] = []
  /// Where the results went, to print once the host's screen is closed.
  private(set) var messages: [String] = []

  init(store: any ProgressStore, csvFolder: String?) {
    self.store = store
    self.csvFolder = csvFolder
  }

  /// Saves and writes the results; returns what to tell the teacher.
  func keep(_ report: ClassReport) -> [String] {
    var lines: [String] = []
    do {
      let number = try store.saveClass(report.record)
      lines.append("Kept as class \(number) in the store: tutor classes \(number) shows it again.")
    } catch {
      failures.append("The results could not be kept in the store: \(error)")
    }
    if let csvFolder {
      do {
        lines.append("Results written to \(try Self.write(report, to: csvFolder)) and answers.csv.")
      } catch {
        failures.append("The results could not be written to \(csvFolder): \(error)")
      }
    }
    messages = lines
    return lines
  }

  /// The scores and the item analysis, as lines.
  static func lines(_ report: ClassReport, scores: [ClassScore]) -> [String] {
    var lines = ["Scores:"]
    for score in scores {
      lines.append("  \(score.rank). \(score.name) \(Score(points: score.points, total: score.outOf).description)")
    }
    lines.append("Items:")
    for item in report.items {
      let discrimination = item.discrimination.map { String(format: ", discrimination %.2f", $0) } ?? ""
      lines.append("  \(item.questionID): \(Int((item.shareCorrect * 100).rounded()))% right\(discrimination)")
      for wrong in item.wrongChoices {
        lines.append("    \(wrong.times)× \"\(wrong.text)\"" + (wrong.feedback.isEmpty ? "" : ": \(wrong.feedback)"))
      }
    }
    return lines
  }

  /// Writes both files; returns the path of summary.csv.
  static func write(_ report: ClassReport, to folder: String) throws -> String {
    let url = URL(fileURLWithPath: folder)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try (try CSVText.render(report.summaryRows)).write(
      to: url.appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
    try (try CSVText.render(report.answerRows)).write(
      to: url.appendingPathComponent("answers.csv"), atomically: true, encoding: .utf8)
    return url.appendingPathComponent("summary.csv").path
  }
}

extension ClassLink {
  /// A link whose resume token is kept beside the learner's store.
  static func make(
    _ session: Session, address: ClassAddress, code: String, name: String,
    onEvent: @escaping @Sendable (ClassLink.Event) -> Void
  ) -> ClassLink {
    let tokens = ClassTokens(folder: session.options.localFolder)
    let key = "\(address) \(code) \(name)"
    // Tests shorten the heartbeat (seconds) to see a silent host noticed quickly.
    let heartbeat = session.options.environment["TUTOR_CLASS_HEARTBEAT"].flatMap(Double.init).map { max($0, 0.1) } ?? 5
    return ClassLink(
      address: address, code: code, name: name, loadToken: { tokens.saved(key) },
      saveToken: { tokens.save($0, for: key) }, heartbeat: heartbeat, onEvent: onEvent)
  }
}

/// Resume tokens by class (address, code and name), kept beside the learner's store so that
/// `tutor join` started again takes its place back.
struct ClassTokens {
  let folder: URL

  var file: URL { folder.appendingPathComponent("class-tokens.json") }

  func saved(_ key: String) -> String? {
    guard let data = try? Data(contentsOf: file) else { return nil }
    return (try? JSONDecoder().decode([String: String].self, from: data))?[key]
  }

  /// Adds a token; two students sharing a data folder (or two classes) do not lose each other's:
  /// the read and the write happen under a lock on a file beside it.
  func save(_ token: String, for key: String) {
    let lock = open(file.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if lock >= 0 { flock(lock, LOCK_EX) }
    defer { if lock >= 0 { close(lock) } }
    var tokens =
      (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode([String: String].self, from: $0) } ?? [:]
    tokens[key] = token
    if let data = try? JSONEncoder().encode(tokens) { try? data.write(to: file, options: .atomic) }
  }
}

/// Rows as RFC 4180 CSV (yaslab/CSV.swift): fields with a comma, quote or line break quoted,
/// quotes doubled, rows separated by CRLF, UTF-8.
enum CSVText {
  static func render(_ rows: [[String]]) throws -> String {
    let stream = OutputStream(toMemory: ())
    let writer = try CSVWriter(stream: stream, newline: .crlf)
    for row in rows { try writer.write(row: row) }
    writer.stream.close()
    let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    return String(decoding: data, as: UTF8.self) + "\r\n"
  }
}
