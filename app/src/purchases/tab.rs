//! The Purchases sub-tab.

use super::api::list_purchases;
use super::model::{Purchase, PurchaseSort};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::money::Money;
use crate::time::format_date_time;
use leptos::prelude::*;

/// The tab: sort control, table, pages.
#[component]
pub fn PurchasesTab() -> impl IntoView {
    let id = use_customer_id();
    let live = expect_context::<ProfilePageContext>().live_changes;
    let sort = RwSignal::new(PurchaseSort::default());
    let page = RwSignal::new(1i64);
    let purchases = Resource::new(
        move || (id.get(), sort.get(), page.get(), live.get()),
        |(id, sort, page, _)| list_purchases(id, sort, page),
    );
    view! {
        <section class="panel" aria-labelledby="purchases-title">
            <h2 id="purchases-title">"Purchases"</h2>
            <div class="stream-filters"><div class="field">
                <label for="purchase-sort">"Sort"</label>
                <select id="purchase-sort" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some((s, _)) = PurchaseSort::ALL.into_iter().find(|(s, _)| format!("{s:?}") == chosen) {
                        sort.set(s);
                        page.set(1);
                    }
                }>
                    {PurchaseSort::ALL.map(|(s, label)| view! { <option value=format!("{s:?}")>{label}</option> }).collect_view()}
                </select>
            </div></div>
            <Loaded resource=purchases what="purchases" let:value>
                {match value {
                    list if list.total == 0 => view! { <p class="muted">"No purchases yet."</p> }.into_any(),
                    list => {
                        let pages = (list.total + list.page_size - 1) / list.page_size;
                        let current = page.get_untracked();
                        let (first, last) = (current <= 1, current >= pages);
                        view! {
                            <p class="muted" role="status">{format!("{} · page {current} of {pages}", crate::words::count(list.total, "purchase", "purchases"))}</p>
                            <PurchaseTable purchases=list.purchases home=list.home_currency/>
                            <nav class="pagination" aria-label="Purchase pages">
                                <button type="button" class="button secondary" disabled=first
                                    on:click=move |_| page.update(|p| *p -= 1)>"Previous page"</button>
                                <button type="button" class="button secondary" disabled=last
                                    on:click=move |_| page.update(|p| *p += 1)>"Next page"</button>
                            </nav>
                        }.into_any()
                    }
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn PurchaseTable(purchases: Vec<Purchase>, home: String) -> impl IntoView {
    view! {
        <DataTable class="purchases" name=TableName::Section columns=vec![Column::text("Date and time"), Column::number("Total"), Column::text("Store"), Column::text("Items"), Column::text("Offers redeemed")]>
            {purchases.into_iter().map(|p| view! {
                <tr>
                    <td class="nowrap">{format_date_time(p.at)}</td>
                    <td class="number">{Money::new(p.amount_cents, &p.currency).display(&home)}</td>
                    <td>{p.store.unwrap_or_else(|| "Online".into())}</td>
                    <td>{p.items.join(", ")}</td>
                    <td>{if p.offers.is_empty() { "—".to_string() } else { p.offers.join(", ") }}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
