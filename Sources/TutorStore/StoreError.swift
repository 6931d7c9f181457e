import Foundation

/// Why the progress store could not be used; every case names the file and what to do.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  case corrupt(path: String, detail: String)
  case locked(path: String)
  case newerSchema(path: String)
  case cannotOpen(path: String, detail: String)
  /// A SQLite database of another program: the tutor adds no tables to it.
  case notTutorStore(path: String)
  /// The file (or a file SQLite keeps beside it) cannot be written by this user.
  case readOnly(path: String, file: String)
  case diskFull(path: String)
  case isFolder(path: String)
  /// A stored value the tutor cannot read back (a row is reported, never trapped on).
  case unreadableValue(path: String, detail: String)
  /// An answer for a quiz attempt that was finished meanwhile (in another window).
  case attemptFinished(path: String)
  /// An attempt would be closed with a score its saved answers do not add up to.
  case answersMissing(path: String, saved: Double, claimed: Double)
  case other(path: String, detail: String)

  public var description: String {
    switch self {
    case .corrupt(let path, let detail):
      return """
        The progress store at \(path) is damaged or is not a tutor database (\(detail)).
        It was left untouched. `tutor doctor` checks it and names the newest good backup, which \
        `tutor doctor --restore` puts in its place; or move it aside (for example: \
        mv '\(path)' '\(path).broken') to start a fresh store, or point the tutor at another one \
        with --store PATH.
        """
    case .locked(let path):
      return """
        The progress store at \(path) is locked by another process.
        Close the other tutor (or the program holding the file) and try again, or use --store PATH.
        """
    case .newerSchema(let path):
      return """
        The progress store at \(path) was written by a newer version of the tutor.
        It was left untouched. Update the tutor, or use another store with --store PATH.
        """
    case .cannotOpen(let path, let detail):
      return
        "Cannot open the progress store at \(path): \(detail). Check that you may create and write files in its folder, or use --store PATH."
    case .notTutorStore(let path):
      return """
        The file at \(path) is a SQLite database of another program, not a tutor progress store.
        It was left untouched. Point the tutor at another file with --store PATH.
        """
    case .readOnly(let path, let file):
      let which = file == path ? "It" : "The file \(file) beside it"
      return """
        The progress store at \(path) cannot be written: \(which) is read-only for this user.
        Make it writable (for example: chmod u+w '\(file)'), or use --store PATH. `tutor progress` can still read it.
        """
    case .diskFull(let path):
      return
        "The disk holding the progress store at \(path) is full. Free some space and run the same command to continue."
    case .isFolder(let path):
      return
        "The progress store \(path) is a folder, not a file. Use --store with the path of a file (for example \(path)/progress.sqlite)."
    case .unreadableValue(let path, let detail):
      return """
        The progress store at \(path) holds a value the tutor cannot read (\(detail)).
        Nothing was changed. Move it aside (for example: mv '\(path)' '\(path).broken') to start a fresh store, or use --store PATH.
        """
    case .attemptFinished(let path):
      return
        "This quiz attempt was finished meanwhile (in another window?); the answer was not saved in \(path). Start the quiz again to take a new attempt."
    case .answersMissing(let path, let saved, let claimed):
      return """
        The quiz attempt was left open: its saved answers in \(path) add up to \(String(format: "%g", saved)) points, \
        not \(String(format: "%g", claimed)). Run the same command to answer the questions that were not saved.
        """
    case .other(let path, let detail):
      return "The progress store at \(path) could not be used: \(detail)."
    }
  }
}
