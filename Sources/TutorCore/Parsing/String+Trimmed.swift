import Foundation

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and line breaks. Pure Swift: Foundation's
  /// `trimmingCharacters` bridges through NSString and was a tenth of the start-up time.
  public var trimmed: String {
    // On the bytes while both ends are ASCII; a non-ASCII end may be Unicode white space.
    let fast = utf8.withContiguousStorageIfAvailable { bytes -> String? in
      ASCIITrim.range(of: bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }
    if let fast = fast ?? nil { return fast }
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = lastIndex(where: { !$0.isWhitespace })!
    return String(self[first...last])
  }
}

/// Trimming on UTF-8 bytes.
enum ASCIITrim {
  /// The bytes without leading and trailing spaces, tabs and line breaks (empty when that is all
  /// they hold); nil when a trimmed end is not ASCII, as it may be Unicode white space.
  static func range(of bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }
    var first = 0
    var end = bytes.count
    while first < end, isSpace(bytes[first]) { first += 1 }
    while end > first, isSpace(bytes[end - 1]) { end -= 1 }
    if first < end && (bytes[first] >= 0x80 || bytes[end - 1] >= 0x80) { return nil }
    return first..<end
  }
}

extension String {
  /// `StringProtocol.trimmed`, without a copy when there is nothing to trim.
  public var trimmed: String {
    // The ends through the contiguous bytes: `utf8.last` walked the string's index machinery.
    let ends = utf8.withContiguousStorageIfAvailable { $0.isEmpty ? nil : ($0[0], $0[$0.count - 1]) }
    if let (first, last) = ends ?? nil, first > 32 && first < 0x80 && last > 32 && last < 0x80 {
      return self
    }
    return self[...].trimmed
  }

  /// `hasPrefix` compared byte for byte: the standard library's compares Characters, 140
  /// instructions a call, and a lesson's lines are tried against several prefixes each.
  func hasBytePrefix(_ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard count > 0 else { return true }
    return utf8.withContiguousStorageIfAvailable { bytes in
      bytes.count >= count && memcmp(bytes.baseAddress!, prefix.utf8Start, count) == 0
    } ?? hasPrefix(prefix.description)
  }

  /// `lowercased()`, byte by byte for ASCII text (itself when it has no capital): Unicode case
  /// mapping cost 700 instructions a glossary name.
  var lowercasedFast: String {
    var text = self
    let ascii = text.withUTF8 { bytes -> (isASCII: Bool, lower: String?) in
      var capitals = false
      for byte in bytes {
        if byte >= 0x80 { return (false, nil) }
        capitals = capitals || byte &- 0x41 < 26
      }
      guard capitals else { return (true, nil) }
      let lower = String(unsafeUninitializedCapacity: bytes.count) { buffer in
        for index in bytes.indices { buffer[index] = bytes[index].asciiLowercased }
        return bytes.count
      }
      return (true, lower)
    }
    guard ascii.isASCII else { return lowercased() }
    return ascii.lower ?? self
  }

  /// Where `needle` first occurs in the text, compared byte for byte: the standard library's
  /// `firstRange(of:)` took 16,000 instructions to find `{#` in a step heading.
  func byteRange(of needle: String) -> Range<String.Index>? {
    var text = self
    var needle = needle
    let found = text.withUTF8 { haystack in needle.withUTF8 { ByteSearch.firstRange(of: $0, in: haystack) } }
    guard let found else { return nil }
    return utf8.index(startIndex, offsetBy: found.lowerBound)..<utf8.index(startIndex, offsetBy: found.upperBound)
  }
}

extension Array where Element == String {
  /// The strings with `separator` between them, as `joined(separator:)`, which is generic in the
  /// standard library: its first call in a process has the runtime look up an associated type
  /// through all 7,500 conformances of the binary (430,000 instructions, on `tutor progress`'s way).
  public func joinedText(separator: String) -> String {
    var result = ""
    for (index, part) in enumerated() {
      if index > 0 { result += separator }
      result += part
    }
    return result
  }
}

extension Array {
  /// The elements in order, equal ones as they came: the standard library's `sorted(by:)`
  /// without its runs. Past 20 elements its sort keeps them in a `[Range<Int>]` that the standard
  /// library's own code makes from a mangled name, and the first such in a process has the runtime
  /// look up `Int: Comparable` through every conformance of the binary (380,000 instructions and
  /// 30 page faults, on `tutor progress`'s way). A merge sort of the indices, bottom up.
  public func stablySorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
    guard count > 1 else { return self }
    var from = Array<Int>(indices)
    var into = from
    var width = 1
    while width < count {
      from.withUnsafeBufferPointer { from in
        into.withUnsafeMutableBufferPointer { into in
          var start = 0
          while start < count {
            let middle = Swift.min(start + width, count)
            let end = Swift.min(start + 2 * width, count)
            var left = start
            var right = middle
            for index in start..<end {
              // The left run's element first, unless the right one is strictly smaller.
              if left < middle && (right == end || !areInIncreasingOrder(self[from[right]], self[from[left]])) {
                into[index] = from[left]
                left += 1
              } else {
                into[index] = from[right]
                right += 1
              }
            }
            start = end
          }
        }
      }
      swap(&from, &into)
      width *= 2
    }
    return from.map { self[$0] }
  }
}
