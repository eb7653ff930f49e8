//! Fluent messages: Swedish by default, English beside it. Message ids are
//! stable; templates, field errors and JSON errors all go through [`Tr`].

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The languages the UI speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language in an Accept-Language header, else Swedish.
    pub fn negotiate(accept_language: &str) -> Lang {
        accept_language
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().to_ascii_lowercase())
            .find_map(|tag| Lang::parse(tag.split('-').next().unwrap_or("")))
            .unwrap_or(Lang::Sv)
    }
}

pub const SV_FTL: &str = include_str!("../../../locales/sv/main.ftl");
pub const EN_FTL: &str = include_str!("../../../locales/en/main.ftl");

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static SV: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    let (cell, src, id) = match lang {
        Lang::Sv => (&SV, SV_FTL, "sv"),
        Lang::En => (&EN, EN_FTL, "en"),
    };
    cell.get_or_init(|| {
        let langid: LanguageIdentifier = id.parse().unwrap_or_default();
        let mut b = FluentBundle::new_concurrent(vec![langid]);
        b.set_use_isolating(false);
        let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(res, errors)| {
            tracing::error!(?errors, lang = id, "errors in the Fluent file");
            res
        });
        if let Err(errors) = b.add_resource(res) {
            tracing::error!(?errors, lang = id, "duplicate Fluent messages");
        }
        b
    })
}

/// A translator for one language; templates call `t.get("id")`.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The message, or its id in brackets when missing (a test keeps that
    /// from shipping).
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message of a field error, with its arguments.
    pub fn field_message(&self, e: &palett_domain::FieldError) -> String {
        if e.args.is_empty() {
            self.get(e.code)
        } else {
            let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (*k, v.clone())).collect();
            self.with(e.code, &args)
        }
    }

    pub fn with(&self, id: &str, args: &[(&str, String)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            // Whole numbers go in as numbers, so plural selectors work.
            match v.parse::<i64>() {
                Ok(n) => a.set(*k, FluentValue::from(n)),
                Err(_) => a.set(*k, FluentValue::from(v.clone())),
            }
        }
        self.format(id, Some(&a))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let b = bundle(self.lang);
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            return format!("[{id}]");
        };
        let mut errors = Vec::new();
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    pub fn has(&self, id: &str) -> bool {
        bundle(self.lang).has_message(id)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A number with Swedish or English decimal sign.
    ///
    /// (Fluent formats numbers by itself too; the figures here are
    /// pre-formatted so that percentages and hours read the same everywhere.)
    pub fn decimal(&self, v: f64) -> String {
        let s = format!("{v:.1}");
        let s = s.strip_suffix(".0").map(str::to_string).unwrap_or(s);
        match self.lang {
            Lang::Sv => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// A percentage with one decimal at most, such as "74,2 %" or "74.2%".
    pub fn percent_exact(&self, v: f64) -> String {
        let n = self.decimal(v);
        match self.lang {
            Lang::Sv => format!("{n}\u{a0}%"),
            Lang::En => format!("{n}%"),
        }
    }

    /// A percentage such as "17 %" (Swedish spacing) or "17%".
    pub fn percent(&self, v: f64) -> String {
        let n = self.decimal(v.round());
        match self.lang {
            Lang::Sv => format!("{n}\u{a0}%"),
            Lang::En => format!("{n}%"),
        }
    }
}
