//! `/admin/users` (list and create) and `/admin/users/:id` (permissions, deactivate, reset).

use super::api::{
    get_user, list_users, CreateUser, ResetUserPassword, SetUserActive, SetUserPermission,
};
use super::model::UserSummary;
use crate::auth::{Permission, RequirePermission, Role};
use crate::error::AppError;
use crate::layout::{Column, DataTable, Field, Loaded, TableName};
use crate::time::format_date;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The list of platform users and the form to add one.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::UsersManage>
            <UsersList/>
        </RequirePermission>
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let users = Resource::new(move || create.version().get(), |_| list_users());
    view! {
        <leptos_meta::Title text="Users · Admin · Customer Profiles"/>
        <div class="page admin-page">
            <p class="breadcrumbs"><a href="/admin">"Admin"</a></p>
            <h1>"Platform users"</h1>
            <Loaded resource=users what="users" let:users>
                <UserTable users/>
            </Loaded>
            <CreateUserForm create/>
        </div>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>) -> impl IntoView {
    view! {
        <DataTable name=TableName::Caption("Platform users") columns=vec![Column::text("Name"), Column::text("Email"), Column::text("Role"), Column::text("Status"), Column::text("Permissions"), Column::text("Created")]>
            {users
                .into_iter()
                .map(|user| {
                    view! {
                        <tr>
                            <td>
                                <a href=format!("/admin/users/{}", user.id)>{user.display_name}</a>
                            </td>
                            <td>{user.email}</td>
                            <td>{user.role.label()}</td>
                            <td>{if user.active { "Active" } else { "Deactivated" }}</td>
                            <td>{user.permissions.len()}</td>
                            <td>{format_date(user.created_at)}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}

#[component]
fn CreateUserForm(create: ServerAction<CreateUser>) -> impl IntoView {
    let error = move || create.value().get().and_then(Result::err);
    let field = move |name: &'static str| {
        Signal::derive(move || error().and_then(|e: AppError| e.for_field(name)))
    };
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <section class="card" aria-labelledby="new-user-title">
            <h2 id="new-user-title">"Add a platform user"</h2>
            <ActionForm action=create>
                <div class="form-grid">
                    <Field id="new-user-name" label="Name" error=field("display_name")>
                        <input id="new-user-name" name="display_name" required autocomplete="off"/>
                    </Field>
                    <Field id="new-user-email" label="Email" error=field("email")>
                        <input id="new-user-email" name="email" type="email" required autocomplete="off"/>
                    </Field>
                    <Field id="new-user-role" label="Role" error=field("role")>
                        <select id="new-user-role" name="role">
                            {Role::ALL
                                .into_iter()
                                .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
                                .collect_view()}
                        </select>
                    </Field>
                    <Field id="new-user-password" label="Initial password (12+ characters)" error=field("password")>
                        <input
                            id="new-user-password"
                            name="password"
                            type="password"
                            autocomplete="new-password"
                            required
                            minlength="12"
                        />
                    </Field>
                </div>
                <button type="submit" class="button" disabled=move || create.pending().get()>
                    "Add user"
                </button>
                <p role="status" class="form-status">
                    {move || created().map(|u| format!("Added {} ({}).", u.display_name, u.role.label()))}
                </p>
            </ActionForm>
        </section>
    }
}

/// One user: permissions, deactivation and password reset.
#[component]
pub fn UserDetailPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::UsersManage>
            <UserDetailScreen/>
        </RequirePermission>
    }
}

#[component]
fn UserDetailScreen() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let grant = ServerAction::<SetUserPermission>::new();
    let activate = ServerAction::<SetUserActive>::new();
    let user = Resource::new(
        move || (id.get(), grant.version().get(), activate.version().get()),
        |(id, _, _)| get_user(id),
    );
    let action_error = move || {
        grant
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| activate.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    };
    view! {
        <leptos_meta::Title text="User · Admin · Customer Profiles"/>
        <div class="page admin-page">
            <p class="breadcrumbs">
                <a href="/admin">"Admin"</a>" / "<a href="/admin/users">"Users"</a>
            </p>
            <Loaded resource=user what="user" let:user>
                <UserDetail user grant activate/>
            </Loaded>
            <p class="alert alert-error" role="alert" hidden=move || action_error().is_none()>
                {action_error}
            </p>
            <ResetPasswordForm id/>
        </div>
    }
}

#[component]
fn UserDetail(
    user: UserSummary,
    grant: ServerAction<SetUserPermission>,
    activate: ServerAction<SetUserActive>,
) -> impl IntoView {
    let id = user.id.clone();
    let toggle_id = user.id.clone();
    let active = user.active;
    view! {
        <h1>{user.display_name.clone()}</h1>
        <p>
            {user.email.clone()}" · "{user.role.label()}" · "
            <strong>{if active { "Active" } else { "Deactivated" }}</strong>
        </p>
        <button
            type="button"
            class=if active { "button danger" } else { "button" }
            on:click=move |_| {
                activate.dispatch(SetUserActive { id: toggle_id.clone(), active: !active });
            }
        >
            {if active { "Deactivate user" } else { "Reactivate user" }}
        </button>
        <fieldset class="card permissions">
            <legend>"Permissions"</legend>
            <ul class="checkbox-list">
                {Permission::ALL
                    .into_iter()
                    .map(|permission| {
                        let id = id.clone();
                        let checked = user.permissions.contains(&permission);
                        let input_id = format!("perm-{}", permission.as_str().replace('.', "-"));
                        view! {
                            <li>
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    checked=checked
                                    on:change=move |ev| {
                                        grant.dispatch(SetUserPermission {
                                            id: id.clone(),
                                            permission: permission.as_str().into(),
                                            granted: event_target_checked(&ev),
                                        });
                                    }
                                />
                                <label for=input_id>
                                    <code>{permission.as_str()}</code>" "{permission.description()}
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </fieldset>
    }
}

#[component]
fn ResetPasswordForm(id: Memo<String>) -> impl IntoView {
    let reset = ServerAction::<ResetUserPassword>::new();
    let error = Signal::derive(move || {
        reset
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    view! {
        <section class="card" aria-labelledby="reset-title">
            <h2 id="reset-title">"Reset password"</h2>
            <p>"Ends the user's sessions and lifts any sign-in lock."</p>
            <ActionForm action=reset>
                <input type="hidden" name="id" prop:value=move || id.get()/>
                <Field id="reset-password" label="New password (12+ characters)" error>
                    <input id="reset-password" name="password" type="password" autocomplete="new-password" required/>
                </Field>
                <button type="submit" class="button">"Set password"</button>
                <p role="status" class="form-status">
                    {move || matches!(reset.value().get(), Some(Ok(()))).then_some("Password changed.")}
                </p>
            </ActionForm>
        </section>
    }
}
