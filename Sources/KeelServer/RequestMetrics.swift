import Foundation
import Hummingbird

/// Request counts by route, method and status, and a latency histogram by route, as
/// Prometheus text (`GET /metrics`).
public final class RequestMetrics: @unchecked Sendable {
    /// Upper bounds of the latency buckets, seconds (+Inf is implied).
    public static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

    private struct CountKey: Hashable { var route: String; var method: String; var status: Int }
    private struct Histogram { var counts: [Int]; var sum: Double; var count: Int }

    private let lock = NSLock()
    private var counts: [CountKey: Int] = [:]
    private var histograms: [String: Histogram] = [:]

    public init() {}

    func record(route: String, method: String, status: Int, seconds: Double) {
        lock.withLock {
            counts[CountKey(route: route, method: method, status: status), default: 0] += 1
            // Updated in place (a copy out and back would copy the bucket array every request).
            if histograms[route] == nil {
                histograms[route] = Histogram(counts: [Int](repeating: 0, count: Self.buckets.count), sum: 0, count: 0)
            }
            for (i, b) in Self.buckets.enumerated() where seconds <= b { histograms[route]!.counts[i] += 1 }
            histograms[route]!.sum += seconds
            histograms[route]!.count += 1
        }
    }

    /// The Prometheus text exposition (version 0.0.4), lines sorted for stable output.
    public func prometheusText() -> String {
        lock.withLock {
            var out = "# HELP keel_http_requests_total HTTP requests by route, method and status.\n"
            out += "# TYPE keel_http_requests_total counter\n"
            for (k, n) in counts.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
                out += "keel_http_requests_total{route=\"\(Self.escape(k.route))\",method=\"\(k.method)\",status=\"\(k.status)\"} \(n)\n"
            }
            out += "# HELP keel_http_request_duration_seconds Request latency by route.\n"
            out += "# TYPE keel_http_request_duration_seconds histogram\n"
            for (route, h) in histograms.sorted(by: { $0.key < $1.key }) {
                let r = Self.escape(route)
                for (i, b) in Self.buckets.enumerated() {
                    out += "keel_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"\(b)\"} \(h.counts[i])\n"
                }
                out += "keel_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"+Inf\"} \(h.count)\n"
                out += "keel_http_request_duration_seconds_sum{route=\"\(r)\"} \(h.sum)\n"
                out += "keel_http_request_duration_seconds_count{route=\"\(r)\"} \(h.count)\n"
            }
            return out
        }
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// Outermost middleware: times every request and records it under its matched route
/// (`unmatched` when no route matched).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try APIError.from(error).response(from: request, context: context)
        }
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code, seconds: seconds)
        return response
    }
}
