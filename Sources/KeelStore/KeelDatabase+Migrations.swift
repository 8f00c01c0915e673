import GRDB

extension KeelDatabase {
    /// The append-only list of named migrations. Never edit a shipped migration; add a new one.
    ///
    /// Design: text ids from the contract (sku, location_id, …) are interned to integer keys in
    /// the master tables; transaction tables store the keys (compact rows, fast joins). Dates are
    /// INTEGER days since 1970-01-01 (`Day.rawValue`), instants INTEGER seconds since the epoch.
    /// The `v_*` views give people readable dates and ids.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-master-data") { db in
            try db.execute(sql: """
                CREATE TABLE suppliers(
                  supplier_key INTEGER PRIMARY KEY,
                  supplier_id TEXT NOT NULL UNIQUE,
                  name TEXT,
                  lead_time_days REAL NOT NULL CHECK (lead_time_days >= 0),
                  lead_time_sd_days REAL NOT NULL DEFAULT 0 CHECK (lead_time_sd_days >= 0),
                  order_cost REAL NOT NULL DEFAULT 0 CHECK (order_cost >= 0),
                  min_order_value REAL NOT NULL DEFAULT 0 CHECK (min_order_value >= 0));
                CREATE TABLE items(
                  item_key INTEGER PRIMARY KEY,
                  sku TEXT NOT NULL UNIQUE,
                  name TEXT,
                  category TEXT NOT NULL,
                  department TEXT NOT NULL,
                  unit_cost REAL NOT NULL CHECK (unit_cost >= 0),
                  unit_price REAL NOT NULL CHECK (unit_price >= 0),
                  case_pack REAL NOT NULL DEFAULT 1 CHECK (case_pack > 0),
                  min_order_qty REAL NOT NULL DEFAULT 0 CHECK (min_order_qty >= 0),
                  supplier_key INTEGER REFERENCES suppliers(supplier_key),
                  weight_kg REAL CHECK (weight_kg >= 0),
                  shelf_life_days INTEGER CHECK (shelf_life_days > 0));
                CREATE INDEX items_by_hierarchy ON items(category, department);
                CREATE INDEX items_by_supplier ON items(supplier_key);
                CREATE TABLE locations(
                  location_key INTEGER PRIMARY KEY,
                  location_id TEXT NOT NULL UNIQUE,
                  name TEXT,
                  type TEXT NOT NULL CHECK (type IN ('dc','store','dropship','3pl')),
                  region TEXT,
                  latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                  longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                  ship_capacity_units_per_day REAL CHECK (ship_capacity_units_per_day >= 0),
                  pick_cost_per_unit REAL NOT NULL DEFAULT 0 CHECK (pick_cost_per_unit >= 0),
                  can_ship_to_customer INTEGER NOT NULL,
                  can_pickup INTEGER NOT NULL);
                CREATE TABLE zones(
                  zone_key INTEGER PRIMARY KEY,
                  zone TEXT NOT NULL UNIQUE,
                  latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                  longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180));
                CREATE TABLE shipping_rates(
                  from_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  zone_key INTEGER NOT NULL REFERENCES zones(zone_key),
                  service TEXT NOT NULL CHECK (service IN ('standard','express','same_day')),
                  cost_per_shipment REAL NOT NULL CHECK (cost_per_shipment >= 0),
                  cost_per_kg REAL NOT NULL DEFAULT 0 CHECK (cost_per_kg >= 0),
                  transit_days INTEGER NOT NULL CHECK (transit_days >= 0),
                  PRIMARY KEY (from_location_key, zone_key, service)) WITHOUT ROWID;
                CREATE INDEX shipping_rates_by_zone ON shipping_rates(zone_key, service);
                CREATE TABLE transfer_lanes(
                  from_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  to_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  cost_per_unit REAL NOT NULL CHECK (cost_per_unit >= 0),
                  cost_per_shipment REAL NOT NULL DEFAULT 0 CHECK (cost_per_shipment >= 0),
                  transit_days INTEGER NOT NULL CHECK (transit_days >= 0),
                  CHECK (from_location_key <> to_location_key),
                  PRIMARY KEY (from_location_key, to_location_key)) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v1-transactions") { db in
            try db.execute(sql: """
                CREATE TABLE promotions(
                  promotion_key INTEGER PRIMARY KEY,
                  promo_id TEXT NOT NULL,
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  channel TEXT,
                  location_key INTEGER REFERENCES locations(location_key),
                  start_day INTEGER NOT NULL,
                  end_day INTEGER NOT NULL,
                  promo_price REAL CHECK (promo_price >= 0),
                  discount_pct REAL CHECK (discount_pct >= 0 AND discount_pct <= 1),
                  CHECK ((promo_price IS NULL) <> (discount_pct IS NULL)),
                  CHECK (end_day >= start_day));
                CREATE UNIQUE INDEX promotions_key
                  ON promotions(promo_id, item_key, IFNULL(channel, ''), IFNULL(location_key, 0));
                CREATE INDEX promotions_by_item ON promotions(item_key, start_day);
                CREATE TABLE prices(
                  price_key INTEGER PRIMARY KEY,
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  channel TEXT NOT NULL,
                  location_key INTEGER REFERENCES locations(location_key),
                  price REAL NOT NULL CHECK (price >= 0),
                  start_day INTEGER NOT NULL,
                  end_day INTEGER,
                  CHECK (end_day IS NULL OR end_day >= start_day));
                CREATE UNIQUE INDEX prices_key ON prices(item_key, channel, IFNULL(location_key, 0), start_day);
                -- Keyed by the contract's key, stored once (WITHOUT ROWID): an insert is one B-tree
                -- descent instead of a table insert plus a unique-index insert.
                CREATE TABLE sales(
                  transaction_id TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  ts INTEGER NOT NULL,
                  day INTEGER NOT NULL,
                  channel TEXT NOT NULL,
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL CHECK (qty >= 0),
                  unit_price REAL NOT NULL CHECK (unit_price >= 0),
                  discount REAL NOT NULL DEFAULT 0,
                  promo_id TEXT,
                  customer_id TEXT,
                  tender TEXT,
                  order_id TEXT,
                  cashier_id TEXT,
                  PRIMARY KEY (transaction_id, line)) WITHOUT ROWID;
                CREATE TABLE returns(
                  return_id TEXT NOT NULL PRIMARY KEY,
                  ts INTEGER NOT NULL,
                  day INTEGER NOT NULL,
                  original_transaction_id TEXT,
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL CHECK (qty >= 0),
                  refund_amount REAL NOT NULL CHECK (refund_amount >= 0),
                  channel TEXT NOT NULL,
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  reason_code TEXT,
                  disposition TEXT,
                  tender TEXT,
                  cashier_id TEXT,
                  customer_id TEXT) WITHOUT ROWID;
                CREATE INDEX returns_by_original ON returns(original_transaction_id);
                CREATE INDEX returns_by_day ON returns(day);
                CREATE TABLE settlements(
                  settlement_id TEXT NOT NULL PRIMARY KEY,
                  transaction_id TEXT NOT NULL,
                  processor TEXT NOT NULL,
                  amount REAL NOT NULL,
                  fee REAL NOT NULL DEFAULT 0,
                  settled_ts INTEGER NOT NULL,
                  settled_day INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX settlements_by_transaction ON settlements(transaction_id);
                CREATE TABLE purchase_orders(
                  po_id TEXT NOT NULL,
                  supplier_key INTEGER NOT NULL REFERENCES suppliers(supplier_key),
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL CHECK (qty >= 0),
                  ordered_day INTEGER NOT NULL,
                  expected_day INTEGER,
                  received_day INTEGER,
                  received_qty REAL CHECK (received_qty >= 0),
                  PRIMARY KEY (po_id, item_key));
                CREATE INDEX purchase_orders_by_pair ON purchase_orders(location_key, item_key);
                CREATE INDEX purchase_orders_by_supplier ON purchase_orders(supplier_key, received_day);
                CREATE TABLE transfers(
                  transfer_id TEXT NOT NULL,
                  from_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  to_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL CHECK (qty >= 0),
                  shipped_day INTEGER NOT NULL,
                  received_day INTEGER,
                  PRIMARY KEY (transfer_id, item_key));
                CREATE INDEX transfers_by_destination ON transfers(to_location_key, item_key);
                CREATE TABLE orders(
                  order_id TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  created_ts INTEGER NOT NULL,
                  created_day INTEGER NOT NULL,
                  channel TEXT NOT NULL,
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL CHECK (qty > 0),
                  zone_key INTEGER NOT NULL REFERENCES zones(zone_key),
                  service TEXT NOT NULL,
                  promise_day INTEGER,
                  pickup_location_key INTEGER REFERENCES locations(location_key),
                  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','released','cancelled')),
                  location_key INTEGER REFERENCES locations(location_key),
                  PRIMARY KEY (order_id, line));
                CREATE INDEX orders_by_status ON orders(status, created_day);
                """)
        }
        m.registerMigration("v1-inventory") { db in
            try db.execute(sql: """
                CREATE TABLE inventory_snapshots(
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  as_of INTEGER NOT NULL,
                  on_hand REAL NOT NULL CHECK (on_hand >= 0),
                  in_transit REAL NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
                  reserved REAL NOT NULL DEFAULT 0 CHECK (reserved >= 0),
                  damaged REAL NOT NULL DEFAULT 0 CHECK (damaged >= 0),
                  PRIMARY KEY (location_key, item_key, as_of)) WITHOUT ROWID;
                -- The current position per (location, sku): the latest snapshot, adjusted by sales
                -- and returns dated after it (see InventoryPositions.swift).
                CREATE TABLE inventory_positions(
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  on_hand REAL NOT NULL,
                  in_transit REAL NOT NULL DEFAULT 0,
                  reserved REAL NOT NULL DEFAULT 0,
                  damaged REAL NOT NULL DEFAULT 0,
                  as_of INTEGER NOT NULL,
                  PRIMARY KEY (location_key, item_key)) WITHOUT ROWID;
                CREATE INDEX inventory_positions_by_item ON inventory_positions(item_key);
                """)
        }
        m.registerMigration("v1-demand-history") { db in
            try db.execute(sql: """
                -- One row per (channel, location, sku) series; the days are packed little-endian
                -- arrays covering start_day … start_day + day_count - 1 (see DemandHistory.swift).
                CREATE TABLE demand_series(
                  series_id INTEGER PRIMARY KEY,
                  channel TEXT NOT NULL,
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  start_day INTEGER NOT NULL,
                  day_count INTEGER NOT NULL CHECK (day_count > 0),
                  units BLOB NOT NULL,
                  price BLOB NOT NULL,
                  flags BLOB NOT NULL,
                  UNIQUE (channel, location_key, item_key));
                CREATE TABLE keel_meta(key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v1-runs-and-write-back") { db in
            try db.execute(sql: """
                CREATE TABLE runs(
                  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
                  kind TEXT NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('running','succeeded','failed')),
                  started_at TEXT NOT NULL,
                  finished_at TEXT,
                  as_of INTEGER,
                  parameters TEXT NOT NULL DEFAULT '{}',
                  timings TEXT,
                  rows_written INTEGER,
                  error TEXT);
                CREATE INDEX runs_by_kind ON runs(kind, status, run_id);
                CREATE TABLE forecast_levels(
                  run_id INTEGER NOT NULL REFERENCES runs(run_id),
                  position INTEGER NOT NULL,
                  level REAL NOT NULL,
                  PRIMARY KEY (run_id, position)) WITHOUT ROWID;
                CREATE TABLE forecasts(
                  run_id INTEGER NOT NULL REFERENCES runs(run_id),
                  unique_id TEXT,
                  channel TEXT,
                  location_key INTEGER REFERENCES locations(location_key),
                  item_key INTEGER REFERENCES items(item_key),
                  day INTEGER NOT NULL,
                  yhat REAL NOT NULL,
                  quantiles BLOB,
                  model TEXT NOT NULL);
                CREATE INDEX forecasts_by_run ON forecasts(run_id, location_key, item_key, day);
                CREATE TABLE replenishment_plans(
                  run_id INTEGER NOT NULL REFERENCES runs(run_id),
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  supplier_key INTEGER REFERENCES suppliers(supplier_key),
                  order_qty REAL NOT NULL,
                  order_day INTEGER NOT NULL,
                  expected_arrival_day INTEGER,
                  reorder_point REAL,
                  order_up_to REAL,
                  safety_stock REAL,
                  service_level_target REAL,
                  projected_fill_rate REAL,
                  reason TEXT NOT NULL);
                CREATE INDEX replenishment_by_run ON replenishment_plans(run_id);
                CREATE TABLE transfer_plans(
                  run_id INTEGER NOT NULL REFERENCES runs(run_id),
                  from_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  to_location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL,
                  ship_day INTEGER NOT NULL,
                  expected_arrival_day INTEGER,
                  reason TEXT NOT NULL,
                  expected_benefit REAL);
                CREATE INDEX transfer_plans_by_run ON transfer_plans(run_id);
                CREATE TABLE sourcing_plans(
                  run_id INTEGER NOT NULL REFERENCES runs(run_id),
                  order_id TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  location_key INTEGER REFERENCES locations(location_key),
                  qty REAL NOT NULL,
                  shipment_id TEXT,
                  service TEXT,
                  ship_cost REAL,
                  handling_cost REAL,
                  aging_credit REAL,
                  expected_delivery_day INTEGER,
                  promise_met INTEGER,
                  reason TEXT NOT NULL);
                CREATE INDEX sourcing_plans_by_run ON sourcing_plans(run_id, order_id, line);
                CREATE TABLE anomalies(
                  anomaly_id INTEGER PRIMARY KEY,
                  run_id INTEGER NOT NULL REFERENCES runs(run_id),
                  kind TEXT NOT NULL,
                  severity TEXT NOT NULL CHECK (severity IN ('low','medium','high')),
                  score REAL NOT NULL,
                  amount_at_risk REAL NOT NULL,
                  transaction_id TEXT,
                  return_id TEXT,
                  settlement_id TEXT,
                  location_key INTEGER REFERENCES locations(location_key),
                  item_key INTEGER REFERENCES items(item_key),
                  channel TEXT,
                  category TEXT,
                  cashier_id TEXT,
                  customer_id TEXT,
                  day INTEGER,
                  explanation TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','acknowledged','resolved')),
                  status_note TEXT,
                  status_changed_at TEXT,
                  fingerprint TEXT NOT NULL UNIQUE);
                CREATE INDEX anomalies_by_run ON anomalies(run_id);
                CREATE INDEX anomalies_by_status ON anomalies(status, kind);
                """)
        }
        m.registerMigration("v1-views") { db in
            try db.execute(sql: """
                CREATE VIEW v_available_to_sell AS
                  SELECT l.location_id, l.type AS location_type, i.sku, p.on_hand, p.reserved, p.damaged,
                         p.in_transit, p.on_hand - p.reserved - p.damaged AS available_to_sell,
                         date(p.as_of * 86400, 'unixepoch') AS as_of
                  FROM inventory_positions p
                  JOIN locations l USING (location_key) JOIN items i USING (item_key);
                CREATE VIEW v_inbound_supply AS
                  SELECT 'transfer' AS source, t.transfer_id AS reference, l.location_id, i.sku,
                         t.qty AS qty, date((t.shipped_day + IFNULL(ln.transit_days, 0)) * 86400, 'unixepoch') AS expected_arrival
                  FROM transfers t JOIN locations l ON l.location_key = t.to_location_key
                  JOIN items i ON i.item_key = t.item_key
                  LEFT JOIN transfer_lanes ln ON ln.from_location_key = t.from_location_key AND ln.to_location_key = t.to_location_key
                  WHERE t.received_day IS NULL
                  UNION ALL
                  SELECT 'purchase_order', po.po_id, l.location_id, i.sku, po.qty - IFNULL(po.received_qty, 0),
                         date(IFNULL(po.expected_day, po.ordered_day + CAST(ROUND(s.lead_time_days) AS INTEGER)) * 86400, 'unixepoch')
                  FROM purchase_orders po JOIN locations l ON l.location_key = po.location_key
                  JOIN items i ON i.item_key = po.item_key JOIN suppliers s ON s.supplier_key = po.supplier_key
                  WHERE po.received_day IS NULL;
                CREATE VIEW v_sales AS
                  SELECT s.transaction_id, s.line, datetime(s.ts, 'unixepoch') AS timestamp_utc,
                         date(s.day * 86400, 'unixepoch') AS date, s.channel, l.location_id, i.sku, s.qty,
                         s.unit_price, s.discount, s.qty * s.unit_price - s.discount AS net_amount, s.promo_id,
                         s.customer_id, s.tender, s.order_id, s.cashier_id
                  FROM sales s JOIN locations l USING (location_key) JOIN items i USING (item_key);
                """)
        }
        m.registerMigration("v2-run-notes") { db in
            // What a run wants a person to know beyond its status: fallbacks, skipped series.
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN notes TEXT")
        }
        m.registerMigration("v3-reservations") { db in
            // Order-router reservations: units moved to inventory_positions.reserved per order line
            // and node; idempotency keys remember the first answer to a mutating request.
            try db.execute(sql: """
                CREATE TABLE reservations(
                  order_id TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  item_key INTEGER NOT NULL REFERENCES items(item_key),
                  qty REAL NOT NULL CHECK (qty > 0),
                  shipment_id TEXT NOT NULL,
                  service TEXT NOT NULL,
                  created_at TEXT NOT NULL,
                  PRIMARY KEY (order_id, line, location_key)) WITHOUT ROWID;
                CREATE INDEX reservations_by_location ON reservations(location_key, item_key);
                CREATE TABLE order_rejections(
                  order_id TEXT NOT NULL,
                  location_key INTEGER NOT NULL REFERENCES locations(location_key),
                  reason TEXT NOT NULL,
                  created_at TEXT NOT NULL,
                  PRIMARY KEY (order_id, location_key)) WITHOUT ROWID;
                CREATE TABLE router_orders(
                  order_id TEXT NOT NULL PRIMARY KEY,
                  request TEXT NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('reserved','cancelled')),
                  updated_at TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE idempotency_keys(
                  idempotency_key TEXT NOT NULL PRIMARY KEY,
                  operation TEXT NOT NULL,
                  order_id TEXT NOT NULL,
                  response TEXT NOT NULL,
                  created_at TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v4-api-keys") { db in
            // HTTP API keys: only the SHA-256 of the key is stored (hex); a revoked key keeps its row.
            try db.execute(sql: """
                CREATE TABLE api_keys(
                  key_id INTEGER PRIMARY KEY AUTOINCREMENT,
                  role TEXT NOT NULL CHECK (role IN ('router','planner','finance','admin')),
                  hash TEXT NOT NULL UNIQUE,
                  created_at TEXT NOT NULL,
                  revoked_at TEXT);
                """)
        }
        m.registerMigration("v5-available-by-item") { db in
            // The order router reads available-to-sell by item on every request: an index that
            // holds the stock columns answers it without one table lookup per node.
            try db.execute(sql: """
                CREATE INDEX inventory_positions_available_by_item
                  ON inventory_positions(item_key, location_key, on_hand, reserved, damaged);
                DROP INDEX inventory_positions_by_item;
                """)
        }
        m.registerMigration("v6-reservation-ship-day") { db in
            // The as-of day a reserved line ships on: only that day's reservations use that day's
            // capacity (before, every active reservation counted against every day).
            try db.execute(sql: """
                ALTER TABLE reservations ADD COLUMN ship_day INTEGER;
                CREATE INDEX reservations_by_ship_day ON reservations(ship_day, location_key, qty);
                """)
        }
        return m
    }
}
