import Foundation

/// Composes the plain YAML the course files are written in, about ten times faster than libyaml,
/// which spends most of its time decoding its input one character at a time.
///
/// It reads block mappings and lists, plain, quoted and block scalars, one-line flow lists and
/// mappings of scalars, and comments, and gives exactly the nodes, styles and positions
/// `YAMLComposer` gives from libyaml's events. Anything else (anchors, tags, tabs, explicit keys,
/// escapes it does not know, a duplicate key, every syntax error) makes it answer `nil`, and the
/// text goes to libyaml, which reads it or reports the problem. A test compares the two readers
/// on the course and on thousands of mangled variants of it.
struct QuickYAML {
  enum Outcome {
    case root(Node)
    /// Nothing but blank lines and comments.
    case empty
  }

  /// Not in the subset, or not valid YAML: libyaml decides.
  struct Unsure: Error {}

  static func compose(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome? {
    guard isPlainText(bytes) else { return nil }
    var reader = QuickYAML(bytes: bytes)
    do throws(Unsure) {
      return try reader.document()
    } catch {
      return nil
    }
  }

  private let bytes: UnsafeBufferPointer<UInt8>
  /// The next byte to read.
  private var at = 0
  /// The line `at` is on, counted from 1, and where that line starts.
  private var line = 1
  private var lineStart = 0
  private var depth = 0
  /// The keys of the block mappings being read, innermost last (see `insertKey`).
  private var keyRanges: [Range<Int>] = []

  private init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    keyRanges.reserveCapacity(64)
  }

