import Foundation
import TutorCore

/// I/O that `update` asks for; the runner executes it, and any result comes back as a message.
public enum Command: Equatable, Sendable {
  /// Saves a change a study session made (an answer, an attempt begun or finished, a place).
  case save(ProgressChange)
  /// Reads the review queue again (after answers moved schedules).
  case loadReviewQueue
  /// Reads what the progress review shows: statistics, memory, study days, scores.
  /// `questions`: the course's (the statistics read), nil for all (a course not read yet).
  case loadProgressReview(questions: [String]?)
  /// Sends a message to the class host (a live class).
  case classSend(ClientMessage)
  /// The teacher's command to the class being hosted.
  case hostCommand(ClassCommand)
  case quit
}

/// What a screen's update asks of the app: a command to run, or a place to go. Screens never
/// build each other's states: the app does, from the destination.
public enum Effect: Equatable, Sendable {
  case run(Command)
  case open(Destination)
  case pop
  /// A short message in the status line; nil clears it (news from a class host supersedes it).
  case status(String?)
}

/// Where a screen can send the learner.
public enum Destination: Equatable, Sendable {
  /// A quiz: its unfinished attempt, or a new one. `insistsOnMode`: close an unfinished attempt
  /// of another mode (`tutor quiz --exam`); `restart`: close any (`--restart`).
  case quiz(id: String, insistsOnMode: Bool = false, restart: Bool = false)
  /// A lesson at `step` (its saved place when nil).
  case lesson(id: String, step: Int? = nil)
  /// A lesson step opened from a question (`see:`): looking up does not move the learner's place.
  case lookUp(see: String)
  /// The results of a finished quiz session, in place of the session.
  case results(QuizSession)
  /// A retry of the questions missed, in place of the results.
  case retry(of: QuizSession)
  case review
  case cram(String)
  /// A block of chosen questions in a fresh order, leaving the schedule alone (from Progress).
  case drill(title: String, questionIDs: [String])
  case progress
  /// Search the course (lesson text, glossary, questions).
  case search
  /// The glossary, at `term` if given.
  case glossary(term: String?)
  case references
}

/// The screens, as a typed navigation stack.
public enum Screen: Equatable, Sendable {
  case home(HomeScreen.State)
  case lesson(LessonScreen.State)
  case quiz(QuizScreen.State)
  case results(ResultsScreen.State)
  case progress(ProgressScreen.State)
  case search(SearchScreen.State)
  case list(ListScreen.State)
  case classroom(ClassScreen.State)
  case host(HostScreen.State)
}

/// Read-only facts every screen may consult.
public struct AppContext: Sendable {
  public var course: Course
  public var progress: LearnerProgress
  public var seed: UInt64
  /// The time of the message being handled (the runner's clock; tests set it).
  public var now: Date
  public var reviewBudget: TimeInterval?
}
