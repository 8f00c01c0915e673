import Foundation

/// Escaping and number formatting shared by the SVG, HTML and notebook writers.
public enum Markup {
    /// Escapes text for XML/HTML content and attribute values (`& < > " '`).
    public static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return s }
        var out = ""
        out.reserveCapacity(s.count + 16)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Escapes text for Markdown (backslash before the characters Markdown treats specially,
    /// and `<`/`>`/`&` as entities so no HTML is injected).
    public static func markdownEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "{", "}", "!": out.append("\\"); out.append(c)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate for SVG: at most one decimal, no trailing `.0`.
    static func coord(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        if r == r.rounded() { return String(Int(r)) }
        return String(r)
    }

    /// An opacity for SVG attributes (two decimals, 0…1).
    static func opacity(_ x: Double) -> String { String(format: "%.2f", min(1, max(0, x))) }

    /// `x` with `decimals` decimals and thousands separators (`12,345.6`); "–" for NaN/∞.
    public static func number(_ x: Double, decimals: Int = 0) -> String {
        guard x.isFinite else { return "–" }
        let text = String(format: "%.\(max(0, decimals))f", abs(x))
        let parts = text.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var grouped = ""
        while integer.count > 3 {
            grouped = "," + integer.suffix(3) + grouped
            integer = String(integer.dropLast(3))
        }
        grouped = integer + grouped
        let negative = x < 0 && text.contains(where: { $0 != "0" && $0 != "." })
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A share as a percentage with one decimal (`0.1234` → `12.3%`); "–" when not finite.
    public static func percent(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return number(x * 100, decimals: 1) + "%"
    }

    /// A quantile level as in the contract's column names (`0.95` → `q0.95`).
    public static func level(_ l: Double) -> String {
        var s = String(format: "%.4f", l)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return "q" + s
    }
}
