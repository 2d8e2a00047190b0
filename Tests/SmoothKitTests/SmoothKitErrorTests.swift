// SmoothKitError as users meet it: the case each bad argument throws, and messages that name
// the argument (description and LocalizedError's errorDescription alike).
import CSmoothKit
import SmoothKit
import Testing

@Suite("SmoothKitError")
struct SmoothKitErrorTests {
    @Test("a catalog parameter is named as a parameter, not a temperature", arguments: [Backend.c, .swift])
    func catalogParameter(backend: Backend) throws {
        let x = try Matrix<Double>(rows: 1, cols: 2, elements: [1, 2])
        let cases: [(String, () throws -> Void)] = [
            ("smoothAbs huber", { _ = try smoothAbs([1.0], kind: .huber, parameter: -1, backend: backend) }),
            ("smoothMax boltzmann", { _ = try smoothMax(x, kind: .boltzmann, parameter: -1, backend: backend) }),
            ("smoothMin pairwise", { _ = try smoothMin([1.0], [2], kind: .sqrt, parameter: -1, backend: backend) }),
            ("mollifier", { _ = try mollifier([1.0], kernel: .gaussian, parameter: -1, part: .cdf, backend: backend) }),
        ]
        for (name, call) in cases {
            #expect(throws: SmoothKitError.invalidParameter(name: "parameter", value: -1), "\(name)") { try call() }
        }
        #expect(throws: SmoothKitError.invalidTemperature(-1)) { try softmax(x, temperature: -1, backend: backend) }
    }

    @Test("every case's message names what is wrong, the same through LocalizedError")
    func messages() {
        let table: [(SmoothKitError, String)] = [
            (.invalidTemperature(0), "temperature must be finite and > 0, got 0.0"),
            (.invalidParameter(name: "parameter", value: -1), "parameter must be finite and > 0, got -1.0"),
            (.elementCount(expected: 3, actual: 2), "expected 3 elements, got 2"),
            (.shapeMismatch(expected: "2 × 3", actual: "3 × 2"), "shape mismatch: expected 2 × 3, got 3 × 2"),
            (.invalidShape("rows and cols must be >= 0"), "invalid shape: rows and cols must be >= 0"),
            (.domain("threads must be >= 1, got 0"), "domain error: threads must be >= 1, got 0"),
            (.unavailable("instruction set avx512"), "unavailable: instruction set avx512"),
            (.computationFailed(status: Int(SMK_ERR_COMPUTE.rawValue)),
             "computation failed: " + String(cString: smk_status_string(SMK_ERR_COMPUTE))),
            (.computationFailed(status: -7), "computation failed: status -7"),
        ]
        for (error, text) in table {
            #expect(error.description == text)
            #expect(error.errorDescription == text)
            #expect("\(error)" == text)
        }
    }
}
