// Timing (median of repeated runs after a warm-up) and the machine's memory bandwidth.
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// CPU time of the calling thread: on a shared machine it leaves out the time the thread
/// waited for a core, so 1-thread figures stay comparable when other work runs.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Wall-clock and calling-thread CPU medians of one measurement.
struct Timing {
    var wall: Double
    var cpu: Double
}

/// Median seconds of `body`: one warm-up call (which also sizes the repetition count), then
/// at least `minReps` timed calls and about `minSeconds` in total; wall clock and thread CPU
/// time are taken around the same calls.
func medianTiming(minSeconds: Double, minReps: Int, _ body: () throws -> Void) rethrows -> Timing {
    let clock = ContinuousClock()
    let warm = try clock.measure(body).seconds
    let reps = max(minReps, min(200, Int(minSeconds / max(warm, 1e-9))))
    var walls = [Double](), cpus = [Double]()
    walls.reserveCapacity(reps)
    cpus.reserveCapacity(reps)
    for _ in 0..<reps {
        let c0 = threadCPUSeconds()
        walls.append(try clock.measure(body).seconds)
        cpus.append(threadCPUSeconds() - c0)
    }
    return Timing(wall: median(walls), cpu: median(cpus))
}

func median(_ v: [Double]) -> Double {
    let s = v.sorted(), n = s.count
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/// Copy and read bandwidth in bytes per second (bytes moved: copy counts read + write).
struct Bandwidth: Codable {
    var threads: Int
    var bufferBytes: Int
    var copyBytesPerSecond: Double
    var readBytesPerSecond: Double
}

/// A pointer shared by the bandwidth workers; each touches its own disjoint slice.
private struct Shared: @unchecked Sendable {
    let p: UnsafeMutableRawPointer
}

/// Copy: memcpy of `bytes` (per direction) from one buffer to another, split over `threads`.
/// Read: a sum over SIMD16<Float> loads with 4 independent accumulators (so the adds keep up
/// with memory), split the same way. Each figure is the best of several runs, as a bound is.
func measureBandwidth(bytes: Int, threads: Int, runs: Int) -> Bandwidth {
    let chunk = 64
    let n = bytes / chunk * chunk
    let src = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 64)
    let dst = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 64)
    defer {
        src.deallocate()
        dst.deallocate()
    }
    // Touch every page (and give the read loop numbers that are not all zero).
    let floats = src.bindMemory(to: Float.self, capacity: n / 4)
    for i in 0..<(n / 4) { floats[i] = Float(i & 1023) * 0x1p-10 }
    dst.initializeMemory(as: UInt8.self, repeating: 0, count: n)

    let s = Shared(p: src), d = Shared(p: dst)
    let slice = n / threads / chunk * chunk
    func parallel(_ body: @escaping @Sendable (Int, Int) -> Void) {
        if threads == 1 {
            body(0, n)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { k in
                let lo = k * slice
                body(lo, k == threads - 1 ? n - lo : slice)
            }
        }
    }
    let clock = ContinuousClock()
    var bestCopy = Double.infinity, bestRead = Double.infinity
    let sink = SumSink()
    for _ in 0..<runs {
        bestCopy = min(bestCopy, clock.measure {
            parallel { lo, len in (d.p + lo).copyMemory(from: s.p + lo, byteCount: len) }
        }.seconds)
        bestRead = min(bestRead, clock.measure {
            parallel { lo, len in sink.add(readSum(s.p + lo, bytes: len)) }
        }.seconds)
    }
    return Bandwidth(threads: threads, bufferBytes: n, copyBytesPerSecond: 2 * Double(n) / bestCopy,
                     readBytesPerSecond: Double(n) / bestRead)
}

/// Sums `bytes` (a multiple of 64) of floats, four 16-lane accumulators.
@inline(never)
func readSum(_ p: UnsafeRawPointer, bytes: Int) -> Float {
    let v = p.assumingMemoryBound(to: SIMD16<Float>.self)
    let count = bytes / 64
    var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0
    var i = 0
    while i + 4 <= count {
        a0 += v[i]
        a1 += v[i + 1]
        a2 += v[i + 2]
        a3 += v[i + 3]
        i += 4
    }
    while i < count {
        a0 += v[i]
        i += 1
    }
    return ((a0 + a1) + (a2 + a3)).sum()
}

/// Keeps the read loop's result alive so the compiler cannot drop the loop.
final class SumSink: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private(set) var total: Float = 0
    func add(_ v: Float) {
        lock.wait()
        total += v
        lock.signal()
    }
}
