import CSmoothKit
// The linalg C entry points call LAPACKE, which openblas.pc (CSmoothKit's only pkg-config)
// does not link. Importing the system module here makes every client of SmoothKit link
// -lopenblas -llapacke (COpenBLAS's module map); the installed C library links both itself
// (scripts/install-clib).
internal import COpenBLAS

/// The linalg ops' C status check (their entry points are in CBridge.swift).
enum LinalgC {
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
