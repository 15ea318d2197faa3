//! The schema as a Citus cluster needs it, read from the catalogue of both databases: every
//! table placed (`app::store::placement`), every unique key of a distributed table holding its
//! distribution column; and the identifiers migration keeps every existing row.

use crate::common;
use app::store::customer_tables::customer_table;
use app::store::placement::{distribution_column, OWN_KEY_TABLES, REFERENCE_TABLES};
use app::store::{Backend, Db};

/// `(table, index, its columns)` of every unique index (primary keys included); an
/// expression in an index reads as an empty column name.
async fn unique_indexes(db: &Db) -> Vec<(String, String, Vec<String>)> {
    let sql = match db.backend() {
        Backend::Postgres => {
            "SELECT CAST(t.relname AS TEXT), CAST(i.relname AS TEXT), \
             COALESCE(string_agg(COALESCE(CAST(a.attname AS TEXT), ''), ',' ORDER BY k.ord), '') \
             FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid \
             JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) \
             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
             WHERE n.nspname = current_schema() AND x.indisunique \
             AND t.relname <> '_sqlx_migrations' GROUP BY t.relname, i.relname"
        }
        Backend::Sqlite => {
            "SELECT t.name, il.name, COALESCE(group_concat(COALESCE(ii.name, ''), ','), '') \
             FROM sqlite_master t JOIN pragma_index_list(t.name) il \
             JOIN pragma_index_info(il.name) ii \
             WHERE t.type = 'table' AND il.\"unique\" = 1 AND t.name <> '_sqlx_migrations' \
             AND t.name NOT LIKE 'sqlite_%' GROUP BY t.name, il.name"
        }
    };
    let rows: Vec<(String, String, String)> =
        sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap();
    rows.into_iter()
        .map(|(table, index, columns)| {
            let columns = columns.split(',').map(str::to_string).collect();
            (table, index, columns)
        })
        .collect()
}

async fn tables(db: &Db) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Postgres => {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename <> '_sqlx_migrations'"
        }
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name <> '_sqlx_migrations' AND name NOT LIKE 'sqlite_%'"
        }
    };
    sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap()
}

async fn columns_of(db: &Db, table: &str) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
        Backend::Sqlite => "SELECT name FROM pragma_table_info($1)",
    };
    sqlx::query_scalar(sql)
        .bind(table)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn every_table_is_placed_and_every_unique_key_holds_its_distribution_column() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        for table in tables(&db).await {
            let placements = usize::from(REFERENCE_TABLES.contains(&table.as_str()))
                + usize::from(customer_table(&table).is_some())
                + usize::from(OWN_KEY_TABLES.iter().any(|(t, _)| *t == table));
            assert_eq!(
                placements, 1,
                "{name}: table {table} must be named once in app::store::placement or \
                 app::store::customer_tables"
            );
            let names_a_customer = columns_of(&db, &table)
                .await
                .iter()
                .any(|c| c == "customer_id" || c == "absorbed_id");
            assert!(
                !names_a_customer || customer_table(&table).is_some(),
                "{name}: {table} holds a customer's data: say in app::store::customer_tables \
                 what a merge, a forget and an export do with it"
            );
        }
        let indexes = unique_indexes(&db).await;
        assert!(
            indexes.iter().any(|(t, ..)| t == "events"),
            "{name}: the catalogue query finds the unique indexes"
        );
        for (table, index, columns) in &indexes {
            if let Some(column) = distribution_column(table) {
                assert!(
                    columns.iter().any(|c| c == column),
                    "{name}: unique index {index} of {table} ({columns:?}) lacks {column}, \
                     which Citus refuses for a table distributed by it"
                );
            }
        }
        let on_customers: Vec<_> = indexes.iter().filter(|(t, ..)| t == "customers").collect();
        assert_eq!(
            on_customers.len(),
            1,
            "{name}: customers keeps its id as its only unique key: {on_customers:?}"
        );
    }
}

/// Migrates an empty database to just before the identifiers table.
async fn migrate_to_before_identifiers(db: &Db) {
    let mut migrator = match db.backend() {
        Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
    };
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < 19)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    migrator.run(db.pool()).await.unwrap();
}

#[tokio::test]
async fn existing_identifiers_become_primary_identifiers_and_no_row_is_lost() {
    let (dbs, _guard) = common::each_empty_database().await;
    for (name, db) in dbs {
        migrate_to_before_identifiers(&db).await;
        for (id, email, phone) in [
            ("c-1", Some("ann@example.com"), Some("+447700900001")),
            ("c-2", None, Some("+447700900002")),
        ] {
            sqlx::query(
                "INSERT INTO customers (id, email, phone, card_number, external_id, status_id, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'active', 5, 5)",
            )
            .bind(id)
            .bind(email)
            .bind(phone)
            .bind(format!("6000{id}"))
            .bind(format!("X-{id}"))
            .execute(db.pool())
            .await
            .unwrap();
            for table in ["events", "notes"] {
                let sql = match table {
                    "events" => {
                        "INSERT INTO events (id, customer_id, event_type, source, occurred_at, \
                         received_at) VALUES ($1, $2, 'purchase', 'pos', 1, 1)"
                    }
                    _ => {
                        "INSERT INTO notes (id, customer_id, body, author_email, author_name, \
                         created_at) VALUES ($1, $2, 'hello', 'a@b.c', 'A', 1)"
                    }
                };
                sqlx::query(sql)
                    .bind(format!("{table}-{id}"))
                    .bind(id)
                    .execute(db.pool())
                    .await
                    .unwrap();
            }
        }
        db.migrate().await.unwrap();
        let identifiers: Vec<(String, String, String, i64, String)> = sqlx::query_as(
            "SELECT customer_id, kind, normalized, is_primary, source FROM customer_identifiers \
             ORDER BY customer_id, kind",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let kinds: Vec<(&str, &str)> = identifiers
            .iter()
            .map(|(c, k, ..)| (c.as_str(), k.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("c-1", "card_number"),
                ("c-1", "email"),
                ("c-1", "external_id"),
                ("c-1", "phone"),
                ("c-2", "card_number"),
                ("c-2", "external_id"),
                ("c-2", "phone"),
            ],
            "{name}"
        );
        assert!(
            identifiers
                .iter()
                .all(|(.., p, s)| *p == 1 && s == "migration"),
            "{name}: {identifiers:?}"
        );
        let owner = app::identity::db::owner(&db, "email", "ann@example.com")
            .await
            .unwrap();
        assert_eq!(owner.as_deref(), Some("c-1"), "{name}");
        for table in ["events", "notes", "customers"] {
            let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(db.pool())
                .await
                .unwrap();
            assert_eq!(count, 2, "{name}: {table} keeps its rows");
        }
        // Foreign keys still hold after the rebuild: a customer's events go with it.
        sqlx::query("DELETE FROM customers WHERE id = 'c-2'")
            .execute(db.pool())
            .await
            .unwrap();
        let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(events, 1, "{name}: the cascade to events still works");
    }
}
