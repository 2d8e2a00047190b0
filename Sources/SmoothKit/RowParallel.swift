import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits rows over worker threads. The C entry points stay single-threaded and reentrant;
/// the façade runs disjoint row blocks of one call on several cores at once.
enum RowParallel {
    /// Cores online; the default thread count.
    static let coreCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Below this many elements per thread, a thread costs more than it saves (~10 µs of work).
    static let minElementsPerThread = 1 << 15

    /// Validates a caller's `threads:` argument (nil = all cores).
    static func threadCount(_ requested: Int?) throws -> Int {
        guard let n = requested else { return coreCount }
        guard n >= 1 else { throw SmoothKitError.domain("threads must be >= 1, got \(n)") }
        return n
    }

    /// Calls `body` on contiguous row ranges covering `0..<rows`, in parallel when the work
    /// is large enough. Each range is handled by exactly one call.
    static func forEachBlock(rows: Int, cols: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let work = rows * max(cols, 1)
        let tasks = min(threads, rows, max(1, work / minElementsPerThread))
        if tasks <= 1 {
            body(0..<rows)
            return
        }
        DispatchQueue.concurrentPerform(iterations: tasks) { k in
            body((rows * k / tasks)..<(rows * (k + 1) / tasks))
        }
    }
}

/// A pointer handed to row-block workers. Safe because every worker touches a disjoint
/// block of rows and the call does not return before all workers finish.
struct RowBlockPointer<P>: @unchecked Sendable {
    let base: P
}
