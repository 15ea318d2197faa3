//! The use cases behind the server functions of this feature.

use super::model::{CustomerLocations, NearbyStore};
use crate::error::AppError;
use crate::state::AppState;

/// See the server function `get_customer_locations`.
pub async fn get_customer_locations(
    state: &AppState,
    customer_id: String,
) -> Result<CustomerLocations, AppError> {
    let db = &state.db;
    let home_id = super::db::home_store(db, &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))?;
    let all = super::db::stores(db).await?;
    let find = |id: &str| all.iter().find(|s| s.id == id).cloned();
    let recent = super::db::visits(db, &customer_id, 10)
        .await?
        .into_iter()
        .filter_map(|(id, visits, last_visit)| {
            find(&id).map(|store| super::StoreVisit {
                store,
                visits,
                last_visit,
            })
        })
        .collect();
    let geofences = crate::geofences::service::visits(state, &customer_id).await?;
    let near_last_geofence = geofences.first().map_or_else(Vec::new, |last| {
        nearest(&all, (last.geofence.latitude, last.geofence.longitude), 3)
    });
    Ok(CustomerLocations {
        home: home_id.as_deref().and_then(find),
        recent,
        all,
        geofences,
        near_last_geofence,
    })
}

/// The `limit` stores of `stores` nearest `origin` (degrees), nearest first.
fn nearest(stores: &[crate::catalog::Store], origin: (f64, f64), limit: usize) -> Vec<NearbyStore> {
    let mut nearby: Vec<NearbyStore> = stores
        .iter()
        .map(|store| NearbyStore {
            km: super::great_circle_km(origin, (store.latitude, store.longitude)),
            store: store.clone(),
        })
        .collect();
    nearby.sort_by(|a, b| a.km.total_cmp(&b.km));
    nearby.truncate(limit);
    nearby
}

/// See the server function `nearby_stores`.
pub async fn nearby_stores(
    state: &AppState,
    store_id: String,
    limit: usize,
) -> Result<Vec<NearbyStore>, AppError> {
    let db = &state.db;
    let stores = super::db::stores(db).await?;
    let origin = stores
        .iter()
        .find(|s| s.id == store_id)
        .map(|s| (s.latitude, s.longitude))
        .ok_or_else(|| AppError::NotFound(format!("There is no store {store_id}.")))?;
    let others: Vec<_> = stores.into_iter().filter(|s| s.id != store_id).collect();
    Ok(nearest(&others, origin, limit.clamp(1, 50)))
}
