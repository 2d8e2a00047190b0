#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pure-Swift fallback of the linalg ops: plain loops, no BLAS or LAPACK. Slower than the
/// C path (naive O(rows·n·d) product, Jacobi instead of divide and conquer) but held to the
/// same bounds. Arguments are already validated.
enum SwiftLinalg {
    // MARK: softmax of one row (SPEC §1)

    /// `exp((x − m)/τ)` for finite `x ≤ m`, in Double. Float: `(x − m)/τ` in Double loses
    /// nothing that matters. Double: `(x − m)/τ` is carried as a double-word `q + r` (TwoSum of
    /// `x − m`, then the FMA remainder of the division) and `exp(q)·(1 + r)` is returned, so the
    /// argument's rounding (up to |x − m|/τ·u) does not reach the result.
    @inline(__always)
    static func scaledExp<S: SmoothScalar>(_ x: S, minus m: S, over t: S) -> Double {
        if S._smoothKind == .float32 { return exp((Double(x) - Double(m)) / Double(t)) }
        let a = x, b = -m
        let dh = a + b
        guard dh.isFinite else { return exp(Double(x / t) - Double(m / t)) }   // |x − m| > max
        let bb = dh - a
        let dl = (a - (dh - bb)) + (b - bb)                 // TwoSum: dh + dl = x − m exactly
        let q = dh / t
        let r = (dh.addingProduct(-q, t) + dl) / t          // dh − q·t is exact by FMA
        return exp(Double(q)) * (1 + Double(r))
    }

    /// Row softmax with SPEC §1's edge cases into `p` (n elements); returns the row's class.
    /// Sum by Neumaier compensation, so `|Σ p − 1|` stays at a few u for any n.
    static func softmaxRow<S: SmoothScalar>(_ x: UnsafePointer<S>, _ n: Int, _ t: S, into p: UnsafeMutablePointer<S>) {
        var m = -S.infinity
        for i in 0..<n {
            if x[i].isNaN { p.update(repeating: .nan, count: n); return }
            m = max(m, x[i])
        }
        if m == .infinity {                      // the limit: 1/k on the k entries at +∞
            let k = (0..<n).reduce(0) { $0 + (x[$1] == .infinity ? 1 : 0) }
            for i in 0..<n { p[i] = x[i] == .infinity ? 1 / S(k) : 0 }
            return
        }
        if m == -.infinity { p.update(repeating: 0, count: n); return }   // fully masked
        var s = 0.0, c = 0.0
        for i in 0..<n {
            let e = x[i] == -.infinity ? 0 : scaledExp(x[i], minus: m, over: t)
            let u = s + e
            c += abs(s) >= abs(e) ? (s - u) + e : (e - u) + s
            s = u
            p[i] = S(e)    // held briefly; e ≤ 1, no overflow
        }
        let total = s + c
        for i in 0..<n { p[i] = S(Double(p[i]) / total) }
    }

    /// `τ·log Σ exp(λ_i/τ)` (SPEC §1 logsumexp) of `n` finite values.
    static func logSumExp<S: SmoothScalar>(_ x: UnsafePointer<S>, _ n: Int, _ t: S) -> S {
        guard n > 0 else { return -.infinity }
        var m = x[0]
        for i in 1..<n { m = max(m, x[i]) }
        var s = 0.0, c = 0.0
        for i in 0..<n {
            let e = scaledExp(x[i], minus: m, over: t)
            let u = s + e
            c += abs(s) >= abs(e) ? (s - u) + e : (e - u) + s
            s = u
        }
        return m + S(Double(t) * log(s + c))
    }

    // MARK: softmax expectation

    /// Terms of the product summed in one block before it joins the row's total: the error
    /// grows like (block + n/block)·u rather than n·u (one serial sum over a long row).
    static let expectationBlock = 256

