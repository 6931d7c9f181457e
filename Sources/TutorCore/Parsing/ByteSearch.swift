import Foundation

/// Finds the first of a few bytes in a text eight bytes at a time: parsers that stop only at a
/// few ASCII characters spent most of their time reading the bytes between them one by one.
enum ByteSearch {
  /// The first index from `start` on whose byte is `a`, `b`, `c` or `d` (repeat one to look for
  /// fewer), or `bytes.count` when there is none.
  static func first(
    _ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int
  ) -> Int {
    let count = bytes.count
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let (wordA, wordB, wordC, wordD) = (ones &* UInt64(a), ones &* UInt64(b), ones &* UInt64(c), ones &* UInt64(d))
    var index = start
    while index + 8 <= count {
      let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
      // A byte equal to the one sought is zero after XOR; the lowest flag set marks the first
      // such byte exactly (flags above it may be false).
      let (xA, xB, xC, xD) = (word ^ wordA, word ^ wordB, word ^ wordC, word ^ wordD)
      let found = ((xA &- ones) & ~xA | (xB &- ones) & ~xB | (xC &- ones) & ~xC | (xD &- ones) & ~xD) & highs
      if found != 0 { return index + found.trailingZeroBitCount / 8 }
      index += 8
    }
    while index < count {
      let byte = bytes[index]
      if byte == a || byte == b || byte == c || byte == d { return index }
      index += 1
    }
    return count
  }

  /// Where `pattern` first occurs in `text`, compared byte for byte.
  static func firstRange(of pattern: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    guard text.count >= pattern.count else { return nil }
    guard let head = pattern.first else { return 0..<0 }
    for start in 0...(text.count - pattern.count)
    where text[start] == head && memcmp(text.baseAddress! + start, pattern.baseAddress!, pattern.count) == 0 {
      return start..<(start + pattern.count)
    }
    return nil
  }
}

extension UInt8 {
  /// The byte with an ASCII capital made lower case.
  var asciiLowercased: UInt8 { self &- 0x41 < 26 ? self + 32 : self }
}
