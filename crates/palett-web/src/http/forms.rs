//! Request bodies: url-encoded forms (repeated keys allowed) and JSON,
//! each checked for its content type, with clear errors instead of panics.

use super::error::WebError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use palett_domain::values::{Fields, FromFields};
use palett_domain::FieldErrors;
use serde_json::Value;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema,
    SchemaFormat, SchemaType, Type,
};

/// A url-encoded form as ordered key/value pairs.
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

/// A patch merged onto a stored submission: a field the body sent is
/// taken from the patch, any other from `base`.
pub struct Overlay<'a> {
    pub sent: &'a JsonObject,
    pub patch: &'a FormData,
    pub base: &'a dyn Fields,
}

impl Fields for Overlay<'_> {
    fn one(&self, name: &str) -> String {
        if self.sent.0.contains_key(name) {
            self.patch.get(name)
        } else {
            self.base.one(name)
        }
    }

    fn all(&self, name: &str) -> Vec<String> {
        if self.sent.0.contains_key(name) {
            self.patch.all(name)
        } else {
            self.base.all(name)
        }
    }
}

impl Fields for FormData {
    fn one(&self, name: &str) -> String {
        self.get(name)
    }

    fn all(&self, name: &str) -> Vec<String> {
        FormData::all(self, name)
    }
}

impl FormData {
    /// A destructive action's form was sent from the page that asks
    /// first (`confirm=yes`).
    pub fn confirmed(&self) -> bool {
        self.get("confirm") == "yes"
    }

    pub fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The submission `I`, each field read under its name.
    pub fn input<I: FromFields>(&self) -> I {
        I::from_fields(self)
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The request's body, once its content type (lower-cased) is one `accepts`
/// takes: else 415; a body over the limit is 413.
async fn body_of<S: Send + Sync>(
    req: Request,
    s: &S,
    accepts: impl Fn(&str) -> bool,
) -> Result<Bytes, WebError> {
    if !accepts(&content_type(&req)) {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "error-content-type",
        ));
    }
    Bytes::from_request(req, s)
        .await
        .map_err(|_| WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "error-too-large"))
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;

    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_of(req, s, |ct| {
            ct.starts_with("application/x-www-form-urlencoded")
        })
        .await?;
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .map(FormData)
            .map_err(|_| WebError::new(StatusCode::BAD_REQUEST, "error-bad-form"))
    }
}

/// A JSON object body.
#[derive(Clone, Debug)]
pub struct JsonObject(pub serde_json::Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = WebError;

    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_of(req, s, |ct| {
            ct.starts_with("application/json") || ct.contains("+json")
        })
        .await?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(JsonObject(m)),
            Ok(_) => Err(WebError::field(
                StatusCode::BAD_REQUEST,
                "body",
                "error-json-object",
            )),
            Err(e) => Err(
                WebError::field(StatusCode::BAD_REQUEST, "body", "error-json-syntax")
                    .with_detail(format!("line {}, column {}", e.line(), e.column())),
            ),
        }
    }
}

/// The JSON type a request field's value must have. Every endpoint that
/// reads a JSON object declares its fields with one of these (its spec), so
/// that a value of the wrong type is refused by name with a 422 instead of
/// being coerced (`123` is not a name, `"yes"` not a boolean). `null` is
/// accepted for every field and means "empty".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    /// A string.
    Text,
    /// A whole number (within i64).
    Integer,
    /// A number, or a decimal written as text (`1.5`, `"1,5"`).
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// A list of strings.
    Texts,
    /// A list of whole numbers.
    Integers,
    /// A string, or a list of strings joined with ", ".
    TextOrTexts,
}

