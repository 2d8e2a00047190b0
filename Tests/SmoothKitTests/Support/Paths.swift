// The ways a test reaches the four ops: the C ABI on one instruction-set path (out of place
// or in place), or the Swift façade with a backend, a thread count and a calling style.
// Every path returns the same `CoreOutputs`, so every check is written once.
import CSmoothKit
import SmoothKit
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One instruction-set path of the C kernels.
struct ISAPath: Sendable, CustomStringConvertible {
    let rawValue: smk_isa.RawValue
    let name: String
    var cValue: smk_isa { smk_isa(rawValue: rawValue) }
    var description: String { name }

    static let all: [ISAPath] = [
        ISAPath(rawValue: SMK_ISA_PORTABLE.rawValue, name: "portable"),
        ISAPath(rawValue: SMK_ISA_AVX2.rawValue, name: "avx2"),
        ISAPath(rawValue: SMK_ISA_AVX512.rawValue, name: "avx512"),
        ISAPath(rawValue: SMK_ISA_NEON.rawValue, name: "neon"),
    ]

    /// The paths this build and CPU can run (`smk_isa_supported`).
    static var supported: [ISAPath] { all.filter { smk_isa_supported($0.cValue) != 0 } }
    static var unsupported: [ISAPath] { all.filter { smk_isa_supported($0.cValue) == 0 } }
}

/// Held while an ISA is forced, and while a test compares C results of several calls bit for
/// bit: ISA paths round differently (FMA or not), so a force between two such calls would
/// make them differ. Recursive: a test holding it may force a path (`withForcedISA`) inside.
private final class ISALock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(m, &attributes)
        pthread_mutexattr_destroy(&attributes)
        return m
    }()

    func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

private let isaLock = ISALock()

/// Runs `body` while no ISA can be forced: for comparing C results across calls bit for bit.
func withStableISA<R>(_ body: () throws -> R) rethrows -> R {
    try isaLock.locked(body)
}

/// `withStableISA` when `backend` runs the C kernels; the pure-Swift backend has no ISA paths,
/// so its (slow, in debug builds) calls run without holding up the ISA suite's forced calls.
func withStableISA<R>(for backend: Backend, _ body: () throws -> R) rethrows -> R {
    backend == .swift ? try body() : try withStableISA(body)
}

