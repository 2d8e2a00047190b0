/// Which implementation runs an op.
///
/// ```swift
/// let viaC = try softmax(x, backend: .c)
/// let viaSwift = try softmax(x, backend: .swift)   // same SPEC bounds, no C involved
/// ```
public enum Backend: Sendable, Hashable, CaseIterable {
    /// The fastest available: the C kernels with the best instruction set of this CPU.
    case automatic
    /// The C kernels (`smk_*`), with runtime instruction-set dispatch.
    case c
    /// The pure-Swift kernels (SIMD types): same algorithms and bounds, no C code.
    case swift

    /// What `.automatic` resolves to on this machine.
    var resolved: Backend { self == .automatic ? .c : self }
}
