import Foundation
import TutorCore

/// Reads a course folder's files for the pure loader.
enum CourseFiles {
  static func read(_ folder: URL) -> [SourceFile] {
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

  /// Loads and validates; relative paths in diagnostics are prefixed with the folder as given.
  static func load(_ folder: URL) -> CourseLoadResult {
    CourseLoader.load(read(folder))
  }
}
