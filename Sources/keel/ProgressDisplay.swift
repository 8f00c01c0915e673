import Foundation
import KeelStore

/// Progress for long steps: a bar redrawn in place on a terminal, structured log lines otherwise.
final class ProgressDisplay: @unchecked Sendable {
    private let isTerminal = isatty(2) == 1
    private let lock = NSLock()
    private var lastLogged: [String: Int] = [:]
    private var drewBar = false

    func importProgress(_ p: ImportProgress) {
        lock.withLock {
            let name = (p.file as NSString).lastPathComponent
            let pct = Int(p.fraction * 100)
            if isTerminal {
                let width = 30
                let filled = Int(p.fraction * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(pct)% \(name) \(p.rows) rows".utf8))
                drewBar = true
                if p.fraction >= 1 { FileHandle.standardError.write(Data("\n".utf8)); drewBar = false }
            } else if p.fileSize >= 1 << 20 {
                // Structured lines (one per quarter) only for files big enough to take a while.
                let step = pct / 25
                if lastLogged[p.file] != step || p.fraction >= 1 {
                    if lastLogged[p.file] == 4 { return }
                    lastLogged[p.file] = p.fraction >= 1 ? 4 : step
                    let line = "ts=\(ISO8601DateFormatter().string(from: Date())) level=info event=import.progress file=\(name) rows=\(p.rows) bytes=\(p.bytesRead) total_bytes=\(p.fileSize) pct=\(pct)\n"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
        }
    }

    /// A step measured as a fraction done (0…1).
    func fraction(_ step: String, _ f: Double) {
        lock.withLock {
            let pct = Int(f * 100)
            if isTerminal {
                let width = 30, filled = Int(f * Double(width))
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(String(repeating: "█", count: filled))\(String(repeating: "░", count: width - filled)) \(pct)% \(step)".utf8))
                drewBar = true
            } else if lastLogged[step] != pct / 25 {
                lastLogged[step] = pct / 25
                FileHandle.standardError.write(Data("ts=\(ISO8601DateFormatter().string(from: Date())) level=info event=\(step).progress pct=\(pct)\n".utf8))
            }
        }
    }

    func finish() {
        lock.withLock { if drewBar { FileHandle.standardError.write(Data("\n".utf8)); drewBar = false } }
    }
}
