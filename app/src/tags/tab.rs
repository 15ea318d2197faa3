//! The Tags sub-tab: tags with count and first / last applied; add one, reset a count.

use super::api::{list_tags, AddTag, ResetTagCount};
use super::model::CustomerTag;
use crate::auth::{use_can, Permission};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{field_error, form_error, Column, DataTable, Field, Loaded, TableName};
use crate::time::{format_count, format_date_time};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The tab.
#[component]
pub fn TagsTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let add = ServerAction::<AddTag>::new();
    let reset = ServerAction::<ResetTagCount>::new();
    let tags = Resource::new(
        move || {
            (
                id.get(),
                add.version().get(),
                reset.version().get(),
                page.live_changes.get(),
            )
        },
        |(id, _, _, _)| list_tags(id),
    );
    let may_manage = use_can(Permission::TagsManage);
    let add_error = move || add.value().get().and_then(Result::err);
    let reset_error = form_error(move || reset.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="tags-title">
            <h2 id="tags-title">"Tags"</h2>
            <Loaded resource=tags what="tags" let:list>
                {may_manage.then(|| view! {
                    <ActionForm action=add attr:class="inline-form">
                        <input type="hidden" name="customer_id" value=id.get_untracked()/>
                        <Field id="new-tag" label="Add a tag" error=field_error(add_error, "tag")>
                            <input id="new-tag" name="tag" list="known-tags" required autocomplete="off"
                                maxlength="40" aria-describedby="new-tag-error"/>
                        </Field>
                        <datalist id="known-tags">
                            {list.known.iter().map(|t| view! { <option value=t.clone()></option> }).collect_view()}
                        </datalist>
                        <button type="submit" class="button secondary">"Add tag"</button>
                    </ActionForm>
                })}
                <TagTable tags=list.tags may_manage reset/>
            </Loaded>
            <p class="alert alert-error" role="alert" hidden=move || reset_error.get().is_none()>{reset_error}</p>
        </section>
    }
}

#[component]
fn TagTable(
    tags: Vec<CustomerTag>,
    may_manage: bool,
    reset: ServerAction<ResetTagCount>,
) -> impl IntoView {
    let id = use_customer_id();
    if tags.is_empty() {
        return view! { <p class="muted">"No tags yet."</p> }.into_any();
    }
    view! {
        <DataTable class="tags" name=TableName::Section columns=vec![Column::text("Tag"), Column::number("Count"), Column::text("First applied"), Column::text("Last applied"), Column::hidden("Actions")]>
            {tags.into_iter().map(|t| {
                let tag = t.tag.clone();
                let can_reset = may_manage && t.count > 0;
                view! {
                    <tr>
                        <td>{t.tag.clone()}</td>
                        <td class="number">{format_count(t.count)}</td>
                        <td>{format_date_time(t.first_at)}</td>
                        <td>{format_date_time(t.last_at)}</td>
                        <td>
                            {can_reset.then(|| view! {
                                <button type="button" class="button secondary" on:click=move |_| {
                                    reset.dispatch(ResetTagCount { customer_id: id.get_untracked(), tag: tag.clone() });
                                }>
                                    "Reset count"<span class="visually-hidden">" of " {t.tag.clone()}</span>
                                </button>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