impl JsonType {
    /// One value of a scalar type as form text; `Err` with the message id
    /// when it has the wrong type. An absent value is empty.
    pub fn scalar(self, v: Option<&Value>) -> Result<String, &'static str> {
        match v {
            None => Ok(String::new()),
            Some(v) => match self.values(v) {
                Some(mut l) if l.len() == 1 => Ok(l.remove(0)),
                _ => Err(self.error()),
            },
        }
    }

    /// The message id of a value of the wrong type.
    pub fn error(self) -> &'static str {
        match self {
            JsonType::Text | JsonType::TextOrTexts => "error-json-string",
            JsonType::Integer => "error-json-integer",
            JsonType::Decimal => "error-json-number",
            JsonType::Boolean => "error-json-boolean",
            JsonType::Texts => "error-json-string-list",
            JsonType::Integers => "error-json-integer-list",
        }
    }

    /// The form values of `v`, or `None` when it has the wrong type.
    fn values(self, v: &Value) -> Option<Vec<String>> {
        let one = |s: String| Some(vec![s]);
        match (self, v) {
            (JsonType::Texts | JsonType::Integers, Value::Null) => Some(Vec::new()),
            (_, Value::Null) => one(String::new()),
            (JsonType::Text | JsonType::TextOrTexts, Value::String(s)) => one(s.clone()),
            (JsonType::Integer, Value::Number(n)) if n.is_i64() => one(n.to_string()),
            (JsonType::Decimal, Value::Number(n)) => one(n.to_string()),
            (JsonType::Decimal, Value::String(s)) => one(s.clone()),
            (JsonType::Boolean, Value::Bool(b)) => one(b.to_string()),
            (JsonType::Texts, Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect(),
            (JsonType::TextOrTexts, Value::Array(items)) => items
                .iter()
                .map(Value::as_str)
                .collect::<Option<Vec<_>>>()
                .map(|l| vec![l.join(", ")]),
            (JsonType::Integers, Value::Array(items)) => items
                .iter()
                .map(|i| i.as_i64().map(|n| n.to_string()))
                .collect(),
            _ => None,
        }
    }
}

/// The fields an endpoint reads from a JSON object, each with its type.
pub type Spec<'a> = &'a [(&'a str, JsonType)];

impl JsonObject {
    /// The fields of `spec` as form pairs (a list field gives one pair per
    /// item). Unknown fields are refused so that a typo does not silently
    /// lose data; a value of the wrong type is refused with its field.
    pub fn to_form(&self, spec: Spec) -> Result<FormData, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out = Vec::new();
        for (k, v) in &self.0 {
            let Some((_, kind)) = spec.iter().find(|(name, _)| name == k) else {
                e.push(k.clone(), "error-unknown-field");
                continue;
            };
            match kind.values(v) {
                Some(values) => out.extend(values.into_iter().map(|s| (k.clone(), s))),
                None => e.push(k.clone(), kind.error()),
            }
        }
        e.into_result().map(|_| FormData(out))
    }
}

impl JsonType {
    /// The schema of a value of this type; every field may also be `null`
    /// (empty), as [`JsonType::values`] accepts.
    pub fn schema(self) -> Schema {
        let of = |types: &[Type]| {
            ObjectBuilder::new().schema_type(SchemaType::from_iter(types.iter().cloned()))
        };
        let list = |item: Type| {
            ArrayBuilder::new()
                .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
                .items(ObjectBuilder::new().schema_type(item))
        };
        match self {
            JsonType::Text => of(&[Type::String, Type::Null]).into(),
            JsonType::Integer => of(&[Type::Integer, Type::Null])
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .into(),
            JsonType::Decimal => of(&[Type::Number, Type::String, Type::Null])
                .description(Some("A number, or a decimal written as text (`\"1,5\"`)."))
                .into(),
            JsonType::Boolean => of(&[Type::Boolean, Type::Null]).into(),
            JsonType::Texts => list(Type::String).into(),
            JsonType::Integers => list(Type::Integer).into(),
            JsonType::TextOrTexts => OneOfBuilder::new()
                .item(of(&[Type::String, Type::Null]))
                .item(ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some("A text, or a list of texts (joined with \", \")."))
                .into(),
        }
    }
}

/// The schema of a JSON object read through `spec` with
/// [`JsonObject::to_form`]: exactly its fields, each with its type, and no
/// other (an unknown field is refused).
pub fn spec_schema(spec: Spec) -> ObjectBuilder {
    spec.iter().fold(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(AdditionalProperties::FreeForm(false))),
        |o, (name, ty)| o.property(*name, ty.schema()),
    )
}