    /// `E = softmax(X/τ)·V`, row by row: the row's softmax, then the product, summed in blocks
    /// of `expectationBlock` terms.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func expectation<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, n: Int, ldx: Int, temperature t: S,
                                             v: UnsafePointer<S>, d: Int, ldv: Int,
                                             e: UnsafeMutablePointer<S>, lde: Int) {
        let p = UnsafeMutablePointer<S>.allocate(capacity: max(n, 1)), block = UnsafeMutablePointer<S>.allocate(capacity: d)
        defer { p.deallocate(); block.deallocate() }
        for r in 0..<rows {
            softmaxRow(x + r * ldx, n, t, into: p)
            let out = e + r * lde
            out.update(repeating: 0, count: d)
            for start in stride(from: 0, to: n, by: expectationBlock) {
                block.update(repeating: 0, count: d)
                for i in start..<min(n, start + expectationBlock) {
                    let pi = p[i], vi = v + i * ldv
                    for j in 0..<d { block[j] = block[j].addingProduct(pi, vi[j]) }
                }
                for j in 0..<d { out[j] += block[j] }
            }
        }
    }

    // MARK: smooth largest eigenvalue

    /// `τ·log Σ exp(λ_i/τ)` of the symmetric `n × n` matrix whose lower triangle is at `a`, and
    /// optionally `g = Σ p_i u_i u_iᵀ` with `p = softmax(λ/τ)` (row-major, ld `ldg`).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func smoothEigmax<S: SmoothScalar>(_ a: UnsafePointer<S>, n: Int, lda: Int, temperature t: S,
                                              gradient g: UnsafeMutablePointer<S>?, ldg: Int) -> S {
        guard n > 0 else { return -.infinity }     // the empty logsumexp
        var sym = [S](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { sym[i * n + j] = a[i * lda + j]; sym[j * n + i] = a[i * lda + j] } }
        let (lambda, u) = JacobiEigen.decompose(sym, n: n)
        let value = lambda.withUnsafeBufferPointer { logSumExp($0.baseAddress!, n, t) }
        if let g {
            var p = [S](repeating: 0, count: n)
            lambda.withUnsafeBufferPointer { l in p.withUnsafeMutableBufferPointer { softmaxRow(l.baseAddress!, n, t, into: $0.baseAddress!) } }
            for i in 0..<n {
                for j in 0...i {    // one sum per pair, so G is exactly symmetric
                    var s: S = 0
                    for k in 0..<n { s = s.addingProduct(p[k] * u[i * n + k], u[j * n + k]) }
                    g[i * ldg + j] = s
                    g[j * ldg + i] = s
                }
            }
        }
        return value
    }
}

extension SwiftLinalg {
    // MARK: 2-D spatial soft-argmax

    /// Expected (column, row) indices under `p` (h × w, contiguous): row sums, then over rows,
    /// in Double; NaN when `p` sums to 0 (a fully masked map) or holds NaN.
    static func meanIndex<S: SmoothScalar>(_ p: UnsafePointer<S>, h: Int, w: Int) -> (x: Double, y: Double) {
        var sx = 0.0, sy = 0.0, total = 0.0
        for i in 0..<h {
            var row = 0.0, rowx = 0.0
            for j in 0..<w { row += Double(p[i * w + j]); rowx += Double(p[i * w + j]) * Double(j) }
            total += row; sx += rowx; sy += row * Double(i)
        }
        return total > 0 ? (sx, sy) : (.nan, .nan)
    }

