import Foundation

/// Hands out the indexes `0..<limit` once each, to whichever thread asks first.
final class IndexDispenser: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
