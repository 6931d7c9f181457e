import TutorStore

enum TutorStoreReader {
  static func answerIDs(path: String) throws -> [Int64] {
    try ProgressStore(path: path).answerIDs()
  }
}
