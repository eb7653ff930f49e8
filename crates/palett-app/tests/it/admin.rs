//! Administration: organisations, membership periods, users and roles.

use crate::harness::*;
use palett_app::admin::{MembershipInput, OrganisationInput, UserInput};
use palett_app::AppError;
use palett_domain::policy::Role;

async fn roles_of(h: &H, email: &str, password: &str) -> Vec<palett_domain::policy::Role> {
    let new = h.app.sign_in(email, password, IP).await.expect("sign in");
    h.app
        .session(&new.cookie_value)
        .await
        .expect("session")
        .expect("alive")
        .actor
        .roles
}

const SECOND_ADMIN: &str = "bo.admin@helamanniskan.example";
const SECOND_PASSWORD: &str = "andra-administratorn-på-kontoret";

/// A second administrator of the demo partnership, created by the operator
/// (whose grants need no approval), signed in.
async fn second_admin(h: &H, admin: &palett_app::Ctx) -> palett_app::Ctx {
    h.app
        .create_user_cli(
            SECOND_ADMIN,
            "Bo Admin",
            SECOND_PASSWORD,
            admin.actor.organisation_id,
            admin.actor.partnership_id,
            &[Role::Administrator],
        )
        .await
        .expect("second administrator");
    sign_in_as(h, SECOND_ADMIN, SECOND_PASSWORD).await.ctx(IP)
}

async fn sign_in_as(h: &H, email: &str, password: &str) -> palett_app::auth::Signed {
    let new = h.app.sign_in(email, password, IP).await.expect("sign in");
    h.app
        .session(&new.cookie_value)
        .await
        .expect("session")
        .expect("alive")
}

/// Approve every pending role request as `approver`.
async fn approve_all(h: &H, approver: &palett_app::Ctx) {
    for r in h
        .app
        .pending_role_requests(approver)
        .await
        .expect("requests")
    {
        h.app
            .decide_role_request(approver, r.id, true)
            .await
            .expect("approve");
    }
}

pub(crate) async fn administrators_manage_partners_and_users(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let coordinator = h.ctx(COORDINATOR).await;

    // An organisation joins with areas, leaves, and joins again.
    let org = h
        .app
        .submit_organisation(
            &admin,
            &OrganisationInput {
                name: "Butiken i Tumba".into(),
                kind: "employer".into(),
                org_number: "212000-0142".into(),
                ..Default::default()
            },
        )
        .await
        .expect("organisation");
    let duplicate = h
        .app
        .submit_organisation(
            &admin,
            &OrganisationInput {
                name: "Samma nummer".into(),
                kind: "employer".into(),
                org_number: "2120000142".into(),
                ..Default::default()
            },
        )
        .await;
    assert_invalid(duplicate, "org_number", "error-org-number-taken");
    let join = MembershipInput {
        organisation_id: org.to_string(),
        joined_on: "2020-03-01".into(),
        responsibility_areas: "Praktik\n\nJobbmatchning\n".into(),
        ..Default::default()
    };
    let m = h.app.submit_membership(&admin, &join).await.expect("join");
    assert_invalid(
        h.app.submit_membership(&admin, &join).await,
        "organisation_id",
        "error-already-member",
    );
    forbidden(h.app.submit_membership(&coordinator, &join).await);
    h.app
        .submit_end_membership(&admin, m, "2021-02-28")
        .await
        .expect("leave");
    assert_invalid(
        h.app.submit_end_membership(&admin, m, "2021-03-31").await,
        "left_on",
        "error-membership-ended",
    );
    h.app
        .submit_membership(
            &admin,
            &MembershipInput {
                joined_on: "2022-01-01".into(),
                ..join.clone()
            },
        )
        .await
        .expect("join again");
    let periods: Vec<(String, Option<String>, Vec<String>)> = h
        .app
        .memberships(&coordinator)
        .await
        .expect("memberships")
        .into_iter()
        .filter(|m| m.organisation_id == org)
        .map(|m| {
            (
                m.joined_on.to_string(),
                m.left_on.map(|d| d.to_string()),
                m.responsibility_areas,
            )
        })
        .collect();
    assert_eq!(
        periods,
        vec![
            (
                "2020-03-01".into(),
                Some("2021-02-28".into()),
                vec!["Praktik".to_string(), "Jobbmatchning".to_string()]
            ),
            (
                "2022-01-01".into(),
                None,
                vec!["Praktik".to_string(), "Jobbmatchning".to_string()]
            ),
        ]
    );

    // A user of the new partner, with roles changed and then deactivated.
    let user = UserInput {
        email: "Ny.Handledare@Butiken.example".into(),
        display_name: "Nora Ny".into(),
        password: "ett-langt-losenord".into(),
        organisation_id: org.to_string(),
        roles: vec!["caseworker".into()],
    };
    let id = h.app.submit_user(&admin, &user).await.expect("user");
    assert_invalid(
        h.app.submit_user(&admin, &user).await,
        "email",
        "error-email-taken",
    );
    let (email, password) = ("ny.handledare@butiken.example", "ett-langt-losenord");
    // A caseworker reads participant data: the role waits for a second
    // administrator, and until then she has no role at all.
    assert!(matches!(
        err(h.app.sign_in(email, password, IP).await),
        AppError::Unauthenticated
    ));
    let second = second_admin(&h, &admin).await;
    approve_all(&h, &second).await;
    assert_eq!(
        roles_of(&h, email, password).await,
        vec![palett_domain::policy::Role::Caseworker]
    );
    h.app
        .submit_roles(&admin, id, &["coordinator".into(), "evaluator".into()])
        .await
        .expect("roles");
    assert_eq!(
        roles_of(&h, email, password).await,
        vec![palett_domain::policy::Role::Evaluator],
        "the coordinator role waits for approval"
    );
    approve_all(&h, &second).await;
    assert_eq!(
        roles_of(&h, email, password).await,
        vec![
            palett_domain::policy::Role::Coordinator,
            palett_domain::policy::Role::Evaluator
        ]
    );
    h.app.deactivate_user(&admin, id).await.expect("deactivate");
    assert!(matches!(
        err(h
            .app
            .sign_in("ny.handledare@butiken.example", "ett-langt-losenord", IP)
            .await),
        AppError::Unauthenticated
    ));
    forbidden(h.app.deactivate_user(&coordinator, id).await);
}

