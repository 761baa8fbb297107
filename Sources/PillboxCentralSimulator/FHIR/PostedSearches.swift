import Foundation
import Synchronization

/// The subjects of searches made with `POST _search`, by page token, so that their `self`
/// and `next` links can name the search without repeating the subject (a patient's health
/// number) in a URL. Holds the newest `capacity` searches; an older token is gone (410).
final class PostedSearches: Sendable {
    private struct State {
        var subjects: [String: SubjectToken] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    /// Most searches remembered.
    let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    /// Remembers `subject` (nil: every resource) and returns a new random token for it.
    func remember(_ subject: SubjectToken?) -> String {
        let token = UUID().uuidString.lowercased()
        state.withLock { state in
            state.subjects[token] = subject ?? SubjectToken("")
            state.order.append(token)
            if state.order.count > capacity {
                let dropped = state.order.removeFirst()
                state.subjects[dropped] = nil
            }
        }
        return token
    }

    /// The subject of a remembered search: `.some(nil)` for a search of every resource, nil
    /// when the token is unknown or was forgotten.
    func subject(for token: String) -> SubjectToken?? {
        state.withLock { state in
            guard let subject = state.subjects[token] else { return nil }
            return .some(subject.value.isEmpty && subject.system == nil ? nil : subject)
        }
    }
}
