import CSmoothKit

// Shared pieces of the catalog façade: argument checks, the C element-type bridge, and the
// driver that runs an elementwise op on either backend.

/// `S`'s storage seen as the C element type `E` (same layout: `S` is `E`).
@inline(__always) func cPointer<S, E>(_ p: UnsafePointer<S>, _: E.Type) -> UnsafePointer<E> {
    UnsafeRawPointer(p).assumingMemoryBound(to: E.self)
}
@inline(__always) func cPointer<S, E>(_ p: UnsafeMutablePointer<S>?, _: E.Type) -> UnsafeMutablePointer<E>? {
    p.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: E.self) }
}

/// Fills `count` outputs through `body` (given base pointers, or nil for an absent output).
/// `withSecond` asks for a second output array (a derivative); absent, its pointer is nil.
func produce<S: SmoothScalar>(count: Int, withSecond: Bool,
                              _ body: (UnsafeMutablePointer<S>, UnsafeMutablePointer<S>?) -> Void) -> ([S], [S]) {
    var first = [S](repeating: 0, count: count)
    var second = [S](repeating: 0, count: withSecond ? count : 0)
    guard count > 0 else { return (first, second) }
    first.withUnsafeMutableBufferPointer { f in
        second.withUnsafeMutableBufferPointer { s in
            body(f.baseAddress!, withSecond ? s.baseAddress! : nil)
        }
    }
    return (first, second)
}

/// The façade validated every argument, so a C status other than OK is a SmoothKit bug.
func expectOK(_ status: smk_status, _ op: String) {
    precondition(status == SMK_OK, "smoothkit C catalog rejected checked arguments in \(op): \(status)")
}
