import Foundation

/// "in 10 minutes", "in 3 hours", "tomorrow", "in 12 days": when something falls due.
public enum RelativeTime {
  public static func describe(_ date: Date, from now: Date) -> String {
    let seconds = date.timeIntervalSince(now)
    if seconds <= 30 { return "now" }
    let minutes = Int((seconds / 60).rounded())
    if minutes < 60 { return minutes == 1 ? "in 1 minute" : "in \(minutes) minutes" }
    let hours = Int((seconds / 3600).rounded())
    if hours < 24 { return hours == 1 ? "in 1 hour" : "in \(hours) hours" }
    let days = Int((seconds / 86400).rounded())
    if days == 1 { return "in 1 day" }
    if days < 60 { return "in \(days) days" }
    let months = Int((Double(days) / 30.4).rounded())
    if months < 24 { return "in \(months) months" }
    return "in \(Int((Double(days) / 365.25).rounded())) years"
  }
}
