import Foundation
import Hummingbird
import KeelAnomaly
import KeelSourcing
import KeelStore

/// Every error the API answers: an HTTP status and `{"error": {"code": …, "message": …}}` with a
/// stable `code`.
public struct APIError: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(status, Body(error: .init(code: code, message: message)))
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    struct Body: Encodable {
        struct Detail: Encodable { var code: String; var message: String }
        var error: Detail
    }

    /// Maps an engine, store or framework error to its API error.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as SourcingError:
            switch e {
            case .invalid: return APIError(.badRequest, e.code, e.description)
            case .conflict: return APIError(.conflict, e.code, e.description)
            case .notFound: return APIError(.notFound, e.code, e.description)
            }
        case let e as StoreError:
            switch e {
            case .notFound(let m): return APIError(.notFound, "not_found", m)
            case .invalid(let m): return APIError(.badRequest, "invalid_request", m)
            case .rejected, .badFile: return APIError(.badRequest, "invalid_request", e.description)
            case .sqlite: return APIError(.internalServerError, "internal_error", e.description)
            }
        case let e as AnomalyError:
            switch e {
            case .unknownAnomaly: return APIError(.notFound, "not_found", e.description)
            case .illegalTransition: return APIError(.conflict, "illegal_transition", e.description)
            case .badInput, .noTransactions: return APIError(.badRequest, "invalid_request", e.description)
            }
        case let e as any HTTPResponseError:
            switch e.status {
            case .contentTooLarge:
                return APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(KeelAPI.maxBodyBytes) bytes")
            case .notFound: return APIError(.notFound, "route_not_found", "no such endpoint")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", "method not allowed on this endpoint")
            default: return APIError(e.status, "http_error", "\(e)")
            }
        default:
            return APIError(.internalServerError, "internal_error", String(describing: error))
        }
    }
}

/// JSON responses: snake_case keys, sorted, so a replayed answer is byte-identical.
enum JSONResponse {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }

    /// A body already written (by `JSONWriter`).
    static func make(_ status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `value` as JSON; if it cannot be encoded, a 500 `internal_error` (never the intended
    /// status with an error body).
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        guard let data = try? encoder().encode(value) else {
            return make(.internalServerError, bytes: Array(#"{"error":{"code":"internal_error","message":"encoding failed"}}"#.utf8))
        }
        return make(status, bytes: Array(data))
    }
}

/// Turns every error below it into the API's JSON error (unknown routes included).
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try APIError.from(error).response(from: request, context: context)
        }
    }
}
