import Foundation

/// Parses a lesson file: YAML front matter, then Markdown steps.
struct LessonParser {
  let file: String
  let sink: DiagnosticSink

  static let frontMatterKeys: Set<String> = [
    "id", "title", "summary", "order", "minutes", "prerequisites", "objectives", "concepts",
    "references", "reviewed",
  ]

  /// `text`: the file's bytes, known to be UTF-8 with LF line ends (the loader makes CRLF and CR LF).
  func parse(_ text: [UInt8], record: inout ParseRecord) -> Lesson? {
    let lines = LessonLines(source: text)
    guard lines.line(0, trimmedIs: "---") else {
      sink.fileError(file, 1, 1, "a lesson starts with YAML front matter between two '---' lines")
      return nil
    }
    guard let end = (1..<lines.count).first(where: { lines.line($0, trimmedIs: "---") }) else {
      sink.fileError(file, 1, 1, "the front matter is not closed by a '---' line")
      return nil
    }
    let reader = YAMLReader(file: file, lineOffset: 1, sink: sink)
    let document = reader.compose(utf8: lines.text(ofLines: 1..<end))
    if case .empty = document {
      sink.fileError(file, 1, 1, "the front matter is empty (a lesson needs at least id, title and order)")
    }
    guard let root = document.root, let front = reader.mapping(root, context: "the front matter", stage: .reading)
    else {
      return nil
    }
    front.rejectUnknownKeys(Self.frontMatterKeys, in: "the front matter")
    let id = front.string("id", required: true, context: "the front matter")
    if let id {
      if !Identifier.isValid(id) { reader.error(front.value("id"), "lesson id '\(id)' must be kebab-case") }
      record.definitions.append(Definition(kind: .lesson, id: id, position: reader.position(of: front.value("id"))))
    }
    let title = front.string("title", required: true, context: "the front matter")
    let order = front.int("order", required: true, context: "the front matter")
    let prerequisites = front.strings("prerequisites", context: "the front matter")
    for (name, node) in prerequisites {
      record.uses.append(SymbolUse(kind: .prerequisite, name: name, position: reader.position(of: node)))
    }
    let references = front.strings("references", context: "the front matter")
    for (name, node) in references {
      record.uses.append(SymbolUse(kind: .citation, name: name, position: reader.position(of: node)))
    }
    let minutes = front.int("minutes", context: "the front matter")

    var body = BodyParser(file: file, sink: sink, lines: lines)
    let steps = body.parse(from: end + 1, record: &record)
    if steps.isEmpty {
      sink.error(file, end + 2, 1, "the lesson has no steps: start each step with a '# Title {#anchor}' heading")
    }
    guard let id, let title else { return nil }
    let concepts = front.namedIDs("concepts")
    for concept in concepts where concept.name == nil {
      reader.warning(
        concept.node, "concept '\(concept.id)' has no name: write concepts as a mapping, '\(concept.id): Readable name'"
      )
    }
    var lesson = Lesson(
      id: id, title: title, summary: front.string("summary", context: "") ?? "", order: order ?? 0,
      minutes: minutes, prerequisites: prerequisites.map(\.0),
      objectives: front.strings("objectives", context: "").map(\.0),
      concepts: concepts.map(\.id), references: references.map(\.0),
      reviewed: front.string("reviewed", context: ""), steps: steps, file: file)
    for concept in concepts { lesson.conceptNames[concept.id] = concept.name }
    return lesson
  }
}

/// A lesson file's lines, each made a string only when it is read: the lines of its check and
/// chain blocks are read as YAML, on the bytes.
struct LessonLines {
  let source: [UInt8]
  /// Where each line starts, found on the UTF-8 bytes: splitting a String walks grapheme
  /// clusters, and even a generic split of its UTF-8 view cost 56 instructions a byte.
  private let starts: [Int]

  init(source: [UInt8]) {
    self.source = source
    starts = source.withUnsafeBufferPointer { bytes in
      var starts = [0]
      var start = 0
      while start < bytes.count,
        let found = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
      {
        start = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        starts.append(start)
      }
      return starts
    }
  }

