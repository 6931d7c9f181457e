import Foundation

/// Reads a YAML mapping node with positions, reporting every problem instead of stopping.
struct YAMLReader {
  let file: String
  /// Added to Yams' line numbers when the YAML sits inside another file.
  let lineOffset: Int
  let sink: DiagnosticSink

  func position(of node: Node?) -> SourcePosition {
    let mark = node?.mark
    return SourcePosition(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
  }

  func error(_ node: Node?, _ message: String) {
    let p = position(of: node)
    sink.error(p.file, p.line, p.column, message)
  }

  func warning(_ node: Node?, _ message: String) {
    let p = position(of: node)
    sink.warning(p.file, p.line, p.column, message)
  }

  /// A parsed YAML document.
  enum Document {
    case root(Node)
    /// No document: nothing but blank lines and comments.
    case empty
    /// A syntax error, reported.
    case invalid

    var root: Node? {
      if case .root(let node) = self { node } else { nil }
    }
  }

  /// Parses YAML text (UTF-8, already checked), reporting a syntax error with its position. The error has `stage`: by
  /// default a file that is YAML cannot be read past it.
  func compose(utf8 bytes: [UInt8], stage: DiagnosticStage = .reading) -> Document {
    do {
      return try YAMLComposer.compose(utf8: bytes).map(Document.root) ?? .empty
    } catch {
      sink.error(file, error.line + lineOffset, error.column, error.message, stage: stage)
      return .invalid
    }
  }

  /// libyaml's wording where it names its own internals.
  static func plain(_ problem: String) -> String {
    if problem.hasPrefix("Maximum nesting level reached") {
      return "lists and mappings nested too deeply (the limit is about \(maximumNesting) levels)"
    }
    return problem
  }

  /// libyaml's limit on nesting (MAX_NESTING_LEVEL in Yams' copy of libyaml; flow and block
  /// nesting count a little differently, hence "about").
  static let maximumNesting = 1000

  func mapping(_ node: Node?, context: String, stage: DiagnosticStage = .parsing) -> MappingReader? {
    guard let node else { return nil }
    guard case .mapping(let mapping) = node else {
      let p = position(of: node)
      sink.error(p.file, p.line, p.column, "\(context) must be a mapping of keys to values", stage: stage)
      return nil
    }
    return MappingReader(node: node, mapping: mapping, reader: self)
  }
}

/// One YAML mapping: typed getters that report wrong types, and unknown-key checks.
struct MappingReader {
  let node: Node
  let reader: YAMLReader
  /// The pairs, with the mapping's own storage (no copy), and each key's text apart (nil for a
  /// key that is not text), so that a lookup compares strings without copying any node.
  private let pairs: [(Node, Node)]
  private var keys: [String?] = []

  init(node: Node, mapping: Node.Mapping, reader: YAMLReader) {
    self.node = node
    self.reader = reader
    pairs = mapping.pairs
    // The composer has refused a mapping with a repeated key.
    keys.reserveCapacity(pairs.count)
    for (keyNode, _) in pairs {
      if case .scalar(let key) = keyNode {
        keys.append(key.string)
      } else {
        reader.error(keyNode, "keys must be plain words")
        keys.append(nil)
      }
    }
  }

  func value(_ key: String) -> Node? { index(of: key).map { pairs[$0].1 } }
  func keyNode(_ key: String) -> Node? { index(of: key).map { pairs[$0].0 } }

  /// Lengths are compared first: most keys differ in length, and comparing two strings of
  /// different lengths still cost twenty instructions. (The keys looked up are lowercase ASCII
  /// words, which no spelling of another length is canonically equivalent to.)
  private func index(of key: String) -> Int? {
    let length = key.utf8.count
    return keys.firstIndex { $0?.utf8.count == length && $0 == key }
  }
  func has(_ key: String) -> Bool { value(key) != nil }

