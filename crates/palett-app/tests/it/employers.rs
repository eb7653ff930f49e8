//! The employer registry: registering, the organisation number once,
//! who changes what, contact people and the contact log, all audited.

use crate::harness::*;
use palett_app::employers::EmployerFilter;
use palett_app::filters::AuditFilter;
use palett_app::paging::Page;
use palett_app::{AppError, Ctx};
use palett_domain::employer::{ContactEntryInput, ContactPersonInput, EmployerInput};

fn employer(name: &str, number: &str, owner: i64) -> EmployerInput {
    EmployerInput {
        name: name.into(),
        org_number: number.into(),
        industry: "G".into(),
        municipality: "Botkyrka".into(),
        address: "Tumbavägen 1".into(),
        owner_organisation_id: owner.to_string(),
    }
}

fn names(list: &(Vec<palett_domain::employer::Employer>, i64)) -> Vec<String> {
    list.0.iter().map(|e| e.name.clone()).collect()
}

async fn search(
    h: &H,
    ctx: &Ctx,
    filter: EmployerFilter,
) -> (Vec<palett_domain::employer::Employer>, i64) {
    h.app
        .employers(ctx, &filter, Page::new(None, Some(100)))
        .await
        .expect("the registry")
}

pub(crate) async fn an_employer_is_registered_once_and_changed_by_its_owner(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let handledare = h.signed(HANDLEDARE).await;
    let hm = handledare.user.organisation_id;
    let handledare = handledare.ctx(IP);
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);

    // A caseworker registers an employer her organisation owns.
    let id = h
        .app
        .create_employer(
            &handledare,
            employer("Kassa & Kaffe AB", "212000-0142", hm).parse(),
        )
        .await
        .expect("registered");
    let v = h
        .app
        .employer(&coach, id, Page::new(None, None))
        .await
        .expect("seen by all staff");
    assert_eq!(v.employer.org_number, "212000-0142");
    assert_eq!(v.employer.owner_name, HELA_MANNISKAN);
    assert!(
        !v.may_change,
        "another organisation's caseworker may not change it"
    );

    // The same number, written without its hyphen, is refused, pointing to
    // the employer that has it; so is a number that fails its check digit.
    let again = h
        .app
        .create_employer(
            &coach,
            employer("Kassa och Kaffe", "2120000142", kommun).parse(),
        )
        .await;
    match err(again) {
        AppError::Invalid(f) => {
            assert_eq!(f.0[0].field, "org_number");
            assert_eq!(f.0[0].code, "error-employer-duplicate");
            assert_eq!(f.0[0].existing_id, Some(id));
        }
        other => panic!("expected the duplicate refused, got {other:?}"),
    }
    assert_invalid(
        h.app
            .create_employer(&coach, employer("Fel AB", "212000-0143", kommun).parse())
            .await,
        "org_number",
        "error-org-number",
    );
    // An owner outside the partnership is refused by name.
    assert_invalid(
        h.app
            .create_employer(&coach, employer("Utanför AB", "559900-9098", 9999).parse())
            .await,
        "owner_organisation_id",
        "error-choice",
    );

    // Only its owner's staff and coordinators change it.
    let renamed = EmployerInput {
        name: "Kassa & Kaffe i Tumba AB".into(),
        ..employer("", "212000-0142", hm)
    };
    forbidden(h.app.update_employer(&coach, id, renamed.parse()).await);
    forbidden(h.app.set_employer_active(&coach, id, false).await);
    h.app
        .update_employer(&handledare, id, renamed.parse())
        .await
        .expect("changed by its owner");
    // She may not hand it to an organisation she does not work for.
    assert_invalid(
        h.app
            .update_employer(
                &handledare,
                id,
                employer("Kassa & Kaffe i Tumba AB", "212000-0142", kommun).parse(),
            )
            .await,
        "owner_organisation_id",
        "error-choice",
    );
    // Taking another employer's number is refused as a duplicate.
    let other = h
        .app
        .create_employer(&coach, employer("Annan AB", "559900-9106", kommun).parse())
        .await
        .expect("another employer");
    assert_invalid(
        h.app
            .update_employer(
                &coach,
                other,
                employer("Annan AB", "212000-0142", kommun).parse(),
            )
            .await,
        "org_number",
        "error-employer-duplicate",
    );

    // Inactive employers leave the default list, not the registry.
    h.app
        .set_employer_active(&coordinator, id, false)
        .await
        .expect("a coordinator marks any employer inactive");
    let q = |s: &str, include_inactive: bool| EmployerFilter {
        active_in: None,
        q: Some(s.into()),
        industry: None,
        include_inactive,
    };
    assert!(names(&search(&h, &coach, q("kassa", false)).await).is_empty());
    assert_eq!(
        names(&search(&h, &coach, q("KASSA", true)).await),
        vec!["Kassa & Kaffe i Tumba AB"]
    );
    assert_eq!(search(&h, &coach, q("212000", true)).await.1, 1);
    let v = h
        .app
        .employer(&coach, id, Page::new(None, None))
        .await
        .expect("still there");
    assert_eq!(v.employer.inactive_since, Some(h.app.today()));

    // Every change is in the log under the employer.
    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter::default(),
            Page::new(None, Some(100)),
        )
        .await;
    let of_it: Vec<&str> = log
        .iter()
        .filter(|e| e.entity == "employer" && e.entity_id == Some(id))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        of_it,
        vec!["employer.status", "employer.update", "employer.create"]
    );
}

