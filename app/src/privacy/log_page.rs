//! `/privacy`: the log of every data-privacy request, filtered by type, status, user and date,
//! paginated. Needs privacy.view_log.

use super::api::list_privacy_requests;
use super::model::{LogFilter, REQUEST_TYPES};
use super::tab::History;
use crate::auth::{Permission, RequirePermission};
use crate::layout::Loaded;
use leptos::prelude::*;

/// The global Data Privacy page.
#[component]
pub fn PrivacyLogPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Data privacy · Customer Profiles"/>
        <RequirePermission permission=Permission::PrivacyViewLog>
            <PrivacyLog/>
        </RequirePermission>
    }
}

#[component]
fn PrivacyLog() -> impl IntoView {
    let filter = RwSignal::new(LogFilter::default());
    let page = Resource::new(
        move || filter.get(),
        |filter| list_privacy_requests(Some(filter)),
    );
    let text = |ev: &leptos::ev::Event| {
        let value = event_target_value(ev);
        (!value.trim().is_empty()).then_some(value)
    };
    let set = move |apply: fn(&mut LogFilter, Option<String>), value: Option<String>| {
        filter.update(|f| {
            apply(f, value);
            f.page = None;
        });
    };
    let go = move |delta: i64| {
        filter.update(|f| {
            let page = i64::from(f.page.unwrap_or(1)) + delta;
            f.page = u32::try_from(page.max(1)).ok();
        });
    };
    view! {
        <div class="page">
            <h1>"Data privacy requests"</h1>
            <form class="stream-filters" aria-label="Filter requests" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="log-type">"Type"</label>
                    <select id="log-type" on:change=move |ev| set(|f, v| f.request_type = v, text(&ev))>
                        <option value="">"All types"</option>
                        {REQUEST_TYPES.map(|t| view! { <option value=t>{t}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="log-status">"Status"</label>
                    <select id="log-status" on:change=move |ev| set(|f, v| f.status = v, text(&ev))>
                        <option value="">"All"</option>
                        <option value="completed">"completed"</option>
                        <option value="failed">"failed"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="log-user">"Executed by (email)"</label>
                    <input id="log-user" type="email" autocomplete="off" on:change=move |ev| set(|f, v| f.executed_by = v, text(&ev))/>
                </div>
                <div class="field">
                    <label for="log-from">"From"</label>
                    <input id="log-from" type="date" on:change=move |ev| set(|f, v| f.from = v, text(&ev))/>
                </div>
                <div class="field">
                    <label for="log-to">"To"</label>
                    <input id="log-to" type="date" on:change=move |ev| set(|f, v| f.to = v, text(&ev))/>
                </div>
            </form>
            <Loaded resource=page what="requests" let:log>
                {
                    let number = filter.with_untracked(|f| f.page.unwrap_or(1));
                    let pages = (log.total.max(1) + i64::from(log.page_size) - 1) / i64::from(log.page_size);
                    let (first, last) = (number <= 1, i64::from(number) >= pages);
                    view! {
                        <p class="muted" role="status">{format!("{} · page {number} of {pages}", crate::words::count(log.total, "request", "requests"))}</p>
                        <History history=log.requests with_customer=true/>
                        <nav class="pagination" aria-label="Pages">
                            <button type="button" class="button secondary" disabled=first on:click=move |_| go(-1)>"Previous page"</button>
                            <button type="button" class="button secondary" disabled=last on:click=move |_| go(1)>"Next page"</button>
                        </nav>
                    }.into_any()
                }
            </Loaded>
        </div>
    }
}
