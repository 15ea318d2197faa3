//! Word lists and the fixed catalogue the demo data draws on.

use app::catalog::{Product, Store};

/// Given names, including accented ones so search folding is exercised.
pub const FIRST_NAMES: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Sophia", "Grace", "Lily", "Freya", "Emily", "Ella",
    "Chloé", "Zoë", "Aoife", "Siobhán", "Priya", "Aisha", "Fatima", "Hannah", "Sarah", "Oliver",
    "George", "Noah", "Arthur", "Harry", "Leo", "Jack", "Oscar", "Charlie", "Muhammad", "Thomas",
    "James", "William", "Samuel", "Daniel", "Joseph", "Lucas", "Mateo", "José", "Łukasz", "Seán",
    "Rhys", "Dylan", "Kai", "Arjun", "Omar", "Ryan", "Ethan", "Stefan", "Andrés",
];

/// Family names.
pub const LAST_NAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "O'Brien",
    "Murphy",
    "Kowalski",
    "Nowak",
    "García",
    "Müller",
    "Khan",
    "Singh",
    "Ahmed",
    "Ó Súilleabháin",
];

/// Street names for addresses.
pub const STREETS: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Park Avenue",
    "Queen Street",
    "Mill Lane",
    "King's Road",
    "The Crescent",
    "Albert Street",
];

/// Email domains (reserved for documentation, so no real inbox is ever addressed).
pub const EMAIL_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

/// Tags the programme applies.
pub const TAGS: &[&str] = &[
    "coffee-lover",
    "weekend-shopper",
    "gift-buyer",
    "early-bird",
    "app-first",
];

/// Rewards that can be redeemed for 500 points.
pub const REWARDS: &[&str] = &["Free hot drink", "Free pastry", "£5 voucher", "Tote bag"];

/// Promo codes customers claim.
pub const PROMO_CODES: &[&str] = &["WELCOME10", "SPRING24", "BDAYTREAT", "FREESHIP"];

/// Campaigns customers progress in.
pub const CAMPAIGNS: &[(&str, i64)] = &[("Visit 3 times in March", 3), ("Try 5 new drinks", 5)];

/// Devices: platform, model, OS version.
pub const DEVICES: &[(&str, &str, &str)] = &[
    ("iOS", "iPhone 15", "iOS 18.1"),
    ("iOS", "iPhone 13", "iOS 17.6"),
    ("Android", "Pixel 8", "Android 15"),
    ("Android", "Galaxy S23", "Android 14"),
    ("Web", "Chrome on Windows", "Windows 11"),
];

/// Tiers and the lifetime points that enter them, lowest first.
pub const TIERS: &[(&str, i64)] = &[("Bronze", 0), ("Silver", 500), ("Gold", 2000)];

/// City-centre stores with their real coordinates.
/// The id of the demo geofence at the entrance of the store at `position` in [`stores`].
pub fn geofence_id(position: usize) -> String {
    format!("00000000-0000-4000-8000-{position:012}")
}

/// The demo geofence at the entrance of `store`.
pub fn geofence_name(store: &Store) -> String {
    format!("{} entrance", store.name)
}

/// The demo geofences: one at each store's entrance (100 m), and a pop-up that closed.
pub fn geofences(stores: &[Store]) -> Vec<(String, app::geofences::GeofenceForm)> {
    let form = |name: String, lat: f64, lon: f64, radius: i64, store: &str, active: bool| {
        app::geofences::GeofenceForm {
            name,
            latitude: lat.to_string(),
            longitude: lon.to_string(),
            radius_m: radius.to_string(),
            store_id: store.to_string(),
            active: active.then(|| "on".to_string()),
            ..Default::default()
        }
    };
    let mut fences: Vec<_> = stores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                geofence_id(i),
                form(geofence_name(s), s.latitude, s.longitude, 100, &s.id, true),
            )
        })
        .collect();
    let popup = form(
        "Summer pop-up, South Bank (closed)".into(),
        51.5055,
        -0.1160,
        250,
        "",
        false,
    );
    fences.push((geofence_id(stores.len()), popup));
    fences
}

