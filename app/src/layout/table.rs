//! The records table every list uses: one `<table class="data-table">` with its caption or
//! label, a header row of column headings, and a `<tbody>` (always written: the browser
//! inserts one otherwise and hydration fails).

use leptos::prelude::*;

/// One column heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The heading's text.
    pub label: &'static str,
    /// Numbers: the heading is right-aligned like the cells below it.
    pub number: bool,
    /// Read by screen readers only (a column of buttons: "Actions").
    pub hidden: bool,
}

impl Column {
    /// A column of text.
    pub const fn text(label: &'static str) -> Self {
        Self {
            label,
            number: false,
            hidden: false,
        }
    }

    /// A column of right-aligned numbers.
    pub const fn number(label: &'static str) -> Self {
        Self {
            label,
            number: true,
            hidden: false,
        }
    }

    /// A column whose heading only screen readers read.
    pub const fn hidden(label: &'static str) -> Self {
        Self {
            label,
            number: false,
            hidden: true,
        }
    }
}

/// How a table is named for assistive technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableName {
    /// A caption only screen readers read.
    Caption(&'static str),
    /// A caption shown above the table.
    VisibleCaption(&'static str),
    /// The id of a heading on the page that names it.
    LabelledBy(&'static str),
    /// A label of its own (no visible heading names it).
    Label(&'static str),
    /// The surrounding section's heading names it.
    Section,
}

/// A table of records: `columns` head it, `children` are its rows (`<tr>`s).
#[component]
pub fn DataTable(
    /// Class beside `data-table` (e.g. `ledger`), for its own column widths.
    #[prop(optional)]
    class: &'static str,
    /// How it is named.
    name: TableName,
    /// The column headings, in order.
    columns: Vec<Column>,
    /// The rows.
    children: Children,
) -> impl IntoView {
    let class = if class.is_empty() {
        "data-table".to_string()
    } else {
        format!("data-table {class}")
    };
    let (labelled_by, label) = match name {
        TableName::LabelledBy(id) => (Some(id), None),
        TableName::Label(label) => (None, Some(label)),
        _ => (None, None),
    };
    let caption = match name {
        TableName::Caption(text) => {
            Some(view! { <caption class="visually-hidden">{text}</caption> }.into_any())
        }
        TableName::VisibleCaption(text) => Some(view! { <caption>{text}</caption> }.into_any()),
        _ => None,
    };
    let headings = columns
        .iter()
        .map(|column| {
            let class = column.number.then_some("number");
            if column.hidden {
                view! { <th scope="col" class=class><span class="visually-hidden">{column.label}</span></th> }
                    .into_any()
            } else {
                view! { <th scope="col" class=class>{column.label}</th> }.into_any()
            }
        })
        .collect_view();
    // A table wider than its panel scrolls inside it; the page never scrolls sideways.
    view! {
        <div class="table-scroll">
            <table class=class aria-labelledby=labelled_by aria-label=label>
                {caption}
                <thead>
                    <tr>{headings}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
