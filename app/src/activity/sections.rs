//! The Activity sub-tabs after the event stream, and which event types each one lists.

/// A sub-tab of the Activity tab that lists a subset of event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// URL segment, e.g. `points`.
    pub slug: &'static str,
    /// Tab label.
    pub label: &'static str,
    /// Event types listed there; empty for sections that are not event lists.
    pub event_types: &'static [&'static str],
}

/// The Activity sub-tabs after the event stream, in tab order.
pub const SECTIONS: [Section; 10] = [
    Section {
        slug: "analytics",
        label: "Analytics",
        event_types: &[],
    },
    Section {
        slug: "points",
        label: "Points",
        event_types: &[
            "points_earned",
            "points_used",
            "points_comped",
            "points_deducted",
            "points_expired",
        ],
    },
    Section {
        slug: "purchases",
        label: "Purchases",
        event_types: &["purchase"],
    },
    Section {
        slug: "rewards",
        label: "Rewards",
        event_types: &["reward_redeemed", "reward_order_updated"],
    },
    Section {
        slug: "campaigns",
        label: "Campaigns",
        event_types: &["campaign_progress", "loyalty_rule_completed"],
    },
    Section {
        slug: "offers",
        label: "Offers",
        event_types: &["offer_issued", "offer_redeemed"],
    },
    Section {
        slug: "promo-codes",
        label: "Promo codes",
        event_types: &[
            "promo_code_claimed",
            "promo_code_claim_error",
            "promo_lockout_reset",
        ],
    },
    Section {
        slug: "tiers",
        label: "Tiers",
        event_types: &["tier_promoted", "tier_demoted"],
    },
    Section {
        slug: "tags",
        label: "Tags",
        event_types: &["tag_appended"],
    },
    Section {
        slug: "support",
        label: "Support",
        event_types: &[],
    },
];

impl Section {
    /// The section with URL segment `slug`.
    pub fn find(slug: &str) -> Option<Section> {
        SECTIONS.into_iter().find(|s| s.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_slug_is_found() {
        for section in SECTIONS {
            assert_eq!(Section::find(section.slug), Some(section));
        }
        assert_eq!(Section::find("nope"), None);
    }
}
