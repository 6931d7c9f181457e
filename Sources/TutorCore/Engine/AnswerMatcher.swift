import Foundation

/// Compares typed answers with accepted ones: Unicode NFC, case folding, diacritic folding,
/// Greek letters as their names (α = alpha), and punctuation and spaces ignored; then an
/// optional number of typos (Damerau-Levenshtein distance, adjacent swaps counting once).
public enum AnswerMatcher {
  /// The outcome of matching one typed answer.
  public enum Match: Equatable, Sendable {
    case exact
    /// Accepted with this many typos.
    case typo(Int)
    case none
  }

  /// Default typo allowance: none for answers shorter than 5 letters and for names with a digit
  /// (symbols: SCN1A is not SCN1B, KCNQ2 not KCNQ3, Nav1.1 not Nav1.2), else 1.
  public static func defaultTypos(for answer: String) -> Int {
    let folded = fold(answer)
    return folded.count < 5 || folded.contains(where: \.isNumber) ? 0 : 1
  }

  /// Matches `typed` against every accepted answer; the best match wins. A leading article
  /// ("the M-current") and a trailing generic word ("SCN1A gene", "DRESS syndrome") are
  /// ignored; a typo never changes a digit ("SCN2A" is not "SCN1A").
  public static func match(_ typed: String, accepted: [String], typos: Int?) -> Match {
    let candidates = forms(typed)
    guard !candidates.isEmpty else { return .none }
    var best = Match.none
    for answer in accepted {
      let allForms = forms(answer)
      // A name of one letter is not an answer on its own ("M" for "M-current").
      let keys = allForms.filter { $0.count >= 2 }
      if keys.contains(where: candidates.contains) { return .exact }
      // The allowance comes from the name itself: "M-current" is as short as "M" (T-current is another current).
      let allowed = typos ?? allForms.map(defaultTypos(for:)).min() ?? 0
      guard allowed > 0 else { continue }
      for key in keys {
        for candidate in candidates
        where abs(key.count - candidate.count) <= allowed && digits(key) == digits(candidate) {
          let distance = editDistance(Array(key), Array(candidate))
          guard distance <= allowed else { continue }
          if case .typo(let previous) = best, previous <= distance { continue }
          best = .typo(distance)
        }
      }
    }
    return best
  }

  /// Words a learner may put before an answer without changing it.
  static let articles: Set<String> = ["the", "a", "an"]
  /// Words a learner may put after a name without changing what it names.
  static let genericWords: Set<String> = [
    "gene", "genes", "channel", "channels", "current", "currents", "syndrome", "protein", "proteins", "receptor",
    "receptors", "transporter", "transporters", "pump", "variant", "variants", "mutation", "mutations",
  ]

  /// The folded answer, and the same without a leading article and without a trailing generic word.
  static func forms(_ text: String) -> Set<String> {
    var words = text.split { $0.isWhitespace || $0 == "-" || $0 == "‐" }.map(String.init)
    var result: Set<String> = [fold(text)]
    if words.count > 1, articles.contains(words[0].lowercased()) {
      words.removeFirst()
      result.insert(fold(words.joined(separator: " ")))
    }
    if words.count > 1, genericWords.contains(fold(words[words.count - 1])) {
      words.removeLast()
      result.insert(fold(words.joined(separator: " ")))
    }
    result.remove("")
    return result
  }

  /// The digits of a folded answer, in order: a typo allowance never covers a changed number.
  static func digits(_ folded: String) -> [Character] { folded.filter(\.isNumber) }

  static let greekNames: [Character: String] = [
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
  ]

  /// The comparable form of an answer: lowercase ASCII-ish letters and digits only.
  public static func fold(_ text: String) -> String {
    let composed = text.precomposedStringWithCanonicalMapping.lowercased()
    var named = ""
    for character in composed {
      if let name = greekNames[character] { named += name } else { named.append(character) }
    }
    // Compatibility decomposition turns ² into 2 and separates accents from their letters.
    let decomposed = named.decomposedStringWithCompatibilityMapping
    var result = ""
    for scalar in decomposed.unicodeScalars {
      let properties = scalar.properties
      if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark { continue }
      if properties.isAlphabetic || properties.numericType != nil {
        result.unicodeScalars.append(scalar)
      }
      // Everything else (spaces, hyphens, punctuation, symbols such as + and ⁺) is ignored.
    }
    return result
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
  public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previousPrevious[j - 2] + 1)
        }
      }
      previousPrevious = previous
      previous = current
    }
    return previous[b.count]
  }
}

/// Reads a typed number with an optional unit: "3", "-1.5", "0,5", "12 months".
public enum NumberReader {
  public static func read(_ text: String) -> (value: Double, unit: String)? {
    let trimmed = text.trimmed
    var numberPart = ""
    var index = trimmed.startIndex
    while index < trimmed.endIndex {
      let c = trimmed[index]
      if c.isASCII && (c.isNumber || c == "." || c == "," || ((c == "-" || c == "+") && numberPart.isEmpty)) {
        numberPart.append(c == "," ? "." : c)
        index = trimmed.index(after: index)
      } else {
        break
      }
    }
    guard let value = Double(numberPart), value.isFinite else { return nil }
    return (value, String(trimmed[index...]).trimmed)
  }
}