/// Separation of duties: an administrator cannot give herself a role that
/// reads participant data; giving one (or the administrator role) to
/// someone else waits for a second administrator, who is not the one who
/// asked; approved grants are on the log review.
pub(crate) async fn participant_access_takes_two_administrators(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    assert_invalid(
        h.app
            .submit_roles(
                &admin,
                admin.actor.user_id,
                &["administrator".into(), "coordinator".into()],
            )
            .await,
        "roles",
        "error-role-self-access",
    );
    let second = second_admin(&h, &admin).await;
    // Nor can the second one give it to herself.
    assert_invalid(
        h.app
            .submit_roles(
                &second,
                second.actor.user_id,
                &["administrator".into(), "caseworker".into()],
            )
            .await,
        "roles",
        "error-role-self-access",
    );
    let id = h
        .app
        .submit_user(
            &admin,
            &UserInput {
                email: "vera.ny@helamanniskan.example".into(),
                display_name: "Vera Ny".into(),
                password: "tillfälligt-från-alva".into(),
                organisation_id: admin.actor.organisation_id.to_string(),
                roles: vec!["evaluator".into(), "caseworker".into()],
            },
        )
        .await
        .expect("user");
    let pending = h.app.pending_role_requests(&admin).await.expect("pending");
    assert_eq!(
        pending
            .iter()
            .map(|r| (r.user_id, r.role, r.requested_by))
            .collect::<Vec<_>>(),
        vec![(id, Role::Caseworker, admin.actor.user_id)]
    );
    let vera = sign_in_as(&h, "vera.ny@helamanniskan.example", "tillfälligt-från-alva").await;
    assert_eq!(vera.actor.roles, [Role::Evaluator], "evaluator at once");
    // The one who asked cannot approve; neither can a coordinator.
    assert_invalid(
        h.app.decide_role_request(&admin, pending[0].id, true).await,
        "request",
        "error-role-request-own",
    );
    let coordinator = h.ctx(COORDINATOR).await;
    forbidden(
        h.app
            .decide_role_request(&coordinator, pending[0].id, true)
            .await,
    );
    h.app
        .decide_role_request(&second, pending[0].id, true)
        .await
        .expect("a second administrator approves");
    assert_invalid(
        h.app
            .decide_role_request(&second, pending[0].id, true)
            .await,
        "request",
        "error-role-request-decided",
    );
    let vera = sign_in_as(&h, "vera.ny@helamanniskan.example", "tillfälligt-från-alva").await;
    assert_eq!(vera.actor.roles, [Role::Caseworker, Role::Evaluator]);

    // Another request, rejected: nothing changes.
    h.app
        .submit_roles(
            &admin,
            id,
            &[
                "evaluator".into(),
                "caseworker".into(),
                "coordinator".into(),
            ],
        )
        .await
        .expect("ask for coordinator");
    let pending = h.app.pending_role_requests(&second).await.expect("pending");
    assert_eq!(pending.len(), 1);
    h.app
        .decide_role_request(&second, pending[0].id, false)
        .await
        .expect("reject");
    let vera = sign_in_as(&h, "vera.ny@helamanniskan.example", "tillfälligt-från-alva").await;
    assert_eq!(vera.actor.roles, [Role::Caseworker, Role::Evaluator]);
    // Making someone an administrator takes two as well.
    h.app
        .submit_roles(&admin, id, &["administrator".into(), "caseworker".into()])
        .await
        .expect("ask for administrator");
    let vera = sign_in_as(&h, "vera.ny@helamanniskan.example", "tillfälligt-från-alva").await;
    assert_eq!(vera.actor.roles, [Role::Caseworker]);
    assert_eq!(
        h.app.pending_role_requests(&admin).await.expect("pending")[0].role,
        Role::Administrator
    );

    // The log review shows the approved grant, who asked and who approved.
    let now = h.app.now();
    let review = palett_app::audit::log_review(&h.app, &coordinator, now - 86_400, now + 1, 5)
        .await
        .expect("review");
    let grants: Vec<(String, Role, String, Option<String>)> = review
        .access_grants
        .into_iter()
        .map(|g| (g.user_name, g.role, g.requested_by_name, g.decided_by_name))
        .collect();
    assert_eq!(
        grants,
        vec![(
            "Vera Ny".to_string(),
            Role::Caseworker,
            "Alva Admin".to_string(),
            Some("Bo Admin".to_string())
        )]
    );
}

