/// A label dimension of a bottom series (`sku`, `department`, …). Open: any name works.
public struct HierarchyAttribute: RawRepresentable, Hashable, Sendable, Comparable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public static let sku: Self = "sku"
    public static let department: Self = "department"
    public static let category: Self = "category"
    public static let location: Self = "location"
    public static let region: Self = "region"
    public static let channel: Self = "channel"
}

/// An aggregation level: the bottom series grouped by the values of `attributes` (none: the
/// total). A crossing (region × category) lists both attributes.
public struct HierarchyLevel: Hashable, Sendable {
    public var name: String
    public var attributes: [HierarchyAttribute]
    public init(_ name: String, _ attributes: [HierarchyAttribute]) {
        self.name = name
        self.attributes = attributes
    }

    public static let total = HierarchyLevel("total", [])
    public static let category = HierarchyLevel("category", [.category])
    public static let department = HierarchyLevel("department", [.category, .department])
    public static let region = HierarchyLevel("region", [.region])
    public static let location = HierarchyLevel("location", [.region, .location])
    public static let channel = HierarchyLevel("channel", [.channel])
    public static let sku = HierarchyLevel("sku", [.category, .department, .sku])

    /// The retail planning levels (bottom series appended by the hierarchy): total, category,
    /// department, region, location, channel.
    public static let retail: [HierarchyLevel] = [.total, .category, .department, .region, .location, .channel]

    /// The product tree total → category → department (a strict hierarchy, for top-down).
    public static let productTree: [HierarchyLevel] = [.total, .category, .department]

    /// The 11 aggregate levels of the M5 competition (the 12th is the bottom, sku × location):
    /// total; state; store; category; department; state × category; state × department;
    /// store × category; store × department; item; item × state. (M5 state = `region`, store =
    /// `location`, item = `sku`.)
    public static let m5: [HierarchyLevel] = [
        .total, .region, .location, .category, .department,
        HierarchyLevel("region×category", [.region, .category]),
        HierarchyLevel("region×department", [.region, .category, .department]),
        HierarchyLevel("location×category", [.region, .location, .category]),
        HierarchyLevel("location×department", [.region, .location, .category, .department]),
        .sku,
        HierarchyLevel("sku×region", [.region, .category, .department, .sku]),
    ]
}

extension Hierarchy {
    /// Builds the hierarchy of bottom series described by `labels` (one dictionary per bottom
    /// series) over `levels`. A level's rows are the distinct value combinations of its
    /// attributes, sorted by id (`"total"`, or `"category=FOODS/department=FOODS_1"`); a missing
    /// label counts as the value `""`. Bottom ids default to all labels joined the same way.
    /// O(bottomCount × Σ|attributes| + rows log rows).
    public init(labels: [[HierarchyAttribute: String]], levels: [HierarchyLevel], bottomIDs: [String]? = nil) throws(ForecastError) {
        if let bottomIDs, bottomIDs.count != labels.count {
            throw .invalidInput("hierarchy: \(bottomIDs.count) ids for \(labels.count) series")
        }
        func key(_ l: [HierarchyAttribute: String], _ attributes: [HierarchyAttribute]) -> String {
            attributes.isEmpty ? "total" : attributes.map { "\($0.rawValue)=\(l[$0] ?? "")" }.joined(separator: "/")
        }
        var aggregates: [AggregateLevel] = []
        for level in levels {
            var groups: [String: [Int]] = [:]
            for (j, l) in labels.enumerated() { groups[key(l, level.attributes), default: []].append(j) }
            let ids = groups.keys.sorted()
            aggregates.append(AggregateLevel(name: level.name, rowIDs: ids, members: ids.map { groups[$0]! }))
        }
        let ids = bottomIDs ?? labels.map { key($0, $0.keys.sorted()) }
        try self.init(bottomIDs: ids, levels: aggregates)
    }
}
