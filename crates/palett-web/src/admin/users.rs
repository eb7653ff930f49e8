use crate::account::security::secret_input;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::views::{Block, FormBlock};
use crate::ui::{admin_spec, choices, confirm_spec, options, render, submitted, FormSpec};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::AppError;
use palett_domain::admin::parse_role_choice;
use palett_domain::policy::Role;

pub(crate) fn user_spec(t: Tr, orgs: Vec<(String, String)>) -> FormSpec {
    let fields = user_fields(t, orgs);
    admin_spec(
        t,
        t.get("user-new"),
        "admin",
        "/admin/users/new".into(),
        fields,
        "/admin/users",
    )
}

pub(crate) fn roles_spec(t: Tr, user_id: i64, title: String) -> FormSpec {
    let roles = options(t, Role::ALL, Role::as_str, Role::message_id);
    let fields = vec![FieldView::new(t, "roles", "field-roles", "multi").options(roles)];
    let path = format!("/admin/users/{user_id}/roles");
    admin_spec(t, title, "admin", path, fields, "/admin/users")
}

/// The name of user `uid` of the partnership, for an administrator's page
/// that asks before changing her account (404 for anyone else's).
async fn user_named(s: &AppState, c: &Caller, uid: i64) -> Result<String, AppError> {
    if !c.signed.actor.can_administer() {
        return Err(AppError::Forbidden);
    }
    s.app
        .staff(&c.ctx())
        .await?
        .into_iter()
        .find(|(u, _)| u.id == uid)
        .map(|(u, _)| format!("{} ({})", u.display_name, u.organisation_name))
        .ok_or(AppError::NotFound)
}

/// The page that asks before `/admin/users/{uid}/{action}`: the message
/// `{what}` names the action, `confirm-{what}` says what it does to her.
async fn ask_about_user(
    s: &AppState,
    c: &Caller,
    uid: i64,
    action: &str,
    what: &str,
    f: &FormData,
) -> Answer {
    let t = c.tr();
    let name = user_named(s, c, uid).await?;
    Ok(confirm_spec(
        t.get(what),
        "admin",
        format!("/admin/users/{uid}/{action}"),
        (
            t.with(&format!("confirm-{what}"), &[("name", name)]),
            t.get(what),
        ),
        "/admin/users",
    )
    .blank(c, f))
}

/// Deactivate a user once confirmed on the page that says what it means;
/// unconfirmed, that page (nothing changes).
pub async fn user_deactivate(
    State(s): State<AppState>,
    c: Caller,
    Id(uid): Id,
    f: FormData,
) -> Answer {
    if !f.confirmed() {
        return ask_about_user(&s, &c, uid, "deactivate", "user-deactivate", &f).await;
    }
    Ok(
        match s.app.deactivate_user(&c.ctx(), uid).await.or_invalid()? {
            Ok(()) => Redirect::to("/admin/users?done=user-deactivated").into_response(),
            Err(_) => return Err(AppError::Forbidden.into()),
        },
    )
}

/// Reset a user's second factor once confirmed (she sets up a new one at
/// her next sign-in); unconfirmed, the page that asks.
pub async fn user_second_factor_reset(
    State(s): State<AppState>,
    c: Caller,
    Id(uid): Id,
    f: FormData,
) -> Answer {
    if !f.confirmed() {
        let action = "second-factor/reset";
        return ask_about_user(&s, &c, uid, action, "second-factor-reset", &f).await;
    }
    s.app.reset_second_factor(&c.ctx(), uid).await?;
    Ok(Redirect::to("/admin/users?done=second-factor-reset").into_response())
}

// ---------------------------------------------------------------- administration

pub(crate) fn user_fields(t: Tr, orgs: Vec<(String, String)>) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "display_name", "field-name", "text").required(),
        FieldView::new(t, "email", "field-email", "email")
            .required()
            .autocomplete("off"),
        FieldView::new(t, "password", "field-new-password", "password")
            .required()
            .hint(t, "hint-password")
            .autocomplete("new-password"),
        FieldView::new(t, "organisation_id", "field-organisation", "select")
            .required()
            .options(orgs),
        FieldView::new(t, "roles", "field-roles", "multi").options(options(
            t,
            Role::ALL,
            Role::as_str,
            Role::message_id,
        )),
    ]
}

