import Foundation
import KeelCore

/// One department of the assortment: its yearly season, price band and behaviour.
struct DepartmentSpec: Sendable {
    var category: Int
    var name: String
    var noun: String
    /// Day of year of the seasonal peak and the log-amplitude of the yearly cycle (0 = flat).
    var peak: Double
    var amplitude: Double
    var fashion: Bool
}

struct CategorySpec: Sendable {
    var name: String
    var share: Double
    var priceLow: Double
    var priceHigh: Double
    var weightLow: Double
    var weightHigh: Double
    var casePacks: [Int]
    var storeReturnRate: Double
    var onlineReturnRate: Double
    var apparel: Bool
}

enum Assortment {
    static let categories: [CategorySpec] = [
        CategorySpec(name: "Womenswear", share: 0.22, priceLow: 20, priceHigh: 150, weightLow: 0.2, weightHigh: 1.5, casePacks: [6, 12], storeReturnRate: 0.08, onlineReturnRate: 0.26, apparel: true),
        CategorySpec(name: "Menswear", share: 0.15, priceLow: 20, priceHigh: 140, weightLow: 0.2, weightHigh: 1.6, casePacks: [6, 12], storeReturnRate: 0.07, onlineReturnRate: 0.22, apparel: true),
        CategorySpec(name: "Kids", share: 0.10, priceLow: 8, priceHigh: 50, weightLow: 0.1, weightHigh: 0.8, casePacks: [6, 12], storeReturnRate: 0.07, onlineReturnRate: 0.20, apparel: true),
        CategorySpec(name: "Footwear", share: 0.10, priceLow: 30, priceHigh: 160, weightLow: 0.6, weightHigh: 2.0, casePacks: [6], storeReturnRate: 0.09, onlineReturnRate: 0.28, apparel: true),
        CategorySpec(name: "Accessories", share: 0.12, priceLow: 10, priceHigh: 120, weightLow: 0.1, weightHigh: 1.0, casePacks: [12, 24], storeReturnRate: 0.05, onlineReturnRate: 0.12, apparel: false),
        CategorySpec(name: "Home", share: 0.14, priceLow: 8, priceHigh: 120, weightLow: 0.3, weightHigh: 8.0, casePacks: [1, 6], storeReturnRate: 0.04, onlineReturnRate: 0.10, apparel: false),
        CategorySpec(name: "Beauty", share: 0.09, priceLow: 6, priceHigh: 90, weightLow: 0.1, weightHigh: 0.6, casePacks: [12, 24], storeReturnRate: 0.03, onlineReturnRate: 0.06, apparel: false),
        CategorySpec(name: "Toys", share: 0.08, priceLow: 8, priceHigh: 80, weightLow: 0.2, weightHigh: 4.0, casePacks: [6, 12], storeReturnRate: 0.04, onlineReturnRate: 0.08, apparel: false),
    ]

