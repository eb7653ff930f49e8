//! HTTP behaviour of palett through its real router, in-process, with a
//! fresh SQLite database per test (the storage behaviour itself is covered
//! on both databases by palett-app's story suite).

mod support;

mod access;
mod api;
mod api_admin;
mod api_coverage;
mod api_instruments;
mod api_oversight;
mod api_pages;
mod api_whole;
mod audit_log;
mod confirm;
mod consent;
mod dashboard;
mod employers;
mod flow;
mod followup;
mod html;
mod i18n;
mod imports;
mod layout;
mod nav;
mod openings;
mod paging;
mod palette;
mod placements;
mod portal;
mod questionnaires;
mod record;
mod referrals;
mod reminders;
mod reports;
mod security;
mod webhooks;