  var count: Int { starts.count }

  /// Where line `index`'s bytes end, before its line end.
  private func end(ofLine index: Int) -> Int { index + 1 < starts.count ? starts[index + 1] - 1 : source.count }

  /// Line `index`'s bytes, without its line end.
  private func bytes<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    source.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[starts[index]..<end(ofLine: index)])) }
  }

  subscript(index: Int) -> String { bytes(index) { String(decoding: $0, as: UTF8.self) } }

  /// The bytes of lines `range`, without the last line end.
  func text(ofLines range: Range<Int>) -> [UInt8] {
    guard let first = range.first, let last = range.last else { return [] }
    return Array(source[starts[first]..<end(ofLine: last)])
  }

  /// Whether line `index`, trimmed, is `marker` (ASCII), compared on the bytes while the
  /// trimmed ends are ASCII (a non-ASCII end may be Unicode white space).
  func line(_ index: Int, trimmedIs marker: StaticString) -> Bool {
    let decided = bytes(index) { bytes -> Bool? in
      guard let trimmed = ASCIITrim.range(of: bytes) else { return nil }
      return trimmed.count == marker.utf8CodeUnitCount
        && (trimmed.isEmpty || memcmp(bytes.baseAddress! + trimmed.lowerBound, marker.utf8Start, trimmed.count) == 0)
    }
    return decided ?? (self[index].trimmed == marker.description)
  }
}

/// Parses the Markdown subset of a lesson body into steps.
struct BodyParser {
  let file: String
  let sink: DiagnosticSink
  /// The whole lesson file's lines.
  let lines: LessonLines

  private var steps: [LessonStep] = []
  private var anchors: Set<String> = []

  init(file: String, sink: DiagnosticSink, lines: LessonLines) {
    self.file = file
    self.sink = sink
    self.lines = lines
  }

  /// A paragraph, list item or callout being collected: its source lines with positions.
  private struct Pending {
    enum Kind { case paragraph, bullet, numbered, callout(CalloutKind) }
    var kind: Kind
    var pieces: [(text: String, line: Int, column: Int)]
  }

