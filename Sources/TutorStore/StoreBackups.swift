import Foundation
import Synchronization
import GRDB
import TutorCore

/// Copies of the progress store in a `backups` folder beside it, made with SQLite's online
/// backup API (a consistent copy while the store is in use): on the first use of a day, before
/// a migration, before a reset or an import. The newest `kept` stay.
public enum StoreBackups {
  public static let kept = 7

  public struct Backup: Equatable, Sendable {
    public var path: String
    /// When it was made, local time, as in its name: "2026-12-01 09:30:05".
    public var madeAt: String
    public var day: CalendarDay
    /// Why: daily, before-migration, before-reset, before-import.
    public var reason: String
  }

  public static func folder(for store: String) -> String {
    URL(fileURLWithPath: store).deletingLastPathComponent().appendingPathComponent("backups").path
  }

  /// The store's file name without its extension ("progress" for progress.sqlite).
  static func stem(of store: String) -> String {
    let name = URL(fileURLWithPath: store).lastPathComponent
    return name.hasSuffix(".sqlite") ? String(name.dropLast(".sqlite".count)) : name
  }

  /// This store's backups, newest first: STEM-yyyy-MM-dd-HHmmss-REASON.sqlite.
  public static func list(for store: String) -> [Backup] {
    let folder = folder(for: store)
    let prefix = stem(of: store) + "-"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.compactMap { name -> Backup? in
      guard name.hasPrefix(prefix), name.hasSuffix(".sqlite") else { return nil }
      let rest = name.dropFirst(prefix.count).dropLast(".sqlite".count)
      // yyyy-MM-dd-HHmmss-reason
      guard rest.count > 18, let day = CalendarDay(String(rest.prefix(10))) else { return nil }
      let time = rest.dropFirst(11).prefix(6)
      guard time.count == 6, time.allSatisfy(\.isNumber), rest.dropFirst(17).first == "-" else { return nil }
      let clock = "\(time.prefix(2)):\(time.dropFirst(2).prefix(2)):\(time.suffix(2))"
      return Backup(
        path: folder + "/" + name, madeAt: "\(day) \(clock)", day: day, reason: String(rest.dropFirst(18)))
    }.map { ($0, modified($0.path)) }.sorted { ($0.0.madeAt, $0.1) > ($1.0.madeAt, $1.1) }.map(\.0)
  }

  /// Copies the store into a new backup (through a temporary file, so a backup is whole or
  /// absent), then removes all but the newest `kept`. Returns the backup's path.
  @discardableResult
  public static func make(of store: String, reason: String, at date: Date = Date()) throws -> String {
    let folder = folder(for: store)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let stamp = stamp(date)
    var path = folder + "/\(stem(of: store))-\(stamp)-\(reason).sqlite"
    var copy = 2
    while FileManager.default.fileExists(atPath: path) {
      path = folder + "/\(stem(of: store))-\(stamp)-\(reason)-\(copy).sqlite"
      copy += 1
    }
    let partial = path + ".\(getpid()).partial"
    try? FileManager.default.removeItem(atPath: partial)
    do {
      // A connection that may write, though it only reads: if it is the store's last to close
      // (the tutor quit while the daily backup ran), it folds the write-ahead log into the
      // file and removes it, as the tutor's own would have; a read-only one would leave it.
      var configuration = Configuration()
      configuration.busyMode = .timeout(5)
      let source = try DatabaseQueue(path: store, configuration: configuration)
      let destination = try DatabaseQueue(path: partial)
      try source.backup(to: destination)
      try destination.close()
      try source.close()
      // Another process may have published a backup under the same name meanwhile.
      while FileManager.default.fileExists(atPath: path) {
        path = folder + "/\(stem(of: store))-\(stamp)-\(reason)-\(copy).sqlite"
        copy += 1
      }
      try FileManager.default.moveItem(atPath: partial, toPath: path)
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw error
    }
    prune(store)
    return path
  }

  /// When a file last changed, in nanoseconds (orders two backups made in one second).
  static func modified(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec : 0
  }

  /// A local time for a file name: yyyy-MM-dd-HHmmss.
  static func stamp(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    localtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(CalendarDay.local(date))-\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
  }

  /// Removes all but the newest `kept` backups of the store, and any copy left half made.
  static func prune(_ store: String) {
    for backup in list(for: store).dropFirst(kept) { try? FileManager.default.removeItem(atPath: backup.path) }
    // A copy a process did not live to finish.
    let folder = folder(for: store)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".partial") {
      let path = folder + "/" + name
      let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
      if Date().timeIntervalSince(modified) > 600 { try? FileManager.default.removeItem(atPath: path) }
    }
  }

  /// The daily backup on another thread, so that a large store's copy never delays the first
  /// paint; a failure is left for `tutor doctor` to tell.
  /// The process waits for it at exit, so that a short command does not leave a copy half made.
  public static func dailyInBackground(of store: String, at date: Date = Date()) {
    running.enter()
    _ = waitsAtExit
    backedUp.withLock { $0 = store }
    let thread = Thread {
      try? daily(of: store, at: date)
      running.leave()
    }
    thread.qualityOfService = .background
    thread.start()
  }

  static let running = DispatchGroup()
  /// Registered once, the first time it is read (a static is initialised exactly once).
  static let waitsAtExit: Void = {
    atexit {
      guard StoreBackups.running.wait(timeout: .now() + 60) == .success else { return }
      StoreBackups.foldLogIn()
    }
  }()
  /// The store the daily backup copies.
  static let backedUp = Mutex<String?>(nil)

  /// When the tutor's connection and the backup's close at the same moment, neither may get the
  /// lock to fold the write-ahead log into the store: a last connection, opened and closed here,
  /// does (one still used by another tutor is left alone).
  static func foldLogIn() {
    guard let store = backedUp.withLock({ $0 }),
      let size = try? FileManager.default.attributesOfItem(atPath: store + "-wal")[.size] as? Int, size > 0
    else { return }
    var configuration = Configuration()
    configuration.busyMode = .timeout(0.2)
    guard let queue = try? DatabaseQueue(path: store, configuration: configuration) else { return }
    try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    try? queue.close()
  }

  /// A backup unless one was made today (local time).
  public static func daily(of store: String, at date: Date = Date()) throws {
    let today = CalendarDay.local(date)
    guard !list(for: store).contains(where: { $0.day == today }) else { return }
    try make(of: store, reason: "daily", at: date)
  }

  /// Whether a backup (or any SQLite file) reads whole: SQLite's integrity check, on a
  /// read-only connection.
  public static func isGood(_ path: String) -> Bool {
    (try? StoreDoctor.integrityProblems(path).isEmpty) ?? false
  }
}
