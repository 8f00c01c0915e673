import Crypto
import Foundation
import KeelStore

/// API keys: 32 random bytes, base64url without padding, shown once; the database keeps only
/// the SHA-256 of the key text (lower-case hex).
public enum APIKeys {
    public struct Created: Sendable, Equatable {
        public var id: Int64
        public var role: APIRole
        /// The key itself: print it once, it cannot be recovered.
        public var key: String
    }

    /// Creates and stores a key for `role`.
    public static func create(_ database: KeelDatabase, role: APIRole) throws -> Created {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = generator.next() }
        let key = base64URL(bytes)
        let id = try database.insertAPIKey(role: role.rawValue, hash: hash(key))
        return Created(id: id, role: role, key: key)
    }

    /// SHA-256 of the key's UTF-8 bytes as lower-case hex.
    public static func hash(_ key: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for b in SHA256.hash(data: Array(key.utf8)) {
            hex.append(digits[Int(b >> 4)])
            hex.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