  /// The steps of the body, which starts at line index `first`.
  mutating func parse(from first: Int, record: inout ParseRecord) -> [LessonStep] {
    var pending: Pending?
    var listItems: [[Inline]] = []
    var listOrdered = false
    var index = first

    func lineNumber(_ i: Int) -> Int { i + 1 }

    while index < lines.count {
      let line = lines[index]
      let trimmed = line.trimmed
      let number = lineNumber(index)

      // Fenced blocks.
      if trimmed.hasBytePrefix("```") {
        flush(&pending, &listItems, listOrdered, record: &record)
        let info = trimmed.dropFirst(3).trimmed
        guard let closing = ((index + 1)..<lines.count).first(where: { lines.line($0, trimmedIs: "```") }) else {
          sink.error(file, number, 1, "the ``` block opened here is never closed")
          break
        }
        fencedBlock(info: info, lines: (index + 1)..<closing, line: number, record: &record)
        index = closing + 1
        continue
      }

      if trimmed.isEmpty {
        flush(&pending, &listItems, listOrdered, record: &record)
        index += 1
        continue
      }

      if line.hasBytePrefix("# ") || line == "#" {
        flush(&pending, &listItems, listOrdered, record: &record)
        startStep(heading: String(line.dropFirst(1)), line: number)
        index += 1
        continue
      }

      if steps.isEmpty {
        sink.error(file, number, 1, "text before the first step: start the body with a '# Title {#anchor}' heading")
        index += 1
        continue
      }

      if line.hasBytePrefix("## ") || line.hasBytePrefix("### ") {
        flush(&pending, &listItems, listOrdered, record: &record)
        let title = line.drop { $0 == "#" }.trimmed
        append(.subheading(title))
        index += 1
        continue
      }

      if line.hasBytePrefix(">") {
        let content = line.dropFirst().trimmed
        if content.hasPrefix("[!") {
          flush(&pending, &listItems, listOrdered, record: &record)
          guard let close = content.firstIndex(of: "]") else {
            sink.error(file, number, 2, "a callout starts with '> [!kind]'")
            index += 1
            continue
          }
          let name = String(content[content.index(content.startIndex, offsetBy: 2)..<close]).lowercased()
          let kind = CalloutKind(rawValue: name)
          if kind == nil {
            let known = CalloutKind.allCases.map(\.rawValue).joined(separator: ", ")
            sink.error(file, number, 3, "unknown callout kind '\(name)' (known: \(known))")
          }
          let rest = content[content.index(after: close)...].trimmed
          pending = Pending(
            kind: .callout(kind ?? .note), pieces: rest.isEmpty ? [] : [(rest, number, column(of: rest, in: line))])
        } else if case .callout = pending?.kind {
          pending?.pieces.append((content, number, column(of: content, in: line)))
        } else {
          flush(&pending, &listItems, listOrdered, record: &record)
          pending = Pending(kind: .callout(.note), pieces: [(content, number, column(of: content, in: line))])
        }
        index += 1
        continue
      }

      if let (ordered, itemText) = listItem(line) {
        if case .callout = pending?.kind { flush(&pending, &listItems, listOrdered, record: &record) }
        if case .paragraph = pending?.kind { flush(&pending, &listItems, listOrdered, record: &record) }
        if let current = pending {
          listItems.append(inlines(current, record: &record))
          pending = nil
        }
        if !listItems.isEmpty && listOrdered != ordered {
          append(.list(ordered: listOrdered, items: listItems))
          listItems = []
        }
        listOrdered = ordered
        pending = Pending(
          kind: ordered ? .numbered : .bullet, pieces: [(itemText, number, column(of: itemText, in: line))])
        index += 1
        continue
      }

      // A continuation line of a list item is indented; otherwise a paragraph line. (The switch is
      // on the kind alone: a copy of `pending` would make each append copy every earlier line.)
      if let kind = pending?.kind {
        switch kind {
        case .bullet, .numbered:
          if line.hasBytePrefix("  ") {
            pending?.pieces.append((trimmed, number, column(of: trimmed, in: line)))
          } else {
            flush(&pending, &listItems, listOrdered, record: &record)
            pending = Pending(kind: .paragraph, pieces: [(trimmed, number, column(of: trimmed, in: line))])
          }
        case .callout:
          flush(&pending, &listItems, listOrdered, record: &record)
          pending = Pending(kind: .paragraph, pieces: [(trimmed, number, column(of: trimmed, in: line))])
        case .paragraph:
          pending?.pieces.append((trimmed, number, column(of: trimmed, in: line)))
        }
      } else {
        pending = Pending(kind: .paragraph, pieces: [(trimmed, number, column(of: trimmed, in: line))])
      }
      index += 1
    }
    flush(&pending, &listItems, listOrdered, record: &record)
    return steps
  }

  /// Column (in Unicode scalars, as YAML marks count) where `piece` starts in `line`. Pieces are
  /// the line less a prefix (indentation, a list marker, `>`), so a byte search from the left
  /// finds them at once.
  private func column(of piece: String, in line: String) -> Int {
    var line = line
    var piece = piece
    return line.withUTF8 { haystack in
      piece.withUTF8 { needle in
        guard !needle.isEmpty, needle.count <= haystack.count else { return 1 }
        var scalars = 1
        for offset in 0...(haystack.count - needle.count) {
          if haystack[offset] == needle[0]
            && memcmp(haystack.baseAddress! + offset, needle.baseAddress!, needle.count) == 0
          {
            return scalars
          }
          // Count scalars (UTF-8 lead bytes) before the match.
          if haystack[offset] & 0xC0 != 0x80 { scalars += 1 }
        }
        return 1
      }
    }
  }

