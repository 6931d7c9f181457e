/// A name used in a file that must resolve elsewhere in the course.
struct SymbolUse: Equatable {
  enum Kind: Equatable {
    case glossaryTerm, citation, question, see, lesson, prerequisite
    /// A question's concept: declared, with its name, in some lesson's `concepts:`.
    case concept
  }
  var kind: Kind
  var name: String
  var position: SourcePosition
}

/// An id defined in a file, for duplicate detection across files.
struct Definition: Equatable {
  enum Kind: String { case lesson, quiz, question }
  var kind: Kind
  var id: String
  var position: SourcePosition
}

/// What parsing one file yields besides its model.
struct ParseRecord {
  var uses: [SymbolUse] = []
  var definitions: [Definition] = []
  /// The references of course.yaml, where each is listed (for the check that each is cited).
  var references: [(id: String, position: SourcePosition)] = []
}

/// What parsing every file of a course yields besides the course: each file's uses as it
/// parsed them (copied into one list, they cost 0.3 to 0.5 ms on one thread), and
/// the definitions and references of all files.
struct CourseRecord {
  var usesByFile: [[SymbolUse]] = []
  var definitions: [Definition] = []
  var references: [(id: String, position: SourcePosition)] = []
}
