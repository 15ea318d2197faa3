//! Digital properties and devices, and how they are summarised from events.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A web or app property the customer used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyUse {
    /// E.g. `iOS app`, `Website`.
    pub name: String,
    /// First event from it.
    pub first_seen: EpochMillis,
    /// Latest event from it.
    pub last_seen: EpochMillis,
}

/// A device the customer used, as last reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// iOS, Android, Web, …
    pub platform: String,
    /// Device model.
    pub model: Option<String>,
    /// Operating system version.
    pub os_version: Option<String>,
    /// App version.
    pub app_version: Option<String>,
    /// Screen resolution, e.g. `1170x2532`.
    pub screen: Option<String>,
    /// Whether push notifications are enabled.
    pub push_enabled: Option<bool>,
    /// Latest report.
    pub last_seen: EpochMillis,
}

/// Everything the tab shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalFootprint {
    /// Properties, most recently used first.
    pub properties: Vec<PropertyUse>,
    /// Devices, most recently seen first.
    pub devices: Vec<Device>,
}

/// The property an event came from: its `property` attribute, else named after the platform.
fn property_name(payload: &Value) -> String {
    if let Some(name) = payload.get("property").and_then(Value::as_str) {
        return name.to_string();
    }
    match payload.get("platform").and_then(Value::as_str) {
        Some(p) if p.eq_ignore_ascii_case("web") => "Website".into(),
        Some(p) => format!("{p} app"),
        None => "Unknown property".into(),
    }
}

/// Whether an event reports a device: every `device_seen`, and an `app_session` that names
/// the device it ran on (`device_id` or `model`).
fn reports_device(event_type: &str, payload: &Value) -> bool {
    event_type == "device_seen"
        || (event_type == "app_session"
            && (payload.get("device_id").is_some() || payload.get("model").is_some()))
}

/// Summarises `(event_type, occurred_at, payload)` of `app_session` and `device_seen` events
/// (any order) into properties and devices. A device is its `device_id`, else platform and
/// model; the latest report of each (a `device_seen`, or a session naming its device) wins.
pub fn summarise(events: &[(String, EpochMillis, Value)]) -> DigitalFootprint {
    let text = |p: &Value, key: &str| p.get(key).and_then(Value::as_str).map(str::to_string);
    let mut properties: Vec<PropertyUse> = Vec::new();
    let mut devices: Vec<(String, Device)> = Vec::new();
    for (event_type, at, payload) in events {
        let name = property_name(payload);
        match properties.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                p.first_seen = p.first_seen.min(*at);
                p.last_seen = p.last_seen.max(*at);
            }
            None => properties.push(PropertyUse {
                name,
                first_seen: *at,
                last_seen: *at,
            }),
        }
        if !reports_device(event_type, payload) {
            continue;
        }
        let platform = text(payload, "platform").unwrap_or_else(|| "Unknown".into());
        let model = text(payload, "model");
        let key = text(payload, "device_id")
            .unwrap_or_else(|| format!("{platform}/{}", model.clone().unwrap_or_default()));
        let device = Device {
            platform,
            model,
            os_version: text(payload, "os_version"),
            app_version: text(payload, "app_version"),
            screen: text(payload, "screen"),
            push_enabled: payload.get("push_enabled").and_then(Value::as_bool),
            last_seen: *at,
        };
        match devices.iter_mut().find(|(k, _)| *k == key) {
            Some((_, known)) if known.last_seen <= *at => *known = device,
            Some(_) => {}
            None => devices.push((key, device)),
        }
    }
    properties.sort_by_key(|p| std::cmp::Reverse(p.last_seen));
    let mut devices: Vec<Device> = devices.into_iter().map(|(_, d)| d).collect();
    devices.sort_by_key(|d| std::cmp::Reverse(d.last_seen));
    DigitalFootprint {
        properties,
        devices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn latest_report_of_each_device_wins_and_properties_span_their_events() {
        let events = vec![
            (
                "device_seen".to_string(),
                10,
                json!({"platform": "iOS", "model": "iPhone 15", "os_version": "17.1"}),
            ),
            (
                "device_seen".to_string(),
                30,
                json!({"platform": "iOS", "model": "iPhone 15", "os_version": "17.4"}),
            ),
            ("app_session".to_string(), 20, json!({"platform": "iOS"})),
            ("app_session".to_string(), 5, json!({"platform": "Web"})),
        ];
        let summary = summarise(&events);
        assert_eq!(summary.devices.len(), 1);
        assert_eq!(summary.devices[0].os_version.as_deref(), Some("17.4"));
        assert_eq!(summary.properties[0].name, "iOS app");
        assert_eq!(
            (
                summary.properties[0].first_seen,
                summary.properties[0].last_seen
            ),
            (10, 30)
        );
        assert_eq!(summary.properties[1].name, "Website");
    }

    #[test]
    fn a_session_that_names_its_device_reports_it() {
        let events = vec![
            (
                "device_seen".to_string(),
                10,
                json!({"platform": "Android", "model": "Pixel 8", "os_version": "14"}),
            ),
            (
                "app_session".to_string(),
                40,
                json!({"platform": "Android", "model": "Pixel 8", "os_version": "15",
                       "screen": "1080x2400"}),
            ),
            (
                "app_session".to_string(),
                30,
                json!({"platform": "iOS", "device_id": "d-1", "model": "iPhone 15"}),
            ),
            ("app_session".to_string(), 50, json!({"platform": "Web"})),
        ];
        let summary = summarise(&events);
        let shown: Vec<(&str, Option<&str>)> = summary
            .devices
            .iter()
            .map(|d| (d.platform.as_str(), d.os_version.as_deref()))
            .collect();
        assert_eq!(shown, [("Android", Some("15")), ("iOS", None)]);
        assert_eq!(summary.devices[0].screen.as_deref(), Some("1080x2400"));
    }
}
