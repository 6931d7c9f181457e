import Foundation

/// The -wal and -shm files a read-only open made beside a store it cannot write: SQLite gives
/// them the store's read-only mode, and left behind they would keep the store unusable after
/// its permissions are fixed. They are removed when the store closes or the process exits.
enum LeftoverFiles {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var pending: Set<String> = []
  nonisolated(unsafe) private static var registered = false

  static func removeAtExit(_ files: [String]) {
    lock.lock()
    defer { lock.unlock() }
    pending.formUnion(files)
    if !registered {
      registered = true
      atexit { LeftoverFiles.remove(Array(LeftoverFiles.takeAll())) }
    }
  }

  private static func takeAll() -> Set<String> {
    lock.lock()
    defer { lock.unlock() }
    let all = pending
    pending = []
    return all
  }

  /// Removes each file, except a -wal that holds data (a read-only connection never writes one).
  static func remove(_ files: [String]) {
    for file in files {
      let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
      if !file.hasSuffix("-wal") || size == 0 { try? FileManager.default.removeItem(atPath: file) }
    }
    lock.lock()
    pending.subtract(files)
    lock.unlock()
  }
}
