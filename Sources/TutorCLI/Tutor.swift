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
      so far are saved); 65 the course has errors; 74 the progress store cannot be used; 130 \
      left with Ctrl-C (answers so far are saved; 128 and the signal's number for another signal).
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
  /// The options of `CommonOptions` that take a value, and its flags. (Lists, not sets: the
  /// first set of strings a process makes costs half a million instructions, the runtime looking
  /// up String's conformance to Hashable.)
  static let sharedValuedOptions = ["--course", "--store", "--learner", "--now"]
  static let sharedFlags = ["--plain", "--no-color"]

  /// The options every subcommand shares, given before the subcommand (`tutor --store X
  /// progress`), moved after it, where the subcommand reads them. `--version` and `--help`
  /// stay where they are.
  static func sharedOptionsLast(_ arguments: [String]) -> [String] {
    var moved: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      let name = String(argument.prefix { $0 != "=" })
      if sharedValuedOptions.contains(name) {
        moved.append(argument)
        if !argument.contains("="), index + 1 < arguments.count {
          moved.append(arguments[index + 1])
          index += 1
        }
      } else if sharedFlags.contains(argument) {
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

  /// What `fastCommand` reads without the argument parser.
  enum FastCommand {
    case home(RunOptions)
    case progress(RunOptions, ProgressShow.Output)
    /// `tutor check [dir]`, with no option.
    case check(folder: String?)
    case version
  }

  /// The commands people and scripts run most, read without ArgumentParser, whose reflection
  /// over the command types costs milliseconds (a tenth of the time to the first paint; half
  /// of `tutor progress --store X`; 20 million instructions before `tutor check` began):
  /// `tutor`, `tutor progress [show] [--json | --csv]`, `tutor check [dir]` and `tutor --version`.
  /// The first two take the shared options before or after the command words (`--course`,
  /// `--store`, `--learner` and `--now` as `--name value` or `--name=value`; `--plain`,
  /// `--no-color`); `tutor check` takes none. Anything else, or anything unusual (an option twice, a value that looks
  /// like an option, a value that does not check), is nil: the parser reads it and says what
  /// is wrong.
  static func fastCommand(_ arguments: [String]) -> FastCommand? {
    if arguments == ["--version"] { return .version }
    if arguments.first == "check", arguments.count <= 2 {
      let folder = arguments.count == 2 ? arguments[1] : nil
      guard let folder else { return .check(folder: nil) }
      return folder.hasPrefix("-") || folder == "help" ? nil : .check(folder: folder)
    }
    var options = RunOptions()
    var words: [String] = []
    var wordsEnded = false
    var output: ProgressShow.Output?
    var seen: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--") else {
        // The command words come together, before or after the options.
        if wordsEnded && !words.isEmpty { return nil }
        words.append(argument)
        continue
      }
      wordsEnded = !words.isEmpty
      let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = String(parts[0])
      guard !seen.contains(name) else { return nil }
      seen.append(name)
      if sharedFlags.contains(name) || name == "--json" || name == "--csv" {
        guard parts.count == 1 else { return nil }
        switch name {
        case "--plain": options.plain = true
        case "--no-color": options.noColor = true
        default:
          // --json and --csv together: the parser says to choose one.
          guard output == nil else { return nil }
          output = name == "--json" ? .json : .csv
        }
      } else if sharedValuedOptions.contains(name) {
        let value: String
        if parts.count == 2 {
          value = String(parts[1])
        } else {
          guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
          value = arguments[index]
          index += 1
        }
        switch name {
        case "--course": options.course = value
        case "--store": options.store = value
        case "--learner": options.learner = value
        default: options.now = value
        }
      } else {
        return nil
      }
    }
    guard (try? options.validate()) != nil else { return nil }
    switch words {
    case [] where output == nil: return .home(options)
    case ["progress"], ["progress", "show"]: return .progress(options, output ?? .text)
    default: return nil
    }
  }

  /// The program's entry point: the commonest commands without the argument parser
  /// (`fastCommand`), anything else through `main()`.
  public static func start(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
    do {
      // The commands that read the course before they print start the thread pool's worker
      // first (the home screen reads it after its first paint, which the thread only delayed).
      // One switch: a second one over the kept command made `--version` instantiate metadata.
      switch fastCommand(arguments) {
      case .home(let options): try Home.open(options)
      case .progress(let options, let output): try ProgressShow.show(options, output: output)
      case .check(let folder):
        CourseFiles.startWorkerThread()
        try Check.check(folder)
      case .version: print(version)
      case nil:
        CourseFiles.startWorkerThread()
        main(sharedOptionsLast(arguments))
      }
    } catch {
      exit(withError: error)
    }
  }
}
