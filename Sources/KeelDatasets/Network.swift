import Foundation
import KeelCore

/// The retailer's master data: regions, locations, delivery zones, suppliers and items.
///
/// Location indices: stores `0..<stores`, then the DCs, then the drop-ship node, then the 3PL.
struct Network {
    var regions: [String]
    var locations: [Location]
    var zones: [Zone]
    var suppliers: [Supplier]
    var items: [Item]
    var storeCount: Int
    var dcCount: Int
    var dropshipLocation: Int { storeCount + dcCount }
    var tplLocation: Int { storeCount + dcCount + 1 }
    var dcRange: Range<Int> { storeCount..<(storeCount + dcCount) }

    static let cities: [[(String, Double, Double)]] = [
        [("New York", 40.71, -74.01), ("Boston", 42.36, -71.06), ("Philadelphia", 39.95, -75.17), ("Hartford", 41.76, -72.68), ("Providence", 41.82, -71.41)],
        [("Atlanta", 33.75, -84.39), ("Miami", 25.76, -80.19), ("Charlotte", 35.23, -80.84), ("Orlando", 28.54, -81.38), ("Nashville", 36.16, -86.78)],
        [("Chicago", 41.88, -87.63), ("Detroit", 42.33, -83.05), ("Minneapolis", 44.98, -93.27), ("Columbus", 39.96, -83.00), ("St. Louis", 38.63, -90.20)],
        [("Dallas", 32.78, -96.80), ("Houston", 29.76, -95.37), ("Phoenix", 33.45, -112.07), ("Austin", 30.27, -97.74), ("Denver", 39.74, -104.99)],
        [("Los Angeles", 34.05, -118.24), ("San Francisco", 37.77, -122.42), ("Seattle", 47.61, -122.33), ("Portland", 45.52, -122.68), ("San Diego", 32.72, -117.16)],
    ]
    static let regionNames = ["Northeast", "Southeast", "Midwest", "Southwest", "West"]
    static let dcSites: [(String, Double, Double, Int)] = [
        ("Columbus", 39.89, -82.88, 2), ("Reno", 39.53, -119.81, 4), ("Atlanta", 33.64, -84.43, 1),
        ("Dallas", 32.90, -97.04, 3), ("Harrisburg", 40.27, -76.88, 0),
    ]
    static let extraZones: [(Double, Double)] = [
        (36.17, -115.14), (40.76, -111.89), (39.10, -94.58), (29.95, -90.07), (40.44, -79.99),
        (35.47, -97.52), (43.04, -87.91), (38.25, -85.76), (35.78, -78.64), (32.22, -110.97),
    ]

