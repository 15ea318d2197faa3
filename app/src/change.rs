//! One way to change a customer (or anything else a platform user may change): the write
//! transaction is opened as late as possible, the feature's writes, events and audit records
//! go into it, and only after the commit are open profiles told and side effects (mail,
//! webhooks) run. Nothing slow ever happens while SQLite's write lock is held.
//!
//! ```text
//! check permission → read and validate (no lock) → Change::begin → writes, events, audit
//!   → commit → publish to the live channel → after-commit effects
//! ```

use crate::audit::db::Record;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::events::{LiveHub, NewEvent};
use crate::state::AppState;
use crate::store::{org_cache, Backend};
use std::future::Future;
use std::pin::Pin;

/// Proof that a write comes through this module: only `change.rs` can make one, and the
/// audit trail's insert ([`Record::write`]) asks for it, so no other code writes an audit
/// record past a change (and past marking its customer as changed).
pub struct Door(());

/// The write transaction of a change, for the feature's `db.rs` functions.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Work that waits for the commit and is skipped when the change fails.
type AfterCommit = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A change in progress by `actor`. Dropping it without [`Change::commit`] (an early `?`)
/// rolls everything back and runs no side effect.
pub struct Change<'a> {
    tx: Tx,
    backend: Backend,
    actor: &'a CurrentUser,
    live: &'a LiveHub,
    changed_customers: std::collections::HashSet<String>,
    after_commit: Vec<AfterCommit>,
    /// Organisation-wide writes counted when the change began ([`crate::store::org_cache`]).
    org_writes: u64,
}

/// A write transaction that may go ahead: refused while the console is in maintenance (moving
/// to another database), so nothing is written that the move would not carry.
async fn open(mut tx: Tx) -> Result<Tx, AppError> {
    if crate::store::maintenance(&mut *tx).await?.is_some() {
        return Err(AppError::Maintenance(crate::maintenance::MOVING.into()));
    }
    Ok(tx)
}

impl<'a> Change<'a> {
    /// Opens the write transaction (on SQLite it takes the write lock): call it after every
    /// read and check that needs no lock.
    pub async fn begin(state: &'a AppState, actor: &'a CurrentUser) -> Result<Self, AppError> {
        Ok(Self {
            tx: open(state.db.begin_write().await?).await?,
            backend: state.db.backend(),
            actor,
            live: &state.live,
            changed_customers: std::collections::HashSet::new(),
            after_commit: Vec::new(),
            org_writes: org_cache::writes(),
        })
    }

    /// [`Change::begin`] for a bulk batch (an import): on SQLite the transaction runs on the
    /// writer connection, whose page cache stays warm from one batch to the next.
    pub async fn begin_batch(
        state: &'a AppState,
        actor: &'a CurrentUser,
    ) -> Result<Self, AppError> {
        let tx = state
            .db
            .writer()
            .begin_with(state.db.backend().begin_write());
        Ok(Self {
            tx: open(tx.await?).await?,
            backend: state.db.backend(),
            actor,
            live: &state.live,
            changed_customers: std::collections::HashSet::new(),
            after_commit: Vec::new(),
            org_writes: org_cache::writes(),
        })
    }

    /// The transaction, for the feature's writes.
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// The database's dialect, for the SQL written in the change.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The user making the change.
    pub fn actor(&self) -> &'a CurrentUser {
        self.actor
    }

    /// Writes `event` to its customer's stream; the customer's open profiles are told after
    /// the commit.
    pub async fn event(&mut self, event: NewEvent) -> Result<(), AppError> {
        self.events(std::slice::from_ref(&event)).await
    }

    /// Writes `events` (multi-row), marking each owner as changed.
    pub async fn events(&mut self, events: &[NewEvent]) -> Result<(), AppError> {
        crate::events::db::insert_many(&mut self.tx, events).await?;
        for event in events {
            self.customer_changed(&event.customer_id);
        }
        Ok(())
    }

    /// Writes the audit record of `action` by this change's user; `fill` adds the customer,
    /// subject and before/after.
    pub async fn audit<'r>(
        &mut self,
        action: &'r str,
        fill: impl FnOnce(Record<'r>) -> Record<'r>,
    ) -> Result<(), AppError>
    where
        'a: 'r,
    {
        let record = fill(Record::by(self.actor, action));
        if let Some(customer_id) = record.customer_id {
            self.customer_changed(customer_id);
        }
        record.write(&mut *self.tx, &Door(())).await?;
        Ok(())
    }

    /// Writes the audit record of something done with a customer's data that changes nothing
    /// of theirs (identifiers sent to a third-party panel): in their history and export, but
    /// their open profiles are not told to reload.
    pub async fn audit_disclosure<'r>(
        &mut self,
        action: &'r str,
        fill: impl FnOnce(Record<'r>) -> Record<'r>,
    ) -> Result<(), AppError>
    where
        'a: 'r,
    {
        fill(Record::by(self.actor, action))
            .write(&mut *self.tx, &Door(()))
            .await?;
        Ok(())
    }

    /// Marks `customer_id` as changed without an event (a projection or a flag).
    pub fn customer_changed(&mut self, customer_id: &str) {
        if !self.changed_customers.contains(customer_id) {
            self.changed_customers.insert(customer_id.to_string());
        }
    }

    /// Runs `effect` once the change is committed, never while the write lock is held, and
    /// not at all if the change fails.
    pub fn after_commit(&mut self, effect: impl Future<Output = ()> + Send + 'static) {
        self.after_commit.push(Box::pin(effect));
    }

    /// Ends the change without writing anything (a dry run): nobody is told, no effect runs.
    pub async fn roll_back(self) -> Result<(), AppError> {
        Ok(self.tx.rollback().await?)
    }

    /// Commits, then tells the changed customers' open profiles and runs the side effects
    /// in the order they were added.
    pub async fn commit(self) -> Result<(), AppError> {
        self.tx.commit().await?;
        if org_cache::writes() != self.org_writes {
            // What was read between this change's writes and its commit is the old value.
            org_cache::written();
        }
        for customer_id in &self.changed_customers {
            self.live.publish(customer_id);
        }
        for effect in self.after_commit {
            effect.await;
        }
        Ok(())
    }
}

/// Writes the audit record of a sign-in attempt with `email` (`action`, about user `subject`
/// when it succeeded): nobody is signed in yet, so it has no actor and changes no customer.
pub async fn audit_sign_in(
    state: &AppState,
    email: &str,
    action: &str,
    subject: Option<&str>,
) -> Result<(), AppError> {
    let record = Record {
        actor: None,
        actor_email: email,
        action,
        customer_id: None,
        subject,
        before: None,
        after: None,
    };
    record.write(state.db.pool(), &Door(())).await?;
    Ok(())
}
