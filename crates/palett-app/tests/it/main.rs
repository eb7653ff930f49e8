//! Behavioural stories of palett's use cases, each run against both SQLite
//! and PostgreSQL with a fresh database.
//!
//! A story is a plain `async fn(H)` in one of the modules below; listing it
//! in [`stories!`] generates `sqlite::<name>` and `postgres::<name>` tests,
//! so one backend is chosen with e.g.
//! `cargo nextest run -p palett-app -E 'test(/^sqlite::/)'`.
//!
//! PostgreSQL is found at `PALETT_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); each story gets its own
//! database there, dropped afterwards. When PostgreSQL is unreachable the
//! `postgres::*` stories fail; they never skip.

mod access;
mod admin;
mod archive;
mod attestation;
mod audit;
mod bench;
mod concurrency;
mod consent;
mod dashboard;
mod demo;
mod employers;
mod export;
mod flow;
mod followup;
mod harness;
mod import;
mod lifecycle;
mod matching;
mod openings;
mod paging;
mod palette;
mod portal;
mod questionnaires;
mod races;
mod referrals;
mod registration;
mod retention;
mod sealing;
mod sign_in;
mod webhooks;

/// Generate one test module per backend, each with a test per story.
macro_rules! stories {
    ($($module:ident :: $story:ident),+ $(,)?) => {
        stories!(@backend sqlite, Sqlite, $($module::$story),+);
        stories!(@backend postgres, Postgres, $($module::$story),+);
    };
    (@backend $backend_mod:ident, $backend:ident, $($module:ident :: $story:ident),+) => {
        mod $backend_mod {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    crate::harness::run(palett_app::Backend::$backend, crate::$module::$story).await;
                }
            )+
        }
    };
}

/// Stories that move data to a second, empty database of the other
/// backend (`harness::run_with_other`): `sqlite_to_other::x` moves from SQLite to
/// PostgreSQL, `postgres_to_other::x` the reverse.
macro_rules! stories_with_other {
    ($($module:ident :: $story:ident),+ $(,)?) => {
        stories_with_other!(@backend sqlite_to_other, Sqlite, $($module::$story),+);
        stories_with_other!(@backend postgres_to_other, Postgres, $($module::$story),+);
    };
    (@backend $backend_mod:ident, $backend:ident, $($module:ident :: $story:ident),+) => {
        mod $backend_mod {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    crate::harness::run_with_other(palett_app::Backend::$backend, crate::$module::$story).await;
                }
            )+
        }
    };
}

stories_with_other! {
    archive::a_partnership_moves_to_the_other_database_with_every_figure,
    archive::an_altered_newer_or_misplaced_archive_is_refused,
}

