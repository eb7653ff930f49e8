//! Administration: organisations, membership periods, users and roles.

use crate::harness::*;
use palett_app::admin::{MembershipInput, OrganisationInput, UserInput};
use palett_app::AppError;

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

pub(crate) async fn administrators_manage_partners_and_users(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let coordinator = h.ctx(COORDINATOR).await;

    // An organisation joins with areas, leaves, and joins again.
    let org = h
        .app
        .create_organisation(
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
        .create_organisation(
            &admin,
            &OrganisationInput {
                name: "Samma nummer".into(),
                kind: "employer".into(),
                org_number: "2120000142".into(),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(
        invalid_code(duplicate, "org_number"),
        "error-org-number-taken"
    );
    let join = MembershipInput {
        organisation_id: org.to_string(),
        joined_on: "2020-03-01".into(),
        responsibility_areas: "Praktik\n\nJobbmatchning\n".into(),
        ..Default::default()
    };
    let m = h.app.add_membership(&admin, &join).await.expect("join");
    assert_eq!(
        invalid_code(h.app.add_membership(&admin, &join).await, "organisation_id"),
        "error-already-member"
    );
    assert!(matches!(
        err(h.app.add_membership(&coordinator, &join).await),
        AppError::Forbidden
    ));
    h.app
        .end_membership(&admin, m, "2021-02-28")
        .await
        .expect("leave");
    assert_eq!(
        invalid_code(
            h.app.end_membership(&admin, m, "2021-03-31").await,
            "left_on"
        ),
        "error-membership-ended"
    );
    h.app
        .add_membership(
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
    let id = h.app.create_user(&admin, &user).await.expect("user");
    assert_eq!(
        invalid_code(h.app.create_user(&admin, &user).await, "email"),
        "error-email-taken"
    );
    let (email, password) = ("ny.handledare@butiken.example", "ett-langt-losenord");
    assert_eq!(
        roles_of(&h, email, password).await,
        vec![palett_domain::policy::Role::Caseworker]
    );
    h.app
        .set_roles(&admin, id, &["coordinator".into(), "evaluator".into()])
        .await
        .expect("roles");
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
    assert!(matches!(
        err(h.app.deactivate_user(&coordinator, id).await),
        AppError::Forbidden
    ));
}