    static let departments: [DepartmentSpec] = [
        DepartmentSpec(category: 0, name: "Outerwear", noun: "Coat", peak: 350, amplitude: 0.9, fashion: true),
        DepartmentSpec(category: 0, name: "Dresses", noun: "Dress", peak: 150, amplitude: 0.35, fashion: true),
        DepartmentSpec(category: 0, name: "Knitwear", noun: "Sweater", peak: 340, amplitude: 0.6, fashion: true),
        DepartmentSpec(category: 0, name: "Swimwear", noun: "Swimsuit", peak: 175, amplitude: 1.2, fashion: true),
        DepartmentSpec(category: 1, name: "Outerwear", noun: "Jacket", peak: 350, amplitude: 0.9, fashion: true),
        DepartmentSpec(category: 1, name: "Shirts", noun: "Shirt", peak: 110, amplitude: 0.15, fashion: true),
        DepartmentSpec(category: 1, name: "Trousers", noun: "Chino", peak: 270, amplitude: 0.15, fashion: true),
        DepartmentSpec(category: 1, name: "Swimwear", noun: "Swim Short", peak: 175, amplitude: 1.0, fashion: true),
        DepartmentSpec(category: 2, name: "Schoolwear", noun: "Uniform Set", peak: 228, amplitude: 0.8, fashion: false),
        DepartmentSpec(category: 2, name: "Babywear", noun: "Bodysuit", peak: 1, amplitude: 0, fashion: false),
        DepartmentSpec(category: 2, name: "Kidswear", noun: "Hoodie", peak: 120, amplitude: 0.2, fashion: true),
        DepartmentSpec(category: 3, name: "Boots", noun: "Boot", peak: 330, amplitude: 0.8, fashion: true),
        DepartmentSpec(category: 3, name: "Sandals", noun: "Sandal", peak: 170, amplitude: 1.0, fashion: true),
        DepartmentSpec(category: 3, name: "Sneakers", noun: "Sneaker", peak: 230, amplitude: 0.25, fashion: false),
        DepartmentSpec(category: 4, name: "Bags", noun: "Tote", peak: 1, amplitude: 0, fashion: false),
        DepartmentSpec(category: 4, name: "Hats & Scarves", noun: "Scarf", peak: 355, amplitude: 0.9, fashion: true),
        DepartmentSpec(category: 4, name: "Sunglasses", noun: "Sunglasses", peak: 170, amplitude: 0.9, fashion: true),
        DepartmentSpec(category: 5, name: "Bedding", noun: "Duvet Cover", peak: 290, amplitude: 0.2, fashion: false),
        DepartmentSpec(category: 5, name: "Kitchen", noun: "Pan", peak: 330, amplitude: 0.15, fashion: false),
        DepartmentSpec(category: 5, name: "Decor", noun: "Candle", peak: 335, amplitude: 0.45, fashion: false),
        DepartmentSpec(category: 6, name: "Skincare", noun: "Moisturiser", peak: 1, amplitude: 0.1, fashion: false),
        DepartmentSpec(category: 6, name: "Fragrance", noun: "Eau de Parfum", peak: 350, amplitude: 0.5, fashion: false),
        DepartmentSpec(category: 6, name: "Cosmetics", noun: "Lipstick", peak: 40, amplitude: 0.1, fashion: false),
        DepartmentSpec(category: 7, name: "Games", noun: "Board Game", peak: 356, amplitude: 1.0, fashion: false),
        DepartmentSpec(category: 7, name: "Outdoor Toys", noun: "Water Blaster", peak: 160, amplitude: 0.7, fashion: false),
        DepartmentSpec(category: 7, name: "Plush", noun: "Plush Bear", peak: 356, amplitude: 0.8, fashion: false),
    ]

    static let adjectives = ["Classic", "Essential", "Relaxed", "Premium", "Everyday", "Heritage", "Urban", "Coastal", "Soft", "Studio"]
    static let colours = ["Navy", "Black", "Ivory", "Olive", "Rust", "Grey", "Blush", "Denim", "Sage", "Camel"]
}

struct Item {
    var id: String
    var name: String
    var category: Int
    var department: Int
    var cost: Double
    var price: Double
    var casePack: Int
    var minOrderQty: Int
    var supplier: Int
    var weight: Double
    var shelfLife: Int?
    var dropship: Bool
    /// Mean units per store-day at an average store before calendar effects.
    var base: Double
    var elasticity: Double
    /// Log-growth per year.
    var trend: Double
    /// Day index of launch (0 = on sale from the start) and of discontinuation (`Int.max` = never).
    var launch: Int
    var discontinue: Int
}

struct Supplier {
    var id: String
    var name: String
    var leadTime: Int
    var leadTimeSD: Double
    var orderCost: Double
    var minOrderValue: Double
    var dropship: Bool
}

struct Location {
    var id: String
    var name: String
    var type: LocationType
    var region: Int
    var latitude: Double
    var longitude: Double
    var shipCapacity: Int?
    var pickCost: Double
    var shipsToCustomer: Bool
    var canPickup: Bool
    /// Relative traffic of a store (1 = average).
    var size: Double
    /// For a store, the location index of the DC that replenishes it.
    var servingDC: Int
}

struct Zone {
    var id: String
    var latitude: Double
    var longitude: Double
}

/// Great-circle distance in kilometres.
func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let r = Double.pi / 180
    let dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * 6371 * asin(min(1, a.squareRoot()))
}

/// Rounds a price to a `.99` ending (at least 0.99).
func charmPrice(_ p: Double) -> Double { max(0.99, p.rounded() - 0.01) }

func round2(_ v: Double) -> Double { (v * 100).rounded(.toNearestOrAwayFromZero) / 100 }

extension SeededRandom {
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }
    mutating func logUniform(_ a: Double, _ b: Double) -> Double { exp(uniform(log(a), log(b))) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    /// Index drawn with probability proportional to `weights`.
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return i }
        }
        return weights.count - 1
    }
}

/// Zero-padded decimal id such as `SKU00042`; ids of up to 15 bytes stay small (inline) strings.
func makeID(_ prefix: String, _ n: Int, width: Int) -> String {
    var digits = String(n)
    if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
    return prefix + digits
}
