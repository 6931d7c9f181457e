import Testing

@testable import TerminalNcurses

/// A process locale to script: which locales are installed and which one is set.
private final class FakeLocale {
  var current: String
  let installed: [String: String]
  var tried: [String] = []

  init(current: String, installed: [String: String]) {
    self.current = current
    self.installed = installed
  }

  var codeset: String { installed[current] ?? "ANSI_X3.4-1968" }

  func set(_ name: String) -> Bool {
    tried.append(name)
    guard installed[name] != nil else { return false }
    current = name
    return true
  }

  func adopt() -> Bool { TerminalLocale.adoptUTF8(codeset: { self.codeset }, setCharacterType: set) }
}

@Suite struct TerminalLocaleTests {
  @Test func aUTF8LocaleFromTheEnvironmentIsKept() {
    let locale = FakeLocale(current: "de_DE.UTF-8", installed: ["de_DE.UTF-8": "UTF-8", "C.UTF-8": "UTF-8"])
    #expect(locale.adopt())
    #expect(locale.tried.isEmpty)
    #expect(locale.current == "de_DE.UTF-8")
  }

  @Test func theCLocaleTurnsToCUTF8() {
    let locale = FakeLocale(
      current: "C", installed: ["C": "ANSI_X3.4-1968", "C.UTF-8": "UTF-8", "en_US.UTF-8": "UTF-8"])
    #expect(locale.adopt())
    #expect(locale.current == "C.UTF-8")
  }

  @Test func withoutCUTF8ItTriesEnglish() {
    let locale = FakeLocale(current: "POSIX", installed: ["POSIX": "ANSI_X3.4-1968", "en_US.UTF-8": "UTF-8"])
    #expect(locale.adopt())
    #expect(locale.tried == ["C.UTF-8", "en_US.UTF-8"])
    #expect(locale.current == "en_US.UTF-8")
  }

  @Test func withNoUTF8LocaleInstalledItSaysSo() {
    let locale = FakeLocale(current: "C", installed: ["C": "ANSI_X3.4-1968", "fr_FR": "ISO-8859-1"])
    #expect(!locale.adopt())
    #expect(locale.tried == ["C.UTF-8", "en_US.UTF-8"])
    #expect(TerminalLocale.advice.contains("export LANG=C.UTF-8"))
  }

  @Test(arguments: [
    ("UTF-8", true), ("utf8", true), ("UTF_8", true), ("ANSI_X3.4-1968", false), ("ISO-8859-1", false), ("", false),
  ])
  func namesOfUTF8(codeset: String, isUTF8: Bool) {
    #expect(TerminalLocale.isUTF8(codeset) == isUTF8)
  }
}
