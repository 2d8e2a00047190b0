import CSmoothKit
// The linalg C entry points call LAPACKE, which openblas.pc (CSmoothKit's only pkg-config)
// does not link. Importing the system module here makes every client of SmoothKit link
// -lopenblas -llapacke (COpenBLAS's module map); the installed C library links both itself
// (scripts/install-clib).
internal import COpenBLAS

/// The linalg C entry points (smoothkit_linalg.h) of one element type, so the façade calls
/// them generically. Arguments reaching here are already validated by the façade.
protocol LinalgCEntries {
    associatedtype E
    static var expectation: (UnsafePointer<E>?, Int, Int, Int, E, UnsafePointer<E>?, Int, Int,
                             UnsafeMutablePointer<E>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { get }
    static var eigmax: (UnsafePointer<E>?, Int, Int, Int, E, smk_symmetry, E, UnsafeMutablePointer<E>?,
                        UnsafeMutablePointer<E>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { get }
    static var spatial: (UnsafePointer<E>?, Int, Int, Int, Int, E, smk_coords, UnsafeMutablePointer<E>?,
                         UnsafeMutableRawPointer?, Int) -> smk_status { get }
    static var spatialGrad: (UnsafePointer<E>?, Int, Int, Int, Int, E, smk_coords, UnsafePointer<E>?,
                             UnsafeMutablePointer<E>?, Int) -> smk_status { get }
}

enum LinalgF32: LinalgCEntries {
    static var expectation: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafePointer<Float>?, Int, Int,
                             UnsafeMutablePointer<Float>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status {
        smk_softmax_expectation_f32
    }
    static var eigmax: (UnsafePointer<Float>?, Int, Int, Int, Float, smk_symmetry, Float, UnsafeMutablePointer<Float>?,
                        UnsafeMutablePointer<Float>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status {
        smk_smooth_eigmax_f32
    }
    static var spatial: (UnsafePointer<Float>?, Int, Int, Int, Int, Float, smk_coords, UnsafeMutablePointer<Float>?,
                         UnsafeMutableRawPointer?, Int) -> smk_status { smk_spatial_softargmax_f32 }
    static var spatialGrad: (UnsafePointer<Float>?, Int, Int, Int, Int, Float, smk_coords, UnsafePointer<Float>?,
                             UnsafeMutablePointer<Float>?, Int) -> smk_status { smk_spatial_softargmax_grad_f32 }
}

enum LinalgF64: LinalgCEntries {
    static var expectation: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafePointer<Double>?, Int, Int,
                             UnsafeMutablePointer<Double>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status {
        smk_softmax_expectation_f64
    }
    static var eigmax: (UnsafePointer<Double>?, Int, Int, Int, Double, smk_symmetry, Double, UnsafeMutablePointer<Double>?,
                        UnsafeMutablePointer<Double>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status {
        smk_smooth_eigmax_f64
    }
    static var spatial: (UnsafePointer<Double>?, Int, Int, Int, Int, Double, smk_coords, UnsafeMutablePointer<Double>?,
                         UnsafeMutableRawPointer?, Int) -> smk_status { smk_spatial_softargmax_f64 }
    static var spatialGrad: (UnsafePointer<Double>?, Int, Int, Int, Int, Double, smk_coords, UnsafePointer<Double>?,
                             UnsafeMutablePointer<Double>?, Int) -> smk_status { smk_spatial_softargmax_grad_f64 }
}

/// Calls `body` with the entry table of `S` and `S`'s pointers seen as that table's element type.
enum LinalgC {
    static func rebind<S: SmoothScalar, E>(_ p: UnsafePointer<S>, to _: E.Type) -> UnsafePointer<E> {
        UnsafeRawPointer(p).assumingMemoryBound(to: E.self)
    }
    static func rebind<S: SmoothScalar, E>(_ p: UnsafeMutablePointer<S>, to _: E.Type) -> UnsafeMutablePointer<E> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: E.self)
    }

    /// A thrown error for a C status the façade's own checks did not catch (BLAS/LAPACK size
    /// limits, LAPACK failure, out of memory).
    static func check(_ status: smk_status, _ what: String) throws {
        switch status {
        case SMK_OK: return
        case SMK_ERR_SHAPE: throw SmoothKitError.invalidShape("\(what): a size exceeds BLAS/LAPACK's 32-bit limits")
        case SMK_ERR_DOMAIN: throw SmoothKitError.domain("\(what): input not finite or not symmetric")
        case SMK_ERR_COMPUTE: throw SmoothKitError.computationFailed(status: Int(status.rawValue))
        default:
            throw SmoothKitError.domain("\(what): C kernel rejected its arguments (\(String(cString: smk_status_string(status))))")
        }
    }
}
