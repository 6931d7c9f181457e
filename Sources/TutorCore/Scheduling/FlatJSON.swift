/// Reads one JSON object whose values are strings, numbers, booleans or null (a review log line).
/// Small and strict; much faster than a general parser on 100,000 lines.
enum FlatJSON {
  enum Value: Equatable {
    case string(String), integer(Int), number(Double), bool(Bool), null
  }

  static func parse(_ line: Substring) -> [String: Value]? { parse(Array(line.utf8)[...]) }

  static func parse(_ line: ArraySlice<UInt8>) -> [String: Value]? {
    let bytes = Array(line)
    var i = 0
    func skipSpace() { while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 { i += 1 } }
    func string() -> String? {
      guard i < bytes.count, bytes[i] == 34 else { return nil }
      i += 1
      var out: [UInt8] = []
      while i < bytes.count {
        let b = bytes[i]
        if b == 34 {
          i += 1
          return String(validating: out, as: UTF8.self)
        }
        if b == 92 {
          i += 1
          guard i < bytes.count else { return nil }
          switch bytes[i] {
          case 34: out.append(34)
          case 92: out.append(92)
          case 47: out.append(47)
          case 110: out.append(10)
          case 116: out.append(9)
          case 114: out.append(13)
          case 98: out.append(8)
          case 102: out.append(12)
          case 117:
            guard i + 4 < bytes.count,
              let code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
              let scalar = Unicode.Scalar(code)
            else { return nil }
            out += Array(String(Character(scalar)).utf8)
            i += 4
          default: return nil
          }
          i += 1
          continue
        }
        if b < 0x20 { return nil }
        out.append(b)
        i += 1
      }
      return nil
    }
    func value() -> Value? {
      guard i < bytes.count else { return nil }
      switch bytes[i] {
      case 34: return string().map(Value.string)
      case 116:
        guard bytes.count >= i + 4, bytes[i..<(i + 4)].elementsEqual("true".utf8) else { return nil }
        i += 4
        return .bool(true)
      case 102:
        guard bytes.count >= i + 5, bytes[i..<(i + 5)].elementsEqual("false".utf8) else { return nil }
        i += 5
        return .bool(false)
      case 110:
        guard bytes.count >= i + 4, bytes[i..<(i + 4)].elementsEqual("null".utf8) else { return nil }
        i += 4
        return .null
      default:
        let start = i
        while i < bytes.count,
          (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == 45 || bytes[i] == 43 || bytes[i] == 46 || bytes[i] == 101
            || bytes[i] == 69
        {
          i += 1
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if let integer = Int(text) { return .integer(integer) }
        return Double(text).map(Value.number)
      }
    }
    skipSpace()
    guard i < bytes.count, bytes[i] == 123 else { return nil }
    i += 1
    var object: [String: Value] = [:]
    skipSpace()
    if i < bytes.count, bytes[i] == 125 {
      i += 1
    } else {
      while true {
        skipSpace()
        guard let key = string() else { return nil }
        skipSpace()
        guard i < bytes.count, bytes[i] == 58 else { return nil }
        i += 1
        skipSpace()
        guard let v = value() else { return nil }
        object[key] = v
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == 44 {
          i += 1
          continue
        }
        if bytes[i] == 125 {
          i += 1
          break
        }
        return nil
      }
    }
    skipSpace()
    return i == bytes.count ? object : nil
  }
}
