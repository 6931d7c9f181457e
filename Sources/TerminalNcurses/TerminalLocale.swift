import Glibc

/// ncursesw draws a multibyte character (› • ┃ ↓ → ·, and any accent in a course) only under a
/// UTF-8 locale. Under LANG=C it prints `~@` and the like and shifts the rest of the line.
public enum TerminalLocale {
  /// Tried in order, for the character type only, when the environment's locale is not UTF-8.
  static let fallbacks = ["C.UTF-8", "en_US.UTF-8"]

  /// Whether the process now uses UTF-8: the environment's locale, else the first fallback that is
  /// installed. Decided once; the first use sets the process's locale.
  public static let usesUTF8: Bool = {
    setlocale(LC_ALL, "")
    return adoptUTF8(codeset: { codeset }, setCharacterType: { setlocale(LC_CTYPE, $0) != nil })
  }()

  /// The character set of the current locale, for example "UTF-8" or "ANSI_X3.4-1968".
  public static var codeset: String { String(cString: nl_langinfo(nl_item(CODESET))) }

  /// What to tell a learner whose locale cannot be made UTF-8.
  public static var advice: String {
    "The full-screen interface needs a UTF-8 locale, but this one uses \(codeset) and neither "
      + "\(fallbacks.joined(separator: " nor ")) is installed. Set one, for example `export LANG=C.UTF-8` "
      + "(`locale -a` lists those installed)."
  }

  /// Keeps a UTF-8 character type, else sets the first fallback that `setCharacterType` accepts and
  /// that `codeset` then calls UTF-8. False when none does.
  static func adoptUTF8(codeset: () -> String, setCharacterType: (String) -> Bool) -> Bool {
    if isUTF8(codeset()) { return true }
    for name in fallbacks where setCharacterType(name) {
      if isUTF8(codeset()) { return true }
    }
    return false
  }

  /// "UTF-8", "utf8", "UTF_8" all name UTF-8.
  static func isUTF8(_ codeset: String) -> Bool {
    codeset.lowercased().filter { $0 != "-" && $0 != "_" } == "utf8"
  }
}