/// A password an administrator chose must be changed at the first sign-in;
/// users change their own with the current one; common passwords are
/// refused. The demo's users chose their own.
pub(crate) async fn passwords_set_by_an_administrator_are_changed_first(h: H) {
    h.seed().await;
    assert!(!h.signed(COACH).await.user.must_change_password);
    let admin = h.ctx(ADMIN).await;
    let common = h
        .app
        .submit_user(
            &admin,
            &UserInput {
                email: "vera.ny@helamanniskan.example".into(),
                display_name: "Vera Ny".into(),
                password: "Password1234".into(),
                organisation_id: admin.actor.organisation_id.to_string(),
                roles: vec!["evaluator".into()],
            },
        )
        .await;
    assert_invalid(common, "password", "error-password-common");
    let id = h
        .app
        .submit_user(
            &admin,
            &UserInput {
                email: "vera.ny@helamanniskan.example".into(),
                display_name: "Vera Ny".into(),
                password: "tillfälligt-från-alva".into(),
                organisation_id: admin.actor.organisation_id.to_string(),
                roles: vec!["evaluator".into()],
            },
        )
        .await
        .expect("user");
    let email = "vera.ny@helamanniskan.example";
    let vera = sign_in_as(&h, email, "tillfälligt-från-alva").await;
    assert!(vera.user.must_change_password);
    let ctx = vera.ctx(IP);
    assert_invalid(
        h.app
            .change_password(&ctx, "fel-lösenord", "mitt-eget-lösenord-nu")
            .await,
        "password",
        "error-password-wrong",
    );
    for (new, code) in [
        ("qwerty123456", "error-password-common"),
        ("sunshine2024!", "error-password-common"),
        ("kort", "error-password-short"),
        ("tillfälligt-från-alva", "error-password-same"),
    ] {
        assert_eq!(
            invalid_code(
                h.app
                    .change_password(&ctx, "tillfälligt-från-alva", new)
                    .await,
                "new_password"
            ),
            code,
            "{new}"
        );
    }
    h.app
        .change_password(&ctx, "tillfälligt-från-alva", "mitt-eget-lösenord-nu")
        .await
        .expect("change");
    assert!(matches!(
        err(h.app.sign_in(email, "tillfälligt-från-alva", IP).await),
        AppError::Unauthenticated
    ));
    let vera = sign_in_as(&h, email, "mitt-eget-lösenord-nu").await;
    assert!(!vera.user.must_change_password);
    let cookie = h
        .app
        .sign_in(email, "mitt-eget-lösenord-nu", IP)
        .await
        .expect("sign in")
        .cookie_value;

    // Reset by an administrator: her sessions end and she must change it.
    let coordinator = h.ctx(COORDINATOR).await;
    forbidden(
        h.app
            .reset_password(&coordinator, id, "nytt-från-samordnaren")
            .await,
    );
    h.app
        .reset_password(&admin, id, "nytt-från-alva-igen")
        .await
        .expect("reset");
    assert!(h.app.session(&cookie).await.expect("session").is_none());
    assert!(
        sign_in_as(&h, email, "nytt-från-alva-igen")
            .await
            .user
            .must_change_password
    );
    let (log, _) = palett_app::audit::list(
        &h.app,
        &admin,
        &Default::default(),
        palett_app::participants::Page::new(None, Some(100)),
    )
    .await
    .expect("log");
    for action in ["user.password_change", "user.password_reset"] {
        assert!(log.iter().any(|e| e.action == action), "{action}");
    }
}
