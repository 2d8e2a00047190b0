import Testing
import Dispatch
import SmoothKit

// Mergeable logsumexp state: random splits of a row into chunks, merged in random orders
// (random binary trees), against the Float80 one-pass reference within SPEC §1's logsumexp
// bound; chunks computed on several threads; the identity and commutativity of the merge;
// the edge states.

/// Columns of `x` in `range` as their own matrix (same rows), at leading dimension
/// range.count + 1: every chunk state reads its rows past a gap.
func trainColumns<S: SmoothScalar>(_ x: Matrix<S>, _ range: Range<Int>) throws -> Matrix<S> {
    try Matrix<S>(rows: x.rows, cols: range.count, leadingDimension: range.count + 1,
                  elements: (0..<x.rows).flatMap { x.row($0)[range] })
}

/// Random cut points splitting 0..<n into k chunks (possibly empty).
func trainRandomChunks(_ n: Int, _ k: Int, rng: inout SplitMix64) -> [Range<Int>] {
    let cuts = ([0, n] + (0..<(k - 1)).map { _ in Int.random(in: 0...n, using: &rng) }).sorted()
    return (0..<k).map { cuts[$0]..<cuts[$0 + 1] }
}

/// Merges `states` pairwise in a random order (a random binary tree; with ≤ 8 chunks it has at
/// most 7 levels, within the depth smoothkit_train.h promises the bound for).
func trainMergeRandomly<S: SmoothScalar>(_ states: [LogSumExpState<S>], backend: Backend,
                                    rng: inout SplitMix64) throws -> LogSumExpState<S> {
    var pool = states
    while pool.count > 1 {
        let a = pool.remove(at: Int.random(in: 0..<pool.count, using: &rng))
        let b = pool.remove(at: Int.random(in: 0..<pool.count, using: &rng))
        pool.append(try a.merging(b, backend: backend))
    }
    return pool[0]
}

struct TrainStateCase: CustomStringConvertible, Sendable {
    let cols: Int
    let tau: Double
    let range: ClosedRange<Double>
    var description: String { "n=\(cols) τ=\(tau) x∈\(range)" }
}

let trainStateCases: [TrainStateCase] = [
    TrainStateCase(cols: 1, tau: 1, range: -1...1),
    TrainStateCase(cols: 37, tau: 0.5, range: -5...5),
    TrainStateCase(cols: 1000, tau: 1, range: -3...3),
    TrainStateCase(cols: 300, tau: 1e-3, range: -1...1),   // sharp: few terms matter
    TrainStateCase(cols: 200, tau: 50, range: -1e30...1e30), // huge values, far apart
]

func trainCheckStates<S: SmoothScalar>(_: S.Type, _ c: TrainStateCase, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0x57A7E + UInt64(c.cols))
    let u = trainUnitRoundoff(S.self), t = S(c.tau)
    let x = try trainRandomMatrix(S.self, rows: 3, cols: c.cols, range: c.range, rng: &rng)
    let want = x.trainRefRows.map { TrainReference.logSumExp($0, TrainRef(t)) }
    for trial in 0..<4 {
        let chunks = trainRandomChunks(c.cols, 1 + trial * 2, rng: &rng)  // 1, 3, 5, 7 chunks
        let states = try path.run {
            try chunks.map { try LogSumExpState(chunk: trainColumns(x, $0), temperature: t, backend: path.backend) }
        }
        let merged = try path.run { try trainMergeRandomly(states, backend: path.backend, rng: &rng) }
        let lse = path.backend == .swift ? merged.logSumExp(backend: .swift) : try path.run { merged.logSumExp(backend: .c) }
        for r in 0..<3 {
            let bound = 8 * u * max(abs(want[r]), TrainRef(t))
            #expect(trainClose(TrainRef(lse[r]), want[r], bound),
                    "\(S.self) \(path) \(c) \(chunks.count) chunks row \(r): \(lse[r]) vs \(want[r])")
        }
    }
}

@Test("merged chunk states vs one pass (random splits and merge orders)", arguments: trainStateCases, TrainDType.allCases)
func trainMergedStatesMatchOnePass(c: TrainStateCase, dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckStates(Float.self, c, $0) }, double: { try trainCheckStates(Double.self, c, $0) })
}

