import KeelCore

extension Simulation {
    func writeSnapshot(_ p: Int, day d: Int, reserved: Int32? = nil, damagedOverride: Int32? = nil) {
        let loc = p / skuCount, k = p % skuCount
        let on = onHand[p]
        var res: Int32 = 0
        if let reserved { res = reserved } else if on >= 4 && opsRng.chance(loc < storeCount ? 0.1 : 0.5) { res = 1 + Int32(opsRng.int(Int(on) / 4)) }
        let dam = damagedOverride ?? min(damaged[p], max(0, on - res))
        inventory.field(locationIDs[loc]); inventory.field(skuIDs[k]); inventory.field(Int(on))
        inventory.field(Int(max(0, inTransit[p]))); inventory.field(Int(res)); inventory.field(Int(dam))
        inventory.field(config.startDate.adding(d))
        inventory.endRow()
        lastSnap[p] = Int32(d)
        lastSnapAvailable[p] = on - res - dam
    }

    /// End-of-day snapshots: injected inventory mismatches, change points (stock hits zero or is
    /// restocked), shrink follow-ups, and on the last day every pair.
    func snapshots(_ d: Int) {
        let date = config.startDate.adding(d)
        for p in shrinkFollowUps where lastSnap[p] != Int32(d) {
            writeSnapshot(p, day: d)
            plan.record(TruthRow(kind: .inventoryMismatch, location: locationIDs[p / skuCount], sku: skuIDs[p % skuCount], date: date))
        }
        shrinkFollowUps.removeAll()
        for s in 0..<storeCount where plan.due(.inventoryMismatch, location: s, day: d) && d < days - 1 {
            let variant = anomalyVariant(s, d)
            guard variant != 1 else { continue }
            let start = opsRng.int(skuCount)
            for j in 0..<skuCount {
                let k = (start + j) % skuCount
                let p = s * skuCount + k
                guard !net.items[k].dropship, lastSnap[p] != Int32(d), onHand[p] >= (variant == 0 ? 2 : 8), !inDrop(p, day: d) else { continue }
                plan.consume(.inventoryMismatch, location: s)
                if variant == 0 {
                    // Negative available stock: reserved + damaged exceed on hand.
                    writeSnapshot(p, day: d, reserved: onHand[p], damagedOverride: 1 + Int32(opsRng.int(3)))
                    plan.record(TruthRow(kind: .inventoryMismatch, location: locationIDs[s], sku: skuIDs[k], date: date))
                } else {
                    // Unexplained shrink overnight: counted today, missing in tomorrow's snapshot.
                    writeSnapshot(p, day: d)
                    onHand[p] -= max(4, Int32(Double(onHand[p]) * opsRng.uniform(0.5, 0.85)))
                    onHand[p] = max(0, onHand[p])
                    shrinkFollowUps.append(p)
                }
                break
            }
        }
        let last = d == days - 1
        for p in 0..<(stocked * skuCount) {
            let zero = onHand[p] == 0
            if last {
                if !net.items[p % skuCount].dropship && lastSnap[p] != Int32(d) { writeSnapshot(p, day: d) }
            } else if zero != wasZero[p] && lastSnap[p] != Int32(d) {
                writeSnapshot(p, day: d)
            }
            wasZero[p] = zero
        }
    }
}
