#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KeelCore
import KeelTestSupport
import Testing

/// A file far larger than the reader's memory is streamed: 192 MiB through a named pipe (no disk,
/// no way to load it whole) while resident memory grows by less than 48 MiB.
///
/// Resident memory is the whole test process's, so any test running beside this one adds to it
/// (the parallel suite once measured 79 MiB of other tests' allocations). It therefore runs only
/// when `KEEL_ISOLATED_MEMORY_TEST=1`: `make test` runs it alone in its own `swift test` first,
/// then everything else in parallel.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KEEL_ISOLATED_MEMORY_TEST"] == "1", "needs a process of its own: make test runs it alone"))
struct StreamingTests {
    static func residentBytes() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let parts = s.split(separator: " ")
        return (Int(parts[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func streamsAFileLargerThanItsMemory() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("big.csv")
        #expect(mkfifo(path, 0o600) == 0)
        let row = Array("T0000001,1,2026-03-01T10:00:00Z,store,S001,SKU00001,1,19.99,,,C1,card,,K1\n".utf8)
        let total = 192 << 20
        let rowsToWrite = total / row.count
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            var block: [UInt8] = []
            for _ in 0..<4096 { block += row }
            var written = 0
            _ = Array("h1,h2,h3,h4,h5,h6,h7,h8,h9,h10,h11,h12,h13,h14\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            while written < rowsToWrite {
                block.withUnsafeBytes { p in
                    var off = 0
                    while off < p.count { let n = write(fd, p.baseAddress! + off, p.count - off); if n <= 0 { break }; off += n }
                }
                written += 4096
            }
            close(fd)
        }
        writer.start()
        let baseline = Self.residentBytes()
        let reader = try CSVReader(path: path)
        var rows = 0, peak = baseline
        while try reader.next() {
            rows += 1
            if rows % 200_000 == 0 { peak = max(peak, Self.residentBytes()) }
        }
        #expect(rows > rowsToWrite)  // header + every row
        #expect(reader.bytesRead > Int64(total))
        #expect(peak - baseline < 48 << 20, "resident memory grew by \((peak - baseline) >> 20) MiB")
    }
}
