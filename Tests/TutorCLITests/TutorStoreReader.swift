import TutorStore

enum TutorStoreReader {
  static func answerIDs(path: String) throws -> [Int64] {
    try SQLiteProgressStore(path: path).answerIDs()
  }
}
