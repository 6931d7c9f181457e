import Foundation
import TutorCore

/// Reads a course folder's files for the pure loader.
public enum CourseFiles {
  public static func read(_ folder: URL) -> [SourceFile] {
    var files: [SourceFile] = []
    for sub in ["Lessons", "Quizzes"] {
      let dir = folder.appendingPathComponent(sub)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for name in names.sorted() where isCourseFile(name, in: sub) {
        let url = dir.appendingPathComponent(name)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        if size > CourseLoader.maximumFileSize {
          // Do not read a huge file into memory: the loader reports it from its size.
          files.append(SourceFile(path: "\(sub)/\(name)", contents: Array(repeating: 0, count: CourseLoader.maximumFileSize + 1)))
          continue
        }
        let data = (try? Data(contentsOf: url)) ?? Data()
        files.append(SourceFile(path: "\(sub)/\(name)", contents: Array(data)))
      }
    }
    return files
  }

  static func isCourseFile(_ name: String, in folder: String) -> Bool {
    if name.hasPrefix(".") || name == "README.md" { return false }
    if folder == "Lessons" { return name.hasSuffix(".md") || name == "course.yaml" || name == "glossary.yaml" }
    return name.hasSuffix(".yaml") || name.hasSuffix(".yml")
  }

  /// Names the exact contents of a course folder by each file's path, size and modification
  /// time, so a cached summary is used only for the files it was made from.
  static func fingerprint(_ folder: URL) -> String {
    var text = Tutor.version + "|" + folder.standardizedFileURL.path
    for sub in ["Lessons", "Quizzes"] {
      let dir = folder.appendingPathComponent(sub)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for name in names.sorted() where isCourseFile(name, in: sub) {
        var info = stat()
        guard stat(dir.appendingPathComponent(name).path, &info) == 0 else { continue }
        text += "|\(sub)/\(name):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
      }
    }
    return String(StableHash.of(text), radix: 16)
  }

  static func cacheFile(_ fingerprint: String, environment: [String: String]) -> URL {
    let base =
      environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
    return URL(fileURLWithPath: base).appendingPathComponent("tutor/course-\(fingerprint).json")
  }

  /// The summary of a course that last checked clean with exactly these files, if cached.
  static func cachedSummary(_ folder: URL, environment: [String: String]) -> CourseSummary? {
    guard let data = FileManager.default.contents(atPath: cacheFile(fingerprint(folder), environment: environment).path) else { return nil }
    return try? JSONDecoder().decode(CourseSummary.self, from: data)
  }

  /// Remembers that these files make a valid course (a cache: failing to write it is harmless).
  static func saveSummary(_ course: Course, folder: URL, environment: [String: String]) {
    let url = cacheFile(fingerprint(folder), environment: environment)
    guard !FileManager.default.fileExists(atPath: url.path), let data = try? JSONEncoder().encode(CourseSummary(course)) else { return }
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? data.write(to: url, options: .atomic)
  }

  /// Loads and validates; relative paths in diagnostics are prefixed with the folder as given.
  static func load(_ folder: URL) -> CourseLoadResult {
    CourseLoader.load(read(folder))
  }
}
