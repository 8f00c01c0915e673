#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader over a file of any size.
///
/// Reads the file in fixed chunks (1 MiB), so memory stays constant whatever the file's size.
/// Handles a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields with `""` escapes,
/// commas and newlines inside quotes, and skips blank lines. Field bytes are exposed without
/// copying into `String`s (`withField`), so numeric columns are parsed straight from the buffer.
/// `recordLine` is the physical line (1-based) on which the current record starts, the line a
/// person sees in an editor.
///
/// Not thread-safe: one reader per file, used from one task.
public final class CSVReader {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public let path: String
    public private(set) var recordLine = 0
    public private(set) var bytesRead: Int64 = 0
    public let fileSize: Int64

    private let fd: Int32
    private let chunk: UnsafeMutablePointer<UInt8>
    private let chunkCapacity: Int
    private var chunkCount = 0
    private var chunkPos = 0
    private var atEOF = false
    private var physicalLine = 1
    private var field: UnsafeMutablePointer<UInt8>
    private var fieldCapacity: Int
    private var fieldLength = 0
    /// End offsets (exclusive) of each field of the current record inside `field`.
    @usableFromInline var ends: UnsafeMutablePointer<Int>
    @usableFromInline var endsCount = 0
    private var endsCapacity = 64
    private var firstRecord = true

    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw Failure(line: 0, reason: "cannot open file (\(String(cString: strerror(errno))))")
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw Failure(line: 0, reason: "is a directory")
        }
        self.fd = fd
        fileSize = Int64(st.st_size)
        chunkCapacity = chunkSize
        chunk = .allocate(capacity: chunkSize)
        fieldCapacity = 4096
        field = .allocate(capacity: fieldCapacity)
        ends = .allocate(capacity: endsCapacity)
    }

    deinit {
        close(fd)
        chunk.deallocate()
        field.deallocate()
        ends.deallocate()
    }

    /// Number of fields in the current record.
    @inlinable public var fieldCount: Int { endsCount }

    /// Calls `body` with the raw (unescaped) bytes of field `i` of the current record.
    @inlinable
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = i == 0 ? 0 : ends[i - 1]
        return try body(UnsafeBufferPointer(start: fieldBase + start, count: ends[i] - start))
    }

    @usableFromInline var fieldBase: UnsafeMutablePointer<UInt8> { field }

    /// Field `i` as a String; nil when its bytes are not valid UTF-8.
    public func string(_ i: Int) -> String? {
        withField(i) { String(validating: $0, as: UTF8.self) }
    }

    /// Whether field `i` is empty (the contract's null).
    @inlinable public func isEmpty(_ i: Int) -> Bool { ends[i] == (i == 0 ? 0 : ends[i - 1]) }

    private func refill() throws -> Bool {
        if atEOF { return false }
        let n = read(fd, chunk, chunkCapacity)
        if n < 0 { throw Failure(line: physicalLine, reason: "read error (\(String(cString: strerror(errno))))") }
        if n == 0 { atEOF = true; return false }
        chunkCount = n
        chunkPos = 0
        bytesRead += Int64(n)
        return true
    }

    private func grow(_ length: Int) {
        var capacity = fieldCapacity
        while capacity < length { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: field, count: fieldLength)
        field.deallocate()
        field = bigger
        fieldCapacity = capacity
    }

    @inline(__always) private func endField(_ length: Int) {
        if endsCount == endsCapacity {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: endsCapacity * 2)
            bigger.update(from: ends, count: endsCount)
            ends.deallocate()
            ends = bigger
            endsCapacity *= 2
        }
        ends[endsCount] = length
        endsCount += 1
    }

    /// Advances to the next record. Returns false at the end of the file.
    /// Throws on an unterminated quote or a character after a closing quote.
    public func next() throws -> Bool {
        while true {
            let got = try readRecord()
            if !got { return false }
            if firstRecord {
                firstRecord = false
                stripByteOrderMark()
            }
            // Skip blank lines (a single empty field).
            if endsCount == 1 && ends[0] == 0 { continue }
            return true
        }
    }

    /// Drops a UTF-8 byte-order mark from the start of the first record, wherever chunks split it.
    private func stripByteOrderMark() {
        guard fieldLength >= 3, field[0] == 0xEF, field[1] == 0xBB, field[2] == 0xBF, endsCount > 0, ends[0] >= 3 else { return }
        field.update(from: field + 3, count: fieldLength - 3)
        fieldLength -= 3
        for i in 0..<endsCount { ends[i] -= 3 }
    }

    /// Reads one record into `field`/`ends`. The byte loop works on locals (class properties
    /// would cost an exclusivity check per access) and copies runs of plain bytes in bulk.
    private func readRecord() throws -> Bool {
        endsCount = 0
        fieldLength = 0
        recordLine = physicalLine
        if chunkPos >= chunkCount, try !refill() { return false }
        var inQuotes = false
        var fieldStartedQuoted = false
        var afterClosingQuote = false
        var atFieldStart = true
        var pos = chunkPos, count = chunkCount
        var length = 0
        while true {
            if pos >= count {
                chunkPos = pos; fieldLength = length
                if try !refill() {
                    if inQuotes { throw Failure(line: recordLine, reason: "unterminated quoted field") }
                    endField(length)
                    return true
                }
                pos = chunkPos; count = chunkCount
            }
            let buf = chunk
            if !inQuotes && !afterClosingQuote {
                // Fast path: plain bytes up to the next comma, line end or quote.
                var p = pos
                while p < count {
                    let c = buf[p]
                    if c == 0x2C || c == 0x0A || c == 0x0D || c == 0x22 { break }
                    p &+= 1
                }
                let run = p - pos
                if run > 0 {
                    if length + run > fieldCapacity { fieldLength = length; grow(length + run) }
                    (field + length).update(from: buf + pos, count: run)
                    length += run
                    pos = p
                    atFieldStart = false
                    continue
                }
            }
            let c = buf[pos]
            pos += 1
            if inQuotes {
                if c == 0x22 {
                    // Either an escaped quote ("") or the closing quote.
                    if pos >= count {
                        chunkPos = pos; fieldLength = length
                        if try !refill() { endField(length); return true }
                        pos = chunkPos; count = chunkCount
                    }
                    if chunk[pos] == 0x22 {
                        if length + 1 > fieldCapacity { fieldLength = length; grow(length + 1) }
                        field[length] = 0x22; length += 1
                        pos += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if c == 0x0A { physicalLine += 1 }
                    if length + 1 > fieldCapacity { fieldLength = length; grow(length + 1) }
                    field[length] = c; length += 1
                }
                continue
            }
            switch c {
            case 0x2C:
                endField(length)
                atFieldStart = true
                fieldStartedQuoted = false
                afterClosingQuote = false
            case 0x0A:
                physicalLine += 1
                endField(length)
                chunkPos = pos; fieldLength = length
                return true
            case 0x0D:
                break  // part of a CRLF line end
            case 0x22:
                if atFieldStart {
                    inQuotes = true
                    fieldStartedQuoted = true
                    atFieldStart = false
                } else if afterClosingQuote || fieldStartedQuoted {
                    chunkPos = pos
                    throw Failure(line: recordLine, reason: "unexpected quote after a closed quoted field (column \(endsCount + 1))")
                } else {
                    if length + 1 > fieldCapacity { fieldLength = length; grow(length + 1) }
                    field[length] = c; length += 1  // a literal quote inside an unquoted field, e.g. 12" frame
                }
            default:
                if afterClosingQuote {
                    chunkPos = pos
                    throw Failure(line: recordLine, reason: "unexpected character after a closing quote (column \(endsCount + 1))")
                }
                if length + 1 > fieldCapacity { fieldLength = length; grow(length + 1) }
                field[length] = c; length += 1
                atFieldStart = false
            }
        }
    }
}
