//! Placements over HTTP: recorded from a pipeline that ended in placed,
//! hours, a review and the result, in pages and in the API.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_placement_is_recorded_with_hours_a_review_and_its_result() {
    let t = TestApp::new().await;
    let [coordinator] = t.browsers([COORDINATOR]).await;
    let token = t.token(COORDINATOR).await;
    let (opening, candidates) = t.cleaning_candidates(&token, 1).await;
    let her = candidates[0];
    let r = t
        .post_json(
            &format!("/api/v1/openings/{opening}/proposals"),
            &token,
            &format!(r#"{{"participant_id":{her}}}"#),
        )
        .await;
    let proposal = r.json()["proposal"]["id"].as_i64().expect("a proposal");
    for stage in ["agreed", "presented", "placed"] {
        let r = t
            .post_json(
                &format!("/api/v1/proposals/{proposal}/steps"),
                &token,
                &format!(r#"{{"stage":"{stage}","on_date":"2026-11-25"}}"#),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let page = t
        .page(&coordinator, &format!("/proposals/{proposal}"))
        .await;
    let new = format!("/proposals/{proposal}/placement/new");
    assert!(page.body.contains(&new), "a link to record the placement");
    let form = t.page(&coordinator, &new).await;
    assert_eq!(form.status, StatusCode::OK);
    // An intervention of the palette in ordinary operations.
    let palette = t.get("/api/v1/palette", Some(&token)).await;
    let intervention = palette.json()["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["funding"] == "ordinary_operations"))
        .and_then(|i| i["id"].as_i64())
        .expect("an intervention in ordinary operations")
        .to_string();
    let bad = t
        .post_invalid(
            &coordinator,
            &new,
            &[
                ("intervention_id", intervention.as_str()),
                ("supervisor_id", ""),
                ("start_date", "2026-11-20"),
                ("end_date", "2026-11-19"),
                ("hours_per_week", "25"),
            ],
        )
        .await;
    assert!(bad.body.contains("id=\"f-end_date-error\""));
    let to = t
        .post_redirect(
            &coordinator,
            &new,
            &[
                ("intervention_id", intervention.as_str()),
                ("supervisor_id", ""),
                ("start_date", "2026-11-16"),
                ("end_date", "2026-12-18"),
                ("hours_per_week", "25"),
            ],
        )
        .await;
    assert!(to.ends_with("?done=created"), "{to}");
    let path = to.trim_end_matches("?done=created").to_string();
    let outside = t
        .post_invalid(
            &coordinator,
            &format!("{path}/hours/new"),
            &[("on_date", "2026-11-13"), ("hours", "4"), ("note", "")],
        )
        .await;
    assert!(outside.body.contains("utanför placeringens period"));
    t.post_redirect(
        &coordinator,
        &format!("{path}/hours/new"),
        &[("on_date", "2026-11-17"), ("hours", "6"), ("note", "")],
    )
    .await;
    t.post_redirect(
        &coordinator,
        &format!("{path}/reviews/new"),
        &[
            ("kind", "midway"),
            ("on_date", "2026-11-24"),
            ("attendance", "4"),
            ("tasks", "4"),
            ("swedish", "3"),
            ("readiness", "3"),
            ("comment", "Går bra."),
        ],
    )
    .await;
    t.post_redirect(
        &coordinator,
        &format!("{path}/result"),
        &[("result", "extended"), ("on_date", "2026-11-25")],
    )
    .await;
    let page = t.page(&coordinator, &path).await;
    assert!(page.body.contains("Förlängd (2026-11-25)"), "{}", page.body);
    assert!(page.body.contains("Halvtid") && page.body.contains("4 / 5"));
    let id = path.trim_start_matches("/placements/");
    let r = t
        .get(&format!("/api/v1/placements/{id}"), Some(&token))
        .await;
    assert_eq!(r.json()["placement"]["hours_recorded"], 6.0, "{}", r.body);
    assert_eq!(r.json()["placement"]["result"], "extended");
    let r = t
        .post_json(
            &format!("/api/v1/placements/{id}/hours"),
            &token,
            r#"{"on_date":"2026-11-18","hours":true}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["hours"]);
    let r = t
        .get(
            &format!("/api/v1/participants/{her}/placements"),
            Some(&token),
        )
        .await;
    assert_eq!(
        r.json()["items"][0]["id"].as_i64().map(|v| v.to_string()),
        Some(id.to_string())
    );
    let her_page = t
        .page(&coordinator, &format!("/participants/{her}/openings"))
        .await;
    assert!(her_page.body.contains(&format!("href=\"{path}\"")));

    // She ends to a job through it: the API names the field that may not
    // be given for another outcome, and her record names where she went.
    let exit = |outcome: &str, placement: String| {
        let body = format!(
            r#"{{"exit_date":"2026-11-25","exit_outcome":"{outcome}","placement_id":{placement}}}"#
        );
        let (t, token) = (&t, &token);
        async move {
            t.post_json(&format!("/api/v1/participants/{her}/exit"), token, &body)
                .await
        }
    };
    exit("studies", id.to_string())
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["placement_id"]);
    exit("employment_subsidised", format!("\"{id}\""))
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["placement_id"]);
    let r = exit("employment_subsidised", id.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let to = &r.json()["exit_to"];
    assert_eq!(
        to["placement_id"].as_i64().map(|v| v.to_string()),
        Some(id.to_string())
    );
    assert!(
        to["employer_name"].as_str().is_some_and(|n| !n.is_empty()),
        "{}",
        r.body
    );
    let page = t.page(&coordinator, &format!("/participants/{her}")).await;
    assert!(page.body.contains("via placeringen"), "{}", page.body);
}
