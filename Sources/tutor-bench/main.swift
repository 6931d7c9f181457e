// Performance figures for the tutor (run a release build: swift run -c release tutor-bench).
// Speed is measured here, never asserted in a test.
import Foundation
import TerminalUI
import TutorApp
import TutorCore
import TutorStore

func median(_ samples: [Duration]) -> Duration { samples.sorted()[samples.count / 2] }
func percentile(_ samples: [Duration], _ p: Double) -> Duration {
  let sorted = samples.sorted()
  return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
func ms(_ d: Duration) -> String {
  let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
  return String(format: "%.3f ms", value)
}
func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> [Duration] {
  let clock = ContinuousClock()
  return try (0..<runs).map { _ in try clock.measure(body) }
}

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath)
func courseFiles() -> [SourceFile] {
  var files: [SourceFile] = []
  for folder in ["Lessons", "Quizzes"] {
    let dir = root.appendingPathComponent(folder)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name != "README.md" {
      if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
        files.append(SourceFile(path: "\(folder)/\(name)", contents: Array(data)))
      }
    }
  }
  return files
}

let files = courseFiles()
guard let course = CourseLoader.load(files).course else {
  print("no valid course at \(root.path); pass the repository folder as the first argument")
  exit(1)
}

let load = measure(50) { _ = CourseLoader.load(courseFiles()) }
print("course read+parse+check: median \(ms(median(load))), p90 \(ms(percentile(load, 0.9))) (\(files.count) files)")

let state = AppState(course: course, progress: LearnerProgress(), size: Size(width: 80, height: 24), seed: 1)
let home = measure(500) { _ = App.render(state) }
print("home screen render 80x24: median \(ms(median(home)))")

var lessonState = state
_ = App.open(.lesson(course.lessons[0].id), in: &lessonState)
let lesson = measure(500) { _ = App.render(lessonState) }
print("lesson step render 80x24: median \(ms(median(lesson)))")

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-\(getpid())")
let store = try ProgressStore(path: folder.appendingPathComponent("progress.sqlite").path)
let learner = try store.learnerID(named: "bench")
var index = 0
let answers = try measure(2000) {
  index += 1
  try store.record(
    AnswerRecord(
      questionID: "q-\(index % 50)", questionVersion: 1, context: .checkpoint(lesson: "bench"), response: "a",
      grade: Grade(score: 1, chosenChoiceIDs: ["a"])), learner: learner)
}
print("record one answer (committed transaction, WAL): median \(ms(median(answers))), p90 \(ms(percentile(answers, 0.9))), n=2000")
let reads = try measure(200) { _ = try store.progress(learner: learner) }
print("read learner progress (2000 answers): median \(ms(median(reads)))")
try? FileManager.default.removeItem(at: folder)
for file in files {
  let single = measure(30) { _ = CourseLoader.load([file]) }
  print("  parse \(file.path) (\(file.contents.count / 1024) KiB): median \(ms(median(single)))")
}

let reopenFolder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-open-\(getpid())")
let reopenPath = reopenFolder.appendingPathComponent("progress.sqlite").path
_ = try ProgressStore(path: reopenPath).learnerID(named: "bench")
let opens = try measure(30) {
  let store = try ProgressStore(path: reopenPath)
  let id = try store.learnerID(named: "bench")
  _ = try store.progress(learner: id)
}
print("open an existing store, find the learner, read progress: median \(ms(median(opens)))")
try? FileManager.default.removeItem(at: reopenFolder)
