import ArgumentParser
import Foundation
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorCLI

/// How `tutor check` reads a course folder and words what it finds.
@Suite struct CheckTests {
  /// The fixture course written to a fresh folder.
  static func courseFolder() throws -> URL {
    let folder = Fixtures.temporaryFolder()
    for file in Fixtures.files() {
      let url = folder.appendingPathComponent(file.path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(file.contents).write(to: url)
    }
    return folder
  }

  /// The size of a file too large to read comes from the disk, not from the bytes read.
  @Test func anOversizedFileIsReportedWithItsSizeOnDisk() throws {
    let folder = try Self.courseFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let big = folder.appendingPathComponent("Lessons/02-big.md")
    #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
    let handle = try FileHandle(forWritingTo: big)
    try handle.truncate(atOffset: 20 * 1024 * 1024)  // sparse: no 20 MiB written
    try handle.close()
    let texts = CourseFiles.load(folder).diagnostics.map(\.description)
    #expect(
      texts.contains("Lessons/02-big.md:1:1: error: the file is 20.0 MiB; course files may be at most 4 MiB"),
      "\(texts)")
  }

  /// A pipe named like a quiz is refused without being opened (opening it would wait for a writer).
  @Test func aPipeIsNotReadAsACourseFile() throws {
    let folder = try Self.courseFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(mkfifo(folder.appendingPathComponent("Quizzes/pipe.yaml").path, 0o644) == 0)
    let texts = CourseFiles.load(folder).diagnostics.map(\.description)
    #expect(
      texts.contains(
        "Quizzes/pipe.yaml:1:1: error: cannot read the file: it is not a regular file (a device, a pipe or a socket)"),
      "\(texts)")
  }

  /// A folder named like a course file is not one: it is left out, and the files read around it
  /// keep their order.
  @Test func aFolderNamedLikeACourseFileIsLeftOut() throws {
    let folder = try Self.courseFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let before = CourseFiles.read(folder).map(\.path)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("Quizzes/aa-folder.yaml"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("Lessons/00-folder.md"), withIntermediateDirectories: true)
    #expect(CourseFiles.read(folder).map(\.path) == before)
    #expect(before == before.sorted(), "Lessons then Quizzes, each by name")
    #expect(CourseFiles.load(folder).errors.isEmpty)
  }

  /// A file given as the course folder is called a file, not missing.
  @Test func aFileGivenAsTheCourseFolderIsCalledAFile() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("passwd")
    #expect(FileManager.default.createFile(atPath: file.path, contents: Data("root:x:0:0\n".utf8)))
    let asFile = try Binary.run(["check", file.path])
    #expect(asFile.status == 64)
    #expect(
      asFile.errors.contains(
        "\(file.path) is a file, not a folder: give the course folder (the one holding Lessons/course.yaml)."))
    #expect(!asFile.errors.contains("Usage: tutor <subcommand>"), "no root usage after a problem found in a command")
    let missing = folder.appendingPathComponent("nowhere").path
    let absent = try Binary.run(["check", missing])
    #expect(absent.status == 64)
    #expect(absent.errors.contains("The course folder \(missing) does not exist."))
  }
}
