import Foundation
import PropertyBased
import Testing
import TutorCore

/// The days studied, walked in order, give what looking each day up in a set gives: the streak,
/// the longest one and the days studied, whatever order and repeats the store gives.
@Suite struct ActivityTests {
  @Test func streaksAreCountedAsByLookingEachDayUp() async {
    let today = CalendarDay(year: 2026, month: 12, day: 2)
    let day = Gen.int(in: -40...2).map { today.adding(days: $0) }
    let entry = zip(day, Gen.int(in: 0...3)).map { StudyHistory.Day(day: $0, answers: $1, milliseconds: $1 * 1000) }
    await propertyCheck(count: 800, input: entry.array(of: 0...60), Gen.bool) { days, sorted in
      let days = sorted ? days.sorted { $0.day < $1.day } : days
      let activity = ProgressReport.Activity(StudyHistory(days: days, today: today))
      // The reference: a set of the days with answers.
      var answers: [CalendarDay: Int] = [:]
      for entry in days { answers[entry.day, default: 0] += entry.answers }
      let studied = Set(answers.filter { $0.value > 0 }.keys)
      var streak = 0
      var walk = studied.contains(today) ? today : today.adding(days: -1)
      while studied.contains(walk) {
        streak += 1
        walk = walk.adding(days: -1)
      }
      var longest = 0
      var run = 0
      var previous: CalendarDay?
      for day in studied.sorted() {
        run = previous.map { day.number == $0.number + 1 } == true ? run + 1 : 1
        longest = max(longest, run)
        previous = day
      }
      #expect(activity.answersByDay == answers)
      #expect(activity.daysStudied == studied.count)
      #expect(activity.streak == streak)
      #expect(activity.longestStreak == longest)
    }
  }

  @Test(arguments: ["2026-12-02", "1999-01-31", "2024-02-29"]) func aDayReadsBackAsWritten(text: String) throws {
    let day = try #require(CalendarDay(text))
    let parts = text.split(separator: "-").map { Int($0)! }
    #expect(day == CalendarDay(year: parts[0], month: parts[1], day: parts[2]))
  }

  @Test(arguments: [
    "2026-13-02", "2026-12-32", "2026-12-0x", "2026/12/02", "2026-12-2", "", "2026-12-021", "20a6-12-02",
  ])
  func aMalformedDayIsNone(text: String) {
    #expect(CalendarDay(text) == nil)
  }
}