    static func build(_ config: RetailerConfiguration) -> Network {
        var rng = SeededRandom(seed: config.seed, stream: 1)
        var locations: [Location] = []
        // Stores, round-robin over the regions; later stores in a city are suburbs (jittered).
        for s in 0..<config.stores {
            let region = s % 5
            let slot = (s / 5) % 5
            let round = s / 25
            let city = cities[region][slot]
            let jitter = round == 0 ? 0.0 : 0.15
            let lat = city.1 + rng.uniform(-jitter, jitter), lon = city.2 + rng.uniform(-jitter, jitter)
            let shipFromStore = config.shipFromEveryStore || s % 3 == 1
            let size = rng.logUniform(0.6, 1.6)
            locations.append(Location(
                id: makeID("STR", s + 1, width: 3), name: "Keel \(city.0)" + (round == 0 ? "" : " \(round + 1)"),
                type: .store, region: region, latitude: lat, longitude: lon,
                shipCapacity: shipFromStore ? 50 + rng.int(26) * 10 : nil, pickCost: round2(rng.uniform(0.9, 1.6)),
                shipsToCustomer: shipFromStore, canPickup: true, size: size, servingDC: 0))
        }
        // Normalise store sizes to mean 1.
        let meanSize = locations.reduce(0) { $0 + $1.size } / Double(config.stores)
        for s in 0..<config.stores { locations[s].size /= meanSize }
        for d in 0..<config.dcs {
            let site = dcSites[d % dcSites.count]
            let extra = d / dcSites.count
            locations.append(Location(
                id: makeID("DC", d + 1, width: 2), name: "\(site.0) Distribution Center" + (extra == 0 ? "" : " \(extra + 1)"),
                type: .dc, region: site.3, latitude: site.1 + Double(extra) * 0.1, longitude: site.2 + Double(extra) * 0.1,
                shipCapacity: (4 + rng.int(9)) * 1000, pickCost: round2(rng.uniform(0.35, 0.6)),
                shipsToCustomer: true, canPickup: false, size: 1, servingDC: config.stores + d))
        }
        locations.append(Location(
            id: "DSHIP01", name: "Drop-ship Vendor Network", type: .dropship, region: -1, latitude: 35.15, longitude: -90.05,
            shipCapacity: 2000, pickCost: 0, shipsToCustomer: true, canPickup: false, size: 1, servingDC: -1))
        locations.append(Location(
            id: "3PL01", name: "Overflow 3PL Indianapolis", type: .thirdPartyLogistics, region: 2, latitude: 39.77, longitude: -86.16,
            shipCapacity: 1500, pickCost: 0.75, shipsToCustomer: true, canPickup: false, size: 1, servingDC: -1))
        // Each store is served by its nearest DC.
        for s in 0..<config.stores {
            var best = config.stores, bestD = Double.infinity
            for d in config.stores..<(config.stores + config.dcs) {
                let km = distanceKm(locations[s].latitude, locations[s].longitude, locations[d].latitude, locations[d].longitude)
                if km < bestD { bestD = km; best = d }
            }
            locations[s].servingDC = best
        }

        var zones: [Zone] = []
        for region in cities { for c in region { zones.append(Zone(id: "", latitude: c.1, longitude: c.2)) } }
        for z in extraZones { zones.append(Zone(id: "", latitude: z.0, longitude: z.1)) }
        for i in zones.indices { zones[i].id = makeID("Z", i + 1, width: 2) }

        // Suppliers: the last one is the drop-ship vendor.
        let supplierCount = min(15, max(6, 5 + config.skus / 150))
        var suppliers: [Supplier] = []
        let supplierNames = ["Atlas Apparel", "Blue Harbor Textiles", "Cedar Footwear", "Delta Home", "Evergreen Beauty",
                             "Fairway Toys", "Granite Leather", "Horizon Knits", "Ivy Accessories", "Juniper Kids",
                             "Keystone Kitchen", "Lumen Cosmetics", "Maple Outdoor", "Northwind Garments"]
        for i in 0..<(supplierCount - 1) {
            let lead = 3 + rng.int(28)
            suppliers.append(Supplier(
                id: makeID("SUP", i + 1, width: 2), name: supplierNames[i % supplierNames.count],
                leadTime: lead, leadTimeSD: round2(max(0.5, Double(lead) * rng.uniform(0.1, 0.25))),
                orderCost: Double(50 + rng.int(36) * 10), minOrderValue: Double(250 + rng.int(48) * 100), dropship: false))
        }
        suppliers.append(Supplier(
            id: makeID("SUP", supplierCount, width: 2), name: "Direct Home Goods (drop-ship)", leadTime: 3, leadTimeSD: 1,
            orderCost: 0, minOrderValue: 0, dropship: true))

        // Items.
        let shares = Assortment.categories.map(\.share)
        var deptsOf: [[Int]] = Array(repeating: [], count: Assortment.categories.count)
        for (i, d) in Assortment.departments.enumerated() { deptsOf[d.category].append(i) }
        // Each regular supplier covers two categories.
        var suppliersOf: [[Int]] = Array(repeating: [], count: Assortment.categories.count)
        for i in 0..<(supplierCount - 1) {
            suppliersOf[i % Assortment.categories.count].append(i)
            suppliersOf[(i * 3 + 1) % Assortment.categories.count].append(i)
        }
        for c in suppliersOf.indices where suppliersOf[c].isEmpty { suppliersOf[c].append(c % (supplierCount - 1)) }
        let sigma = 1.25
        var items: [Item] = []
        for k in 0..<config.skus {
            let cat = rng.weighted(shares)
            let spec = Assortment.categories[cat]
            let dept = rng.pick(deptsOf[cat])
            let price = charmPrice(rng.logUniform(spec.priceLow, spec.priceHigh))
            let markup = rng.uniform(1.8, 3.0)
            let cost = round2(price / markup)
            let casePack = rng.pick(spec.casePacks)
            let dropship = (cat == 5 || cat == 7) && rng.chance(0.25)
            let supplier = dropship ? supplierCount - 1 : rng.pick(suppliersOf[cat])
            var base = exp(sigma * rng.normal() - sigma * sigma / 2)
            if rng.chance(0.015) { base *= 8 }  // a few hero products
            base *= 1.6 / (1 + price / 60)  // cheaper items sell more units
            var launch = 0, discontinue = Int.max
            if rng.chance(0.15) { launch = 30 + rng.int(max(1, config.days - 90)) }
            if rng.chance(0.10) { discontinue = max(launch + 60, config.days / 3 + rng.int(max(1, config.days * 2 / 3))) }
            if discontinue >= config.days { discontinue = Int.max }
            let noun = Assortment.departments[dept].noun
            items.append(Item(
                id: makeID("SKU", k + 1, width: 5),
                name: "\(rng.pick(Assortment.adjectives)) \(rng.pick(Assortment.colours)) \(noun)",
                category: cat, department: dept, cost: cost, price: price, casePack: casePack,
                minOrderQty: rng.chance(0.5) ? casePack * (1 + rng.int(4)) : 0, supplier: supplier,
                weight: round2(rng.uniform(spec.weightLow, spec.weightHigh)),
                shelfLife: cat == 6 ? 365 * (1 + rng.int(3)) : nil, dropship: dropship, base: base,
                elasticity: rng.uniform(-3, -1.5), trend: rng.normal() * 0.2, launch: launch, discontinue: discontinue))
        }
        return Network(regions: regionNames, locations: locations, zones: zones, suppliers: suppliers, items: items,
                       storeCount: config.stores, dcCount: config.dcs)
    }
}
