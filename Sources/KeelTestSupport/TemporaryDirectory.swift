import Foundation

/// A fresh folder under the system temporary directory, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = "keel") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let p = url.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// Writes raw bytes (for invalid UTF-8 and byte-order-mark cases).
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let p = url.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// `|a − b| ≤ tolerance × max(1, |b|)`: a relative tolerance that falls back to absolute near 0.
public func isClose(_ a: Double, _ b: Double, relative tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}
