import CYaml

/// A YAML node as the course files use it: scalars, mappings and sequences, each with its
/// position. Composed straight from libyaml's events (the C parser Yams wraps): Yams' own
/// composer, with a tag object per node and its check for duplicate keys by hashing whole nodes,
/// cost more than libyaml's parsing itself.
enum Node: Sendable {
  case scalar(Scalar)
  case mapping(Mapping)
  case sequence(Sequence)

  /// A position, counted from 1 (columns in Unicode scalars, as libyaml counts). Kept in 32 bits
  /// each (a course file is at most 4 MiB): a node is then 32 bytes, not 48.
  struct Mark: Sendable {
    private let storedLine: Int32
    private let storedColumn: Int32
    var line: Int { Int(storedLine) }
    var column: Int { Int(storedColumn) }

    init(line: Int, column: Int) {
      storedLine = Int32(clamping: line)
      storedColumn = Int32(clamping: column)
    }
  }

  struct Scalar: Sendable {
    enum Style: Sendable { case any, plain, singleQuoted, doubleQuoted, literal, folded }
    let string: String
    let style: Style
    let mark: Mark
  }

  struct Mapping: Swift.Sequence, Sendable {
    let pairs: [(Node, Node)]
    let mark: Mark
    func makeIterator() -> IndexingIterator<[(Node, Node)]> { pairs.makeIterator() }
  }

  struct Sequence: RandomAccessCollection, Sendable {
    let nodes: [Node]
    let mark: Mark
    var startIndex: Int { nodes.startIndex }
    var endIndex: Int { nodes.endIndex }
    subscript(position: Int) -> Node { nodes[position] }
  }

  var mark: Mark? {
    switch self {
    case .scalar(let scalar): scalar.mark
    case .mapping(let mapping): mapping.mark
    case .sequence(let sequence): sequence.mark
    }
  }

  var scalar: Scalar? { if case .scalar(let scalar) = self { scalar } else { nil } }
  var mapping: Mapping? { if case .mapping(let mapping) = self { mapping } else { nil } }
  var sequence: Sequence? { if case .sequence(let sequence) = self { sequence } else { nil } }
}

/// Composes one YAML document into `Node`s from libyaml's events.
enum YAMLComposer {
  /// A problem, with the message the reader reports and where.
  struct Failure: Error {
    let line: Int
    let column: Int
    let message: String
  }

  /// The document's root; nil when the text holds no document (only blank lines and comments).
  static func compose(_ text: String) throws(Failure) -> Node? { try compose(utf8: Array(text.utf8)) }

  /// The same for text already known to be UTF-8.
  static func compose(utf8 bytes: [UInt8]) throws(Failure) -> Node? { try onBytes(bytes, compose) }

  /// `read` on the bytes.
  private static func onBytes(
    _ bytes: [UInt8], _ read: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Node?
  ) throws(Failure) -> Node? {
    let result = bytes.withUnsafeBufferPointer { bytes -> Result<Node?, Failure> in
      do throws(Failure) { return .success(try read(bytes)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// A collection being composed; a class, so that appending to it never copies what it holds.
  private final class Frame {
    let isMapping: Bool
    let mark: Node.Mark
    let anchor: String?
    var nodes: [Node] = []
    var pairs: [(Node, Node)] = []
    var key: Node?
    var firstMark: [String: Node.Mark] = [:]
    var duplicates: Set<String> = []

    init(isMapping: Bool, mark: Node.Mark, anchor: String?) {
      self.isMapping = isMapping
      self.mark = mark
      self.anchor = anchor
    }
  }

  private static func compose(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> Node? {
    switch QuickYAML.compose(bytes) {
    case .root(let node): return node
    case .empty: return nil
    case nil: return try composeWithLibYAML(bytes)
    }
  }

  /// libyaml's reading, which `QuickYAML` stands in for where it can; tests compare the two.
  static func composeWithLibYAML(_ text: String) throws(Failure) -> Node? {
    try onBytes(Array(text.utf8), composeWithLibYAML)
  }

  private static func composeWithLibYAML(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> Node? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { throw Failure(line: 1, column: 1, message: "YAML syntax error") }
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

    var stack: [Frame] = []
    var anchors: [String: Node] = [:]
    var root: Node?
    var documents = 0

    func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
      pointer.map { String(cString: $0) }
    }
    func mark(_ mark: yaml_mark_t) -> Node.Mark { Node.Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1) }
    /// A finished node goes to the collection it is in, or is the document's root.
    func add(_ node: Node, anchor: String?) {
      if let anchor { anchors[anchor] = node }
      guard let top = stack.last else {
        root = node
        return
      }
      if !top.isMapping {
        top.nodes.append(node)
      } else if let key = top.key {
        top.pairs.append((key, node))
        top.key = nil
      } else {
        if let name = node.scalar?.string, let at = node.mark {
          if top.firstMark[name] == nil { top.firstMark[name] = at } else { top.duplicates.insert(name) }
        }
        top.key = node
      }
    }

    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else { throw failure(parser) }
      defer { yaml_event_delete(&event) }
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return root
      case YAML_DOCUMENT_START_EVENT:
        documents += 1
        if documents > 1 {
          let at = mark(event.start_mark)
          throw Failure(line: at.line, column: at.column, message: "YAML syntax: but found another document")
        }
      case YAML_SCALAR_EVENT:
        let scalar = event.data.scalar
        let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        let style: Node.Scalar.Style =
          switch scalar.style {
          case YAML_PLAIN_SCALAR_STYLE: .plain
          case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
          case YAML_LITERAL_SCALAR_STYLE: .literal
          case YAML_FOLDED_SCALAR_STYLE: .folded
          default: .any
          }
        add(
          .scalar(Node.Scalar(string: value, style: style, mark: mark(event.start_mark))), anchor: string(scalar.anchor)
        )
      case YAML_ALIAS_EVENT:
        guard let name = string(event.data.alias.anchor), let node = anchors[name] else {
          let at = mark(event.start_mark)
          throw Failure(line: at.line, column: at.column, message: "YAML syntax: found undefined alias")
        }
        add(node, anchor: nil)
      case YAML_SEQUENCE_START_EVENT:
        stack.append(
          Frame(isMapping: false, mark: mark(event.start_mark), anchor: string(event.data.sequence_start.anchor)))
      case YAML_MAPPING_START_EVENT:
        stack.append(
          Frame(isMapping: true, mark: mark(event.start_mark), anchor: string(event.data.mapping_start.anchor)))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        guard let frame = stack.popLast() else { continue }
        if let first = frame.duplicates.min(), let place = frame.firstMark[first] {
          let keys = frame.duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
          throw Failure(line: place.line, column: place.column, message: "duplicate key \(keys) in this mapping")
        }
        let node: Node =
          frame.isMapping
          ? .mapping(Node.Mapping(pairs: frame.pairs, mark: frame.mark))
          : .sequence(Node.Sequence(nodes: frame.nodes, mark: frame.mark))
        add(node, anchor: frame.anchor)
      default:
        break
      }
    }
  }

  private static func failure(_ parser: yaml_parser_t) -> Failure {
    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    switch parser.error {
    case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
      return Failure(
        line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
        message: "YAML syntax: \(YAMLReader.plain(problem))")
    case YAML_READER_ERROR:
      return Failure(line: 1, column: 1, message: "cannot read the text: \(problem)")
    default:
      return Failure(line: 1, column: 1, message: "YAML syntax error")
    }
  }
}
