// The packet vocabulary of the Swift row kernels (the counterpart of CKernels/simd/*.h):
// multiply-add, exact product error, TwoSum, Horner, and loads and stores of whole or
// partial packets. Everything is @inline(always): the kernels are written on top of these
// and must compile to straight vector code.

/// Whether a fused multiply-add is one instruction for the packets. Swift on x86-64 compiles
/// for the baseline ISA (SSE2), where a fused SIMD multiply-add becomes one libm call per
/// lane: there the kernels take the same route as the C portable path (unfused Horner,
/// Dekker's exact product), which meets the same bounds. arm64 always has FMA.
/// (`-D SMOOTHKIT_FMA` selects the fused route, for builds with `-target-cpu` ≥ x86-64-v3.)
#if arch(arm64) || SMOOTHKIT_FMA
let packetFMA = true
#else
let packetFMA = false
#endif

/// a·b + c: one rounding with FMA, two without (see `packetFMA`).
@inline(always)
func mulAdd<P: SIMD>(_ a: P, _ b: P, _ c: P) -> P where P.Scalar: FloatingPoint {
    packetFMA ? c.addingProduct(a, b) : a * b + c
}

/// A constant factor b with its Veltkamp split b = head + tail (heads of ⌈p/2⌉ bits), so
/// that the exact error of a·b costs no FMA (Dekker's product).
struct SplitFactor<T: FallbackScalar> {
    let value: T, head: T, tail: T

    /// 2^⌈p/2⌉ + 1, p = 24 or 53 significand bits: the Veltkamp splitter.
    static var splitter: T { T(1 << ((T.significandBitCount + 2) / 2)) + 1 }

    init(_ b: T) {
        let cb = SplitFactor.splitter * b
        value = b
        head = cb - (cb - b)
        tail = b - head
    }
}

/// Veltkamp's split a = head + tail, heads of ⌈p/2⌉ bits, so that products of the parts are
/// exact (barring overflow of a·splitter).
@inline(always)
func veltkampSplit<P: SIMD>(_ a: P) -> (head: P, tail: P) where P.Scalar: FallbackScalar {
    let ca = a * SplitFactor<P.Scalar>.splitter
    let head = ca - (ca - a)
    return (head, a - head)
}

/// a·b − p exactly from the split factors, where p = fl(a·b): Dekker's product.
@inline(always)
func dekkerError<P: SIMD>(_ a: (head: P, tail: P), _ b: (head: P, tail: P), _ p: P) -> P
where P.Scalar: FloatingPoint {
    ((a.head * b.head - p) + a.head * b.tail + a.tail * b.head) + a.tail * b.tail
}

/// a·b − p exactly, where p = fl(a·b) (barring overflow of a·splitter, which only happens
/// where the caller discards the result): one FMA, or Dekker's product.
@inline(always)
func productError<T: FallbackScalar>(_ a: T.Packet, _ b: SplitFactor<T>, _ p: T.Packet) -> T.Packet {
    if packetFMA { return (-p).addingProduct(a, T.Packet(repeating: b.value)) }
    return dekkerError(veltkampSplit(a), (T.Packet(repeating: b.head), T.Packet(repeating: b.tail)), p)
}

/// a·b − p exactly for two packets of factors (both split when there is no FMA).
@inline(always)
func productError<P: SIMD>(_ a: P, _ b: P, _ p: P) -> P where P.Scalar: FallbackScalar {
    if packetFMA { return (-p).addingProduct(a, b) }
    return dekkerError(veltkampSplit(a), veltkampSplit(b), p)
}

/// s + e = a + b exactly (unless a + b overflows): Knuth's TwoSum, branch-free, for any order
/// of the magnitudes.
@inline(always)
func twoSum<P: SIMD>(_ a: P, _ b: P) -> (sum: P, error: P) where P.Scalar: FloatingPoint {
    let s = a + b, bv = s - a
    return (s, (a - (s - bv)) + (b - bv))
}

/// s + e = a + b exactly, for |a| ≥ |b| or a = 0 (Dekker's Fast2Sum).
@inline(always)
func fastTwoSum<P: SIMD>(_ a: P, _ b: P) -> (P, P) where P.Scalar: FloatingPoint {
    let s = a + b
    return (s, b - (s - a))
}

/// hi + lo += v as a double word, for finite sums: TwoSum (Knuth) puts the rounding error of
/// the addition into lo, then a Fast2Sum renormalises so that |lo| ≤ ulp(hi)/2. Left alone,
/// lo is itself a long serial sum, and when the blocks' rounding errors share one sign (long
/// runs of equal terms) its own roundings grow with n (as CKernels/kernels/rowops.inc's add2).
@inline(always)
func addTwoSum<P: SIMD>(_ hi: inout P, _ lo: inout P, _ v: P) where P.Scalar: FloatingPoint {
    addTwoSumDeferred(&hi, &lo, v)
    (hi, lo) = fastTwoSum(hi, lo)
}

/// hi += v with its rounding error (TwoSum) added into lo, renormalisation deferred: the chain
/// from term to term is one addition. For a few bounded terms (the tiny groups: n ≤ 16 in
/// [0, 1]) lo's own roundings stay negligible; renormalise once with `fastTwoSum` at the end.
@inline(always)
func addTwoSumDeferred<P: SIMD>(_ hi: inout P, _ lo: inout P, _ v: P) where P.Scalar: FloatingPoint {
    let (s, err) = twoSum(hi, v)
    hi = s
    lo += err
}

extension UnsafePointer where Pointee: FallbackScalar {
    /// The packet at self + i (no alignment needed).
    @inline(always)
    func packet(at i: Int) -> Pointee.Packet {
        UnsafeRawPointer(self + i).loadUnaligned(as: Pointee.Packet.self)
    }
    /// The first `count` < lanes elements from self + i; the other lanes hold `fill`.
    /// (One copy into the packet's memory: inserting lane by lane costs a store-to-load
    /// stall per lane.)
    @inline(always)
    func partialPacket(at i: Int, count: Int, fill: Pointee) -> Pointee.Packet {
        var v = Pointee.Packet(repeating: fill)
        withUnsafeMutableBytes(of: &v) {
            $0.baseAddress!.copyMemory(from: self + i, byteCount: count * MemoryLayout<Pointee>.stride)
        }
        return v
    }
}

extension UnsafeMutablePointer where Pointee: FallbackScalar {
    @inline(always)
    func store(_ v: Pointee.Packet, at i: Int) {
        UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Pointee.Packet.self)
    }
    /// Stores the first `count` lanes of v at self + i.
    @inline(always)
    func storePartial(_ v: Pointee.Packet, at i: Int, count: Int) {
        withUnsafeBytes(of: v) {
            UnsafeMutableRawPointer(self + i).copyMemory(from: $0.baseAddress!,
                                                         byteCount: count * MemoryLayout<Pointee>.stride)
        }
    }
}

/// c₀ + f·(c₁ + f·(c₂ + …)), lowest coefficient first, by Horner's rule from the top with
/// `mulAdd`. The count is a compile-time constant, so the loop unrolls over the literals.
@inline(always)
func horner<P: SIMD, let n: Int>(_ f: P, _ c: InlineArray<n, P.Scalar>) -> P
where P.Scalar: FloatingPoint {
    var p = P(repeating: c[n - 1])
    var k = n - 2
    while k >= 0 {
        p = mulAdd(p, f, P(repeating: c[unchecked: k]))
        k -= 1
    }
    return p
}
