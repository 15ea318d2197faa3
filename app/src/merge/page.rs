//! `/customers/:id/merge/:other`: the merge preview. Both profiles side by side, what moves,
//! the fields to choose one by one, then "Merge"; nothing is written before. Needs
//! customers.merge.

use super::api::{preview_merge, MergeCustomers};
use super::model::{FieldConflict, MergePreview};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{form_error, Column, DataTable, Loaded, TableName};
use crate::time::format_count;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The merge preview of the profile on screen (the survivor) and `:other` (absorbed).
#[component]
pub fn MergePage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::CustomersMerge>
            <Preview/>
        </RequirePermission>
    }
}

#[component]
fn Preview() -> impl IntoView {
    let params = use_params_map();
    let pair = Memo::new(move |_| {
        let params = params.read();
        (
            params.get("id").unwrap_or_default(),
            params.get("other").unwrap_or_default(),
        )
    });
    let preview = Resource::new(
        move || pair.get(),
        |(survivor, absorbed)| preview_merge(survivor, absorbed),
    );
    view! {
        <section class="panel merge-preview" aria-labelledby="merge-title">
            <Loaded resource=preview what="merge preview" let:preview>
                <PreviewBody preview/>
            </Loaded>
        </section>
    }
}

#[component]
fn PreviewBody(preview: MergePreview) -> impl IntoView {
    let (survivor, absorbed) = (preview.survivor.clone(), preview.absorbed.clone());
    let swap = format!("/customers/{}/merge/{}", absorbed.id, survivor.id);
    let home = preview.home_currency.clone();
    let money =
        |totals: &[crate::money::CurrencyTotal]| crate::money::net_spend_text(totals, &home);
    let tier = |t: &Option<String>| t.clone().unwrap_or_else(|| "No tier".into());
    let rows = vec![
        (
            "Points balance",
            format_count(survivor.points_balance),
            format_count(absorbed.points_balance),
            format_count(preview.points_after),
        ),
        (
            "Purchases",
            format_count(survivor.purchase_count),
            format_count(absorbed.purchase_count),
            format_count(preview.purchases_after),
        ),
        (
            "Spend",
            money(&survivor.spend),
            money(&absorbed.spend),
            money(&preview.spend_after),
        ),
        (
            "Tier",
            tier(&survivor.tier),
            tier(&absorbed.tier),
            format!("{}, then the tier rules apply", tier(&preview.tier_after)),
        ),
    ];
    let moves: Vec<String> = preview
        .moves
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| super::model::moved_phrase(what, *n))
        .collect();
    view! {
        <h2 id="merge-title">{merge_title(&absorbed.name, &survivor.name)}</h2>
        <p>
            {format!("{} stays; ", survivor.name)}
            <a href=format!("/customers/{}", absorbed.id)>{absorbed.name.clone()}</a>
            "'s profile goes, and its address and identifiers lead here afterwards. The merge can be undone. "
            <a href=swap>"Keep the other profile instead"</a>
        </p>
        <DataTable class="merge-compare" name=TableName::Label("Both profiles and the result")
            columns=vec![Column::text("What"), Column::text("Stays"), Column::text("Goes"), Column::text("After the merge")]>
            {rows.into_iter().map(|(what, a, b, after)| view! {
                <tr><th scope="row">{what}</th><td>{a}</td><td>{b}</td><td>{after}</td></tr>
            }).collect_view()}
        </DataTable>
        <h3>"What moves"</h3>
        {if moves.is_empty() {
            view! { <p class="muted">"Nothing but the profile itself."</p> }.into_any()
        } else {
            view! { <ul class="plain-list">{moves.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
        }}
        {(!preview.identifiers.is_empty()).then(|| view! {
            <p>"Identifiers: " {preview.identifiers.join(", ")}</p>
        })}
        {(!preview.filled.is_empty()).then(|| view! {
            <p>{format!("Filled in from {}: {}.", absorbed.name, preview.filled.join(", "))}</p>
        })}
        <p class="muted">"Analytics scores of both are dropped and worked out again at the next analytics run."</p>
        <MergeForm preview/>
    }
}

/// "Merge Ann Lee into Ann Leigh"; two profiles of one name are told apart by role.
fn merge_title(absorbed: &str, survivor: &str) -> String {
    if absorbed == survivor {
        format!("Merge the other {absorbed} into this one")
    } else {
        format!("Merge {absorbed} into {survivor}")
    }
}

#[component]
fn MergeForm(preview: MergePreview) -> impl IntoView {
    let merge = ServerAction::<MergeCustomers>::new();
    let choices: Vec<(FieldConflict, RwSignal<bool>)> = preview
        .conflicts
        .iter()
        .map(|c| (c.clone(), RwSignal::new(c.suggest_absorbed)))
        .collect();
    let confirmed = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(done)) = merge.value().get() {
            navigate(
                &format!("/customers/{}/profile", done.survivor_id),
                Default::default(),
            );
        }
    });
    let error = form_error(move || merge.value().get().and_then(Result::err));
    let (survivor, absorbed) = (preview.survivor.clone(), preview.absorbed.clone());
    let chosen = choices.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let keep: Vec<String> = chosen
            .iter()
            .filter(|(_, take)| take.get_untracked())
            .map(|(c, _)| c.field.clone())
            .collect();
        merge.dispatch(MergeCustomers {
            survivor_id: survivor.id.clone(),
            absorbed_id: absorbed.id.clone(),
            survivor_version: survivor.version,
            absorbed_version: absorbed.version,
            keep_absorbed: Some(serde_json::to_string(&keep).unwrap_or_default()),
            confirm_restricted: confirmed.get_untracked().then(|| "on".into()),
        });
    };
    if let Some(reason) = preview.refusal.clone() {
        return view! { <p class="alert alert-error" role="alert">{reason}</p> }.into_any();
    }
    let restricted = preview.needs_restriction_confirmation;
    view! {
        <form class="merge-form" on:submit=submit>
            {(!choices.is_empty()).then(|| view! {
                <h3>"Choose where the profiles differ"</h3>
            })}
            {choices.into_iter().map(|(conflict, take)| {
                let name = format!("choice-{}", conflict.field);
                view! {
                    <fieldset class="choice">
                        <legend>{conflict.label.clone()}</legend>
                        <label class="radio-field">
                            <input type="radio" name=name.clone() prop:checked=move || !take.get()
                                on:change=move |_| take.set(false)/>
                            {conflict.survivor.clone()}
                            <span class="muted">" — this profile"</span>
                        </label>
                        <label class="radio-field">
                            <input type="radio" name=name prop:checked=move || take.get()
                                on:change=move |_| take.set(true)/>
                            {conflict.absorbed.clone()}
                            <span class="muted">" — the other profile"</span>
                        </label>
                    </fieldset>
                }
            }).collect_view()}
            {restricted.then(|| view! {
                <label class="checkbox-field">
                    <input type="checkbox" name="confirm_restricted" on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                    "Processing of one of these customers is restricted (GDPR art. 18). I confirm this merge serves their request; the merged profile stays restricted."
                </label>
            })}
            <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{error}</p>
            <button type="submit" class="button primary" disabled=move || merge.pending().get()>
                {format!("Merge into {}", preview.survivor.name)}
            </button>
        </form>
    }
    .into_any()
}
