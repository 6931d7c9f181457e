import ArgumentParser
import Foundation
import TutorCore

/// `tutor import gift FILE`: another tool's questions as a quiz file of the course format.
struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Turn another tool's question bank into a quiz file.",
    subcommands: [ImportGIFT.self])
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

  @Argument(help: ArgumentHelp("The GIFT file (UTF-8).", valueName: "file"))
  var file: String

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the quiz to this file.", valueName: "file"))
  var output: String?

  @Option(help: ArgumentHelp("The quiz's id. Default: from the output or the GIFT file's name.", valueName: "id"))
  var id: String?

  @Option(help: ArgumentHelp("The quiz's title. Default: from its id.", valueName: "title"))
  var title: String?

  func run() throws {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw Diagnostics.refuse(
        "cannot read \(file)\(FileManager.default.fileExists(atPath: file) ? "" : ": no such file").")
    }
    let reading = GIFT.read(data)
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
        "Error: cannot write \(output): \((error as NSError).localizedDescription). Nothing was written.")
      throw ExitCode(73)
    }
    Diagnostics.printError(
      "Wrote \(quiz.questions) question\(quiz.questions == 1 ? "" : "s") to \(output) (quiz \(quizID)); "
        + "check it with `tutor check`.")
  }
}
