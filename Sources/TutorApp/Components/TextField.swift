/// A one-line text field: characters, a cursor, and the usual editing keys.
public struct TextField: Equatable, Sendable {
  public private(set) var characters: [Character] = []
  public private(set) var cursor = 0

  public init(_ text: String = "") {
    characters = Array(text)
    cursor = characters.count
  }

  public var text: String { String(characters) }

  public mutating func insert(_ character: Character) {
    characters.insert(character, at: cursor)
    cursor += 1
  }

  public mutating func deleteBackward() {
    guard cursor > 0 else { return }
    characters.remove(at: cursor - 1)
    cursor -= 1
  }

  public mutating func deleteForward() {
    guard cursor < characters.count else { return }
    characters.remove(at: cursor)
  }

  public mutating func moveLeft() { cursor = max(0, cursor - 1) }
  public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
  public mutating func moveToStart() { cursor = 0 }
  public mutating func moveToEnd() { cursor = characters.count }

  /// Ctrl-U: clears the text before the cursor.
  public mutating func clearToStart() {
    characters.removeFirst(cursor)
    cursor = 0
  }
}
