import ArgumentParser
import Foundation
import TutorSchoolStore
import TutorStore

/// `tutor doctor [--restore]`: the store's whole-file checks, and the way back to a backup.
struct Doctor: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract: "Check the progress store and its backups; restore the newest good backup.",
    discussion: """
      Runs SQLite's integrity check, the foreign-key check and the migrations check on the store, \
      changing nothing, and lists its backups (kept in a backups folder beside it: one on the \
      first study of a day, one before a migration, an import or a reset; the newest 7 stay). \
      Exit status 0: the store is healthy; 1: it is damaged, and the newest good backup is named. \
      --restore puts that backup in the store's place and keeps the damaged file aside (never \
      deleted).
      """)

  @OptionGroup var options: CommonOptions

  @Flag(help: "Put the newest good backup in the store's place; the damaged file is kept aside.")
  var restore = false

  @Option(
    help: ArgumentHelp(
      "With --restore: this backup (a name from the list), also over a healthy store (kept aside).",
      valueName: "name"))
  var backup: String?

  func validate() throws {
    if backup != nil && !restore { throw ValidationError("--backup names the backup that --restore brings back.") }
  }

  func run() throws {
    let path = options.storePath
    if PostgresAddress.isAddress(path) { return try examineServer(path) }
    guard FileManager.default.fileExists(atPath: path) else {
      throw Diagnostics.refuse("there is no progress store at \(path) (nothing to check).")
    }
    if restore {
      do {
        let (used, aside) = try StoreDoctor.restore(path, backup: backup)
        print("Restored \(path) from the backup made \(used.madeAt) (\(used.reason)): \(used.path).")
        if let aside { print("The store it replaced was kept aside as \(aside).") }
      } catch {
        Diagnostics.printError("Error: nothing was restored: \(error)")
        throw ExitCode(1)
      }
    }
    let report = StoreDoctor.examine(path)
    print("Progress store: \(path)")
    for check in report.checks {
      print("  \(check.problem == nil ? "✓" : "✗") \(check.name): \(check.problem ?? check.note ?? "ok")")
    }
    if report.backups.isEmpty {
      print("Backups: none yet in \(StoreBackups.folder(for: path)).")
    } else {
      print("Backups in \(StoreBackups.folder(for: path)), newest first:")
      for backup in report.backups {
        let good = backup == report.newestGood ? ", newest good" : ""
        print("  \(URL(fileURLWithPath: backup.path).lastPathComponent) (\(backup.madeAt), \(backup.reason)\(good))")
      }
    }
    guard !report.isHealthy else {
      print("The store is healthy.")
      return
    }
    if let good = report.newestGood {
      print(
        "The store is damaged and was left as it is. The newest good backup was made \(good.madeAt): "
          + "`tutor doctor --restore\(options.store.map { " --store '\($0)'" } ?? "")` puts it in place and keeps "
          + "the damaged file aside. Answers given since that backup are not in it.")
    } else {
      print(
        "The store is damaged and was left as it is, and there is no good backup. Move it aside "
          + "(mv '\(path)' '\(path).broken') to start a fresh store.")
    }
    throw ExitCode(1)
  }

  /// A school's store: whether the server answers and holds this tutor's schema. Its backups
  /// are the server's (pg_dump), not the tutor's.
  private func examineServer(_ address: String) throws {
    if restore {
      throw Diagnostics.refuse(
        "--restore puts back a backup of a SQLite store; a school's server is restored by its administrator (pg_restore)."
      )
    }
    let store: SchoolStore
    do {
      store = try Session.openSchoolStore(address, environment: options.environment)
    } catch let refusal as ExitCode {
      throw refusal
    } catch {
      print("Progress store: \(SQLiteProgressStore.withoutPassword(address))")
      print("  ✗ server: \(error)")
      throw ExitCode(1)
    }
    defer { store.close() }
    print("Progress store: \(store.address) (a school's server)")
    print("  ✓ server: answers, schema \(try store.databaseSchemaVersion()) (this tutor's)")
    print("  ✓ learners: \(try store.learnerNames().count)")
    print("Backups: kept by the server's administrator (pg_dump), not by the tutor.")
  }
}