  /// Reports every key not in `allowed`.
  /// `allowed` is a set, or a short list written at the call (cheaper than hashing a new set);
  /// the context is worked out only for a message.
  func rejectUnknownKeys(_ allowed: some Collection<String>, in context: @autoclosure () -> String) {
    for (index, key) in keys.enumerated() {
      guard let key, !allowed.contains(key) else { continue }
      let known = allowed.sorted().joined(separator: ", ")
      reader.error(pairs[index].0, "unknown key '\(key)' in \(context()) (known keys: \(known))")
    }
  }

  /// `context` names the mapping in a message, and is worked out only for one.
  func string(_ key: String, required: Bool = false, context: @autoclosure () -> String) -> String? {
    guard let node = value(key) else {
      if required { reader.error(self.node, "\(context()) is missing '\(key)'") }
      return nil
    }
    guard case .scalar(let scalar) = node else {
      reader.error(node, "'\(key)' must be text")
      return nil
    }
    // A quoted "~" or "null" is text; plain, they are YAML's null.
    if scalar.string.isEmpty
      || (scalar.style == .plain && scalar.string.utf8.count <= 4 && (scalar.string == "~" || scalar.string == "null"))
    {
      if required { reader.error(node, "'\(key)' must not be empty") }
      return nil
    }
    let text = scalar.string.trimmed
    if required && text.isEmpty {
      reader.error(node, "'\(key)' must not be empty")
      return nil
    }
    return text
  }

  func int(_ key: String, required: Bool = false, context: String) -> Int? {
    guard let node = value(key) else {
      if required { reader.error(self.node, "\(context) is missing '\(key)'") }
      return nil
    }
    guard case .scalar(let scalar) = node, let number = Int(scalar.string.trimmed) else {
      reader.error(node, "'\(key)' must be a whole number")
      return nil
    }
    return number
  }

  func bool(_ key: String, context: String) -> Bool? {
    guard let node = value(key) else { return nil }
    guard case .scalar(let scalar) = node else {
      reader.error(node, "'\(key)' must be true or false")
      return nil
    }
    switch scalar.string.lowercasedFast {
    case "true", "yes": return true
    case "false", "no": return false
    default:
      reader.error(node, "'\(key)' must be true or false, not '\(scalar.string)'")
      return nil
    }
  }

  /// A list of text items; a single scalar is accepted as a one-item list.
  func strings(_ key: String, context: String) -> [(String, Node)] {
    guard let node = value(key) else { return [] }
    switch node {
    case .sequence(let sequence):
      var result: [(String, Node)] = []
      result.reserveCapacity(sequence.count)
      for item in sequence {
        if case .scalar(let s) = item {
          result.append((s.string.trimmed, item))
        } else {
          reader.error(item, "each item of '\(key)' must be text")
        }
      }
      return result
    case .scalar(let s):
      if s.string.isEmpty { return [] }
      return [(s.string, node)]
    default:
      reader.error(node, "'\(key)' must be a list")
      return []
    }
  }

  /// Ids with readable names, written as a mapping (`id: Name`); a list gives ids without names.
  func namedIDs(_ key: String) -> [(id: String, name: String?, node: Node)] {
    guard let node = value(key) else { return [] }
    guard case .mapping(let mapping) = node else {
      return strings(key, context: "").map { (id: $0.0, name: nil, node: $0.1) }
    }
    var result: [(id: String, name: String?, node: Node)] = []
    for (keyNode, value) in mapping {
      guard let id = keyNode.scalar?.string.trimmed, let name = value.scalar?.string.trimmed, !name.isEmpty else {
        reader.error(keyNode, "each entry of '\(key)' must be an id and its name (id: Readable name)")
        continue
      }
      result.append((id, name, keyNode))
    }
    return result
  }

  func sequence(_ key: String, required: Bool = false, context: String) -> [Node] {
    guard let node = value(key) else {
      if required { reader.error(self.node, "\(context) is missing '\(key)'") }
      return []
    }
    guard case .sequence(let sequence) = node else {
      reader.error(node, "'\(key)' must be a list")
      return []
    }
    return Array(sequence)
  }
}