/// A JSON request body read through its spec: `json_body!(Name = A, B)`
/// makes the type `Name` whose `Name::spec()` (the tables `A` and `B`, one
/// after the other) the handler reads the body with
/// (`body.to_form(&Name::spec())`) and whose schema, made from that same
/// spec, the operation documents (`request_body = Name`). Doc comments on
/// it describe the body.
macro_rules! json_body {
    ($(#[doc = $doc:literal])* $name:ident = $($part:expr),+ $(,)?) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// The fields this body may have, each with its JSON type.
            pub fn spec() -> Vec<(&'static str, $crate::http::forms::JsonType)> {
                let parts: &[$crate::http::forms::Spec<'static>] = &[$($part),+];
                parts.concat()
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let doc: &[&str] = &[$($doc),*];
                let doc = doc.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                $crate::http::forms::spec_schema(&Self::spec())
                    .description((!doc.is_empty()).then_some(doc))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use json_body;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type Pairs = Vec<(String, String)>;
    type Errors = Vec<(String, &'static str)>;

    fn form(body: Value, spec: Spec) -> Result<Pairs, Errors> {
        let Value::Object(m) = body else {
            panic!("object")
        };
        JsonObject(m)
            .to_form(spec)
            .map(|f| f.0)
            .map_err(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
    }

    #[test]
    fn each_type_takes_its_json_and_refuses_the_rest() {
        let spec: Spec = &[
            ("name", JsonType::Text),
            ("n", JsonType::Integer),
            ("hours", JsonType::Decimal),
            ("flag", JsonType::Boolean),
            ("ids", JsonType::Integers),
            ("tags", JsonType::Texts),
            ("langs", JsonType::TextOrTexts),
        ];
        let ok = form(
            json!({"name": "Åsa", "n": 5, "hours": 1.5, "flag": true, "ids": [1, 2],
                   "tags": ["a"], "langs": ["sv", "so"]}),
            spec,
        )
        .expect("valid");
        let pairs: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for want in [
            ("name", "Åsa"),
            ("n", "5"),
            ("hours", "1.5"),
            ("flag", "true"),
            ("ids", "1"),
            ("ids", "2"),
            ("tags", "a"),
            ("langs", "sv, so"),
        ] {
            assert!(pairs.contains(&want), "{want:?} in {pairs:?}");
        }
        assert!(form(
            json!({"hours": "1,5", "langs": "sv", "n": null, "ids": null}),
            spec
        )
        .is_ok());
        let mut bad = form(
            json!({"name": 123, "n": "5", "hours": true, "flag": "yes", "ids": ["1"],
                   "tags": "a", "langs": [1], "shoe_size": 38}),
            spec,
        )
        .expect_err("all wrong");
        bad.sort();
        assert_eq!(
            bad,
            vec![
                ("flag".to_string(), "error-json-boolean"),
                ("hours".to_string(), "error-json-number"),
                ("ids".to_string(), "error-json-integer-list"),
                ("langs".to_string(), "error-json-string"),
                ("n".to_string(), "error-json-integer"),
                ("name".to_string(), "error-json-string"),
                ("shoe_size".to_string(), "error-unknown-field"),
                ("tags".to_string(), "error-json-string-list"),
            ]
        );
        // A fraction or an overflowing number is not an integer.
        assert!(form(json!({"n": 1.5}), spec).is_err());
        assert!(form(json!({"n": 1e300}), spec).is_err());
    }
}
