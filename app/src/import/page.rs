//! Admin → Import: `/admin/import` uploads a file and lists the latest imports;
//! `/admin/import/:id` maps a customers file's columns, runs a dry run or the import, follows
//! its progress (from the database, so a reload or another tab shows the same), stops and
//! resumes it, and lists the refused rows with a CSV of them all. Needs customers.import.

use super::api::{get_import, list_imports, SetImportMapping, StartImport, StopImport};
use super::model::{
    ImportDetail, ImportJob, ImportKind, ImportStatus, CUSTOMER_FIELDS, IGNORE, MAX_UPLOAD_BYTES,
    SOURCE_ID,
};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{Column, DataTable, Field, Loaded, TableName};
use crate::time::{format_count, format_date_time};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::time::Duration;

/// The import screen: upload and the latest imports.
#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Import · Admin · Customer Profiles"/>
        <RequirePermission permission=Permission::CustomersImport>
            <div class="page admin-page">
                <p class="breadcrumbs"><a href="/admin">"Admin"</a></p>
                <h1>"Import"</h1>
                <p>
                    "Bring customers in from your CRM, or years of history as events. Customers are matched by email, phone, card number, external id or customer id: a match is updated, anyone else is created — never twice. Empty cells leave stored values alone. Run a dry run first: it writes nothing and lists every row that would be refused."
                </p>
                <UploadForm/>
                <RecentImports/>
            </div>
        </RequirePermission>
    }
}

