import Foundation
import GRDB
import TutorCore

/// `tutor doctor`: the whole-file checks that opening a store leaves out (they grow with the
/// history), on a read-only connection that changes nothing; and the restore of a backup.
public enum StoreDoctor {
  public struct Check: Equatable, Sendable {
    public var name: String
    /// nil: passed.
    public var problem: String?
    /// What a passed check has to say.
    public var note: String?
  }

  public struct Report: Equatable, Sendable {
    public var store: String
    public var checks: [Check]
    public var backups: [StoreBackups.Backup]
    /// The newest backup that passes the integrity check.
    public var newestGood: StoreBackups.Backup?
    public var isHealthy: Bool { checks.allSatisfy { $0.problem == nil } }
  }

  /// SQLite's integrity check: nothing when the file is whole, else what it found (or why it
  /// could not be read at all).
  static func integrityProblems(_ path: String) throws -> [String] {
    try readOnly(path) { db in
      try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
    }
  }

  /// Runs `body` on a read-only connection. The -wal and -shm files it made are removed only
  /// beside a store this user cannot write (where they would keep it unusable): beside a
  /// writable one a tutor started meanwhile may be using them.
  static func readOnly<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    guard FileManager.default.fileExists(atPath: path) else {
      throw StoreError.cannotOpen(path: path, detail: "there is no file")
    }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(2)
    let sidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
    defer { if access(path, W_OK) != 0 { LeftoverFiles.remove(sidecars) } }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    return try queue.read(body)
  }

  /// Checks the store at `path` without changing it.
  public static func examine(_ path: String) -> Report {
    var checks: [Check] = []
    func check(_ name: String, _ body: () throws -> String?) {
      do {
        checks.append(Check(name: name, problem: try body()))
      } catch {
        checks.append(Check(name: name, problem: describe(error)))
      }
    }
    var pending: String?
    check("SQLite integrity check") {
      let problems = try integrityProblems(path)
      return problems.isEmpty
        ? nil
        : problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? " (and \(problems.count - 5) more)" : "")
    }
    if checks[0].problem == nil {
      check("Foreign keys") {
        let broken = try readOnly(path) { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }
        return broken.isEmpty
          ? nil : "\(broken.count) rows point at rows that are gone (first in \(broken[0][0] ?? "?"))"
      }
      check("Schema") {
        try readOnly(path) { db in
          guard try db.tableExists("grdb_migrations") else {
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0
              ? nil : "it is not a tutor store (no migrations table)"
          }
          if try SQLiteProgressStore.migrator.hasBeenSuperseded(db) {
            return "it was written by a newer tutor; update the tutor"
          }
          let applied = try SQLiteProgressStore.migrator.appliedMigrations(db).count
          let all = SQLiteProgressStore.migrator.migrations.count
          if applied < all {
            pending = "\(applied) of \(all) migrations applied; the tutor applies the rest when it next opens the store"
          }
          return nil
        }
      }
      checks[checks.count - 1].note = pending
    }
    let backups = StoreBackups.list(for: path)
    return Report(
      store: path, checks: checks, backups: backups, newestGood: backups.first { StoreBackups.isGood($0.path) })
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? DatabaseError {
      return "\(error.message ?? "SQLite error \(error.resultCode.rawValue)")"
    }
    if let error = error as? StoreError, case .cannotOpen(_, let detail) = error { return detail }
    return "\(error)"
  }

  /// Puts a backup in the store's place: the one named (a file name or path from the list),
  /// else the newest good one, which a healthy store refuses (going back in time is asked for by
  /// name). The store (with its -wal and -shm) is kept aside as STORE.damaged-STAMP (or
  /// .replaced-STAMP when it was healthy), never deleted. Returns the backup used and where the
  /// store went.
  public static func restore(_ path: String, backup name: String? = nil, at date: Date = Date()) throws -> (
    backup: StoreBackups.Backup, keptAside: String?
  ) {
    let report = examine(path)
    let backup: StoreBackups.Backup
    if let name {
      guard
        let named = report.backups.first(where: {
          $0.path == name || URL(fileURLWithPath: $0.path).lastPathComponent == name
        })
      else {
        throw StoreError.other(path: path, detail: "there is no backup '\(name)' in \(StoreBackups.folder(for: path))")
      }
      guard StoreBackups.isGood(named.path) else {
        throw StoreError.other(path: path, detail: "the backup \(named.path) does not pass the integrity check")
      }
      backup = named
    } else {
      guard !report.isHealthy else {
        throw StoreError.other(
          path: path,
          detail: "the store is healthy; to go back to a backup, name it: tutor doctor --restore --backup NAME")
      }
      guard let good = report.newestGood else {
        throw StoreError.other(path: path, detail: "there is no good backup in \(StoreBackups.folder(for: path))")
      }
      backup = good
    }
    var keptAside: String?
    if FileManager.default.fileExists(atPath: path) {
      let aside = path + (report.isHealthy ? ".replaced-" : ".damaged-") + StoreBackups.stamp(date)
      for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
        try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
      }
      keptAside = aside
    }
    let partial = path + ".restoring"
    try? FileManager.default.removeItem(atPath: partial)
    try FileManager.default.copyItem(atPath: backup.path, toPath: partial)
    try FileManager.default.moveItem(atPath: partial, toPath: path)
    return (backup, keptAside)
  }
}
