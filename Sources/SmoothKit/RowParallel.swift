import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits rows over worker threads. The C entry points stay single-threaded and reentrant;
/// the façade runs disjoint row blocks of one call on several cores at once.
///
/// Work-sharing: a call is cut into several blocks per worker and each worker takes the next
/// free block until none is left, so a worker that loses its core (a shared machine, another
/// process) holds up the call by at most one small block instead of a 1/threads share.
enum RowParallel {
    /// Cores online; the default thread count.
    static let coreCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Below this many elements per thread, a thread costs more than it saves (~10 µs of work).
    static let minElementsPerThread = 1 << 15

    /// Blocks per worker: enough to even out a descheduled worker, few enough that each block
    /// is still ≥ `minElementsPerBlock`.
    static let blocksPerWorker = 8

    /// The smallest block worth a fetch from the shared counter (~2 µs of work).
    static let minElementsPerBlock = 1 << 12

    /// Rows of at most this many columns are grouped across SIMD lanes by the kernels (the
    /// pure-Swift `TinyRows`, and C's TINY_COLS, also 16), at most 16 rows a group (AVX-512
    /// and Swift, Float). For such rows block boundaries fall on multiples of 16 rows, so a
    /// boundary never splits a group: every row takes the same code path, and gets the same
    /// bits, at any thread count.
    static var tinyColumns: Int { TinyRows.maxColumns }
    static let tinyGroupRows = 16

    /// Validates a caller's `threads:` argument (nil = all cores).
    static func threadCount(_ requested: Int?) throws -> Int {
        guard let n = requested else { return coreCount }
        guard n >= 1 else { throw SmoothKitError.domain("threads must be >= 1, got \(n)") }
        return n
    }

    /// How a call of `rows × cols` is split: the number of workers and the rows per block
    /// (a multiple of `tinyGroupRows` for tiny rows; all rows when one block does).
    static func plan(rows: Int, cols: Int, threads: Int) -> (workers: Int, blockRows: Int) {
        guard cols > 0 else { return (1, rows) } // nothing to compute (and rows may be huge)
        let work = rows * cols
        let workers = min(threads, rows, max(1, work / minElementsPerThread))
        guard workers > 1 else { return (1, rows) }
        let blocks = max(workers, min(workers * blocksPerWorker, work / minElementsPerBlock))
        let granule = cols <= tinyColumns ? tinyGroupRows : 1
        let granules = (rows + granule - 1) / granule
        let blockRows = (granules + blocks - 1) / blocks * granule
        return (min(workers, (rows + blockRows - 1) / blockRows), blockRows)
    }

    /// Calls `body` on contiguous row ranges covering `0..<rows`, in parallel when the work
    /// is large enough. Each range is handled by exactly one call.
    static func forEachBlock(rows: Int, cols: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let (workers, blockRows) = plan(rows: rows, cols: cols, threads: threads)
        if workers <= 1 {
            body(0..<rows)
            return
        }
        let blockCount = (rows + blockRows - 1) / blockRows
        let taken = Locked(0) // blocks handed out so far, each to whichever worker asks first
        let scope = workerScope.value?() // the caller's state, read once per call
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            func share() {
                while true {
                    let k = taken.withLock { n -> Int in
                        defer { n = min(n + 1, blockCount) }
                        return n
                    }
                    guard k < blockCount else { return }
                    body((k * blockRows)..<min(rows, (k + 1) * blockRows))
                }
            }
            if let scope { scope(share) } else { share() }
        }
    }

    /// Called on the thread that makes a call, returns what each worker of that call runs its
    /// share in: `scope(share)` must call `share()` once.
    typealias WorkerScope = @Sendable () -> @Sendable (() -> Void) -> Void

    /// Test-only hook: carries state of the calling thread onto the workers of each parallel
    /// call. nil (always, outside the tests): workers run their share as they are. The tests
    /// install one that gives each worker the caller's per-thread ISA (CKernels/testing.h).
    static let workerScope = Locked<WorkerScope?>(nil)
}

/// A pointer handed to row-block workers. Safe because every worker touches a disjoint
/// block of rows and the call does not return before all workers finish.
struct RowBlockPointer<P>: @unchecked Sendable {
    let base: P
}
