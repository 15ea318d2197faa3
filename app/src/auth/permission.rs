//! Named permissions and the role presets that grant them.

use serde::{Deserialize, Serialize};

/// One thing a platform user may do. Granted per user; checked by the server on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Permission {
    /// Find customers.
    CustomersSearch,
    /// See email, phone, date of birth and address unmasked.
    CustomersViewPii,
    /// Add customers.
    CustomersCreate,
    /// Edit the profile tab.
    ProfileEdit,
    /// Merge duplicate customers and undo merges.
    CustomersMerge,
    /// Import customers and historical events from files.
    CustomersImport,
    /// Change a customer's status flag.
    StatusChange,
    /// Add or deduct loyalty points.
    PointsAdjust,
    /// Issue offers to customers.
    OffersIssue,
    /// Reset a customer's promo-code lockout.
    PromoResetLockout,
    /// Add tags and reset tag counts.
    TagsManage,
    /// Write, edit and delete notes.
    NotesWrite,
    /// Reset SMS verification, send password-reset email.
    AccessToolsUse,
    /// Open data-privacy requests (export, restrict, forget).
    PrivacyRequest,
    /// Read the data-privacy log.
    PrivacyViewLog,
    /// Organisation settings and the audit trail.
    SettingsManage,
    /// Create, deactivate and grant permissions to platform users.
    UsersManage,
}

impl Permission {
    /// Every permission, in the order the admin screens list them.
    pub const ALL: [Permission; 17] = [
        Self::CustomersSearch,
        Self::CustomersViewPii,
        Self::CustomersCreate,
        Self::ProfileEdit,
        Self::CustomersMerge,
        Self::CustomersImport,
        Self::StatusChange,
        Self::PointsAdjust,
        Self::OffersIssue,
        Self::PromoResetLockout,
        Self::TagsManage,
        Self::NotesWrite,
        Self::AccessToolsUse,
        Self::PrivacyRequest,
        Self::PrivacyViewLog,
        Self::SettingsManage,
        Self::UsersManage,
    ];

    /// The stable name stored in the database, e.g. `points.adjust`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CustomersSearch => "customers.search",
            Self::CustomersViewPii => "customers.view_pii",
            Self::CustomersCreate => "customers.create",
            Self::ProfileEdit => "profile.edit",
            Self::CustomersMerge => "customers.merge",
            Self::CustomersImport => "customers.import",
            Self::StatusChange => "status.change",
            Self::PointsAdjust => "points.adjust",
            Self::OffersIssue => "offers.issue",
            Self::PromoResetLockout => "promo.reset_lockout",
            Self::TagsManage => "tags.manage",
            Self::NotesWrite => "notes.write",
            Self::AccessToolsUse => "access_tools.use",
            Self::PrivacyRequest => "privacy.request",
            Self::PrivacyViewLog => "privacy.view_log",
            Self::SettingsManage => "settings.manage",
            Self::UsersManage => "users.manage",
        }
    }

    /// What the permission allows, for the admin screens.
    pub fn description(self) -> &'static str {
        match self {
            Self::CustomersSearch => "Search for customers",
            Self::CustomersViewPii => "See personal data unmasked",
            Self::CustomersCreate => "Add customers",
            Self::ProfileEdit => "Edit profiles",
            Self::CustomersMerge => "Merge duplicate customers and undo merges",
            Self::CustomersImport => "Import customers and event history from files",
            Self::StatusChange => "Change a customer's status",
            Self::PointsAdjust => "Add or deduct points",
            Self::OffersIssue => "Issue offers",
            Self::PromoResetLockout => "Reset promo-code lockouts",
            Self::TagsManage => "Manage tags",
            Self::NotesWrite => "Write notes",
            Self::AccessToolsUse => "Use access tools (SMS, password reset)",
            Self::PrivacyRequest => "Open data-privacy requests",
            Self::PrivacyViewLog => "Read the data-privacy log",
            Self::SettingsManage => "Manage settings and read the audit trail",
            Self::UsersManage => "Manage platform users",
        }
    }

    /// The permission stored as `name`, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// A starting set of permissions for a kind of user; single permissions can then be granted
/// or revoked per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Everything.
    Admin,
    /// A care team lead: every customer action, no platform administration.
    Supervisor,
    /// A care agent on the phone or chat.
    CareAgent,
    /// A store associate on a tablet: look up, add and note; personal data stays masked.
    StoreAssociate,
    /// A privacy officer: data-privacy requests and their log.
    PrivacyOfficer,
}

impl Role {
    /// Every role preset.
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Supervisor,
        Self::CareAgent,
        Self::StoreAssociate,
        Self::PrivacyOfficer,
    ];

    /// The stable name, e.g. `care_agent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Supervisor => "supervisor",
            Self::CareAgent => "care_agent",
            Self::StoreAssociate => "store_associate",
            Self::PrivacyOfficer => "privacy_officer",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Admin",
            Self::Supervisor => "Supervisor",
            Self::CareAgent => "Care agent",
            Self::StoreAssociate => "Store associate",
            Self::PrivacyOfficer => "Privacy officer",
        }
    }

    /// The role named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The permissions this preset grants.
    pub fn permissions(self) -> Vec<Permission> {
        use Permission::*;
        match self {
            Self::Admin => Permission::ALL.to_vec(),
            Self::Supervisor => vec![
                CustomersSearch,
                CustomersViewPii,
                CustomersCreate,
                ProfileEdit,
                CustomersMerge,
                StatusChange,
                PointsAdjust,
                OffersIssue,
                PromoResetLockout,
                TagsManage,
                NotesWrite,
                AccessToolsUse,
                PrivacyRequest,
            ],
            Self::CareAgent => vec![
                CustomersSearch,
                CustomersViewPii,
                CustomersCreate,
                ProfileEdit,
                PointsAdjust,
                OffersIssue,
                PromoResetLockout,
                TagsManage,
                NotesWrite,
                AccessToolsUse,
                PrivacyRequest,
            ],
            Self::StoreAssociate => {
                vec![CustomersSearch, CustomersCreate, OffersIssue, NotesWrite]
            }
            Self::PrivacyOfficer => vec![
                CustomersSearch,
                CustomersViewPii,
                PrivacyRequest,
                PrivacyViewLog,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Permission, Role};

    #[test]
    fn names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Permission::parse("points.add"), None);
    }

    #[test]
    fn store_associates_cannot_adjust_points_and_admins_can_do_everything() {
        assert!(!Role::StoreAssociate
            .permissions()
            .contains(&Permission::PointsAdjust));
        assert_eq!(Role::Admin.permissions().len(), Permission::ALL.len());
    }
}
