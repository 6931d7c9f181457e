import ArgumentParser
import Foundation
import TutorCore

/// `tutor import gift FILE`: another tool's questions as a quiz file of the course format.
struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Turn another tool's question bank into a quiz file.",
    subcommands: [ImportGIFT.self, ImportAiken.self])

  /// Converts what was read, prints every problem as file:line: message, and writes the quiz
  /// (or prints it) unless there was an error.
  static func convert(_ reading: GIFT.Reading, options: ImportOptions) throws {
    let (file, output, id, title) = (options.file, options.output, options.id, options.title)
    let stem = URL(fileURLWithPath: output ?? file).deletingPathExtension().lastPathComponent
      .replacingOccurrences(of: ".gift", with: "")
    let quizID = id ?? GIFT.kebab(stem, fallback: "imported")
    let quiz = try GIFT.quiz(reading, id: quizID, title: title ?? GIFT.title(from: quizID))
    let problems = (reading.problems + quiz.problems).sorted { $0.line < $1.line }
    for problem in problems {
      Diagnostics.printError("\(file):\(problem.line): \(problem.isError ? "error" : "warning"): \(problem.message)")
    }
    guard !problems.contains(where: \.isError) else {
      Diagnostics.printError("\(file) has errors; nothing was written.")
      throw ExitCode(65)
    }
    guard let output else {
      print(quiz.yaml, terminator: "")
      return
    }
    do {
      try Data(quiz.yaml.utf8).write(to: URL(fileURLWithPath: output), options: .withoutOverwriting)
    } catch {
      Diagnostics.printError(
        "Error: cannot write \(output): \(Import.reason(error)). Nothing was written.")
      throw ExitCode(73)
    }
    Diagnostics.printError(
      "Wrote \(quiz.questions) question\(quiz.questions == 1 ? "" : "s") to \(output) (quiz \(quizID)); "
        + "check it with `tutor check`.")
  }

  /// An error's description without its closing full stop (the message adds its own).
  static func reason(_ error: Error) -> String {
    var text = (error as NSError).localizedDescription
    while text.hasSuffix(".") { text.removeLast() }
    return text
  }

  static func contents(of file: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw Diagnostics.refuse(
        "cannot read \(file)\(FileManager.default.fileExists(atPath: file) ? "" : ": no such file").")
    }
    return data
  }
}

/// What every import takes: the file, where the quiz goes, its id and title.
struct ImportOptions: ParsableArguments {
  @Argument(help: ArgumentHelp("The file to import (UTF-8).", valueName: "file"))
  var file: String

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the quiz to this file.", valueName: "file"))
  var output: String?

  @Option(help: ArgumentHelp("The quiz's id. Default: from the output or the file's name.", valueName: "id"))
  var id: String?

  @Option(help: ArgumentHelp("The quiz's title. Default: from its id.", valueName: "title"))
  var title: String?
}

struct ImportAiken: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "aiken",
    abstract: "Turn a Moodle Aiken file into a quiz file.",
    discussion: """
      Aiken holds single-answer multiple choice: a line of question text, lines `A) choice` or \
      `A. choice`, then `ANSWER: B` (B is the second choice, whatever the labels say). Read as \
      Moodle reads it; every problem is printed as file:line: message and a file with an error \
      writes nothing. Without -o the quiz is printed.
      """)

  @OptionGroup var quiz: ImportOptions

  func run() throws {
    try Import.convert(Aiken.read(try Import.contents(of: quiz.file)), options: quiz)
  }
}

struct ImportGIFT: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gift",
    abstract: "Turn a Moodle GIFT file into a quiz file.",
    discussion: """
      Reads the file as Moodle does (Quizzes/README.md, "Importing questions") and writes a quiz \
      of the course format: multiple choice as single or multiple, true/false with its two \
      feedbacks, short answer (a cloze when its blank is inside the text), numerical, matching \
      with its distractors; general feedback becomes the explanation. Essays and descriptions, \
      which the tutor cannot grade, are kept as comments. Every problem is printed as \
      file:line: message; a file with an error writes nothing. Without -o the quiz is printed.
      """)

  @OptionGroup var quiz: ImportOptions

  func run() throws {
    try Import.convert(GIFT.read(try Import.contents(of: quiz.file)), options: quiz)
  }
}

/// `tutor export gift QUIZ`, `tutor export anki QUIZ...`: the course's questions for Moodle or Anki.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write quizzes for Moodle (GIFT) or Anki.",
    subcommands: [ExportGIFT.self, ExportAnki.self])

  /// The course's quizzes by id, or a clear refusal naming the ones it has.
  static func quizzes(_ ids: [String], options: CommonOptions) throws -> (Course, [Quiz]) {
    let folder = try options.run.courseFolder()
    let course = try Session.validCourse(CourseFiles.load(folder), folder: folder)
    let quizzes = try ids.map { id in
      guard let quiz = course.quiz(id: id) else {
        throw Diagnostics.refuse(
          "no quiz '\(id)' in the course (its quizzes: \(course.quizzes.map(\.id).joined(separator: ", "))).")
      }
      return quiz
    }
    return (course, quizzes)
  }

  static func write(_ text: String, to output: String?) throws {
    guard let output else {
      print(text, terminator: "")
      return
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: output))
    } catch {
      Diagnostics.printError("Error: cannot write \(output): \(Import.reason(error)).")
      throw ExitCode(73)
    }
  }
}

struct ExportGIFT: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gift",
    abstract: "Write a quiz as Moodle GIFT.",
    discussion: """
      Moodle imports the file without an error: every special character is escaped and weights \
      come only from Moodle's grade list (a multiple-response question's right answers share 100%, \
      each wrong one takes as much away). The explanation becomes the general feedback and the \
      concepts become tags. Questions GIFT cannot hold (order questions, clozes with several \
      blanks) are left out and named, as are what GIFT drops (a unit, a typo allowance).
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: ArgumentHelp("The quiz's id.", valueName: "quiz"))
  var quiz: String

  @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of printing.", valueName: "file"))
  var output: String?

  func run() throws {
    let (_, quizzes) = try Export.quizzes([quiz], options: options)
    let export = GIFT.write(quizzes[0])
    for note in export.notes { Diagnostics.printError("Note: \(note)") }
    try Export.write(export.text, to: output)
    if let output { Diagnostics.printError("Wrote \(export.written) questions of \(quiz) to \(output).") }
  }
}

struct ExportAnki: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "anki",
    abstract: "Write quizzes as a file for Anki's File > Import.",
    discussion: """
      Anki's text format with its header lines: a note per question (the question and its options \
      on the front, the right answer and the explanation on the back, the concepts as tags), a deck \
      per quiz under the course's name. Import it with the Basic note type.
      """)

  @OptionGroup var options: CommonOptions

  @Argument(help: ArgumentHelp("The quizzes' ids (default: every quiz).", valueName: "quiz"))
  var quizzes: [String] = []

  @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of printing.", valueName: "file"))
  var output: String?

  func run() throws {
    var (course, chosen) = try Export.quizzes(quizzes, options: options)
    if quizzes.isEmpty { chosen = course.quizzes }
    try Export.write(AnkiText.write(chosen, course: course.info), to: output)
    if let output {
      Diagnostics.printError(
        "Wrote \(chosen.map(\.questions.count).reduce(0, +)) notes from \(chosen.count) quizzes to \(output).")
    }
  }
}
