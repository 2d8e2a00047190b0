// The ways a test reaches the four ops: the C ABI on one instruction-set path (out of place
// or in place), or the Swift façade with a backend, a thread count and a calling style.
// Every path returns the same `CoreOutputs`, so every check is written once.
import CSmoothKit
import CSmoothKitTesting
@testable import SmoothKit
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

    /// The best path of this machine: the one a test pins when it does not care which.
    static var best: ISAPath {
        let name = InstructionSet.supported.first!.rawValue // best first
        return all.first { $0.name == name }!
    }
}

/// The façade hands rows to worker threads (RowParallel); installed once, before the first
/// pinned call, this hook gives each worker of a call the calling thread's ISA.
private let workersTakeThreadISA: Void = {
    RowParallel.workerScope.value = {
        let isa = smk_test_thread_isa()
        return { share in
            let before = smk_test_thread_isa()
            smk_test_set_thread_isa(isa)
            defer { smk_test_set_thread_isa(before) }
            share()
        }
    }
}()

/// Runs `body` with every C call of this thread, and of the façade's row workers for its
/// calls, on `isa` (CKernels/testing.h): a process-wide force meanwhile (`smk_force_isa`, by
/// the suites that test it) does not change the path. Restores the thread's previous choice;
/// returns whether `isa` was still this thread's path after `body`.
private func onThreadISA<R>(_ isa: smk_isa, _ body: () throws -> R) rethrows -> (result: R, held: Bool) {
    _ = workersTakeThreadISA
    let before = smk_test_thread_isa()
    #expect(smk_test_set_thread_isa(isa) == 0, "smk_test_set_thread_isa(\(isa.rawValue)) failed although supported")
    defer { smk_test_set_thread_isa(before) }
    let result = try body()
    return (result, smk_test_thread_isa() == isa)
}

/// Runs `body` on one ISA path, for tests that compare C results of several calls bit for bit
/// (paths round differently: FMA or not) or merely need a path that no force can change: the
/// path this thread is already pinned to (`withForcedISA`), else the best (`ISAPath.best`).
func withStableISA<R>(_ body: () throws -> R) rethrows -> R {
    let pinned = smk_test_thread_isa()
    return try onThreadISA(pinned == SMK_ISA_AUTO ? ISAPath.best.cValue : pinned, body).result
}

/// `withStableISA` when `backend` runs the C kernels; the pure-Swift backend has no ISA paths.
func withStableISA<R>(for backend: Backend, _ body: () throws -> R) rethrows -> R {
    backend == .swift ? try body() : try withStableISA(body)
}

/// Runs `body` with this thread's C calls (and its façade calls' row workers) on `isa`, then
/// restores the thread's previous path; returns whether `isa` was still its path after `body`.
/// Per thread: tests on different paths run in parallel, and the process-wide choice
/// (`smk_force_isa`, `InstructionSet.force`) is neither used nor changed.
func withForcedISA<R>(_ isa: ISAPath, _ body: () throws -> R) rethrows -> (result: R, held: Bool) {
    try onThreadISA(isa.cValue, body)
}

/// `withForcedISA` for a path named by the façade's `InstructionSet` (`.automatic`: the best).
func withForcedISA<R>(_ isa: InstructionSet, _ body: () throws -> R) rethrows -> (result: R, held: Bool) {
    let path = isa == .automatic ? ISAPath.best : ISAPath.all.first { $0.name == isa.rawValue }!
    return try withForcedISA(path, body)
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
    /// `smk_*` directly on `isa` (`onPath` pins it). In place: `y == x`, `ldy == ldx`.
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

/// Runs `body` for `path` on one ISA path: a C path's own, the best for a façade path (the
/// pure-Swift backend has none).
func onPath<R>(_ path: CorePath, _ body: () throws -> R) rethrows -> R {
    switch path {
    case .c(let isa, _): try withForcedISA(isa, body).result
    case .facade(let backend, _, _): try withStableISA(for: backend, body)
    }
}

/// Every C path of this machine: each supported ISA, out of place and in place.
var allCPaths: [CorePath] { ISAPath.supported.flatMap(CorePath.cPaths) }
