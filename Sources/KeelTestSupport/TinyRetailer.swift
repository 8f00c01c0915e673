import KeelStore

/// A hand-made retailer small enough to check every figure by hand: 2 suppliers, 3 items,
/// 1 DC + 2 stores, 2 zones, a week of sales with one promotion and one stockout.
///
/// Hand-computed facts the tests rely on (see the CSV texts below):
/// - store S1, SKU A, channel store: units 2026-03-02 = 3 (2 + 1), 03-03 = 0, 03-04 = 1 (promo, price 8),
///   average price on 03-02 = (2×10 + 1×10 − 1) / 3 = 29/3;
/// - S1/A snapshots: 03-01 on_hand 5; 03-03 on_hand 0 (stockout from 03-03); 03-04 on_hand 4 → 03-03 is
///   the only stockout day of that series;
/// - web SKU B fulfilled by DC1 on 03-02 (2 units) and 03-05 (1 unit).
public enum TinyRetailer {
    public static let files: [String: String] = [
        "suppliers.csv": """
            supplier_id,name,lead_time_days,lead_time_sd_days,order_cost,min_order_value
            SUP1,Acme,7,1.5,50,200
            SUP2,Bolt,14,,,
            """,
        "items.csv": """
            sku,name,category,department,unit_cost,unit_price,case_pack,min_order_qty,supplier_id,weight_kg,shelf_life_days
            A,"Tee, white",Apparel,Tops,4,10,6,12,SUP1,0.2,
            B,Mug,Home,Kitchen,3,9,12,,SUP2,0.4,
            C,Lotion,Beauty,Skin,5,15,,,SUP1,0.3,365
            """,
        "locations.csv": """
            location_id,name,type,region,latitude,longitude,ship_capacity_units_per_day,pick_cost_per_unit,can_ship_to_customer,can_pickup
            DC1,Central DC,dc,Central,41.88,-87.63,5000,0.5,,
            S1,Store One,store,North,42.00,-87.70,100,1.2,true,
            S2,Store Two,store,South,41.70,-87.60,,1.0,,
            """,
        "zones.csv": """
            zone,latitude,longitude
            Z1,41.9,-87.6
            Z2,40.0,-88.0
            """,
        "shipping_rates.csv": """
            from_location_id,to_zone,service,cost_per_shipment,cost_per_kg,transit_days
            DC1,Z1,standard,5.5,0.4,2
            DC1,Z1,express,12,0.6,1
            S1,Z1,standard,7,,1
            """,
        "transfer_lanes.csv": """
            from_location_id,to_location_id,cost_per_unit,cost_per_shipment,transit_days
            DC1,S1,0.3,20,1
            DC1,S2,0.35,20,2
            """,
        "promotions.csv": """
            promo_id,sku,channel,location_id,start_date,end_date,promo_price,discount_pct
            P1,A,store,,2026-03-04,2026-03-06,8,
            """,
        "prices.csv": """
            sku,channel,location_id,price,start_date,end_date
            A,store,,10,2026-01-01,
            A,web,,10,2026-01-01,
            B,web,,9,2026-01-01,
            """,
        "inventory.csv": """
            location_id,sku,on_hand,in_transit,reserved,damaged,as_of
            S1,A,5,0,0,0,2026-03-01
            S1,A,0,0,0,0,2026-03-03
            S1,A,4,0,0,0,2026-03-04
            DC1,B,100,20,5,2,2026-03-05
            S2,C,3,0,1,0,2026-03-05
            """,
        "sales.csv": """
            transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
            T1,1,2026-03-02T10:00:00Z,store,S1,A,2,10,1,,C1,card,,K1
            T2,1,2026-03-02T11:00:00-05:00,store,S1,A,1,10,0,,,cash,,K1
            T3,1,2026-03-02T12:00:00Z,web,DC1,B,2,9,,,C2,card,O1,
            T4,1,2026-03-04T09:30:00Z,store,S1,A,1,8,,P1,C1,card,,K2
            T5,1,2026-03-05T23:30:00Z,web,DC1,B,1,9,,,C3,card,O2,
            T5,2,2026-03-05T23:30:00Z,web,S2,C,1,15,,,C3,card,O2,
            """,
        "returns.csv": """
            return_id,timestamp,original_transaction_id,sku,qty,refund_amount,channel,location_id,reason_code,disposition,tender,cashier_id,customer_id
            R1,2026-03-05T10:00:00Z,T1,A,1,9.5,store,S1,size,restock,card,K1,C1
            """,
        "settlements.csv": """
            settlement_id,transaction_id,processor,amount,fee,settled_at
            ST1,T1,acquirer_a,18.42,0.58,2026-03-03
            """,
        "purchase_orders.csv": """
            po_id,supplier_id,location_id,sku,qty,ordered_at,expected_at,received_at,received_qty
            PO1,SUP1,DC1,A,120,2026-02-01,2026-02-08,2026-02-09,118
            PO2,SUP2,DC1,B,240,2026-03-01,2026-03-15,,
            """,
        "transfers.csv": """
            transfer_id,from_location_id,to_location_id,sku,qty,shipped_at,received_at
            TR1,DC1,S1,A,12,2026-03-03,2026-03-04
            TR2,DC1,S2,C,6,2026-03-05,
            """,
        "orders.csv": """
            order_id,line,created_at,channel,sku,qty,ship_to_zone,service,promise_date,pickup_location_id,status,location_id
            O9,1,2026-03-05T08:00:00Z,web,B,1,Z1,standard,2026-03-08,,open,
            O9,2,2026-03-05T08:00:00Z,web,A,2,Z1,standard,2026-03-08,,,
            O10,1,2026-03-05T09:00:00Z,app,A,1,Z2,pickup,2026-03-06,S1,open,
            """,
    ]

    /// Writes every file into `dir` and returns the folder.
    @discardableResult
    public static func write(to dir: TemporaryDirectory, except: Set<String> = []) -> String {
        for (name, text) in files where !except.contains(name) { dir.write(name, text + "\n") }
        return dir.path
    }
}

/// The tiny retailer imported into a database inside its own temporary folder. The value owns
/// the folder, so the database file lives exactly as long as the value.
public struct ImportedTinyRetailer {
    public let folder: TemporaryDirectory
    public let database: KeelDatabase
    public var path: String { folder.path }
    public func file(_ name: String) -> String { folder.file(name) }
}

extension TinyRetailer {
    /// A fresh database in a new temporary folder with the whole tiny retailer imported.
    public static func importedDatabase() throws -> ImportedTinyRetailer {
        let dir = TemporaryDirectory()
        write(to: dir)
        let db = try KeelDatabase(path: dir.file("keel.sqlite"))
        try db.importFiles([dir.path])
        return ImportedTinyRetailer(folder: dir, database: db)
    }
}
