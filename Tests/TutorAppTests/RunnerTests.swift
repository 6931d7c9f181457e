import Foundation
import TerminalTesting
import TerminalUI
import Testing
import TutorCore
import TutorTestSupport

@testable import TutorApp

/// The run loop takes messages from any source that posts to its inbox, not only the terminal.
@Suite struct RunnerTests {
  @Test func aMessagePostedFromAnotherThreadReachesTheScreens() async {
    let terminal = InMemoryTerminal(size: Size(width: 80, height: 24), events: [.key(.down)])
    let state = AppState(course: Fixtures.courseWithTypes, progress: LearnerProgress(), size: terminal.size, seed: 1)
    let runner = Runner(state: state, terminal: terminal, clock: { testDate }, execute: { _ in nil })
    let inbox = runner.inbox
    // A background job (a network peer, say) answers from its own thread.
    await Task.detached {
      inbox.post(.reviewQueueLoaded(ReviewQueue(due: ["q-single"], forecast: [], scheduled: 1)))
    }.value
    let ended = runner.run()
    #expect(ended.progress.review.due == ["q-single"])
    #expect(terminal.frames.contains { $0.lines.contains { $0.contains("↻ Review: 1 due") } })
  }
}
