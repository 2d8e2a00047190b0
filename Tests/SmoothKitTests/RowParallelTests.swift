// How the façade splits a call's rows over threads (RowParallel): the blocks cover every row
// once, tiny-row blocks start on a lane group, a stalled worker does not hold its share, and
// results are bit-identical at every thread count.
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import SmoothKit

@Suite struct RowParallelTests {
    /// Shapes around the thresholds: below the per-thread minimum, tiny rows (cols ≤ 16) with
    /// row counts off the lane group, long rows with fewer rows than blocks, threads > rows.
    static let shapes: [(rows: Int, cols: Int)] = [
        (1, 1), (5, 0), (7, 3), (4095, 16), (16411, 4), (4103, 16), (4096, 17), (8, 8200), (3, 100_000), (100_003, 1),
    ]

    /// The ranges, in any order, tile 0..<rows: no gap, no overlap, from 0 to rows.
    static func coverOnce(_ blocks: [Range<Int>], rows: Int) -> Bool {
        let b = blocks.sorted { $0.lowerBound < $1.lowerBound }
        return b.first?.lowerBound == 0 && b.last?.upperBound == rows
            && zip(b, b.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }
    }

    @Test("blocks cover 0..<rows once, without gaps or overlaps; tiny-row blocks start on a 16-row group")
    func blocksCoverEveryRowOnce() {
        // Empty rows are no work, however many: one block, and no arithmetic on `rows` that
        // could overflow (a Matrix of Int.max × 0 is valid).
        #expect(RowParallel.plan(rows: .max, cols: 0, threads: 8) == (1, .max))
        for (rows, cols) in Self.shapes {
            for threads in [1, 2, 3, 8, 64] {
                let seen = Mutex<[Range<Int>]>([])
                RowParallel.forEachBlock(rows: rows, cols: cols, threads: threads) { r in
                    seen.withLock { $0.append(r) }
                }
                let blocks = seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
                let context = "\(rows)×\(cols), threads \(threads)"
                #expect(Self.coverOnce(blocks, rows: rows), "\(context): gap or overlap: \(blocks)")
                #expect(blocks.allSatisfy { !$0.isEmpty }, "\(context): empty block")
                if cols <= RowParallel.tinyColumns {
                    #expect(blocks.allSatisfy { $0.lowerBound % RowParallel.tinyGroupRows == 0 },
                            "\(context): a block splits a lane group: \(blocks.map(\.lowerBound).prefix(8))")
                }
                let (workers, _) = RowParallel.plan(rows: rows, cols: cols, threads: threads)
                #expect(workers >= 1 && workers <= threads && workers <= blocks.count, "\(context): \(workers) workers")
                if threads >= 2, rows >= 2, rows * cols >= 2 * RowParallel.minElementsPerThread {
                    #expect(workers >= 2, "\(context): large enough to split but ran on one worker")
                }
            }
        }
    }

    /// Work-sharing: the worker holding block 0 waits until every other block is done. With
    /// one fixed share per worker (rows split in `threads` parts) the other blocks of its share
    /// never run and the wait times out while the other worker has finished; with blocks
    /// taken from a shared counter the other worker does them all. libdispatch may run the two
    /// workers one after the other (one usable CPU, a busy pool): then the wait times out with
    /// every block on one thread, and the timing says nothing either way; but in every run,
    /// each block reaches the body exactly once and the blocks cover the rows (a stalled or
    /// late worker must not lose or repeat blocks), and no more threads ran than workers.
    @Test("a stalled worker's remaining blocks are taken by the other worker")
    func stalledWorkerDoesNotHoldItsShare() {
        let (rows, cols) = (1024, 1024)
        let (workers, blockRows) = RowParallel.plan(rows: rows, cols: cols, threads: 2)
        let blockCount = (rows + blockRows - 1) / blockRows
        #expect(workers == 2 && blockCount > 2 * workers, "plan: \(workers) workers, \(blockCount) blocks")
        let othersDone = DispatchSemaphore(value: 0)
        let timedOut = Mutex(false), threads = Mutex<[pthread_t]>([]), seen = Mutex<[Range<Int>]>([])
        RowParallel.forEachBlock(rows: rows, cols: cols, threads: 2) { r in
            seen.withLock { $0.append(r) }
            let me = pthread_self()
            threads.withLock { list in if !list.contains(where: { pthread_equal($0, me) != 0 }) { list.append(me) } }
            if r.lowerBound == 0 {
                for _ in 1..<blockCount where othersDone.wait(timeout: .now() + 10) == .timedOut {
                    timedOut.withLock { $0 = true }
                    return
                }
            } else {
                othersDone.signal()
            }
        }
        let blocks = seen.withLock { $0 }
        #expect(blocks.count == blockCount && Self.coverOnce(blocks, rows: rows), "blocks: \(blocks)")
        #expect(threads.withLock { $0.count } <= workers)
        let concurrent = threads.withLock { $0.count } > 1
        #expect(!(timedOut.withLock { $0 } && concurrent),
                "two workers ran, but the stalled worker's blocks were not taken by the other")
    }

    /// Tiny rows with edge rows among them (so some lane groups take the row-by-row code) give
    /// the same bits as 1 thread: with the C kernels at 2 and 3 threads on rows of 16 (2 and 3
    /// workers: ≥ 3·2^15 elements, each count its own blocks) and at 2 on rows of 4;
    /// with the pure-Swift ones at 3 threads on rows of 16. Only the C runs hold the ISA lock
    /// (the serialized ISA suite waits for it; debug and sanitizer builds are slow here).
    @Test(arguments: CoreDType.allCases, facadeBackends)
    func tinyRowsSameBitsAtAnyThreadCount(_ dtype: CoreDType, _ backend: Backend) throws {
        try dtype.with { try tinyRowsSameBits($0, backend) }
    }

    private func tinyRowsSameBits<S: TestScalar>(_: S.Type, _ backend: Backend) throws {
        let cases: [(rows: Int, cols: Int, threadCounts: [Int])] =
            backend == .swift ? [(6151, 16, [1, 3])] : [(6151, 16, [1, 2, 3]), (16411, 4, [1, 2])]
        for (rows, cols, threadCounts) in cases {
            var rng = SplitMix64(seed: 0x5EED ^ UInt64(cols))
            let x = InputMatrix<S>(rows: rows, cols: cols, ld: cols + 1) { r, c in
                switch r % 97 {
                case 5: c == 1 ? .nan : 0
                case 11: c == 0 ? -.infinity : S(fromDouble: rng.symmetric())
                default: S(fromDouble: 12 * rng.symmetric())
                }
            }
            let workers = threadCounts.map { RowParallel.plan(rows: rows, cols: cols, threads: $0).workers }
            #expect(workers == threadCounts, "\(rows)×\(cols): workers \(workers) for threads \(threadCounts)")
            let t: S = 1, context = "\(rows)×\(cols), .\(backend)"
            let runs = try withStableISA(for: backend) {
                try threadCounts.map { n in
                    try runOps(x, temperature: t, on: .facade(backend, threads: n, style: .returning), context: context)
                }
            }
            let differences = runs.dropFirst().enumerated().flatMap { k, run in
                bitDifferences(runs[0], run, label: "1 and \(threadCounts[k + 1]) threads")
            }
            #expect(differences.isEmpty, "\(context), \(S.label): \(differences.prefix(5).joined(separator: "; "))")
        }
    }

    /// The lock the workers share (block counter, the tests' hook): increments from many
    /// threads at once are all counted, and a function value read through `value` over and
    /// over is the function itself, not one reabstraction thunk deeper per read (which, read
    /// through `withLock { $0 }`, overflowed the stack after some 10^5 reads).
    @Test func lockedCountsEveryHandOverAndReadsFunctionsFlat() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.value == 80_000)
        let f = Locked<(@Sendable () -> Int)?>({ 42 })
        var sum = 0
        for _ in 0..<300_000 { sum &+= f.value?() ?? 0 }
        #expect(sum == 42 * 300_000)
    }
}
