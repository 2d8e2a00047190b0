#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, shared by the workers of a parallel call.
///
/// A pthread mutex rather than `Synchronization.Mutex`: ThreadSanitizer intercepts
/// `pthread_mutex_lock`, so it sees every hand-over, including contended ones; the standard
/// library's lock parks contended waiters in code built without TSan, which TSan then reports
/// as a race. The lock is held for a few instructions a few dozen times a call; no OS-version
/// floor either.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init(_ value: Value) {
        stored = value
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// The value, read or replaced with the lock held. Prefer this to `withLock` for a value of
    /// function type: an `inout` access from a generic context writes the function back
    /// wrapped in a reabstraction thunk, so a read through `withLock { $0 }` nests one more
    /// thunk per call.
    var value: Value {
        get {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            return stored
        }
        set {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            stored = newValue
        }
    }

    /// Runs `body` on the value with the lock held.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return try body(&stored)
    }
}