#[component]
fn UploadForm() -> impl IntoView {
    let query = use_query_map();
    let server_error = move || query.read().get("error");
    let local_error = RwSignal::new(None::<String>);
    let error = move || local_error.get().or_else(server_error);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let size = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
            .map(|file| file.size() as u64);
        let problem = match size {
            None => Some("Choose a file to import.".to_string()),
            Some(size) if size > MAX_UPLOAD_BYTES => Some(format!(
                "The file is {} MB; the browser may send at most {} MB. Import it with the command line (customer-profiles import), which takes any size.",
                size / 1024 / 1024,
                MAX_UPLOAD_BYTES / 1024 / 1024
            )),
            Some(_) => None,
        };
        if problem.is_some() {
            ev.prevent_default();
            crate::layout::focus("import-file");
        }
        local_error.set(problem);
    };
    view! {
        <section class="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">"Upload a file"</h2>
            <form method="post" action="/admin/import/upload" enctype="multipart/form-data" class="form-grid" on:submit=on_submit>
                <Field id="import-kind" label="What the file holds" error=Signal::derive(|| None::<String>)>
                    <select id="import-kind" name="kind">
                        <option value="customers">"Customers (CSV or NDJSON)"</option>
                        <option value="events">"Events (NDJSON, as the ingest API takes them)"</option>
                    </select>
                </Field>
                <Field id="import-file" label="File (up to 1 GB here; any size with the command line)" error=Signal::derive(error)>
                    <input id="import-file" name="file" type="file" node_ref=file_input
                        accept=".csv,.ndjson,.jsonl,.json,.txt,text/csv,application/x-ndjson"
                        aria-describedby="import-file-error"
                        aria-invalid=move || error().is_some().then_some("true")/>
                </Field>
                <div class="form-actions">
                    <button type="submit" class="button">"Upload"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn RecentImports() -> impl IntoView {
    let imports = Resource::new(|| (), |_| list_imports());
    view! {
        <section class="panel" aria-labelledby="recent-imports-title">
            <h2 id="recent-imports-title">"Latest imports"</h2>
            <Loaded resource=imports what="imports" let:list>
                {if list.is_empty() {
                    view! { <p class="muted">"No file has been imported yet."</p> }.into_any()
                } else {
                    view! {
                        <DataTable name=TableName::Section columns=vec![
                            Column::text("File"), Column::text("Holds"), Column::text("Status"),
                            Column::number("Rows"), Column::number("Created"), Column::number("Updated"),
                            Column::number("Refused"), Column::text("By"), Column::text("Uploaded"),
                        ]>
                            {list.into_iter().map(|job| view! {
                                <tr>
                                    <td><a href=format!("/admin/import/{}", job.id)>{job.file_name.clone()}</a></td>
                                    <td>{job.kind.as_str()}</td>
                                    <td>{status_text(&job)}</td>
                                    <td class="number">{format_count(job.rows_done)}</td>
                                    <td class="number">{format_count(job.created)}</td>
                                    <td class="number">{format_count(job.updated)}</td>
                                    <td class="number">{format_count(job.rejected)}</td>
                                    <td>{job.created_by.clone()}</td>
                                    <td>{format_date_time(job.created_at)}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

/// What a job's state reads as.
fn status_text(job: &ImportJob) -> String {
    match (job.status, job.dry_run) {
        (ImportStatus::Ready, _) => "Uploaded, not run".into(),
        (ImportStatus::Running, true) => "Dry run running".into(),
        (ImportStatus::Running, false) => "Importing".into(),
        (ImportStatus::Stopping, _) => "Stopping after this batch".into(),
        (ImportStatus::Stopped, _) => "Stopped (can resume)".into(),
        (ImportStatus::Failed, _) => "Could not run".into(),
        (ImportStatus::Checked, _) => "Dry run done".into(),
        (ImportStatus::Done, _) => "Imported".into(),
    }
}

/// One import's screen.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let start = ServerAction::<StartImport>::new();
    let stop = ServerAction::<StopImport>::new();
    let map = ServerAction::<SetImportMapping>::new();
    let poll = RwSignal::new(0u32);
    let dirty = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = map.value().get() {
            dirty.set(false);
        }
    });
    let detail = Resource::new(
        move || {
            (
                id(),
                start.version().get(),
                stop.version().get(),
                map.version().get(),
                poll.get(),
            )
        },
        |(id, ..)| get_import(id),
    );
    // While it runs, read its progress again every second.
    Effect::new(move |_| {
        if let Some(Ok(d)) = detail.get() {
            if d.job.status.is_active() {
                set_timeout(move || poll.update(|n| *n += 1), Duration::from_secs(1));
            }
        }
    });
    let action_error = Signal::derive(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| stop.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    });
    view! {
        <leptos_meta::Title text="Import · Admin · Customer Profiles"/>
        <RequirePermission permission=Permission::CustomersImport>
            <div class="page admin-page import-page">
                <p class="breadcrumbs"><a href="/admin">"Admin"</a>" › "<a href="/admin/import">"Import"</a></p>
                <Loaded resource=detail what="the import" let:d>
                    <h1>{d.job.file_name.clone()}</h1>
                    <Progress job=d.job.clone()/>
                    <p class="alert alert-error" role="alert" hidden=move || action_error.get().is_none()>{action_error}</p>
                    <Actions job=d.job.clone() blocked=!d.file_problems.is_empty() dirty start stop/>
                    <Summary job=d.job.clone()/>
                    <MappingForm detail=d.clone() map dirty/>
                    <Rejections detail=d/>
                </Loaded>
            </div>
        </RequirePermission>
    }
}

#[component]
fn Progress(job: ImportJob) -> impl IntoView {
    let storing = job.storing && job.status != ImportStatus::Done;
    let mut parts = vec![format!("{} %", job.percent())];
    if storing {
        // An events import's second step: what the first kept, stored by customer.
        parts.push(format!(
            "{} rows read; storing their events by customer: {} of {}",
            format_count(job.rows_done),
            format_count(job.staged_done),
            format_count(job.staged)
        ));
    } else {
        parts.push(format!("{} rows", format_count(job.rows_done)));
    }
    if job.status.is_active() {
        if let Some(rate) = job.rows_per_second().filter(|_| !storing) {
            parts.push(format!("{} rows/s", format_count(rate as i64)));
        }
        if let Some(left) = job.seconds_left() {
            parts.push(format!("about {} left", duration_text(left)));
        }
    }
    let what = match job.kind {
        ImportKind::Customers => "Customers",
        ImportKind::Events => "Events",
    };
    view! {
        <section class="panel" aria-labelledby="progress-title">
            <h2 id="progress-title">{format!("{what} · {}", status_text(&job))}</h2>
            <progress id="import-progress" max="100" value=job.percent() aria-labelledby="progress-title progress-text"></progress>
            <p id="progress-text" role="status">{parts.join(" · ")}</p>
            {job.message.clone().map(|m| view! { <p class="alert alert-info">{m}</p> })}
            {job.encoding.clone().map(|e| view! {
                <p class="muted" data-testid="import-encoding">{format!("The file is in {e}, not UTF-8: it was read as {e}.")}</p>
            })}
        </section>
    }
}

fn duration_text(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", (s + 59) / 60),
        s => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

#[component]
fn Actions(
    job: ImportJob,
    blocked: bool,
    /// The mapping has unsaved changes: save them before a run.
    dirty: RwSignal<bool>,
    start: ServerAction<StartImport>,
    stop: ServerAction<StopImport>,
) -> impl IntoView {
    let run_button = |run: &'static str, label: &'static str, class: &'static str| {
        let id = job.id.clone();
        view! {
            <ActionForm action=start>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="run" value=run/>
                <button type="submit" class=class disabled=move || blocked || dirty.get()>{label}</button>
            </ActionForm>
        }
    };
    let buttons = match job.status {
        ImportStatus::Running | ImportStatus::Stopping => view! {
            <ActionForm action=stop>
                <input type="hidden" name="id" value=job.id.clone()/>
                <button type="submit" class="button secondary" disabled=job.status == ImportStatus::Stopping>"Stop after this batch"</button>
            </ActionForm>
        }
        .into_any(),
        ImportStatus::Done => view! {
            <p>"Imported. Every customer it created or changed shows the import in their stream."</p>
        }
        .into_any(),
        ImportStatus::Stopped => view! {
            {run_button("resume", "Resume", "button")}
            {run_button("check", "Start a new dry run", "button secondary")}
        }
        .into_any(),
        _ => view! {
            {run_button("check", "Dry run", "button secondary")}
            {run_button("import", "Import", "button")}
        }
        .into_any(),
    };
    view! {
        <div class="button-row">{buttons}</div>
        <p class="muted" role="status" hidden=move || !dirty.get()>"Save the mapping to run with it."</p>
    }
}

#[component]
fn Summary(job: ImportJob) -> impl IntoView {
    if job.started_at.is_none() {
        return ().into_any();
    }
    let label = |done: &str| {
        if job.dry_run {
            format!("Would be {}", done.to_lowercase())
        } else {
            done.to_string()
        }
    };
    let rows = match job.kind {
        ImportKind::Customers => vec![
            (label("Created"), job.created),
            (label("Updated"), job.updated),
            ("Unchanged".to_string(), job.unchanged),
            ("Refused".to_string(), job.rejected),
            (
                "Values left out (their customers came in)".to_string(),
                job.left_out,
            ),
        ],
        ImportKind::Events => vec![
            (label("Stored"), job.created),
            ("Stored before (skipped)".to_string(), job.unchanged),
            ("Refused".to_string(), job.rejected),
        ],
    };
    view! {
        <section class="panel" aria-labelledby="summary-title">
            <h2 id="summary-title">{summary_title(&job)}</h2>
            <dl class="fact-list import-summary">
                {rows.into_iter().map(|(label, n)| view! {
                    <dt>{label}</dt><dd>{format_count(n)}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
    .into_any()
}

fn summary_title(job: &ImportJob) -> &'static str {
    match (job.status.is_active(), job.dry_run) {
        (true, true) => "Dry run running…",
        (true, false) => "Importing…",
        (false, true) => "Dry run: nothing was written",
        (false, false) => "Result",
    }
}

/// A problem as a sentence: `is also on row 2…` → `Is also on row 2…` (the column it follows
/// in the report is in the column beside it).
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[component]
fn MappingForm(
    detail: ImportDetail,
    map: ServerAction<SetImportMapping>,
    /// Set when a choice changed and is not saved yet.
    dirty: RwSignal<bool>,
) -> impl IntoView {
    if detail.columns.is_empty() && detail.file_problems.is_empty() {
        return ().into_any();
    }
    let editable = !detail.job.status.is_active() && detail.job.status != ImportStatus::Done;
    let map_error = Signal::derive(move || {
        map.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let attributes = detail.attributes.clone();
    let rows = detail
        .columns
        .iter()
        .enumerate()
        .map(|(index, (column, mapping))| {
            let select_id = format!("map-{index}");
            let clear_id = format!("clear-{index}");
            let options = target_options(&attributes, &mapping.target);
            view! {
                <tr>
                    <th scope="row"><label for=select_id.clone()>{column.clone()}</label></th>
                    <td>
                        <select id=select_id name=format!("target[c{index}]") disabled=!editable on:change=move |_| dirty.set(true)>
                            {options}
                        </select>
                    </td>
                    <td>
                        <input type="checkbox" id=clear_id.clone() name=format!("clear[c{index}]")
                            checked=mapping.clear_when_empty disabled=!editable on:change=move |_| dirty.set(true)/>
                        <label for=clear_id>
                            "Clear"<span class="visually-hidden">{format!(" the stored {column} when a cell is empty")}</span>
                        </label>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let ignore_rest = editable.then(|| view! { <IgnoreRest detail=detail.clone() map dirty/> });
    view! {
        <section class="panel" aria-labelledby="mapping-title">
            <h2 id="mapping-title">"Columns"</h2>
            <SourceNote source=detail.source.clone()/>
            {(!detail.file_problems.is_empty()).then(|| view! {
                <div class="alert alert-error" role="alert">
                    <p>"Mend these before the import can run:"</p>
                    <ul>
                        {detail.file_problems.iter().map(|p| view! {
                            <li>{format!("{} {}", p.field, p.message).trim().to_string()}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <ActionForm action=map>
                <input type="hidden" name="id" value=detail.job.id.clone()/>
                <DataTable class="mapping" name=TableName::Section columns=vec![
                    Column::text("Column in the file"), Column::text("Fills"), Column::text("Empty cells"),
                ]>
                    {rows}
                </DataTable>
                {editable.then(|| view! {
                    <p class="checkbox-line">
                        <input type="checkbox" id="save-mapping" name="save"/>
                        <label for="save-mapping">"Use this mapping for the next customers files"</label>
                    </p>
                    <button type="submit" class="button secondary">"Save the mapping"</button>
                })}
            </ActionForm>
            {ignore_rest}
            <p class="alert alert-error" role="alert" hidden=move || map_error.get().is_none()>{map_error}</p>
        </section>
    }
    .into_any()
}

/// Which system the file was exported from (its preset), and how columns filling one field
/// are read.
#[component]
fn SourceNote(source: Option<String>) -> impl IntoView {
    let recognised = source.map(|source| {
        view! {
            <p class="alert alert-info" data-testid="import-source">
                {format!("Recognised as an export from {source}: its columns are mapped as {source} writes them, and its own ids kept as external ids. Change any of them below.")}
            </p>
        }
    });
    view! {
        {recognised}
        <p class="muted">
            "Where several columns fill one field, the first non-empty one in the file's order is the customer's; more emails, phones, cards and external ids are kept as more identifiers of the customer."
        </p>
    }
}

/// "Ignore all the rest": every column not chosen yet is ignored, the others kept as saved.
#[component]
fn IgnoreRest(
    detail: ImportDetail,
    map: ServerAction<SetImportMapping>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let open = detail
        .columns
        .iter()
        .filter(|(_, m)| m.target.is_empty())
        .count();
    (open > 0).then(|| {
        let targets = detail.columns.into_iter().enumerate().map(|(index, (_, mapping))| {
            view! { <input type="hidden" name=format!("target[c{index}]") value=mapping.target/> }
        });
        view! {
            <ActionForm action=map>
                <input type="hidden" name="id" value=detail.job.id/>
                <input type="hidden" name="ignore_rest" value="on"/>
                {targets.collect_view()}
                <button type="submit" class="button secondary" disabled=move || dirty.get()>
                    {format!("Ignore the {open} columns not chosen")}
                </button>
            </ActionForm>
        }
    })
}

/// The options of a column's "Fills" list, `current` chosen.
fn target_options(attributes: &[(String, String)], current: &str) -> impl IntoView {
    let option = |value: String, label: String| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let mut options = Vec::new();
    if current.is_empty() {
        options.push(option(String::new(), "Choose…".into()));
    }
    options.push(option(IGNORE.into(), "Ignore this column".into()));
    if let Some(source) = current.strip_prefix(SOURCE_ID) {
        options.push(option(
            current.into(),
            format!("External id, kept as {source}:…"),
        ));
    }
    for (name, label) in CUSTOMER_FIELDS {
        options.push(option(name.into(), label.into()));
    }
    for (name, label) in attributes {
        options.push(option(
            format!("attribute:{name}"),
            format!("Attribute: {label}"),
        ));
    }
    options.collect_view()
}

#[component]
fn Rejections(detail: ImportDetail) -> impl IntoView {
    if detail.rejections.is_empty() {
        return ().into_any();
    }
    let shown = detail.rejections.len() as i64;
    let note = if detail.job.rejected + detail.job.left_out > shown || shown >= 100 {
        format!(
            "The first {} problems; the CSV has them all.",
            format_count(shown)
        )
    } else {
        String::new()
    };
    view! {
        <section class="panel" aria-labelledby="rejections-title">
            <h2 id="rejections-title">"Refused rows and values left out"</h2>
            <p>
                "Nothing of a refused row was written; the rows around it were. A value left out cost only that value: its customer came in without it. Mend them in the file and import it again: rows already in are matched, not added twice. "
                {note}
            </p>
            <p><a class="button secondary" href=format!("/admin/import/{}/rejections.csv", detail.job.id) download="">"Download the report (CSV)"</a></p>
            <DataTable name=TableName::Section columns=vec![
                Column::number("Row"), Column::text("Column"), Column::text("Problem"), Column::text("Outcome"),
            ]>
                {detail.rejections.into_iter().map(|p| view! {
                    <tr>
                        <td class="number">{p.row}</td>
                        <td>{p.field}</td>
                        <td>{sentence(&p.message)}</td>
                        <td>{if p.left_out { "Value left out" } else { "Row refused" }}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        </section>
    }
    .into_any()
}
