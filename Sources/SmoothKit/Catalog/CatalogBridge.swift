import CSmoothKit

// Shared piece of the catalog façade: the outputs of an elementwise op.

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
