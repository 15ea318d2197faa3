package com.customerprofiles.sdk;

import java.util.Map;

/** A geofence the console lists for the app to monitor: a circle around a place. */
public final class Geofence {
    /** What {@link CustomerProfiles#geofenceEntered} and {@link CustomerProfiles#geofenceExited} name. */
    public final String id;
    /** What it is called. */
    public final String name;
    /** Centre, degrees north. */
    public final double latitude;
    /** Centre, degrees east. */
    public final double longitude;
    /** Radius in metres. */
    public final long radiusMeters;
    /** The store it belongs to, or null. */
    public final String storeId;

    Geofence(String id, String name, double latitude, double longitude, long radiusMeters, String storeId) {
        this.id = id;
        this.name = name;
        this.latitude = latitude;
        this.longitude = longitude;
        this.radiusMeters = radiusMeters;
        this.storeId = storeId;
    }

    /** One entry of the console's list; null when it lacks a field. */
    static Geofence of(Map<?, ?> entry) {
        Object id = entry.get("id");
        Object name = entry.get("name");
        Object latitude = entry.get("latitude");
        Object longitude = entry.get("longitude");
        Object radius = entry.get("radius_m");
        Object store = entry.get("store_id");
        if (!(id instanceof String) || !(name instanceof String) || !(latitude instanceof Number)
                || !(longitude instanceof Number) || !(radius instanceof Number)) {
            return null;
        }
        return new Geofence((String) id, (String) name, ((Number) latitude).doubleValue(),
                ((Number) longitude).doubleValue(), ((Number) radius).longValue(),
                store instanceof String ? (String) store : null);
    }
}