pub async fn users(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let ctx = c.ctx();
    if !ctx.actor.can_administer() {
        return Err(AppError::Forbidden.into());
    }
    let me = ctx.actor.user_id;
    let (staff, orgs) = match (s.app.staff(&ctx).await, s.app.organisations(&ctx).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let requests = s.app.pending_role_requests(&ctx).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-admin"), "admin", "/admin/users"),
    );
    p.links = vec![
        ("/admin/users/new".into(), t.get("user-new")),
        ("/admin/organisations/new".into(), t.get("organisation-new")),
        ("/admin/retention".into(), t.get("retention-title")),
        ("/admin/webhooks".into(), t.get("webhooks-title")),
    ];
    p.tables.push(Table::headed(
        t,
        "users",
        &[
            "field-name",
            "field-email",
            "field-organisation",
            "field-roles",
            "field-status",
            "actions",
            "field-password",
            "user-access",
            "second-factor-title",
        ],
        staff
            .into_iter()
            .map(|(u, roles)| {
                vec![
                    Cell::text(u.display_name),
                    Cell::text(u.email),
                    Cell::text(u.organisation_name),
                    Cell::text(
                        roles
                            .iter()
                            .map(|r| t.get(&r.message_id()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(t.get(if u.active {
                        "user-active"
                    } else {
                        "user-inactive"
                    })),
                    Cell::link(
                        t.get("change-roles"),
                        format!("/admin/users/{}/roles", u.id),
                    ),
                    Cell::link(
                        t.get("password-reset-title"),
                        format!("/admin/users/{}/password", u.id),
                    ),
                    if u.active && u.id != me {
                        Cell::button(
                            t.get("user-deactivate"),
                            format!("/admin/users/{}/deactivate", u.id),
                        )
                    } else {
                        Cell::text("")
                    },
                    if u.second_factor {
                        Cell::button(
                            t.get("second-factor-reset"),
                            format!("/admin/users/{}/second-factor/reset", u.id),
                        )
                    } else {
                        Cell::text(t.get("second-factor-none"))
                    },
                ]
            })
            .collect(),
    ));
    // Role grants waiting for a second administrator.
    p.tables.push(Table::headed(
        t,
        "role-requests",
        &[
            "field-user",
            "field-roles",
            "role-requested-by",
            "actions",
            "role-reject",
        ],
        requests
            .into_iter()
            .map(|r| {
                vec![
                    Cell::text(r.user_name),
                    Cell::text(t.get(&r.role.message_id())),
                    Cell::text(r.requested_by_name),
                    if r.requested_by != me && r.user_id != me {
                        Cell::button(
                            t.get("role-approve"),
                            format!("/admin/role-requests/{}/approve", r.id),
                        )
                    } else {
                        Cell::text(t.get("role-approve-other"))
                    },
                    Cell::button(
                        t.get("role-reject"),
                        format!("/admin/role-requests/{}/reject", r.id),
                    ),
                ]
            })
            .collect(),
    ));
    p.tables.push(Table::headed(
        t,
        "organisations",
        &["field-name", "field-kind", "field-org-number"],
        orgs.into_iter()
            .map(|o| {
                vec![
                    Cell::text(o.name),
                    Cell::text(t.get(&o.kind.message_id())),
                    Cell::text(o.org_number.unwrap_or_default()),
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

pub(crate) async fn org_choices(
    s: &AppState,
    c: &Caller,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(choices(s, c).await?.organisations)
}

pub async fn user_form(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_administer() {
        return Err(AppError::Forbidden.into());
    }
    let orgs = org_choices(&s, &c).await?;
    Ok(user_spec(t, orgs).blank(&c, &FormData::default()))
}

pub async fn user_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let t = c.tr();
    Ok(
        match s
            .app
            .create_user(
                &c.ctx(),
                form.input::<palett_app::admin::UserInput>().parse(),
            )
            .await
            .or_invalid()?
        {
            Ok(_) => Redirect::to("/admin/users").into_response(),
            Err(errors) => {
                let orgs = org_choices(&s, &c).await?;
                user_spec(t, orgs).invalid(&c, &form, &errors)
            }
        },
    )
}

pub async fn roles_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let t = c.tr();
    let staff = match s.app.staff(&c.ctx()).await {
        Ok(st) if c.signed.actor.can_administer() => st,
        Ok(_) => return Err(AppError::Forbidden.into()),
        Err(e) => return Err(e.into()),
    };
    let Some((u, roles)) = staff.into_iter().find(|(u, _)| u.id == id) else {
        return Err(AppError::NotFound.into());
    };
    let form = FormData(
        roles
            .iter()
            .map(|r| ("roles".to_string(), r.as_str().to_string()))
            .collect(),
    );
    Ok(roles_spec(
        t,
        u.id,
        format!("{}: {}", t.get("change-roles"), u.display_name),
    )
    .blank(&c, &form))
}

pub async fn roles_update(
    State(s): State<AppState>,
    c: Caller,
    Id(uid): Id,
    form: FormData,
) -> Answer {
    let t = c.tr();
    let roles = parse_role_choice(&form.all("roles"));
    let outcome = s.app.set_roles(&c.ctx(), uid, roles).await.or_invalid()?;
    Ok(submitted(&c, &form, outcome, "/admin/users", || {
        roles_spec(t, uid, t.get("change-roles"))
    }))
}

pub(crate) fn reset_page(
    c: &Caller,
    uid: i64,
    status: StatusCode,
    errors: &palett_domain::FieldErrors,
) -> Response {
    let t = c.tr();
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("password-reset-title"), "admin", "/admin/users"),
    );
    p.intro = Some(t.get("password-reset-intro"));
    p.blocks.push(Block::Form(FormBlock {
        action: format!("/admin/users/{uid}/password"),
        inputs: vec![secret_input(
            t,
            "password",
            "field-new-password",
            "new-password",
            errors,
        )],
        hint: Some(t.get("hint-password-strong")),
        submit: t.get("password-reset-submit"),
        ..FormBlock::default()
    }));
    (status, crate::ui::render(p)).into_response()
}

pub async fn reset_form(c: Caller, Id(uid): Id) -> Answer {
    if !c.signed.actor.can_administer() {
        return Err(AppError::Forbidden.into());
    }
    Ok(reset_page(
        &c,
        uid,
        StatusCode::OK,
        &palett_domain::FieldErrors::new(),
    ))
}

/// An administrator sets a password for a user, who must then change it.
pub async fn reset(State(s): State<AppState>, c: Caller, Id(uid): Id, f: FormData) -> Answer {
    Ok(
        match s
            .app
            .reset_password(&c.ctx(), uid, &f.get("password"))
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to("/admin/users").into_response(),
            Err(e) => reset_page(&c, uid, StatusCode::UNPROCESSABLE_ENTITY, &e),
        },
    )
}

// ------------------------------------------------------------ role approvals

/// Approve or reject a pending role grant (another administrator).
pub async fn decide_role(
    State(s): State<AppState>,
    c: Caller,
    Id(rid): Id,
    Segment(decision): Segment,
) -> Answer {
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::NotFound.into()),
    };
    Ok(
        match s
            .app
            .decide_role_request(&c.ctx(), rid, approve)
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to("/admin/users").into_response(),
            Err(e) => {
                let t = c.tr();
                let mut p = TablePage::new(
                    t,
                    Layout::for_caller(&c, t.get("role-requests"), "admin", "/admin/users"),
                );
                p.blocks.push(Block::Alert(
                    t.get(e.for_field("request").unwrap_or("error-invalid")),
                ));
                p.blocks.push(Block::Link {
                    href: "/admin/users".into(),
                    text: t.get("nav-admin"),
                });
                (StatusCode::UNPROCESSABLE_ENTITY, crate::ui::render(p)).into_response()
            }
        },
    )
}
