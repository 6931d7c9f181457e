import Foundation
import TutorCore

/// Reads a course folder's files for the pure loader.
public enum CourseFiles {
  /// The course files in a folder, read (loading reads each on the worker that parses it).
  public static func read(_ folder: URL) -> [SourceFile] { pending(folder).map { $0.read() } }

  /// Has the thread pool start its worker thread now, for a command that will load the course:
  /// started by the parsing itself, it took half a millisecond to two (callgrind cannot see
  /// this; a trace of which thread parsed which file when can), while one thread parsed alone.
  public static func startWorkerThread() { DispatchQueue.global().async {} }

  /// The course files in a folder, found and sized but not read: the loader's workers read them.
  public static func pending(_ folder: URL) -> [PendingSourceFile] {
    var found: [PendingSourceFile] = []
    let root = folder.path
    for sub in ["Lessons", "Quizzes"] {
      let dir = root + "/" + sub
      for name in entries(of: dir).sorted() where isCourseFile(name, in: sub) {
        // A folder with a course file's name is not a file of the course; nor is one gone since.
        var info = stat()
        let file = dir + "/" + name
        let path = "\(sub)/\(name)"
        guard stat(file, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
        let known = info
        found.append(
          PendingSourceFile(
            path: path, size: Int(info.st_size), read: { readFile(atPath: file, path: path, info: known) }))
      }
    }
    return found
  }

  /// One file's bytes, named `path` for the loader. A huge file is not read into memory (the
  /// loader reports it from its size); a device or a pipe is not read at all (it could be
  /// endless or wait for a writer).
  static func readFile(atPath filePath: String, path: String) -> SourceFile {
    var info = stat()
    guard stat(filePath, &info) == 0 else { return SourceFile(path: path, readError: String(cString: strerror(errno))) }
    return readFile(atPath: filePath, path: path, info: info)
  }

  /// `readFile` of a file whose `stat` is known.
  private static func readFile(atPath filePath: String, path: String, info: stat) -> SourceFile {
    guard info.st_mode & S_IFMT == S_IFREG else {
      return SourceFile(path: path, readError: "it is not a regular file (a device, a pipe or a socket)")
    }
    if info.st_size > CourseLoader.maximumFileSize {
      return SourceFile(path: path, tooLargeWithSize: Int(info.st_size))
    }
    let descriptor = open(filePath, O_RDONLY)
    guard descriptor >= 0 else { return SourceFile(path: path, readError: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    // The size `stat` gave (a file that grows meanwhile is read as it was; one that shrinks, to its end).
    var failure: Int32?
    // Not filled with zeros first: the read fills it.
    let contents = [UInt8](unsafeUninitializedCapacity: Int(info.st_size)) { buffer, filled in
      while filled < buffer.count {
        let count = readBytes(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else {
          failure = errno
          return
        }
        if count == 0 { break }
        filled += count
      }
    }
    if let failure { return SourceFile(path: path, readError: String(cString: strerror(failure))) }
    return SourceFile(path: path, contents: contents)
  }

  static func isCourseFile(_ name: String, in folder: String) -> Bool {
    if name.hasPrefix(".") || name == "README.md" { return false }
    if folder == "Lessons" { return name.hasSuffix(".md") || name == "course.yaml" || name == "glossary.yaml" }
    return name.hasSuffix(".yaml") || name.hasSuffix(".yml")
  }

  /// Names the exact contents of a course folder by each file's path, size and modification
  /// time, so a cached summary is used only for the files it was made from.
  static func fingerprint(_ folder: URL) -> String { fingerprint(path: folder.path) }

  /// `fingerprint` of the folder at the absolute `path`.
  static func fingerprint(path: String) -> String {
    // Paths as strings, the folder read with readdir, and the hash taken piece by piece over
    // "version|root|Lessons/name:size:seconds.nanoseconds|...": URL's path building,
    // FileManager's listing and then making that text were most of this function, which every
    // start runs before the first paint.
    let root = CourseLocation.standardized(path)
    var hash = StableHash.Builder()
    hash.add(Tutor.version + "|" + root)
    for sub in ["Lessons", "Quizzes"] {
      let dir = root + "/" + sub
      for name in entries(of: dir).sorted() where isCourseFile(name, in: sub) {
        var info = stat()
        guard stat(dir + "/" + name, &info) == 0 else { continue }
        hash.add("|")
        hash.add(sub)
        hash.add("/")
        hash.add(name)
        hash.add(":")
        hash.add(Int(info.st_size))
        hash.add(":")
        hash.add(Int(info.st_mtim.tv_sec))
        hash.add(".")
        hash.add(Int(info.st_mtim.tv_nsec))
      }
    }
    return String(hash.value, radix: 16)
  }

  /// The names in a folder (without "." and ".."), none if it cannot be read.
  static func entries(of folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Where the summary of a course with this fingerprint is cached.
  static func cacheFile(_ fingerprint: String, environment: [String: String]) -> String {
    let base =
      environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
    return base + "/tutor/course-\(fingerprint).json"
  }

  /// The summary of a course that last checked clean with exactly these files, if cached.
  static func cachedSummary(_ folder: URL, environment: [String: String]) -> CourseSummary? {
    guard let data = FileManager.default.contents(atPath: cacheFile(fingerprint(folder), environment: environment))
    else { return nil }
    return try? JSONDecoder().decode(CourseSummary.self, from: data)
  }

  /// Where the digest of the course at the absolute path `folder` is, if it last checked clean
  /// with exactly these files.
  static func digestFile(path folder: String, environment: [String: String]) -> String? {
    let path = digestFile(cacheFile(fingerprint(path: folder), environment: environment))
    return access(path, F_OK) == 0 ? path : nil
  }

  /// The digest at `path`, mapped into memory rather than read: only the pages used are loaded
  /// (the outline, a seventh of the file, and the options the report shows).
  static func readDigest(_ path: String) -> ProgressDigest? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0,
      let mapped = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED
    else { return nil }
    let size = Int(info.st_size)
    let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
    return ProgressDigest(mapped: bytes, withText: false) { munmap(mapped, size) }
  }

  /// Remembers that these files make a valid course, with its summary (for the home screen) and
  /// its digest (for `tutor progress`): a cache, so failing to write it is harmless.
  static func saveSummary(_ course: Course, folder: URL, environment: [String: String]) {
    let path = cacheFile(fingerprint(folder), environment: environment)
    let url = URL(fileURLWithPath: path)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    if !FileManager.default.fileExists(atPath: digestFile(path)),
      let digest = ProgressDigest(course).text.data(using: .utf8)
    {
      try? digest.write(to: URL(fileURLWithPath: digestFile(path)), options: .atomic)
    }
    if !FileManager.default.fileExists(atPath: path), let data = try? JSONEncoder().encode(CourseSummary(course)) {
      try? data.write(to: url, options: .atomic)
      pruneCache(url.deletingLastPathComponent().path)
    }
  }

  /// How many course summaries the cache keeps: each edit of a course makes a new one.
  static let cachedCourses = 8

  /// Removes all but the newest `cachedCourses` summaries, each with its digest.
  static func pruneCache(_ folder: String) {
    let summaries = entries(of: folder).filter { $0.hasPrefix("course-") && $0.hasSuffix(".json") }
    guard summaries.count > cachedCourses else { return }
    func modified(_ name: String) -> Int {
      var info = stat()
      return stat(folder + "/" + name, &info) == 0 ? info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec : 0
    }
    for name in summaries.map({ ($0, modified($0)) }).sorted(by: { $0.1 > $1.1 }).dropFirst(cachedCourses).map(\.0) {
      unlink(folder + "/" + name)
      unlink(folder + "/" + digestFile(name))
    }
  }

  /// The digest beside a summary: course-FINGERPRINT.progress.tsv.
  private static func digestFile(_ summary: String) -> String {
    String(summary.dropLast(".json".count)) + ".progress.tsv"
  }

  /// Loads and validates; relative paths in diagnostics are prefixed with the folder as given.
  public static func load(_ folder: URL, itemWriting: Bool = false) -> CourseLoadResult {
    CourseLoader.load(reading: pending(folder), itemWriting: itemWriting)
  }
}

/// The C library's read(2), by a name that `CourseFiles`' own methods do not hide.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}
