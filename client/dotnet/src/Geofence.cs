using System.Collections.Generic;

namespace CustomerProfiles.Sdk
{
    /// <summary>A geofence the console lists for the app to monitor: a circle around a place.</summary>
    public sealed class Geofence
    {
        /// <summary>What <see cref="CustomerProfilesClient.GeofenceEntered"/> and <see cref="CustomerProfilesClient.GeofenceExited"/> name.</summary>
        public string Id { get; }
        /// <summary>What it is called.</summary>
        public string Name { get; }
        /// <summary>Centre, degrees north.</summary>
        public double Latitude { get; }
        /// <summary>Centre, degrees east.</summary>
        public double Longitude { get; }
        /// <summary>Radius in metres.</summary>
        public long RadiusMeters { get; }
        /// <summary>The store it belongs to, or null.</summary>
        public string StoreId { get; }

        Geofence(string id, string name, double latitude, double longitude, long radiusMeters, string storeId)
        {
            Id = id;
            Name = name;
            Latitude = latitude;
            Longitude = longitude;
            RadiusMeters = radiusMeters;
            StoreId = storeId;
        }

        /// <summary>One entry of the console's list; null when it lacks a field.</summary>
        internal static Geofence Of(Dictionary<string, object> entry)
        {
            object id, name, latitude, longitude, radius, store;
            entry.TryGetValue("store_id", out store);
            if (!entry.TryGetValue("id", out id) || !(id is string)
                || !entry.TryGetValue("name", out name) || !(name is string)
                || !entry.TryGetValue("latitude", out latitude) || !IsNumber(latitude)
                || !entry.TryGetValue("longitude", out longitude) || !IsNumber(longitude)
                || !entry.TryGetValue("radius_m", out radius) || !(radius is long))
            {
                return null;
            }
            return new Geofence((string)id, (string)name, System.Convert.ToDouble(latitude),
                System.Convert.ToDouble(longitude), (long)radius, store as string);
        }

        static bool IsNumber(object value) => value is long || value is double;
    }
}
