use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, options, render, submitted, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::admin::{parse_left_on, MembershipInput, OrganisationInput};
use palett_domain::values::OrganisationKind;

/// A form of the administration pages.
pub(crate) fn membership_spec(t: Tr, orgs: Vec<(String, String)>) -> FormSpec {
    let fields = membership_fields(t, orgs);
    admin_spec(
        t,
        t.get("membership-new"),
        "partners",
        "/admin/memberships/new".into(),
        fields,
        "/partners",
    )
}

pub(crate) fn end_spec(t: Tr, membership_id: i64, title: String) -> FormSpec {
    let path = format!("/admin/memberships/{membership_id}/end");
    admin_spec(t, title, "partners", path, end_fields(t), "/partners")
        .destructive(t.get("confirm-membership-end"), t.get("membership-end"))
}

pub(crate) fn org_spec(t: Tr) -> FormSpec {
    let path = "/admin/organisations/new".into();
    admin_spec(
        t,
        t.get("organisation-new"),
        "admin",
        path,
        org_fields(t),
        "/admin/users",
    )
}

// ---------------------------------------------------------------- partners, projects

pub async fn partners(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let ms = s.app.memberships(&c.ctx()).await?;
    let admin = c.signed.actor.can_administer();
    let mut page = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-partners"), "partners", "/partners"),
    );
    page.intro = Some(t.get("partners-intro"));
    if admin {
        page.links
            .push(("/admin/memberships/new".into(), t.get("membership-new")));
    }
    let mut head = vec![
        t.get("field-organisation"),
        t.get("field-kind"),
        t.get("field-joined-on"),
        t.get("field-left-on"),
        t.get("field-responsibility-areas"),
    ];
    if admin {
        head.push(t.get("actions"));
    }
    page.tables.push(Table {
        heading: None,
        head,
        rows: ms
            .into_iter()
            .map(|m| {
                let mut row = vec![
                    Cell::text(m.organisation_name),
                    Cell::text(t.get(&m.organisation_kind.message_id())),
                    Cell::text(m.joined_on.to_string()),
                    Cell::text(
                        m.left_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| t.get("ongoing")),
                    ),
                    Cell::text(m.responsibility_areas.join("; ")),
                ];
                if admin {
                    row.push(if m.left_on.is_none() {
                        Cell::link(
                            t.get("membership-end"),
                            format!("/admin/memberships/{}/end", m.id),
                        )
                    } else {
                        Cell::text("")
                    });
                }
                row
            })
            .collect(),
    });
    Ok(render(page))
}

pub(crate) fn membership_fields(t: Tr, orgs: Vec<(String, String)>) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "organisation_id", "field-organisation", "select")
            .required()
            .options(orgs),
        FieldView::new(t, "joined_on", "field-joined-on", "date").required(),
        FieldView::new(t, "left_on", "field-left-on", "date"),
        FieldView::new(
            t,
            "responsibility_areas",
            "field-responsibility-areas",
            "textarea",
        )
        .hint(t, "hint-one-per-line"),
    ]
}

pub(crate) async fn all_org_choices(
    s: &AppState,
    c: &Caller,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(s.app
        .organisations(&c.ctx())
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

pub async fn membership_form(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let orgs = all_org_choices(&s, &c).await?;
    Ok(membership_spec(t, orgs).blank(&c, &FormData::default()))
}

pub async fn membership_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let t = c.tr();
    let input = form.input::<MembershipInput>().parse();
    Ok(
        match s.app.add_membership(&c.ctx(), input).await.or_invalid()? {
            Ok(_) => Redirect::to("/partners").into_response(),
            Err(errors) => {
                let orgs = all_org_choices(&s, &c).await?;
                membership_spec(t, orgs).invalid(&c, &form, &errors)
            }
        },
    )
}

pub(crate) fn end_fields(t: Tr) -> Vec<FieldView> {
    vec![FieldView::new(t, "left_on", "field-left-on", "date").required()]
}

pub async fn membership_end_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_administer() {
        return Err(AppError::Forbidden.into());
    }
    let ms = s.app.memberships(&c.ctx()).await?;
    let Some(m) = ms.into_iter().find(|m| m.id == id && m.left_on.is_none()) else {
        return Err(AppError::NotFound.into());
    };
    let form = FormData(vec![("left_on".into(), s.app.today().to_string())]);
    let title = format!("{}: {}", t.get("membership-end"), m.organisation_name);
    Ok(end_spec(t, m.id, title).blank(&c, &form))
}

pub async fn membership_end(
    State(s): State<AppState>,
    c: Caller,
    Id(mid): Id,
    form: FormData,
) -> Answer {
    let t = c.tr();
    if !form.confirmed() {
        return membership_end_form(State(s), c, Id(mid)).await;
    }
    let left_on = parse_left_on(&form.get("left_on"));
    let outcome = s
        .app
        .end_membership(&c.ctx(), mid, left_on)
        .await
        .or_invalid()?;
    Ok(submitted(
        &c,
        &form,
        outcome,
        "/partners?done=membership-ended",
        || end_spec(t, mid, t.get("membership-end")),
    ))
}

pub(crate) fn org_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "name", "field-name", "text").required(),
        FieldView::new(t, "kind", "field-kind", "select")
            .required()
            .options(options(
                t,
                OrganisationKind::ALL,
                OrganisationKind::as_str,
                OrganisationKind::message_id,
            )),
        FieldView::new(t, "org_number", "field-org-number", "text").hint(t, "hint-org-number"),
        FieldView::new(t, "joined_on", "field-joined-on", "date").hint(t, "hint-joined-on"),
        FieldView::new(t, "left_on", "field-left-on", "date"),
        FieldView::new(
            t,
            "responsibility_areas",
            "field-responsibility-areas",
            "textarea",
        )
        .hint(t, "hint-one-per-line"),
    ]
}

pub async fn org_form(c: Caller) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_administer() {
        return Err(AppError::Forbidden.into());
    }
    Ok(org_spec(t).blank(&c, &FormData::default()))
}

pub async fn org_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let input = form.input::<OrganisationInput>().parse();
    let outcome = s
        .app
        .create_organisation(&c.ctx(), input)
        .await
        .or_invalid()?;
    Ok(submitted(&c, &form, outcome, "/admin/users", || {
        org_spec(c.tr())
    }))
}
