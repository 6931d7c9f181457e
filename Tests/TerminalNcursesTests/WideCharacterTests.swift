import CNCurses
import Testing

/// CNCurses links ncursesw without pkg-config; its shim must still turn on the wide-character API.
@Suite struct WideCharacterTests {
  @Test func aCellHoldsACharacterBeyondLatin1() {
    let marker = wchar_t(0x203A)  // ›
    var cell = cchar_t()
    #expect(setcchar(&cell, [marker, 0], 0, 0, nil) == OK)
    var characters = [wchar_t](repeating: 0, count: 8)
    var attributes: attr_t = 0
    var pair: Int16 = 0
    #expect(getcchar(&cell, &characters, &attributes, &pair, nil) == OK)
    #expect(characters[0] == marker)
  }
}
