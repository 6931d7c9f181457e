import Testing

@testable import TutorCore

/// Course summaries are cached under a hash of the files' names, sizes and times (see
/// `CourseFiles.fingerprint`): hashed in pieces, it must be the hash of the whole text.
@Suite struct StableHashTests {
  @Test(arguments: [0, 7, 10, 99, 100, 16_495, -1, -12_345, Int.max, Int.min])
  func piecesHashAsTheirText(number: Int) {
    var hash = StableHash.Builder()
    hash.add("0.1|/course|Lessons/01-dre-definition.md:")
    hash.add(number)
    hash.add(".é")
    #expect(hash.value == StableHash.of("0.1|/course|Lessons/01-dre-definition.md:\(number).é"))
  }

  @Test func nothingAddedIsTheEmptyTextsHash() {
    #expect(StableHash.Builder().value == StableHash.of(""))
    #expect(StableHash.of("a") != StableHash.of("b"))
  }
}