stories! {
    archive::every_table_is_archived_or_left_out_with_a_reason,
    import::an_import_previews_commits_whole_and_undoes,
    import::enrolments_and_time_are_imported_for_women_already_in_palett,
    import::a_long_import_is_committed_a_chunk_at_a_time_all_or_nothing,
    webhooks::webhooks_are_written_with_the_change_signed_retried_and_listed,
    flow::an_intake_starts_her_at_once_in_one_change,
    flow::plan_steps_and_enrolments_are_made_together,
    flow::an_enrolment_becomes_a_step_of_her_plan,
    portal::her_portal_from_invitation_to_her_own_entries,
    portal::a_passkey_answer_that_does_not_hold_changes_nothing,
    referrals::a_referral_goes_from_sent_to_completed_with_her_consent_and_enrolment,
    referrals::a_referral_is_declined_forwarded_sent_back_or_goes_stale,
    referrals::a_worklist_counts_what_she_can_open,
    attestation::a_coordinator_attests_each_ended_month_of_her_partners_time,
    attestation::her_caseworker_attests_her_month_which_locks_it,
    referrals::a_woman_not_yet_registered_is_registered_and_referred_in_one_step,
    matching::a_placements_hours_count_in_her_time_and_the_esf_hours,
    matching::an_exit_to_a_job_through_an_internship_counts_in_its_indicators,
    matching::a_presentation_needs_her_consent_and_is_a_logged_disclosure,
    matching::only_consenting_participants_in_reach_are_candidates,
    matching::her_openings_are_ranked_by_her_plan_with_reasons,
    openings::openings_are_offered_listed_and_filled_by_their_partner,
    employers::an_employer_is_registered_once_and_changed_by_its_owner,
    employers::only_staff_who_work_with_participants_reach_the_registry,
    employers::contacts_are_added_logged_and_removed,
    dashboard::the_esf_monthly_file_names_only_those_it_may,
    dashboard::every_surface_shows_one_figure_after_a_change,
    dashboard::kept_figures_are_never_older_than_the_data,
    palette::saving_attendance_touches_only_the_sheet_and_keeps_corrections,
    palette::attendance_and_time_that_cannot_be_true_are_refused,
    palette::an_exit_closes_her_path,
    registration::a_project_holds_its_period,
    dashboard::every_funder_report_adds_up_on_both_databases,
    followup::follow_ups_are_scheduled_listed_recorded_and_removed,
    followup::a_follow_up_she_could_not_be_reached_for_is_closed_as_such,
    bench::the_benchmark_generator_makes_what_the_dashboard_counts,
    bench::the_fast_benchmark_generator_keeps_what_a_recount_finds,
    paging::the_list_pages_by_keyset_through_everyone_once,
    dashboard::the_demo_dashboard_shows_the_seeds_figures,
    dashboard::indicators_follow_their_definitions_through_the_store,
    dashboard::attendance_hours_and_plans_follow_their_definitions,
    dashboard::the_projection_warns_when_inflow_runs_behind_plan,
    sealing::identity_numbers_and_restricted_fields_are_sealed_at_rest,
    sealing::legacy_plaintext_is_sealed_at_start_and_another_key_is_refused,
    demo::demo_totals_match_the_product_description,
    demo::seeding_twice_changes_nothing,
    demo::the_demo_referrals_follow_the_intakes,
    demo::the_demo_lives_on_its_day,
    registration::caseworker_registers_and_finds_a_participant,
    registration::invalid_registrations_name_the_field,
    registration::only_staff_who_work_with_participants_can_be_her_caseworker,
    registration::a_stale_edit_is_refused,
    access::other_organisations_caseworker_sees_her_only_once_assigned,
    access::evaluator_and_administrator_see_figures_but_no_participant,
    access::everyone_reads_exactly_what_the_policy_allows,
    access::a_former_member_keeps_only_its_own_records_read_only,
    audit::reads_are_audited_per_reader,
    audit::audit_log_refuses_update_and_delete,
    audit::a_change_fails_when_its_audit_row_cannot_be_written,
    audit::the_log_review_flags_samples_and_signs,
    audit::refused_reads_are_counted_per_user_and_day_for_the_review,
    audit::the_log_is_searched_by_name_within_the_readers_scope,
    lifecycle::participant_moves_through_the_programme,
    lifecycle::responsibility_moves_only_by_a_handover,
    sign_in::failed_sign_ins_slow_the_account_down_without_locking_it,
    sign_in::one_address_with_many_failures_is_refused_for_a_window,
    sign_in::wrong_codes_count_and_turning_off_asks_for_the_password,
    sealing::second_factor_secrets_are_sealed_at_rest,
    sign_in::sessions_end_when_idle_or_old,
    sign_in::bearer_tokens_work_until_revoked,
    sign_in::tokens_end_and_keep_their_limits,
    sign_in::a_second_factor_is_set_up_checked_and_required,
    concurrency::concurrent_registrations_all_succeed,
    concurrency::a_reader_never_holds_up_a_writer,
    races::one_place_goes_to_one_of_eight_enrolled_at_once,
    races::the_same_participant_enrolled_twice_at_once_is_enrolled_once,
    races::attendance_saved_at_once_adds_up,
    races::requests_abandoned_half_way_leave_everything_working,
    admin::administrators_manage_partners_and_users,
    admin::participant_access_takes_two_administrators,
    admin::passwords_set_by_an_administrator_are_changed_first,
    palette::coordinators_build_the_palette_and_caseworkers_version_plans,
    palette::beyond_capacity_is_a_waiting_list_and_a_freed_place_goes_to_the_first,
    palette::attendance_time_and_reports_add_up,
    palette::extensions_and_pauses_change_net_time,
    consent::consents_are_records_that_can_be_withdrawn,
    consent::a_duplicate_of_a_consent_in_force_is_refused_and_points_to_it,
    consent::sharing_consent_decides_who_sees_her,
    consent::the_restricted_field_group_stays_with_those_who_need_it,
    consent::emergency_access_is_limited_and_marked,
    consent::no_list_search_export_or_count_leaks_a_participant,
    export::the_subject_access_export_holds_everything,
    export::notes_keep_their_visibility_and_rectification_keeps_history,
    export::the_research_export_is_pseudonymous_and_k_anonymous,
    export::restricted_processing_keeps_the_record_unchanged,
    retention::retention_removes_identity_and_keeps_the_figures,
    questionnaires::a_published_questionnaire_version_never_changes,
    questionnaires::answers_keep_their_version_after_a_new_one_is_published,
    questionnaires::questionnaires_fall_due_on_the_right_days,
    questionnaires::the_research_export_of_answers_respects_consent_and_k,
    questionnaires::the_codebook_matches_the_export_columns,
}