  /// A list item's marker (ordered or not) and text, read on the bytes: the marker is ASCII.
  private func listItem(_ line: String) -> (Bool, String)? {
    let bytes = line.utf8
    func text(after count: Int) -> String { line[bytes.index(bytes.startIndex, offsetBy: count)...].trimmed }
    guard let first = bytes.first else { return nil }
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") {
      return bytes.dropFirst().first == UInt8(ascii: " ") ? (false, text(after: 2)) : nil
    }
    let digits = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
    guard (1...3).contains(digits) else { return nil }
    let marker = bytes.dropFirst(digits).prefix(2)
    guard marker.elementsEqual(". ".utf8) || marker.elementsEqual(") ".utf8) else { return nil }
    return (true, text(after: digits + 2))
  }

  private mutating func flush(
    _ pending: inout Pending?, _ listItems: inout [[Inline]], _ ordered: Bool, record: inout ParseRecord
  ) {
    if let current = pending {
      let content = inlines(current, record: &record)
      switch current.kind {
      case .paragraph: append(.paragraph(content))
      case .callout(let kind): append(.callout(kind, content))
      case .bullet, .numbered: listItems.append(content)
      }
      pending = nil
    }
    if !listItems.isEmpty {
      append(.list(ordered: ordered, items: listItems))
      listItems = []
    }
  }

  private func inlines(_ pending: Pending, record: inout ParseRecord) -> [Inline] {
    var result = InlineJoiner()
    for (i, piece) in pending.pieces.enumerated() {
      let parsed = InlineParser.parse(piece.text) { offset, message in
        sink.error(file, piece.line, piece.column + offset, message)
      } use: { kind, name, offset in
        record.uses.append(
          SymbolUse(
            kind: kind, name: name,
            position: SourcePosition(file: file, line: piece.line, column: piece.column + offset)))
      }
      if i > 0 { result.append(.text(" ")) }
      for inline in parsed { result.append(inline) }
    }
    return result.joined()
  }

  private mutating func startStep(heading: String, line: Int) {
    var title = heading.trimmed
    var anchor: String
    if title.hasSuffix("}"), let open = title.byteRange(of: "{#") {
      anchor = String(title[open.upperBound..<title.index(before: title.endIndex)])
      title = title[..<open.lowerBound].trimmed
      if !Identifier.isValid(anchor) {
        sink.error(file, line, 1, "step anchor '\(anchor)' must be kebab-case")
      }
    } else {
      anchor = Self.slug(title)
    }
    if title.isEmpty { sink.error(file, line, 1, "a step heading needs a title") }
    if !anchors.insert(anchor).inserted {
      sink.error(file, line, 1, "duplicate step anchor '\(anchor)' in this lesson")
    }
    steps.append(LessonStep(anchor: anchor, title: title, blocks: [], line: line))
  }

  private mutating func append(_ block: Block) {
    guard !steps.isEmpty else { return }
    steps[steps.count - 1].blocks.append(block)
  }

  /// A fenced block whose content is the lines `content`, opened on line `line`.
  private mutating func fencedBlock(info: String, lines content: Range<Int>, line: Int, record: inout ParseRecord) {
    if steps.isEmpty {
      sink.error(file, line, 1, "a block before the first step: start the body with a '# Title' heading")
      return
    }
    switch info {
    case "diagram":
      append(.diagram(content.map { lines[$0] }))
    case "chain":
      if let chain = parseChain(yaml(content), line: line) { append(.chain(chain)) }
    case "check":
      if let check = parseCheck(yaml(content), line: line, record: &record) {
        append(.check(check))
      }
    default:
      sink.error(file, line, 4, "unknown block '\(info)' (known: diagram, chain, check)")
    }
  }

  private func yaml(_ range: Range<Int>) -> [UInt8] {
    lines.text(ofLines: range)
  }

  private func parseChain(_ yaml: [UInt8], line: Int) -> MechanismChain? {
    let reader = YAMLReader(file: file, lineOffset: line, sink: sink)
    let document = reader.compose(utf8: yaml, stage: .parsing)
    if case .empty = document { sink.error(file, line, 1, "the chain block is empty") }
    guard let root = document.root else { return nil }
    guard let map = reader.mapping(root, context: "a chain block") else { return nil }
    map.rejectUnknownKeys(["title", "predict", "steps", "distractors"], in: "a chain block")
    let title = map.string("title", required: true, context: "the chain") ?? ""
    // A step is a line of text, or `link:` with its own wrong next links under `not:`.
    var steps: [String] = []
    var linkDistractors: [[MechanismChain.Distractor]] = []
    for node in map.sequence("steps", context: "the chain") {
      if case .scalar(let scalar) = node {
        steps.append(scalar.string.trimmed)
        linkDistractors.append([])
        continue
      }
      guard let link = reader.mapping(node, context: "a step of the chain") else { continue }
      link.rejectUnknownKeys(["link", "not"], in: "a step of the chain")
      guard let text = link.string("link", required: true, context: "a step of the chain") else { continue }
      steps.append(text)
      linkDistractors.append(
        link.sequence("not", context: "a step of the chain").compactMap {
          parseDistractor($0, reader: reader, needsWhy: true)
        })
    }
    if steps.count < 2 {
      reader.error(map.value("steps") ?? root, "a chain needs at least two steps")
      return nil
    }
    if Set(steps).count != steps.count {
      reader.error(map.value("steps"), "a chain lists the same step twice")
    }
    var distractors: [String] = []
    var reasons: [String: String] = [:]
    for node in map.sequence("distractors", context: "the chain") {
      guard let distractor = parseDistractor(node, reader: reader, needsWhy: false) else { continue }
      distractors.append(distractor.text)
      reasons[distractor.text] = distractor.why
    }
    for (index, own) in linkDistractors.enumerated() {
      for distractor in own where distractor.text == steps[index] {
        reader.error(map.value("steps"), "a wrong next link of '\(steps[index])' is the link itself")
      }
    }
    return MechanismChain(
      title: title, predict: map.bool("predict", context: "the chain") ?? false, steps: steps, distractors: distractors,
      linkDistractors: linkDistractors, reasons: reasons)
  }

  /// A wrong next link: text, or `{text, why}`; a link's own distractors must say why.
  private func parseDistractor(_ node: Node, reader: YAMLReader, needsWhy: Bool) -> MechanismChain.Distractor? {
    if case .scalar(let scalar) = node {
      if needsWhy {
        reader.error(node, "a wrong next link needs 'text' and 'why' (why it is wrong, shown after it is picked)")
      }
      return MechanismChain.Distractor(scalar.string.trimmed)
    }
    guard let map = reader.mapping(node, context: "a wrong next link") else { return nil }
    map.rejectUnknownKeys(["text", "why"], in: "a wrong next link")
    guard let text = map.string("text", required: true, context: "a wrong next link") else { return nil }
    let why = map.string("why", required: needsWhy, context: "a wrong next link")
    return MechanismChain.Distractor(text, why: why)
  }

  private func parseCheck(_ yaml: [UInt8], line: Int, record: inout ParseRecord) -> Checkpoint? {
    let reader = YAMLReader(file: file, lineOffset: line, sink: sink)
    let document = reader.compose(utf8: yaml, stage: .parsing)
    if case .empty = document {
      sink.error(file, line, 1, "the check block is empty: write 'question: ID' or a question")
    }
    guard let root = document.root else { return nil }
    guard let map = reader.mapping(root, context: "a check block") else { return nil }
    if map.has("question") {
      map.rejectUnknownKeys(["question"], in: "a check block that names a question")
      guard let id = map.string("question", required: true, context: "the check") else { return nil }
      let position = reader.position(of: map.value("question"))
      record.uses.append(SymbolUse(kind: .question, name: id, position: position))
      return Checkpoint(source: .reference(id), line: position.line, column: position.column)
    }
    guard let question = QuestionParser(reader: reader).parse(root, record: &record) else { return nil }
    let position = reader.position(of: root)
    return Checkpoint(source: .inline(question), line: position.line, column: position.column)
  }

  static func slug(_ title: String) -> String {
    var result = ""
    for scalar in title.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        result.unicodeScalars.append(scalar)
      } else if !result.hasSuffix("-") && !result.isEmpty {
        result += "-"
      }
    }
    while result.hasSuffix("-") { result.removeLast() }
    return result.isEmpty ? "step" : result
  }
}