/// Runs `body` with the C kernels forced onto `isa`, then restores `SMK_ISA_AUTO`; returns
/// whether `isa` was still the active path after `body`.
///
/// Forcing is process-wide: every forced call of these tests holds the ISA lock, so forced
/// sections never overlap (`ISAPathTests` runs its cases in parallel; each forced call waits
/// its turn). Other tests run in parallel with them and call the C kernels on whatever path is
/// active (every path must meet the same bounds); those that compare results of several
/// calls bit for bit run inside `withStableISA`, which excludes forcing. Tests of other
/// files that force without this lock can still change the path in between: see
/// `untilUndisturbed`.
func withForcedISA<R>(_ isa: ISAPath, _ body: () throws -> R) rethrows -> (result: R, held: Bool) {
    try isaLock.locked {
        #expect(smk_force_isa(isa.cValue) == SMK_OK, "smk_force_isa(\(isa)) failed although supported")
        defer { #expect(smk_force_isa(SMK_ISA_AUTO) == SMK_OK, "restoring SMK_ISA_AUTO failed") }
        let result = try body()
        return (result, String(cString: smk_isa_name()) == isa.name)
    }
}

/// `withForcedISA` through the façade's public `InstructionSet.force`, for tests of the Swift
/// API: the same lock, the same restore to automatic, the same `held` report.
func withForcedISA<R>(_ isa: InstructionSet, _ body: () throws -> R) throws -> (result: R, held: Bool) {
    try isaLock.locked {
        try InstructionSet.force(isa)
        defer { try? InstructionSet.force(.automatic) }
        let result = try body()
        return (result, InstructionSet.active == isa)
    }
}

/// Attempts of a check that a concurrent `smk_force_isa` can disturb.
private let undisturbedAttempts = 3

/// Runs `attempt` until it reports no difference, at most `undisturbedAttempts` times, and
/// records the differences of the last attempt if every attempt had some.
///
/// For differences that a test forcing an ISA concurrently, without `withForcedISA`'s lock,
/// can cause: a forced C path found not active after the call, or two calls that should be
/// bit-identical but may have run on different ISA paths. A real defect of that kind
/// (a row block computed differently, padding read) repeats on every attempt; an
/// interleaved force does not. Bounds are checked on every attempt regardless.
func untilUndisturbed(_ context: String, sourceLocation: SourceLocation = #_sourceLocation,
                      _ attempt: () throws -> [String]) rethrows {
    var differences: [String] = []
    for _ in 0..<undisturbedAttempts {
        differences = try attempt()
        if differences.isEmpty { return }
    }
    Issue.record("\(context): \(differences.prefix(5).joined(separator: "; ")) (on all \(undisturbedAttempts) attempts)",
                 sourceLocation: sourceLocation)
}

/// How a façade test calls the ops.
enum FacadeStyle: String, Sendable, CaseIterable {
    /// `softmax(x)`, returning new results.
    case returning
    /// `softmax(x, into: &y)` / `logSumExp(x, into: &span)`, into canary-filled outputs
    /// (`y` with a different leading dimension than `x`).
    case into
    /// `softmaxInPlace(&y)` on a copy of `x` (reductions as `.returning`); `x` must stay as it
    /// was (copy-on-write).
    case inPlace
}

/// The façade backends under test: the C kernels and the pure-Swift fallback.
let facadeBackends: [Backend] = [.c, .swift]

enum CorePath: Sendable, CustomStringConvertible {
    /// `smk_*` directly on `isa` (`onPath` forces it). In place: `y == x`, `ldy == ldx`.
    case c(isa: ISAPath, inPlace: Bool)
    case facade(Backend, threads: Int, style: FacadeStyle)

    var description: String {
        switch self {
        case .c(let isa, let inPlace): "C[\(isa.name)\(inPlace ? ", in place" : "")]"
        case .facade(let b, let n, let style): "Swift façade[.\(b), threads \(n), \(style.rawValue)]"
        }
    }

    var isSwiftBackend: Bool {
        if case .facade(.swift, _, _) = self { true } else { false }
    }

    /// The façade paths every façade test table runs.
    static let facadePaths: [CorePath] = facadeBackends.flatMap { b in
        [CorePath.facade(b, threads: 1, style: .returning), .facade(b, threads: 2, style: .into),
         .facade(b, threads: 1, style: .inPlace)]
    }

    /// The C paths on one forced ISA.
    static func cPaths(_ isa: ISAPath) -> [CorePath] {
        [.c(isa: isa, inPlace: false), .c(isa: isa, inPlace: true)]
    }
}

/// The four ops' results on one input; maps are dense `rows × cols`.
struct CoreOutputs<S: TestScalar> {
    var logSumExp: [S]
    var softmax: [S]
    var logSoftmax: [S]
    var softArgmax: [S]
}

/// Elements of slack after a reduction's `rows` outputs; they must keep the canary.
private let outputGuard = 3
/// Extra leading dimension of out-of-place map outputs in the C paths; padding must keep the canary.
private let outputPad = 3

/// Runs all four ops on `input` along `path`. Records an issue (naming `context` and the path)
/// if a call fails, writes where it must not (output padding or past the end, input), or
/// the façade's in-place call changes the original.
func runOps<S: TestScalar>(_ input: InputMatrix<S>, temperature t: S, on path: CorePath,
                        context: String) throws -> CoreOutputs<S> {
    let where_ = "\(context), \(S.label), \(path)"
    switch path {
    case .c(_, let inPlace):
        return runC(input, t, inPlace: inPlace, where_)
    case .facade(let backend, let threads, let style):
        return try runFacade(input, t, backend, threads, style, where_)
    }
}

private func runC<S: TestScalar>(_ input: InputMatrix<S>, _ t: S, inPlace: Bool, _ where_: String) -> CoreOutputs<S> {
    let (rows, cols, ldx) = (input.rows, input.cols, input.ld)
    let fill: S = canary()

    // x is passed in an allocation of exactly its extent (InputMatrix.withExactExtent).
    // Reductions, into rows + outputGuard canaries.
    func reduce(_ name: String, _ fn: CReduction<S>) -> [S] {
        var out = [S](repeating: fill, count: rows + outputGuard)
        let status = input.withExactExtent { xp in
            out.withUnsafeMutableBufferPointer { fn(xp, rows, cols, ldx, t, $0.baseAddress) }
        }.result
        #expect(status == SMK_OK, "\(where_) \(name): status \(status.rawValue)")
        #expect(out[rows...].allSatisfy { $0 == fill }, "\(where_) \(name): wrote past out[rows - 1]")
        return Array(out[..<rows])
    }

    // Maps, out of place into ldy = cols + outputPad, or in place on a copy of x.
    func map(_ name: String, _ fn: CMap<S>) -> [S] {
        var y: [S], ldy: Int, status: smk_status
        if inPlace {
            ldy = ldx
            (status, y) = input.withExactExtent { xp in fn(xp, rows, cols, ldx, t, xp, ldy) }
        } else {
            ldy = cols + outputPad
            y = [S](repeating: fill, count: rows * ldy + outputGuard)
            status = input.withExactExtent { xp in
                y.withUnsafeMutableBufferPointer { fn(xp, rows, cols, ldx, t, $0.baseAddress, ldy) }
            }.result
        }
        #expect(status == SMK_OK, "\(where_) \(name): status \(status.rawValue)")
        // Padding after each row, and the guard after the last, must be as before the call.
        var dense = [S](), padBad = 0
        dense.reserveCapacity(rows * cols)
        for r in 0..<rows {
            dense.append(contentsOf: y[r * ldy..<r * ldy + cols])
            for i in r * ldy + cols..<(r + 1) * ldy where !sameBits(y[i], inPlace ? input.storage[i] : fill) { padBad += 1 }
        }
        for i in rows * ldy..<y.count where !sameBits(y[i], fill) { padBad += 1 }
        #expect(padBad == 0, "\(where_) \(name): \(padBad) padding / guard elements of y were written")
        return dense
    }

    let before = input.storage
    let out = CoreOutputs(logSumExp: reduce("logsumexp", S.smkLogSumExp), softmax: map("softmax", S.smkSoftmax),
                      logSoftmax: map("log_softmax", S.smkLogSoftmax), softArgmax: reduce("softargmax", S.smkSoftArgmax))
    let unchanged = before.withUnsafeBytes { a in
        input.storage.withUnsafeBytes { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) }
    }
    #expect(unchanged, "\(where_): the input was modified")
    return out
}