pub(crate) async fn only_staff_who_work_with_participants_reach_the_registry(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let demo = search(&h, &coordinator, EmployerFilter::default()).await;
    assert_eq!(demo.1, 7, "the demo's active employers");
    let all = search(
        &h,
        &coordinator,
        EmployerFilter {
            include_inactive: true,
            ..EmployerFilter::default()
        },
    )
    .await;
    assert_eq!(all.1, 8);
    let some = demo.0[0].id;
    for who in [EVALUATOR, ADMIN, AF] {
        // Evaluators and administrators do not work with employers, nor
        // does a partner that has left.
        let ctx = h.ctx(who).await;
        forbidden(
            h.app
                .employers(&ctx, &EmployerFilter::default(), Page::new(None, None))
                .await,
        );
        forbidden(h.app.employer(&ctx, some, Page::new(None, None)).await);
        forbidden(
            h.app
                .create_employer(&ctx, employer("X AB", "559900-9114", 1).parse())
                .await,
        );
    }
    // Another partnership's staff find nothing: to them it does not exist.
    let mut outside = coordinator.clone();
    outside.actor.partnership_id += 1000;
    not_found(h.app.employer(&outside, some, Page::new(None, None)).await);
    assert_eq!(search(&h, &outside, EmployerFilter::default()).await.1, 0);
    not_found(h.app.set_employer_active(&outside, some, false).await);
}

pub(crate) async fn contacts_are_added_logged_and_removed(h: H) {
    h.seed().await;
    let handledare = h.signed(HANDLEDARE).await;
    let hm = handledare.user.organisation_id;
    let handledare = handledare.ctx(IP);
    let coach = h.ctx(COACH).await;
    let id = h
        .app
        .create_employer(
            &handledare,
            employer("Kassa & Kaffe AB", "212000-0142", hm).parse(),
        )
        .await
        .expect("registered");
    let person = ContactPersonInput {
        name: "Mona Exempel".into(),
        title: "Butikschef".into(),
        phone: "070-174 06 20".into(),
        email: "mona@kassakaffe.example".into(),
    };
    forbidden(h.app.add_employer_contact(&coach, id, person.parse()).await);
    let mona = h
        .app
        .add_employer_contact(&handledare, id, person.parse())
        .await
        .expect("added");
    assert_invalid(
        h.app
            .add_employer_contact(
                &handledare,
                id,
                ContactPersonInput {
                    email: "mona".into(),
                    ..person.clone()
                }
                .parse(),
            )
            .await,
        "email",
        "error-email",
    );

    // Any caseworker logs a contact, with one of the employer's people or
    // nobody in particular; not with someone else's contact person.
    let today = h.app.today().to_string();
    let entry = |person: &str, summary: &str| ContactEntryInput {
        kind: "meeting".into(),
        on_date: today.clone(),
        contact_person_id: person.into(),
        summary: summary.into(),
    };
    h.app
        .log_employer_contact(
            &coach,
            id,
            &entry(&mona.to_string(), "Två platser i januari."),
        )
        .await
        .expect("logged by another organisation's caseworker");
    h.app
        .log_employer_contact(&handledare, id, &entry("", "Uppföljning per telefon."))
        .await
        .expect("logged with nobody in particular");
    let demo_employer = search(
        &h,
        &handledare,
        EmployerFilter {
            q: Some("Återbruket".into()),
            ..EmployerFilter::default()
        },
    )
    .await
    .0[0]
        .id;
    let demo_person = h
        .app
        .employer(&handledare, demo_employer, Page::new(None, None))
        .await
        .expect("a demo employer")
        .contacts[0]
        .id;
    assert_invalid(
        h.app
            .log_employer_contact(&coach, id, &entry(&demo_person.to_string(), "Fel person."))
            .await,
        "contact_person_id",
        "error-choice",
    );
    let tomorrow = h.app.today().tomorrow().expect("a day").to_string();
    assert_invalid(
        h.app
            .log_employer_contact(
                &coach,
                id,
                &ContactEntryInput {
                    on_date: tomorrow,
                    ..entry("", "Inte än.")
                },
            )
            .await,
        "on_date",
        "error-date-future",
    );
    not_found(
        h.app
            .log_employer_contact(&coach, 99_999, &entry("", "Ingen."))
            .await,
    );

    let v = h
        .app
        .employer(&coach, id, Page::new(None, None))
        .await
        .expect("the employer");
    assert_eq!(v.log_total, 2);
    assert_eq!(
        v.log[1].contact_person_name.as_deref(),
        Some("Mona Exempel")
    );
    assert_eq!(v.log[1].recorded_by.as_deref(), Some("Kim Coach"));

    // Removing her deletes her details and keeps the contact, nameless.
    not_found(
        h.app
            .remove_employer_contact(&handledare, id, demo_person)
            .await,
    );
    h.app
        .remove_employer_contact(&handledare, id, mona)
        .await
        .expect("removed");
    let v = h
        .app
        .employer(&coach, id, Page::new(None, None))
        .await
        .expect("the employer");
    assert!(v.contacts.is_empty());
    assert_eq!(v.log_total, 2);
    assert!(v.log.iter().all(|l| l.contact_person_id.is_none()));
    assert_eq!(v.log[1].summary, "Två platser i januari.");
}
