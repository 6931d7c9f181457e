import ArgumentParser

/// The `tutor` command tree.
public struct Tutor: ParsableCommand {
  public static let version = "0.1.0"

  public static let configuration = CommandConfiguration(
    commandName: "tutor",
    abstract: "An interactive terminal tutor: mechanism lessons, checkpoints and quizzes.",
    discussion: """
      Without a subcommand, opens the course's home screen. Progress is kept in a SQLite store \
      (default: $XDG_DATA_HOME/tutor/progress.sqlite, else ~/.local/share/tutor/progress.sqlite).
      When standard input or output is not a terminal, or TERM=dumb, or no UTF-8 locale can be \
      set, the tutor uses plain line-by-line mode (also available with --plain).

      Keys in the full-screen tutor: arrows or h/j/k/l move, Enter opens or answers, Space or → \
      turns the page, q or Esc goes back, ? lists every key of the screen.

      Exit status: 0 done; 1 `tutor check` found errors; 3 input ended in plain mode (answers \
      so far are saved); 65 the course has errors; 74 the progress store cannot be used.
      """,
    version: version,
    subcommands: [
      Home.self, Study.self, QuizCommand.self, Host.self, Join.self, Classes.self, Review.self, Progress.self,
      Report.self, Doctor.self, Import.self, Export.self,
      Settings.self,
      Check.self, SRS.self,
      StoreStress.self,
    ],
    defaultSubcommand: Home.self
  )

  public init() {}
}

extension Tutor {
  /// The options every subcommand shares, given before the subcommand (`tutor --store X
  /// progress`), moved after it, where the subcommand reads them. `--version` and `--help`
  /// stay where they are.
  static func sharedOptionsLast(_ arguments: [String]) -> [String] {
    let valued: Set<String> = ["--course", "--store", "--learner", "--now"]
    let flags: Set<String> = ["--plain", "--no-color"]
    var moved: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      let name = String(argument.prefix { $0 != "=" })
      if valued.contains(name) {
        moved.append(argument)
        if !argument.contains("="), index + 1 < arguments.count {
          moved.append(arguments[index + 1])
          index += 1
        }
      } else if flags.contains(argument) {
        moved.append(argument)
      } else {
        break
      }
      index += 1
    }
    // Nothing before a subcommand, or options alone (`tutor --plain` is the home command's).
    guard !moved.isEmpty, index < arguments.count else { return arguments }
    return Array(arguments[index...]) + moved
  }

  /// The program's entry point. `tutor` alone, the most common start, opens the home screen
  /// without ArgumentParser, which reflects over the command types (a tenth of the time to the
  /// first paint), and so do `tutor progress` and `tutor --version` alone; anything else goes
  /// through `main()`.
  public static func start(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
    do {
      switch arguments {
      case []: try Home.open(RunOptions())
      // The commands scripts run most, without the argument parser's start-up (3 ms).
      case ["progress"], ["progress", "show"]: try ProgressShow.show(RunOptions())
      case ["progress", "--json"], ["progress", "show", "--json"]: try ProgressShow.show(RunOptions(), output: .json)
      case ["progress", "--csv"], ["progress", "show", "--csv"]: try ProgressShow.show(RunOptions(), output: .csv)
      case ["--version"]: print(version)
      default: main(sharedOptionsLast(arguments))
      }
    } catch {
      exit(withError: error)
    }
  }
}
