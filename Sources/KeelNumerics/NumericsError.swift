/// A failure of a numerical kernel: which LAPACK routine (or Keel routine) failed, and LAPACK's
/// `info` code.
///
/// LAPACK convention: `info < 0` means argument `-info` was illegal (LAPACKE also reports a NaN in
/// an input matrix this way); `info > 0` is a routine-specific numerical failure, e.g. for `dgesv`
/// `U(info, info)` is exactly zero, for `dposv` the leading minor of order `info` is not positive
/// definite. `info == 0` accompanies `.dimensionMismatch`, detected before any call.
public struct NumericsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The matrix is exactly singular (`dgesv`), or not of full rank (`dgels`).
        case singular
        /// Cholesky factorisation broke down (`dposv`): the matrix is not positive definite.
        case notPositiveDefinite
        /// An iterative routine did not converge (`dgelsd`'s SVD, `dsyevd`).
        case noConvergence
        /// An argument was illegal (or contained NaN); `info` is minus its position.
        case illegalArgument
        /// LAPACKE could not allocate its workspace (`info == -1010`).
        case outOfMemory
        /// Operand shapes do not fit the routine; detected before calling LAPACK.
        case dimensionMismatch
    }

    public let kind: Kind
    /// The LAPACK routine (`"dposv"`, `"dgesv"`, …) or Keel routine (`"ridge"`) that failed.
    public let routine: String
    /// LAPACK's `info` (0 when the failure was detected before the call).
    public let info: Int
    /// Extra context, e.g. the offending shapes.
    public let detail: String

    public init(_ kind: Kind, routine: String, info: Int = 0, detail: String = "") {
        self.kind = kind
        self.routine = routine
        self.info = info
        self.detail = detail
    }

    /// Maps a nonzero LAPACK `info` to an error; `positive` names what `info > 0` means here.
    init(routine: String, info: Int32, positive: Kind) {
        let kind: Kind = info == -1010 ? .outOfMemory : info < 0 ? .illegalArgument : positive
        self.init(kind, routine: routine, info: Int(info))
    }

    public var description: String {
        "\(routine) failed: \(kind) (info \(info))" + (detail.isEmpty ? "" : ": \(detail)")
    }
}
