//! The demo's referrals, consistent with the intakes: each woman came by
//! the way her profile records (Botkyrka kommun, Arbetsförmedlingen while
//! it was a member, another partner, herself), was referred for intake to
//! the partner responsible for her on the day her profile says, accepted
//! within days, and started at intake in an intervention of that partner
//! (completed at her exit). The six waiting for intake were received and
//! wait still. No random draws: the demo's other draws stay as they were.

use super::{Person, Staff};
use crate::Result;
use jiff::civil::{date, Date};
use palett_domain::referral::{ReferralOrigin, ReferralPurpose, ReferralState};
use palett_domain::values::ReferralSource;
use palett_domain::workdays::add_working_days;
use palett_store::referral::{self as store, NewReferral, Step};
use palett_store::AnyConnection;

/// Arbetsförmedlingen's last day as a member.
const AF_LEFT: Date = date(2020, 6, 30);

/// Who referred her, from where: (origin, the referring partner).
fn origin(p: &Person, org_ids: &[i64]) -> Option<(ReferralOrigin, Option<i64>)> {
    let (kommun, af, bilda) = (org_ids[1], org_ids[2], org_ids[4]);
    let partner = |o: i64| (o != p.organisation).then_some((ReferralOrigin::Partner, Some(o)));
    match p.source {
        ReferralSource::Municipality => partner(kommun),
        ReferralSource::EmploymentService if p.referred <= AF_LEFT => partner(af),
        ReferralSource::EmploymentService => Some((ReferralOrigin::EmploymentService, None)),
        ReferralSource::SelfReferral => Some((ReferralOrigin::Herself, None)),
        ReferralSource::OtherPartner => partner(bilda),
    }
}

pub(crate) async fn seed(
    c: &mut AnyConnection,
    partnership_id: i64,
    org_ids: &[i64],
    (people, waiting): (&[Person], &[(i64, Date)]),
    staff: &Staff,
    now: i64,
) -> Result<()> {
    let by = staff.coordinator;
    for p in people {
        let Some((source, from)) = origin(p, org_ids) else {
            continue;
        };
        let to = p.organisation;
        let routine = store::routine_of(c, partnership_id, to, None)
            .await?
            .map_or(store::DEFAULT_ANSWER_DAYS, |r| r.answer_days);
        let sent_on = p.referred;
        let consent_id = match from {
            Some(_) => store::covering_consent(c, p.id, to, p.intake).await?,
            None => None,
        };
        let id = store::insert(
            c,
            partnership_id,
            &NewReferral {
                participant_id: p.id,
                source,
                from_organisation_id: from,
                to_organisation_id: to,
                purpose: ReferralPurpose::Intake,
                intervention_id: None,
                reason: "Vill komma vidare mot arbete eller studier och behöver stöd på vägen.",
                asked: "Inskrivning och ett första samtal om vilka insatser som passar.",
                consent_id,
                sent_on,
                due_on: add_working_days(sent_on, routine as u32),
                forwarded_from: None,
            },
            by,
            now,
        )
        .await?;
        let received = add_working_days(sent_on, 1).min(p.intake);
        let accepted = add_working_days(sent_on, 3).min(p.intake);
        for (state, on) in [
            (ReferralState::Received, received),
            (ReferralState::Accepted, accepted),
        ] {
            store::add_step(c, id, &Step::new(state, on), by, now).await?;
        }
        // Started in the first intervention of the partner she took part in.
        let mut enrolment = None;
        for e in palett_store::palette::enrolments_of_participant(c, p.id).await? {
            if store::enrolment_fits(c, e.id, p.id, to).await? {
                enrolment = Some(e.id);
                break;
            }
        }
        let Some(enrolment) = enrolment else {
            continue;
        };
        store::add_step(
            c,
            id,
            &Step {
                enrolment_id: Some(enrolment),
                ..Step::new(ReferralState::Started, p.intake)
            },
            by,
            now,
        )
        .await?;
        if let Some(exit) = p.exit {
            store::add_step(c, id, &Step::new(ReferralState::Completed, exit), by, now).await?;
        }
    }
    // The six from Botkyrka kommun to Hela Människan, received, waiting.
    let (hela, kommun) = (org_ids[0], org_ids[1]);
    for (pid, referred) in waiting {
        let consent_id = store::covering_consent(c, *pid, hela, *referred).await?;
        let id = store::insert(
            c,
            partnership_id,
            &NewReferral {
                participant_id: *pid,
                source: ReferralOrigin::Partner,
                from_organisation_id: Some(kommun),
                to_organisation_id: hela,
                purpose: ReferralPurpose::Intake,
                intervention_id: None,
                reason: "Söker stöd för att komma närmare arbete; vill börja med svenska.",
                asked: "Inskrivning i Vidare mot arbete eller det som passar henne.",
                consent_id,
                sent_on: *referred,
                due_on: add_working_days(*referred, store::DEFAULT_ANSWER_DAYS as u32),
                forwarded_from: None,
            },
            by,
            now,
        )
        .await?;
        let received = add_working_days(*referred, 1);
        store::add_step(
            c,
            id,
            &Step::new(ReferralState::Received, received),
            by,
            now,
        )
        .await?;
    }
    Ok(())
}
