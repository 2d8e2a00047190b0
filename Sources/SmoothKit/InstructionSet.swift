import CSmoothKit

/// The instruction-set paths of the C kernels, chosen at run time from the CPU.
///
/// Forcing a path is for tests and benchmarks; it is process-wide.
/// ```swift
/// print(InstructionSet.active)                 // e.g. .avx2
/// for isa in InstructionSet.supported {        // run every path this CPU has
///     try InstructionSet.force(isa)
///     _ = try softmax(x, backend: .c)
/// }
/// try InstructionSet.force(.automatic)
/// ```
public enum InstructionSet: String, Sendable, CaseIterable {
    case automatic, portable, avx2, avx512, neon

    var cValue: smk_isa {
        switch self {
        case .automatic: SMK_ISA_AUTO
        case .portable: SMK_ISA_PORTABLE
        case .avx2: SMK_ISA_AVX2
        case .avx512: SMK_ISA_AVX512
        case .neon: SMK_ISA_NEON
        }
    }

    /// The path the C kernels use now.
    public static var active: InstructionSet {
        InstructionSet(rawValue: String(cString: smk_isa_name())) ?? .portable
    }

    /// The concrete paths this build and CPU can run, best first.
    public static var supported: [InstructionSet] {
        [.avx512, .avx2, .neon, .portable].filter { smk_isa_supported($0.cValue) != 0 }
    }

    /// Makes the C kernels use `isa` from now on (`.automatic`: the best supported).
    /// - Throws: ``SmoothKitError/unavailable(_:)`` if this CPU or build lacks it.
    public static func force(_ isa: InstructionSet) throws {
        guard smk_force_isa(isa.cValue) == SMK_OK else {
            throw SmoothKitError.unavailable("instruction set \(isa.rawValue) on this CPU")
        }
    }
}