  /// No tab, carriage return, control character, byte-order mark or Unicode line break: libyaml
  /// treats these specially, so text holding one goes to it.
  private static func isPlainText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while index < count {
      // Eight bytes at a time: ASCII (no high bit), with no control byte but the line break.
      // Each flag is exact for ASCII bytes: an addition there never carries into the next byte.
      if index + 8 <= count {
        let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
        let control = ~(word &+ ones &* 0x60) & highs  // below 0x20
        let delete = (word &+ ones) & highs  // 0x7F
        let breaks = word ^ (ones &* 0x0A)
        let lineBreak = ~(((breaks & ~highs) &+ ~highs) | breaks) & highs  // exactly the zero bytes
        if word & highs == 0 && (control & ~lineBreak) | delete == 0 {
          index += 8
          continue
        }
      }
      // A word with a non-ASCII character: its bytes one by one, then the next word.
      let wordEnd = min(count, index + 8)
      while index < wordEnd {
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x7F || byte == 0x0A {
          index += 1
          continue
        }
        if byte < 0x80 { return false }
        // Multi-byte: refuse C1 controls (NEL among them), U+2028/2029, U+FEFF and U+FFFE/FFFF.
        if byte == 0xC2, index + 1 < count, bytes[index + 1] < 0xA0 { return false }
        if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 {
          return false
        }
        if byte == 0xEF, index + 2 < count,
          bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF || bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE
        {
          return false
        }
        // The text is UTF-8: skip the rest of the character at once.
        index += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
      }
    }
    return true
  }

  // MARK: Lines

  private func byte(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0x0A }
  private func isBreak(_ index: Int) -> Bool { index >= bytes.count || bytes[index] == 0x0A }
  private func isBlankOrBreak(_ index: Int) -> Bool { isBreak(index) || bytes[index] == 0x20 }

  /// The first index from `index` on whose byte is `a`, `b` or `c`, or the end of the text.
  private func firstOf(_ a: UInt8, _ b: UInt8, _ c: UInt8, from index: Int) -> Int {
    ByteSearch.first(a, b, c, c, in: bytes, from: index)
  }

  private func mark(_ index: Int) -> Node.Mark { mark(index, line: line, lineStart: lineStart) }

  private func mark(_ index: Int, line: Int, lineStart: Int) -> Node.Mark {
    // Columns count characters: every byte but UTF-8's continuation bytes (10xxxxxx, bit 7 set
    // and bit 6 clear), counted eight bytes at a time; the last word keeps only the bytes
    // before `index` when the text goes on past them.
    var continuations = 0
    var scan = lineStart
    while scan < index {
      let remaining = index - scan
      guard remaining >= 8 || scan + 8 <= bytes.count else {
        if bytes[scan] & 0xC0 == 0x80 { continuations += 1 }
        scan += 1
        continue
      }
      var word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + scan).loadUnaligned(as: UInt64.self))
      if remaining < 8 { word &= (1 << (8 * UInt64(remaining))) - 1 }
      // Counted one by one: most words have none (the build targets x86-64 without POPCNT).
      var flags = word & ~(word << 1) & 0x8080_8080_8080_8080
      while flags != 0 {
        continuations += 1
        flags &= flags &- 1
      }
      scan += 8
    }
    return Node.Mark(line: line, column: index - lineStart - continuations + 1)
  }

  /// From the start of a line: skips blank and comment lines, and stops at the start of the next
  /// line with content. Its indentation, or nil at the end of the text.
  private mutating func nextContentLine() throws(Unsure) -> Int? {
    while at < bytes.count {
      var index = at
      while index < bytes.count && bytes[index] == 0x20 { index += 1 }
      if isBreak(index) || bytes[index] == UInt8(ascii: "#") {
        skipLine(from: index)
        continue
      }
      let indent = index - at
      if indent == 0 && isDocumentMarker(at) { throw Unsure() }
      return indent
    }
    return nil
  }

  private func isDocumentMarker(_ index: Int) -> Bool {
    let first = byte(index)
    guard first == UInt8(ascii: "-") || first == UInt8(ascii: ".") else { return false }
    return byte(index + 1) == first && byte(index + 2) == first && isBlankOrBreak(index + 3)
  }

  /// Moves to the start of the next line.
  private mutating func skipLine(from index: Int) {
    var index = index
    while index < bytes.count && bytes[index] != 0x0A { index += 1 }
    at = min(index + 1, bytes.count)
    if index < bytes.count {
      line += 1
      lineStart = at
    } else {
      at = bytes.count
    }
  }

  /// After a node on a line: only spaces and a comment may follow.
  private mutating func endLine() throws(Unsure) {
    var index = at
    while index < bytes.count && bytes[index] == 0x20 { index += 1 }
    guard isBreak(index) || (bytes[index] == UInt8(ascii: "#") && index > at) else { throw Unsure() }
    skipLine(from: index)
  }

  // MARK: Structure

  private mutating func document() throws(Unsure) -> Outcome {
    var indent = try nextContentLineAllowingStart()
    guard let first = indent else { return .empty }
    indent = first
    let root: Node
    if isEntry(at + first) {
      at += first
      root = try sequence(indent: first, indentless: false)
    } else if try keyEnd(from: at + first) != nil {
      at += first
      root = try mapping(indent: first)
    } else {
      throw Unsure()
    }
    guard try nextContentLine() == nil else { throw Unsure() }
    return .root(root)
  }

  /// A first line of exactly `---` starts the document.
  private mutating func nextContentLineAllowingStart() throws(Unsure) -> Int? {
    while at < bytes.count {
      var index = at
      while index < bytes.count && bytes[index] == 0x20 { index += 1 }
      guard isBreak(index) || bytes[index] == UInt8(ascii: "#") else { break }
      skipLine(from: index)
    }
    guard at < bytes.count && isDocumentMarker(at) && bytes[at] == UInt8(ascii: "-") else {
      return try nextContentLine()
    }
    var index = at + 3
    while index < bytes.count && bytes[index] == 0x20 { index += 1 }
    guard isBreak(index) else { throw Unsure() }
    skipLine(from: index)
    guard let indent = try nextContentLine() else { throw Unsure() }
    return indent
  }

  private func isEntry(_ index: Int) -> Bool {
    index < bytes.count && bytes[index] == UInt8(ascii: "-") && isBlankOrBreak(index + 1)
  }

  /// Where a simple key that starts at `index` ends (its `:`), or nil when the line holds none.
  private func keyEnd(from index: Int) throws(Unsure) -> Int? {
    let first = byte(index)
    if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
      // A quoted key is left to libyaml; a quoted value is not a key.
      var scan = index + 1
      while !isBreak(scan) && bytes[scan] != first { scan += bytes[scan] == UInt8(ascii: "\\") ? 2 : 1 }
      if !isBreak(scan) {
        scan += 1
        while !isBreak(scan) && bytes[scan] == 0x20 { scan += 1 }
        if byte(scan) == UInt8(ascii: ":") { throw Unsure() }
      }
      return nil
    }
    guard startsPlain(index) else { return nil }
    var scan = index
    while true {
      scan = firstOf(0x0A, UInt8(ascii: ":"), UInt8(ascii: "#"), from: scan)
      guard scan < bytes.count && bytes[scan] != 0x0A else { return nil }
      if bytes[scan] == UInt8(ascii: ":") && isBlankOrBreak(scan + 1) {
        if scan - index > 1000 { throw Unsure() }
        return scan
      }
      if bytes[scan] == UInt8(ascii: "#") && bytes[scan - 1] == 0x20 { return nil }
      scan += 1
    }
  }

  /// Whether a plain scalar may start here in the subset (indicators go to libyaml).
  private func startsPlain(_ index: Int) -> Bool {
    guard !isBreak(index) else { return false }
    switch bytes[index] {
    case UInt8(ascii: "-"): return !isBlankOrBreak(index + 1)
    case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"),
      UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""),
      UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), 0x20:
      return false
    default: return true
    }
  }

  private mutating func nest() throws(Unsure) {
    depth += 1
    if depth > 100 { throw Unsure() }
  }

  /// A block mapping whose first key starts at `at`, in column `indent`.
  private mutating func mapping(indent: Int) throws(Unsure) -> Node {
    try nest()
    defer { depth -= 1 }
    let start = mark(at)
    // Room for a question's keys at once: growing from one pair took four allocations.
    var pairs: [(Node, Node)] = []
    pairs.reserveCapacity(8)
    // The keys so far: byte ranges on a list shared with the mappings inside this one (no list
    // of its own to allocate), or strings once one is not short ASCII.
    let firstKey = keyRanges.count
    defer { keyRanges.removeSubrange(firstKey...) }
    var keys: KeySet?
    while true {
      guard let colon = try keyEnd(from: at) else { throw Unsure() }
      var end = colon
      while bytes[end - 1] == 0x20 { end -= 1 }
      guard insertKey(at..<end, firstKey: firstKey, strings: &keys) else { throw Unsure() }
      let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
      let key = Node.scalar(Node.Scalar(string: name, style: .plain, mark: mark(at)))
      at = colon + 1
      let value = try value(blockIndent: indent, inMapping: true)
      pairs.append((key, value))
      guard let next = try nextContentLine(), next >= indent else { break }
      guard next == indent, !isEntry(at + next) else { throw Unsure() }
      at += next
    }
    return .mapping(Node.Mapping(pairs: pairs, mark: start))
  }

  /// False when the key is already one of this mapping's, which start at `firstKey` in
  /// `keyRanges`. Short ASCII keys are compared as bytes; from the first that is not, all are
  /// compared as strings (canonically equivalent spellings are the same key).
  private mutating func insertKey(_ range: Range<Int>, firstKey: Int, strings: inout KeySet?) -> Bool {
    let base = bytes.baseAddress!
    if strings == nil && keyRanges.count - firstKey < 16 && !bytes[range].contains(where: { $0 >= 0x80 }) {
      for other in keyRanges[firstKey...] where other.count == range.count {
        if memcmp(base + range.lowerBound, base + other.lowerBound, range.count) == 0 { return false }
      }
      keyRanges.append(range)
      return true
    }
    func string(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    if strings == nil {
      var earlier = KeySet()
      for other in keyRanges[firstKey...] { _ = earlier.insert(string(other)) }
      strings = earlier
    }
    return strings!.insert(string(range))
  }

  /// A block list whose first `-` is at `at`, in column `indent`. An indentless list (the value of
  /// a key in the same column) ends at the next key.
  private mutating func sequence(indent: Int, indentless: Bool) throws(Unsure) -> Node {
    try nest()
    defer { depth -= 1 }
    let start = mark(at)
    var nodes: [Node] = []
    nodes.reserveCapacity(4)
    while true {
      at += 1
      nodes.append(try value(blockIndent: indent, inMapping: false))
      guard let next = try nextContentLine(), next >= indent else { break }
      guard next == indent else { throw Unsure() }
      guard isEntry(at + next) else {
        if indentless { break }
        throw Unsure()
      }
      at += next
    }
    return .sequence(Node.Sequence(nodes: nodes, mark: start))
  }

  /// The value after a key's `:` or a list's `-`, on the same line or the lines below; `at` is
  /// just after the indicator. Leaves `at` at the start of a line.
  /// An empty value is placed just after its indicator, where `at` is on the call: its mark is
  /// worked out only then (most values are not empty).
  private mutating func value(blockIndent: Int, inMapping: Bool) throws(Unsure) -> Node {
    let indicator = (index: at, line: line, lineStart: lineStart)
    func emptyMark() -> Node.Mark { mark(indicator.index, line: indicator.line, lineStart: indicator.lineStart) }
    while byte(at) == 0x20 { at += 1 }
    if isBreak(at) || bytes[at] == UInt8(ascii: "#") {
      if !isBreak(at) && bytes[at - 1] != 0x20 { throw Unsure() }
      skipLine(from: at)
      guard let next = try nextContentLine() else { return empty(emptyMark()) }
      let content = at + next
      if next > blockIndent {
        at = content
        if isEntry(content) { return try sequence(indent: next, indentless: false) }
        if try keyEnd(from: content) != nil { return try mapping(indent: next) }
        return try scalar(blockIndent: blockIndent)
      }
      if inMapping && next == blockIndent && isEntry(content) {
        at = content
        return try sequence(indent: next, indentless: true)
      }
      return empty(emptyMark())
    }
    if isEntry(at) { throw Unsure() }
    // After a key, a second key on the line is refused by the scalar readers.
    if !inMapping, try keyEnd(from: at) != nil { return try mapping(indent: at - lineStart) }
    return try scalar(blockIndent: blockIndent)
  }

  private func empty(_ mark: Node.Mark) -> Node { .scalar(Node.Scalar(string: "", style: .plain, mark: mark)) }

  /// A scalar or flow collection starting at `at`; it ends its line.
  private mutating func scalar(blockIndent: Int) throws(Unsure) -> Node {
    let node: Node
    switch bytes[at] {
    case UInt8(ascii: "\""), UInt8(ascii: "'"): node = try quoted(blockIndent: blockIndent)
    case UInt8(ascii: "|"), UInt8(ascii: ">"): return try blockScalar(blockIndent: blockIndent)
    case UInt8(ascii: "["), UInt8(ascii: "{"): node = try flow()
    default: return try plain(blockIndent: blockIndent)
    }
    try endLine()
    return node
  }

  // MARK: Scalars

  /// A plain scalar, folded over the more-indented lines that continue it.
  private mutating func plain(blockIndent: Int) throws(Unsure) -> Node {
    guard startsPlain(at) else { throw Unsure() }
    let start = mark(at)
    var text: [UInt8] = []
    var firstLine: Range<Int>?
    while true {
      // One line of the scalar, up to a comment or the line's end.
      var end = at
      var commented = false
      while true {
        end = firstOf(0x0A, UInt8(ascii: ":"), UInt8(ascii: "#"), from: end)
        if isBreak(end) { break }
        if bytes[end] == UInt8(ascii: ":") && isBlankOrBreak(end + 1) { throw Unsure() }
        if bytes[end] == UInt8(ascii: "#") && bytes[end - 1] == 0x20 {
          commented = true
          break
        }
        end += 1
      }
      var trimmed = end
      while bytes[trimmed - 1] == 0x20 { trimmed -= 1 }
      // Most scalars are one line: their text is made straight from the bytes.
      if firstLine == nil {
        firstLine = at..<trimmed
      } else {
        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at..<trimmed]))
      }
      skipLine(from: end)
      if commented { break }
      // Blank lines, then a more-indented line that is not a comment continues the scalar.
      var breaks = 0
      var continuation: Int?
      var scan = at
      while scan < bytes.count {
        var index = scan
        while index < bytes.count && bytes[index] == 0x20 { index += 1 }
        if isBreak(index) {
          breaks += 1
          scan = index + 1
          continue
        }
        if index - scan > blockIndent && bytes[index] != UInt8(ascii: "#") { continuation = index }
        break
      }
      guard let next = continuation else { break }
      guard startsPlain(next) else { throw Unsure() }
      if let first = firstLine, text.isEmpty { text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[first])) }
      while at < next {
        if bytes[at] == 0x0A {
          line += 1
          lineStart = at + 1
        }
        at += 1
      }
      if breaks == 0 {
        text.append(0x20)
      } else {
        text.append(contentsOf: repeatElement(0x0A, count: breaks))
      }
    }
    let string =
      text.isEmpty
      ? String(decoding: UnsafeBufferPointer(rebasing: bytes[firstLine!]), as: UTF8.self)
      : String(decoding: text, as: UTF8.self)
    return .scalar(Node.Scalar(string: string, style: .plain, mark: start))
  }

  /// A single- or double-quoted scalar, folded over lines; `at` is its opening quote.
  private mutating func quoted(blockIndent: Int) throws(Unsure) -> Node {
    let quote = bytes[at]
    let double = quote == UInt8(ascii: "\"")
    let start = mark(at)
    at += 1
    // Most quoted scalars hold no escape, doubled quote or line break: their text is the bytes.
    // Single-quoted text has no escapes: its third byte sought is the quote again.
    let escapeByte = double ? UInt8(ascii: "\\") : quote
    var end = firstOf(quote, 0x0A, escapeByte, from: at)
    if end < bytes.count && bytes[end] == quote && (double || byte(end + 1) != quote) {
      let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<end]), as: UTF8.self)
      at = end + 1
      return .scalar(Node.Scalar(string: string, style: double ? .doubleQuoted : .singleQuoted, mark: start))
    }
    var text: [UInt8] = []
    // Escaped text is kept when a fold trims the spaces before a line break.
    var escapedLength = 0
    while true {
      guard at < bytes.count else { throw Unsure() }
      let byte = bytes[at]
      if byte == quote {
        if !double && self.byte(at + 1) == quote {
          text.append(quote)
          at += 2
          continue
        }
        at += 1
        break
      }
      if byte == 0x0A {
        // Fold: trailing spaces go, one break is a space, more are line breaks.
        while text.count > escapedLength && text.last == 0x20 { text.removeLast() }
        var breaks = 0
        var index = at
        while true {
          breaks += 1
          index += 1
          line += 1
          lineStart = index
          var content = index
          while content < bytes.count && bytes[content] == 0x20 { content += 1 }
          if content < bytes.count && bytes[content] == 0x0A {
            index = content
            continue
          }
          guard content < bytes.count, content - index > blockIndent else { throw Unsure() }
          at = content
          break
        }
        if breaks == 1 {
          text.append(0x20)
        } else {
          text.append(contentsOf: repeatElement(0x0A, count: breaks - 1))
        }
        continue
      }
      if double && byte == UInt8(ascii: "\\") {
        try escape(into: &text)
        escapedLength = text.count
        continue
      }
      end = firstOf(quote, 0x0A, escapeByte, from: at + 1)
      text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at..<end]))
      at = end
    }
    let string = String(decoding: text, as: UTF8.self)
    return .scalar(Node.Scalar(string: string, style: double ? .doubleQuoted : .singleQuoted, mark: start))
  }

  /// One escape in a double-quoted scalar; `at` is its backslash.
  private mutating func escape(into text: inout [UInt8]) throws(Unsure) {
    let code = byte(at + 1)
    let simple: UInt8? =
      switch code {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): code
      case UInt8(ascii: "n"): 0x0A
      case UInt8(ascii: "t"): 0x09
      case UInt8(ascii: "r"): 0x0D
      case UInt8(ascii: " "): 0x20
      default: nil
      }
    if let simple {
      text.append(simple)
      at += 2
      return
    }
    let digits =
      switch code {
      case UInt8(ascii: "x"): 2
      case UInt8(ascii: "u"): 4
      case UInt8(ascii: "U"): 8
      default: throw Unsure()
      }
    var value: UInt32 = 0
    for offset in 0..<digits {
      let digit = byte(at + 2 + offset)
      let nibble: UInt8 =
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: throw Unsure()
        }
      value = value << 4 | UInt32(nibble)
    }
    guard value != 0, let scalar = Unicode.Scalar(value) else { throw Unsure() }
    text.append(contentsOf: String(Character(scalar)).utf8)
    at += 2 + digits
  }

  /// A literal or folded block scalar; `at` is its `|` or `>`.
  private mutating func blockScalar(blockIndent: Int) throws(Unsure) -> Node {
    let folded = bytes[at] == UInt8(ascii: ">")
    let start = mark(at)
    at += 1
    var chomping = 0
    if byte(at) == UInt8(ascii: "-") || byte(at) == UInt8(ascii: "+") {
      chomping = bytes[at] == UInt8(ascii: "-") ? -1 : 1
      at += 1
    }
    guard isBlankOrBreak(at) else { throw Unsure() }
    try endLine()
    // The content's indentation is its first line's; blank lines before it may not be longer.
    var index = at
    var longestBlank = 0
    var contentIndent = 0
    while true {
      var content = index
      while content < bytes.count && bytes[content] == 0x20 { content += 1 }
      if content < bytes.count && bytes[content] == 0x0A {
        longestBlank = max(longestBlank, content - index)
        index = content + 1
        continue
      }
      guard content < bytes.count else { throw Unsure() }
      contentIndent = content - index
      break
    }
    guard contentIndent > blockIndent, contentIndent >= longestBlank, contentIndent > 0 else { throw Unsure() }
    var text: [UInt8] = []
    var pendingBreaks = 0
    var lastWasContent = false
    var endedByBreak = false
    while at < bytes.count {
      var content = at
      while content < bytes.count && bytes[content] == 0x20 && content - at < contentIndent { content += 1 }
      if isBreak(content) {
        // A blank line (no longer than the indentation).
        guard content < bytes.count else {
          at = content
          break
        }
        pendingBreaks += 1
        skipLine(from: content)
        continue
      }
      if content - at < contentIndent { break }
      if folded && bytes[content] == 0x20 { throw Unsure() }
      if lastWasContent {
        if folded && pendingBreaks == 1 {
          text.append(0x20)
        } else {
          text.append(contentsOf: repeatElement(0x0A, count: folded ? pendingBreaks - 1 : pendingBreaks))
        }
      } else {
        text.append(contentsOf: repeatElement(0x0A, count: pendingBreaks))
      }
      var end = content
      while !isBreak(end) { end += 1 }
      text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[content..<end]))
      lastWasContent = true
      endedByBreak = end < bytes.count
      pendingBreaks = endedByBreak ? 1 : 0
      skipLine(from: end)
    }
    if lastWasContent {
      switch chomping {
      case -1: break
      case 0: if endedByBreak { text.append(0x0A) }
      default: text.append(contentsOf: repeatElement(0x0A, count: pendingBreaks))
      }
    } else {
      throw Unsure()
    }
    let string = String(decoding: text, as: UTF8.self)
    return .scalar(Node.Scalar(string: string, style: folded ? .folded : .literal, mark: start))
  }

  // MARK: Flow

  /// A flow list or mapping of scalars that closes on its own line.
  private mutating func flow() throws(Unsure) -> Node {
    let isMapping = bytes[at] == UInt8(ascii: "{")
    let close = isMapping ? UInt8(ascii: "}") : UInt8(ascii: "]")
    let start = mark(at)
    at += 1
    var nodes: [Node] = []
    var pairs: [(Node, Node)] = []
    var keys = KeySet()
    skipSpaces()
    if byte(at) == close {
      at += 1
    } else {
      while true {
        if isMapping {
          let keyStart = at
          let key = try flowScalar(close: close, isKey: true)
          // libyaml forgets a possible key 1024 characters on.
          guard at - keyStart <= 1000 else { throw Unsure() }
          guard let name = key.scalar?.string, keys.insert(name) else { throw Unsure() }
          guard byte(at) == UInt8(ascii: ":"), byte(at + 1) == 0x20 else { throw Unsure() }
          at += 1
          skipSpaces()
          pairs.append((key, try flowScalar(close: close, isKey: false)))
        } else {
          nodes.append(try flowScalar(close: close, isKey: false))
        }
        if byte(at) == close {
          at += 1
          break
        }
        guard byte(at) == UInt8(ascii: ",") else { throw Unsure() }
        at += 1
        skipSpaces()
      }
    }
    return isMapping
      ? .mapping(Node.Mapping(pairs: pairs, mark: start)) : .sequence(Node.Sequence(nodes: nodes, mark: start))
  }

  private mutating func skipSpaces() { while byte(at) == 0x20 { at += 1 } }

  /// A scalar inside a one-line flow collection; leaves `at` after the spaces that follow it.
  private mutating func flowScalar(close: UInt8, isKey: Bool) throws(Unsure) -> Node {
    let first = byte(at)
    if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
      // One line only: a line break needs more indentation than any line has.
      let node = try quoted(blockIndent: Int.max)
      skipSpaces()
      return node
    }
    guard startsPlain(at) else { throw Unsure() }
    let start = mark(at)
    var end = at
    while !isBreak(end) {
      let byte = bytes[end]
      if byte == UInt8(ascii: ",") || byte == close { break }
      if byte == UInt8(ascii: ":") {
        guard isKey, self.byte(end + 1) == 0x20 else { throw Unsure() }
        break
      }
      if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
      {
        throw Unsure()
      }
      end += 1
    }
    guard !isBreak(end) else { throw Unsure() }
    var trimmed = end
    while bytes[trimmed - 1] == 0x20 { trimmed -= 1 }
    let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<trimmed]), as: UTF8.self)
    at = end
    return .scalar(Node.Scalar(string: string, style: .plain, mark: start))
  }
}

/// The keys of one mapping so far, to find a repeated one: compared one by one while there are
/// few, as most mappings have, hashed when there are many. Keys are equal as Swift compares
/// strings (canonical equivalence: "é" written as one character or as e and an accent, "K" and
/// the Kelvin sign), as the composer's own check finds them. (A block mapping compares short
/// ASCII keys as bytes before it needs one: `QuickYAML.insertKey`.)
struct KeySet {
  private var list: [String] = []
  private var set: Set<String> = []

  /// `capacity`: how many keys are expected (up to 16 are kept in a list made that size at once).
  init(capacity: Int = 0) { if capacity > 0 { list.reserveCapacity(min(capacity, 16)) } }

  /// False when the key is already there.
  mutating func insert(_ key: String) -> Bool {
    if list.count < 16 {
      if list.contains(key) { return false }
      list.append(key)
      return true
    }
    if set.isEmpty { set = Set(list) }
    return set.insert(key).inserted
  }
}
