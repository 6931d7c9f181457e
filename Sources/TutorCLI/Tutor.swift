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
      When standard input or output is not a terminal, or TERM=dumb, the tutor uses plain \
      line-by-line mode (also available with --plain).
      """,
    version: version,
    subcommands: [Home.self, Study.self, Quiz.self, Check.self, StoreStress.self],
    defaultSubcommand: Home.self
  )

  public init() {}
}
