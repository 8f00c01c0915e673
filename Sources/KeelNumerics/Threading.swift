import CBLAS

/// Control of OpenBLAS's internal thread pool.
///
/// OpenBLAS parallelises each large call over its own threads. When the engine already fans out
/// across series (one task per shard), nested BLAS threads oversubscribe the cores and make small
/// calls slower; call `Threading.useSingleThreadedBLAS()` once before such a fan-out.
/// The setting is process-wide.
public enum Threading {
    /// Sets the number of OpenBLAS threads (`openblas_set_num_threads`); values below 1 mean 1.
    public static func setBLASThreads(_ count: Int) {
        openblas_set_num_threads(Int32(Swift.max(1, count)))
    }

    /// One OpenBLAS thread: the right setting when parallelising across series.
    public static func useSingleThreadedBLAS() { setBLASThreads(1) }

    /// The current OpenBLAS thread count (`openblas_get_num_threads`).
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }
}