pub fn stores() -> Vec<Store> {
    const STORES: &[(&str, &str, &str, &str, f64, f64)] = &[
        (
            "LDN-001",
            "London Oxford Street",
            "318 Oxford Street",
            "W1C 1HF",
            51.5152,
            -0.1419,
        ),
        (
            "LDN-002",
            "London King's Cross",
            "Euston Road",
            "N1C 4QP",
            51.5320,
            -0.1240,
        ),
        (
            "LDN-003",
            "London Canary Wharf",
            "Cabot Place",
            "E14 4QT",
            51.5049,
            -0.0195,
        ),
        (
            "MAN-001",
            "Manchester Market Street",
            "50 Market Street",
            "M1 1PW",
            53.4826,
            -2.2394,
        ),
        (
            "BHM-001",
            "Birmingham New Street",
            "Grand Central",
            "B2 4BF",
            52.4778,
            -1.8990,
        ),
        (
            "LDS-001",
            "Leeds Briggate",
            "112 Briggate",
            "LS1 6BR",
            53.7972,
            -1.5429,
        ),
        (
            "LIV-001",
            "Liverpool Church Street",
            "22 Church Street",
            "L1 3AY",
            53.4053,
            -2.9842,
        ),
        (
            "BRS-001",
            "Bristol Broadmead",
            "Broadmead",
            "BS1 3HA",
            51.4584,
            -2.5880,
        ),
        (
            "EDI-001",
            "Edinburgh Princes Street",
            "48 Princes Street",
            "EH2 2YJ",
            55.9524,
            -3.1927,
        ),
        (
            "GLA-001",
            "Glasgow Buchanan Street",
            "220 Buchanan Street",
            "G1 2GF",
            55.8627,
            -4.2527,
        ),
        (
            "CDF-001",
            "Cardiff Queen Street",
            "60 Queen Street",
            "CF10 2GP",
            51.4820,
            -3.1750,
        ),
        (
            "NCL-001",
            "Newcastle Northumberland Street",
            "Northumberland Street",
            "NE1 7DE",
            54.9768,
            -1.6110,
        ),
        (
            "SHF-001",
            "Sheffield Fargate",
            "Fargate",
            "S1 2HE",
            53.3818,
            -1.4700,
        ),
        (
            "NOT-001",
            "Nottingham Clumber Street",
            "Clumber Street",
            "NG1 3ED",
            52.9550,
            -1.1470,
        ),
        (
            "BFS-001",
            "Belfast Donegall Place",
            "Donegall Place",
            "BT1 5AD",
            54.5986,
            -5.9300,
        ),
        (
            "OXF-001",
            "Oxford Cornmarket",
            "Cornmarket Street",
            "OX1 3HA",
            51.7531,
            -1.2590,
        ),
        (
            "CAM-001",
            "Cambridge Sidney Street",
            "Sidney Street",
            "CB2 3HX",
            52.2063,
            0.1205,
        ),
        (
            "YRK-001",
            "York Coney Street",
            "Coney Street",
            "YO1 9QL",
            53.9598,
            -1.0845,
        ),
        (
            "BTN-001",
            "Brighton Western Road",
            "Western Road",
            "BN1 2AB",
            50.8249,
            -0.1470,
        ),
        (
            "DUB-001",
            "Dublin Grafton Street",
            "Grafton Street",
            "D02 VF25",
            53.3417,
            -6.2597,
        ),
    ];
    STORES
        .iter()
        .enumerate()
        .map(
            |(i, &(id, name, address, postal_code, latitude, longitude))| Store {
                id: id.into(),
                name: name.into(),
                address: address.into(),
                city: name.split_whitespace().next().unwrap_or(name).into(),
                postal_code: postal_code.into(),
                country: if id.starts_with("DUB") { "IE" } else { "GB" }.into(),
                latitude,
                longitude,
                phone: format!("+44 20 7946 {:04}", 100 + i),
                hours: if i % 7 == 0 {
                    "Open 24 hours".into()
                } else {
                    "Mon–Sat 07:00–20:00, Sun 09:00–17:00".into()
                },
                franchised: i % 4 == 3,
                open_24h: i % 7 == 0,
                promotions: i % 5 != 4,
            },
        )
        .collect()
}

/// The product catalogue.
pub fn products() -> Vec<Product> {
    const PRODUCTS: &[(&str, &str, &str, i64)] = &[
        ("DRK-001", "Flat white", "Hot drinks", 340),
        ("DRK-002", "Cappuccino", "Hot drinks", 350),
        ("DRK-003", "Latte", "Hot drinks", 360),
        ("DRK-004", "Americano", "Hot drinks", 290),
        ("DRK-005", "Hot chocolate", "Hot drinks", 380),
        ("DRK-006", "Chai latte", "Hot drinks", 390),
        ("DRK-007", "Iced latte", "Cold drinks", 395),
        ("DRK-008", "Orange juice", "Cold drinks", 250),
        ("BAK-001", "Croissant", "Bakery", 260),
        ("BAK-002", "Pain au chocolat", "Bakery", 280),
        ("BAK-003", "Cinnamon bun", "Bakery", 310),
        ("BAK-004", "Banana bread", "Bakery", 295),
        ("FOD-001", "Ham and cheese toastie", "Food", 520),
        ("FOD-002", "Falafel wrap", "Food", 575),
        ("FOD-003", "Chicken salad", "Food", 650),
        ("FOD-004", "Porridge", "Food", 320),
        ("HOM-001", "House blend beans 250 g", "Coffee at home", 895),
        (
            "HOM-002",
            "Single origin beans 250 g",
            "Coffee at home",
            1150,
        ),
        ("HOM-003", "Reusable cup", "Merchandise", 1200),
        ("HOM-004", "Gift card £25", "Gifts", 2500),
    ];
    PRODUCTS
        .iter()
        .map(|&(id, name, category, price_cents)| Product {
            id: id.into(),
            name: name.into(),
            category: category.into(),
            price_cents,
        })
        .collect()
}
