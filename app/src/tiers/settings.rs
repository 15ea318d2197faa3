//! The tier rules on the settings screen: each level's threshold and benefits, the tier
//! system's name, the qualification window and how long a tier lasts.

use super::api::{get_tier_rules, SaveTierLevel, SaveTierSettings};
use super::model::{TierLevel, TierRules};
use crate::layout::{field_error, Field, Loaded};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The section (the page around it requires settings.manage).
#[component]
pub fn TierRulesSettings() -> impl IntoView {
    let saved = RwSignal::new(0u32);
    let settings = ServerAction::<SaveTierSettings>::new();
    let rules = Resource::new(
        move || (saved.get(), settings.version().get()),
        |_| get_tier_rules(),
    );
    view! {
        <section class="card" aria-labelledby="tier-rules-title">
            <h2 id="tier-rules-title">"Tier rules"</h2>
            <p>"Points earned or comped within the window qualify. Reaching a threshold promotes at once; when a tier expires the customer moves to the tier their points still reach, or keeps it for another period."</p>
            <Loaded resource=rules what="tier rules" let:r>
                <RulesForms rules=r saved settings/>
            </Loaded>
        </section>
    }
}

#[component]
fn RulesForms(
    rules: TierRules,
    saved: RwSignal<u32>,
    settings: ServerAction<SaveTierSettings>,
) -> impl IntoView {
    view! {
        <ActionForm action=settings>
            <div class="form-grid">
                <Field id="tier-system-name" label="Tier system" error=field_error(move || settings.value().get().and_then(Result::err), "system_name")>
                    <input id="tier-system-name" name="system_name" value=rules.system_name.clone()/>
                </Field>
                <Field id="tier-window-days" label="Qualification window (days)" error=field_error(move || settings.value().get().and_then(Result::err), "window_days")>
                    <input id="tier-window-days" name="window_days" inputmode="numeric" value=rules.window_days.to_string()/>
                </Field>
                <Field id="tier-validity-days" label="A tier lasts (days)" error=field_error(move || settings.value().get().and_then(Result::err), "validity_days")>
                    <input id="tier-validity-days" name="validity_days" inputmode="numeric" value=rules.validity_days.to_string()/>
                </Field>
            </div>
            <button type="submit" class="button">"Save tier settings"</button>
        </ActionForm>
        <ul class="status-type-list">
            {rules.levels.into_iter().map(|l| view! { <li><LevelForm l saved/></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn LevelForm(l: TierLevel, saved: RwSignal<u32>) -> impl IntoView {
    let level = ServerAction::<SaveTierLevel>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = level.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let key = l.name.to_lowercase();
    let threshold_id = format!("tier-{key}-threshold");
    let benefits_id = format!("tier-{key}-benefits");
    view! {
        <ActionForm action=level attr:class="status-type-row">
            <input type="hidden" name="name" value=l.name.clone()/>
            <Field id=threshold_id.clone() label="Threshold (points)" error=field_error(move || level.value().get().and_then(Result::err), "threshold_points")>
                <input id=threshold_id name="threshold_points" inputmode="numeric" value=l.threshold_points.to_string()/>
            </Field>
            <Field id=benefits_id.clone() label="Benefits" error=field_error(move || level.value().get().and_then(Result::err), "benefits")>
                <input id=benefits_id name="benefits" value=l.benefits.clone()/>
            </Field>
            <button type="submit" class="button secondary">{format!("Save {}", l.name)}</button>
        </ActionForm>
    }
}