private func runFacade<S: TestScalar>(_ input: InputMatrix<S>, _ t: S, _ backend: Backend, _ threads: Int,
                                      _ style: FacadeStyle, _ where_: String) throws -> CoreOutputs<S> {
    let x = try input.matrix()
    let fill: S = canary()
    switch style {
    case .returning:
        return CoreOutputs(logSumExp: try logSumExp(x, temperature: t, backend: backend, threads: threads),
                       softmax: try softmax(x, temperature: t, backend: backend, threads: threads).elements,
                       logSoftmax: try logSoftmax(x, temperature: t, backend: backend, threads: threads).elements,
                       softArgmax: try softArgmax(x, temperature: t, backend: backend, threads: threads))
    case .into:
        var lse = [S](repeating: fill, count: x.rows), arg = lse
        do {
            var span = lse.mutableSpan
            try logSumExp(x, temperature: t, backend: backend, threads: threads, into: &span)
        }
        do {
            var span = arg.mutableSpan
            try softArgmax(x, temperature: t, backend: backend, threads: threads, into: &span)
        }
        var p = try Matrix<S>(rows: x.rows, cols: x.cols, leadingDimension: x.cols + 2, repeating: fill)
        var lp = p
        try softmax(x, temperature: t, backend: backend, threads: threads, into: &p)
        try logSoftmax(x, temperature: t, backend: backend, threads: threads, into: &lp)
        return CoreOutputs(logSumExp: lse, softmax: p.elements, logSoftmax: lp.elements, softArgmax: arg)
    case .inPlace:
        var p = x, lp = x
        try softmaxInPlace(&p, temperature: t, backend: backend, threads: threads)
        try logSoftmaxInPlace(&lp, temperature: t, backend: backend, threads: threads)
        #expect(zip(x.elements, input.dense).allSatisfy { sameBits($0, $1) },
                "\(where_): in-place ops on a copy changed the original matrix")
        return CoreOutputs(logSumExp: try logSumExp(x, temperature: t, backend: backend, threads: threads),
                       softmax: p.elements, logSoftmax: lp.elements,
                       softArgmax: try softArgmax(x, temperature: t, backend: backend, threads: threads))
    }
}

/// Runs `body` for `path`: forcing the ISA of a C path first (only the serialized
/// `ISAPathTests` run C paths); for a façade path, with the ISA held stable if `stable`, so
/// that the results of several calls in `body` may be compared bit for bit. Returns the
/// disturbance seen, if any (for `untilUndisturbed`): a forced ISA no longer active.
func onPath<R>(_ path: CorePath, stable: Bool = false, _ body: () throws -> R) rethrows -> (R, disturbed: [String]) {
    if case .c(let isa, _) = path {
        let (result, held) = try withForcedISA(isa, body)
        return (result, held ? [] : ["\(isa) was no longer the active ISA after the call (a test forced another)"])
    }
    return (stable ? try withStableISA(body) : try body(), [])
}

/// Every C path of this machine: each supported ISA, out of place and in place.
var allCPaths: [CorePath] { ISAPath.supported.flatMap(CorePath.cPaths) }