/// Chunks computed on several threads at once give the same states as sequentially, and the
/// merged result the one-pass bound; merging with the empty state is the identity, and the
/// merge is commutative, bit for bit.
@Test("states on threads; merge identity and commutativity", arguments: [Backend.c, .swift])
func trainStateAlgebra(backend: Backend) throws {
    try withStableISA(for: backend) { // bit for bit across calls: one instruction-set path
        var rng = SplitMix64(seed: 4)
        let x = try trainRandomMatrix(Double.self, rows: 2, cols: 4096, range: -10...10, rng: &rng)
        let chunks = trainRandomChunks(4096, 8, rng: &rng)
        let sequential = try chunks.map { try LogSumExpState(chunk: trainColumns(x, $0), temperature: 0.3, backend: backend) }
        let parts = try chunks.map { try trainColumns(x, $0) }
        nonisolated(unsafe) var threaded = [LogSumExpState<Double>?](repeating: nil, count: chunks.count)
        threaded.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let out = slots
            DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                out[k] = try? LogSumExpState(chunk: parts[k], temperature: 0.3, backend: backend)
            }
        }
        #expect(threaded.map { $0! } == sequential)
        let empty = try LogSumExpState<Double>(rows: 2, temperature: 0.3)
        for s in sequential {
            #expect(try s.merging(empty, backend: backend) == s)
            #expect(try empty.merging(s, backend: backend) == s)
        }
        #expect(try sequential[0].merging(sequential[1], backend: backend) == sequential[1].merging(sequential[0], backend: backend))
        let total = try trainMergeRandomly(sequential, backend: backend, rng: &rng).logSumExp(backend: backend)
        for r in 0..<2 {
            let want = TrainReference.logSumExp(x.trainRefRows[r], 0.3)
            #expect(trainClose(TrainRef(total[r]), want, 8 * trainUnitRoundoff(Double.self) * max(abs(want), 0.3)))
        }
    }
}

/// Edge states (smoothkit_train.h): all −∞ or empty → (−∞, 0), k × +∞ → (+∞, k), NaN →
/// (NaN, NaN); merging them with a finite state: −∞ is the identity, +∞ wins, NaN spreads;
/// no NaN appears from ±∞ alone.
@Test("edge states and their merges", arguments: [Backend.c, .swift])
func trainEdgeStates(backend: Backend) throws {
    let x = try Matrix<Float>(rows: 4, cols: 3, elements: [-.infinity, -.infinity, -.infinity,
                                                            .infinity, 1, .infinity,
                                                            0, .nan, 1,
                                                            0, 1, 2])
    let s = try LogSumExpState(chunk: x, backend: backend)
    #expect(s.maxima[0] == -.infinity && s.sums[0] == 0)
    #expect(s.maxima[1] == .infinity && s.sums[1] == 2)
    #expect(s.maxima[2].isNaN && s.sums[2].isNaN)
    let empty = try LogSumExpState(chunk: Matrix<Float>(rows: 4, cols: 0, repeating: 0), backend: backend)
    #expect(empty == (try LogSumExpState<Float>(rows: 4)))
    #expect(empty.logSumExp(backend: backend).allSatisfy { $0 == -.infinity })
    // Row 3 of `finite` is the last row of x everywhere, to merge against each edge state.
    let finite = try LogSumExpState(chunk: Matrix<Float>(rows: 4, cols: 3, elements: Array(repeating: [0, 1, 2], count: 4).flatMap { $0 }),
                                    backend: backend)
    let merged = try s.merging(finite, backend: backend).logSumExp(backend: backend)
    #expect(merged[0] == finite.logSumExp(backend: backend)[0])   // −∞ state: the identity
    #expect(merged[1] == .infinity)
    #expect(merged[2].isNaN)
    #expect(trainClose(TrainRef(merged[3]), TrainReference.logSumExp([0, 1, 2, 0, 1, 2], 1), 8 * trainUnitRoundoff(Float.self) * 3))
    let infs = try s.merging(s, backend: backend)
    #expect(infs.maxima[1] == .infinity && infs.sums[1] == 4 && infs.maxima[0] == -.infinity && infs.sums[0] == 0)
}