    /// Expected position of each map (rows of h·w at `heat + k·ldh`) into `xy` (2 per map).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func spatial<S: SmoothScalar>(_ heat: UnsafePointer<S>, maps: Int, h: Int, w: Int, ldh: Int, temperature t: S,
                                         coords: SpatialCoordinates, xy: UnsafeMutablePointer<S>) {
        let hw = h * w
        let p = UnsafeMutablePointer<S>.allocate(capacity: max(hw, 1))
        defer { p.deallocate() }
        let (ax, ay) = (coords.axis(w), coords.axis(h))
        for k in 0..<maps {
            guard hw > 0 else { xy[2 * k] = .nan; xy[2 * k + 1] = .nan; continue }
            softmaxRow(heat + k * ldh, hw, t, into: p)
            let (xi, yi) = meanIndex(p, h: h, w: w)
            xy[2 * k] = S(ax.origin + ax.step * xi)
            xy[2 * k + 1] = S(ay.origin + ay.step * yi)
        }
    }

    /// The VJP of ``spatial``: map k of `d` (at `d + k·ldd`) gets `p·(gx·(cx − x) + gy·(cy − y))/τ`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func spatialGradient<S: SmoothScalar>(_ heat: UnsafePointer<S>, maps: Int, h: Int, w: Int, ldh: Int,
                                                 temperature t: S, coords: SpatialCoordinates, gxy: [S],
                                                 d: UnsafeMutablePointer<S>, ldd: Int) {
        let hw = h * w
        let (sx, sy) = (coords.axis(w).step, coords.axis(h).step)
        for k in 0..<maps where hw > 0 {
            let x = heat + k * ldh, out = d + k * ldd
            let hasInf = (0..<hw).contains { x[$0] == .infinity }, hasNaN = (0..<hw).contains { x[$0].isNaN }
            softmaxRow(x, hw, t, into: out)
            let (xi, yi) = meanIndex(out, h: h, w: w)
            let gx = Double(gxy[2 * k]) * sx / Double(t), gy = Double(gxy[2 * k + 1]) * sy / Double(t)
            for i in 0..<h {
                for j in 0..<w {
                    let pij = Double(out[i * w + j])
                    out[i * w + j] = hasInf && !hasNaN ? 0
                        : xi.isNaN ? .nan
                        : S(pij * (gx * (Double(j) - xi) + gy * (Double(i) - yi)))
                }
            }
        }
    }
}

/// Cyclic Jacobi eigenvalue algorithm for a symmetric matrix, generic so the same routine runs
/// in Float, Double or (in tests, as a reference) Float80.
///
/// Each rotation zeroes one off-diagonal pair: with `θ = (a_qq − a_pp)/(2a_pq)`, the smaller
/// root `t = sign θ/(|θ| + √(θ² + 1))` of `t² + 2θt − 1 = 0` gives `c = 1/√(t² + 1)`, `s = t·c`
/// (Golub & Van Loan §8.5). Sweeps over all pairs until the off-diagonal mass is below
/// `u²·‖A‖²_F`, at most `maxSweeps` (convergence is quadratic; ~6–10 sweeps in practice).
enum JacobiEigen {
    static let maxSweeps = 60

    /// Eigenvalues (ascending) and eigenvectors (`u[i·n + k]` = component i of vector k) of the
    /// symmetric row-major `a` (n × n).
    static func decompose<F: BinaryFloatingPoint>(_ a: [F], n: Int) -> (values: [F], vectors: [F]) {
        var a = a
        var v = [F](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let norm2 = a.reduce(F(0)) { $0 + $1 * $1 }
        let tiny = F.ulpOfOne * F.ulpOfOne * norm2
        for _ in 0..<maxSweeps {
            var off: F = 0
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += 2 * a[p * n + q] * a[p * n + q] } }
            if off <= tiny || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
                    let apq = a[p * n + q]
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    // For huge θ, θ² overflows: t ≈ 1/(2θ).
                    let t = abs(theta) > 1 / F.ulpOfOne
                        ? 1 / (2 * theta)
                        : (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {              // A ← A·J (columns p, q)
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {              // A ← Jᵀ·A (rows p, q)
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {              // V ← V·J
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] < a[$1 * n + $1] }
        let values = order.map { a[$0 * n + $0] }
        var vectors = [F](repeating: 0, count: n * n)
        for (k, col) in order.enumerated() { for i in 0..<n { vectors[i * n + k] = v[i * n + col] } }
        return (values, vectors)
    }
}
