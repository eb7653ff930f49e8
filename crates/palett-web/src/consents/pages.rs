use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::FieldView;
use crate::ui::{admin_spec, choices, options, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::consent::{Consent, ConsentInput, ConsentKind, ConsentMethod};
use palett_domain::record::parse_withdrawal_note;

pub(crate) async fn spec(s: &AppState, c: &Caller, pid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let orgs = choices(s, c).await?.organisations;
    let fields = vec![
        FieldView::new(t, "kind", "field-consent-kind", "select")
            .required()
            .options(options(
                t,
                ConsentKind::ALL,
                ConsentKind::as_str,
                ConsentKind::message_id,
            )),
        FieldView::new(
            t,
            "organisation_ids",
            "field-consent-organisations",
            "multi",
        )
        .options(orgs)
        .hint(t, "hint-consent-organisations"),
        FieldView::new(t, "method", "field-consent-method", "select")
            .required()
            .options(options(
                t,
                ConsentMethod::ALL,
                ConsentMethod::as_str,
                ConsentMethod::message_id,
            )),
        FieldView::new(t, "witness", "field-witness", "text").hint(t, "hint-witness"),
        FieldView::new(t, "given_on", "field-given-on", "date").required(),
        FieldView::new(t, "expires_on", "field-expires-on", "date"),
        FieldView::new(t, "note", "field-note", "textarea"),
    ];
    let mut spec = admin_spec(
        t,
        t.get("consent-new"),
        "participants",
        format!("/participants/{pid}/consents/new"),
        fields,
        &format!("/participants/{pid}"),
    );
    // A duplicate links to the consent in force on her page.
    spec.existing = Some(format!("/participants/{pid}#consent-"));
    Ok(spec)
}

pub async fn form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    s.app.consents(&c.ctx(), pid).await?;
    let defaults = FormData(vec![("given_on".into(), s.app.today().to_string())]);
    let f = spec(&s, &c, pid).await?;
    Ok(f.blank(&c, &defaults))
}

pub async fn create(State(s): State<AppState>, c: Caller, Id(pid): Id, f: FormData) -> Answer {
    let consent = f.input::<ConsentInput>().parse(s.app.today());
    Ok(
        match submit(consent, async |consent| {
            s.app.give_consent(&c.ctx(), pid, &consent).await
        })
        .await?
        {
            Ok(_) => Redirect::to(&format!("/participants/{pid}?done=consent")).into_response(),
            Err(errors) => {
                let x = spec(&s, &c, pid).await?;
                x.invalid(&c, &f, &errors)
            }
        },
    )
}

pub(crate) fn withdraw_spec(t: Tr, cid: i64) -> FormSpec {
    let fields = vec![FieldView::new(
        t,
        "note",
        "field-withdrawal-note",
        "textarea",
    )];
    let spec = admin_spec(
        t,
        t.get("consent-withdraw"),
        "participants",
        format!("/consents/{cid}/withdraw"),
        fields,
        "/participants",
    );
    spec.destructive(t.get("confirm-consent-withdraw"), t.get("consent-withdraw"))
}

pub async fn withdraw_form(c: Caller, Id(cid): Id) -> Answer {
    Ok(withdraw_spec(c.tr(), cid).blank(&c, &FormData::default()))
}

/// Withdraw the consent once confirmed on its page; unconfirmed, that page
/// with what was entered (nothing changes).
pub async fn withdraw(State(s): State<AppState>, c: Caller, Id(cid): Id, f: FormData) -> Answer {
    if !f.confirmed() {
        return Ok(withdraw_spec(c.tr(), cid).blank(&c, &f));
    }
    let note = parse_withdrawal_note(&f.get("note"));
    Ok(
        match submit(note, async |note| {
            s.app.withdraw_consent(&c.ctx(), cid, note.as_deref()).await
        })
        .await?
        {
            Ok(pid) => {
                Redirect::to(&format!("/participants/{pid}?done=consent-withdrawn")).into_response()
            }
            Err(errors) => withdraw_spec(c.tr(), cid).invalid(&c, &f, &errors),
        },
    )
}

/// One consent as the participant page lists it.
pub struct ConsentLine {
    pub id: i64,
    pub kind: String,
    pub scope: String,
    pub given: String,
    pub expires: String,
    pub status: String,
    pub withdraw: Option<String>,
}

pub fn lines(t: Tr, list: &[(Consent, bool)], may_change: bool) -> Vec<ConsentLine> {
    list.iter()
        .map(|(k, in_force)| ConsentLine {
            id: k.id,
            kind: t.get(&k.kind.message_id()),
            scope: k
                .organisations
                .iter()
                .map(|o| o.1.clone())
                .collect::<Vec<_>>()
                .join(", "),
            given: format!("{} ({})", k.given_on, t.get(&k.method.message_id())),
            expires: k
                .expires_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "–".into()),
            status: t.get(if k.withdrawn_by_her {
                "consent-withdrawn-by-her"
            } else if k.withdrawn_at.is_some() {
                "consent-withdrawn"
            } else if *in_force {
                "consent-in-force"
            } else {
                "consent-not-in-force"
            }),
            withdraw: (may_change && k.withdrawn_at.is_none())
                .then(|| format!("/consents/{}/withdraw", k.id)),
        })
        .collect()
}
