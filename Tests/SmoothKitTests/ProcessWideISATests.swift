// The process-wide ISA choice (`smk_force_isa`, `InstructionSet.force`) and the per-thread one
// of the tests (CKernels/testing.h). The only suite that forces the process-wide path: its tests
// run one at a time, so none sees another's force. The tests of values pin their path per
// thread (Support/Paths.swift), so these forces do not reach them; the rest (argument errors,
// sizes) meet the same checks on any path. ConcurrencyTests.swift adds the test that forces
// paths while many threads call the kernels.
import CSmoothKit
import CSmoothKitTesting
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SmoothKit
import Synchronization
import Testing

@Suite(.serialized)
struct ProcessWideISATests {
    /// `smk_isa_supported` / `smk_force_isa` agree with each other and with the Swift view;
    /// SMK_ISA_AUTO restores the best path; an unsupported ISA is refused and leaves the
    /// active path unchanged.
    @Test func forcingISAs() throws {
        let best = String(cString: smk_isa_name())
        #expect(best == ISAPath.best.name, "the automatic path is not the best supported one")
        #expect(smk_isa_supported(SMK_ISA_AUTO) != 0)
        #expect(!ISAPath.supported.isEmpty && ISAPath.supported.contains { $0.name == "portable" })
        #expect(InstructionSet.supported.map(\.rawValue).sorted() == ISAPath.supported.map(\.name).sorted())
        for isa in ISAPath.supported {
            #expect(smk_force_isa(isa.cValue) == SMK_OK, "forcing supported \(isa) failed")
            #expect(smk_active_isa() == isa.cValue && String(cString: smk_isa_name()) == isa.name
                    && InstructionSet.active.rawValue == isa.name,
                    "forced \(isa), active \(smk_active_isa().rawValue) (Swift: \(InstructionSet.active))")
            #expect(smk_force_isa(SMK_ISA_AUTO) == SMK_OK)
            #expect(String(cString: smk_isa_name()) == best, "SMK_ISA_AUTO did not restore \(best) after \(isa)")
        }
        for isa in ISAPath.unsupported {
            #expect(smk_force_isa(isa.cValue) == SMK_ERR_DOMAIN, "forcing unsupported \(isa) must fail")
            #expect(String(cString: smk_isa_name()) == best, "a refused force changed the active path")
            #expect(throws: SmoothKitError.self) { try InstructionSet.force(InstructionSet(rawValue: isa.name)!) }
        }
        #expect(smk_force_isa(smk_isa(rawValue: 99)) == SMK_ERR_DOMAIN, "an unknown ISA value must fail")
        #expect(String(cString: smk_isa_name()) == best)
    }

    /// The per-thread path: set, read back, refused when unsupported (the previous one kept),
    /// cleared by SMK_ISA_AUTO, not inherited by a new thread, and independent of the
    /// process-wide choice, which it neither reports nor changes.
    @Test func threadISA() throws {
        #expect(smk_test_thread_isa() == SMK_ISA_AUTO, "a test thread starts with no ISA of its own")
        let best = String(cString: smk_isa_name())
        for isa in ISAPath.supported {
            #expect(smk_test_set_thread_isa(isa.cValue) == 0 && smk_test_thread_isa() == isa.cValue, "\(isa)")
            for other in ISAPath.unsupported + [ISAPath(rawValue: 99, name: "unknown")] {
                #expect(smk_test_set_thread_isa(other.cValue) == -1, "setting unsupported \(other) must fail")
                #expect(smk_test_thread_isa() == isa.cValue, "a refused \(other) changed the thread's path")
            }
            let inherited = Mutex(SMK_ISA_PORTABLE.rawValue), done = DispatchSemaphore(value: 0)
            Thread {
                inherited.withLock { $0 = smk_test_thread_isa().rawValue }
                done.signal()
            }.start()
            done.wait()
            #expect(inherited.withLock { $0 } == SMK_ISA_AUTO.rawValue, "a new thread inherited \(isa)")
            #expect(String(cString: smk_isa_name()) == best, "the thread's path changed the process-wide one")
        }
        #expect(smk_test_set_thread_isa(SMK_ISA_AUTO) == 0 && smk_test_thread_isa() == SMK_ISA_AUTO)
    }

    /// The façade's row workers run a call's blocks on the calling thread's path (the tests'
    /// hook, RowParallel.workerScope) and give it back afterwards: a later call from a thread
    /// without a path of its own sees none on any block.
    @Test func workersTakeThreadISA() {
        let (rows, cols) = (64, 1 << 12)
        #expect(RowParallel.plan(rows: rows, cols: cols, threads: 2).workers == 2)
        func pathsOfBlocks() -> [smk_isa.RawValue] {
            let seen = Mutex<[smk_isa.RawValue]>([])
            RowParallel.forEachBlock(rows: rows, cols: cols, threads: 2) { _ in
                seen.withLock { $0.append(smk_test_thread_isa().rawValue) }
                usleep(2000) // a block's work: the other worker takes blocks meanwhile
            }
            return seen.withLock { $0 }
        }
        for isa in ISAPath.supported {
            let (seen, _) = withForcedISA(isa) { pathsOfBlocks() }
            #expect(!seen.isEmpty && seen.allSatisfy { $0 == isa.rawValue }, "pinned \(isa), blocks saw \(seen)")
        }
        let after = pathsOfBlocks()
        #expect(after.allSatisfy { $0 == SMK_ISA_AUTO.rawValue }, "a worker kept a path: \(after)")
    }
}
