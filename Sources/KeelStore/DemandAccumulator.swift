/// Per (channel, location, sku, day) sums of the sales lines of one import, before they are
/// merged into the packed demand history.
///
/// Keys pack channel (3 bits), location key (20 bits), item key (24 bits) and day (17 bits, days
/// since 1970, i.e. up to the year 2328) into one `UInt64`, so sorting the keys groups a series'
/// days together in order. O(1) per line; memory O(distinct series-days).
struct DemandAccumulator {
    struct Cell {
        var units: Double
        var revenue: Double
        var promo: Bool

        static let zero = Cell(units: 0, revenue: 0, promo: false)

        mutating func add(_ qty: Double, _ net: Double, _ isPromo: Bool) {
            units += qty
            revenue += net
            if isPromo { promo = true }
        }
    }

    private(set) var cells: [UInt64: Cell] = [:]
    private(set) var maxDay: Int32 = .min

    static let locationLimit: Int64 = 1 << 20
    static let itemLimit: Int64 = 1 << 24

    static func seriesKey(channel: Int, location: Int64, item: Int64) -> UInt64 {
        (UInt64(channel) << 44) | (UInt64(location) << 24) | UInt64(item)
    }

    static func decode(series: UInt64) -> (channel: Int, location: Int64, item: Int64) {
        (Int(series >> 44), Int64((series >> 24) & 0xFFFFF), Int64(series & 0xFFFFFF))
    }

    /// Adds one sales line (one hash lookup). The caller has checked the packable ranges
    /// (location < 2^20, item < 2^24, 0 ≤ day < 2^17).
    mutating func add(channel: Int, location: Int64, item: Int64, day: Int32, qty: Double, net: Double, promo: Bool) {
        let key = (DemandAccumulator.seriesKey(channel: channel, location: location, item: item) << 17) | UInt64(day)
        cells[key, default: .zero].add(qty, net, promo)
        if day > maxDay { maxDay = day }
    }

    var isEmpty: Bool { cells.isEmpty }

    /// The cells grouped by series, each series' days ascending.
    func grouped() -> [(series: UInt64, days: [(day: Int32, cell: Cell)])] {
        let keys = cells.keys.sorted()
        var out: [(series: UInt64, days: [(day: Int32, cell: Cell)])] = []
        var i = 0
        while i < keys.count {
            let s = keys[i] >> 17
            var days: [(day: Int32, cell: Cell)] = []
            while i < keys.count, keys[i] >> 17 == s {
                days.append((Int32(keys[i] & 0x1FFFF), cells[keys[i]]!))
                i += 1
            }
            out.append((s, days))
        }
        return out
    }
}
