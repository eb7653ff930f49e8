//! The parts of the API's OpenAPI document that belong to no feature: its
//! head (title, server, the bearer token scheme), the error answers every
//! operation shares ([`finish`]) and the closed vocabularies ([`vocab`]).
//! The operations come from each feature's `api_routes()` (utoipa-axum's
//! `OpenApiRouter`: a route is registered with its annotation or not at
//! all); request bodies from the specs the handlers read them with
//! (`forms::json_body!`); response bodies from the handlers' typed DTOs.

use super::error::ErrorBody;
use utoipa::openapi::path::{HttpMethod, Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, Required,
    ResponseBuilder, ServerBuilder,
};
use utoipa::{PartialSchema, ToSchema};

/// The security scheme's name: a personal access token as a bearer token.
const BEARER: &str = "bearer";

/// The document's head, before the features add their operations.
pub fn base() -> OpenApi {
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("palett API")
                .version("1")
                .description(Some(
                    "JSON API of palett. Authenticate with a personal access token: \
                     `Authorization: Bearer plt_…` (create one under API-nycklar or with \
                     `palett token create --email EMAIL`). Conventions (ids, pagination, \
                     errors) are in docs/API-DESIGN.md. Every read of a participant is \
                     recorded in the audit log.",
                ))
                .build(),
        )
        .servers(Some([ServerBuilder::new().url("/api/v1").build()]))
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme(
                    BEARER,
                    SecurityScheme::Http(
                        HttpBuilder::new()
                            .scheme(HttpAuthScheme::Bearer)
                            .description(Some(
                                "A personal access token (`plt_…`); only its SHA-256 is stored. \
                                 A browser session cookie also works, with the CSRF token in \
                                 `X-CSRF-Token` on every unsafe request.",
                            ))
                            .build(),
                    ),
                )
                .build(),
        ))
        .security(Some([SecurityRequirement::new(
            BEARER,
            Vec::<String>::new(),
        )]))
        .build()
}

/// The error answers, each documented once (a response component with the
/// error body) and referenced by status.
const ERRORS: &[(&str, &str, &str)] = &[
    ("400", "BadRequest", "Malformed JSON (field `body`, with line and column) or a bad query parameter (the field names it)."),
    ("401", "Unauthorized", "Not signed in: no valid bearer token or session."),
    ("403", "Forbidden", "Not allowed, a missing CSRF token (session cookies), or `second-factor-required` until the caller has set up two-step verification."),
    ("404", "NotFound", "No such thing, or one the caller may not see (the two look alike)."),
    ("409", "Conflict", "A concurrent change: the `version` sent (or read) is stale (`stale`), another change at the same moment got in the way and nothing was saved (`busy`: send the same request again), or the first request with this `Idempotency-Key` is still running (`idempotency-in-flight`)."),
    ("413", "PayloadTooLarge", "The body is over 16 MiB."),
    ("415", "UnsupportedMediaType", "The body is not `application/json`."),
    ("422", "UnprocessableEntity", "Validation failed: one entry in `fields` per field at fault (an unknown field, a value of the wrong JSON type, an invalid value)."),
    ("500", "InternalServerError", "Our fault: logged with the request id, never detailed."),
];

/// Which error answers an operation can give: every one that needs
/// credentials can be refused (400, 401, 403, 404, 500); one with a body can also have it refused
/// (413, 415, 422); one that changes something can meet a concurrent
/// change (409).
fn errors_of(method: &HttpMethod, op: &Operation) -> Vec<&'static str> {
    // An operation open to anyone (`security(())`) refuses nobody.
    let open = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
    let mut codes = if open {
        vec!["500"]
    } else {
        vec!["400", "401", "403", "404", "500"]
    };
    if op.request_body.is_some() {
        codes.extend(["413", "415", "422"]);
    }
    if !matches!(method, HttpMethod::Get | HttpMethod::Head) {
        codes.push("409");
    }
    codes
}

/// Complete the document built from the routers: the error answers on
/// every operation (their body documented once) and the security scheme.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    let mut components = doc.components.take().unwrap_or_default();
    let mut schemas = Vec::new();
    <ErrorBody as ToSchema>::schemas(&mut schemas);
    schemas.push((ErrorBody::name().into(), ErrorBody::schema()));
    components.schemas.extend(schemas);
    for (_, name, description) in ERRORS {
        let content = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(ErrorBody::name())))
            .build();
        components.responses.insert(
            name.to_string(),
            ResponseBuilder::new()
                .description(*description)
                .content("application/json", content)
                .build()
                .into(),
        );
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        item.parameters = path_parameters(path);
        let ops = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            if method == HttpMethod::Post && errors_of(&method, op).contains(&"401") {
                op.parameters
                    .get_or_insert_with(Vec::new)
                    .push(idempotency_key());
            }
            for (code, response) in op.responses.responses.iter_mut() {
                if let RefOr::T(r) = response {
                    if r.description.is_empty() {
                        r.description = if code == "201" { "Created" } else { "OK" }.into();
                    }
                }
            }
            for code in errors_of(&method, op) {
                let (_, name, _) = ERRORS
                    .iter()
                    .find(|(c, _, _)| *c == code)
                    .expect("every error answer is listed");
                op.responses
                    .responses
                    .entry(code.to_string())
                    .or_insert_with(|| Ref::new(format!("#/components/responses/{name}")).into());
            }
        }
    }
    doc.components = Some(components);
    doc
}

/// The `Idempotency-Key` header every POST that needs credentials takes
/// (`http::idempotency`).
fn idempotency_key() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "A key of the client's choosing (1–255 visible ASCII characters, a UUID is usual). \
             A retry of the same request (method, path and body) with the same key within 24 hours \
             gets the first successful answer again, with the header `Idempotent-Replayed: true`, \
             instead of doing it twice. The key used for another request answers 422 (field \
             `Idempotency-Key`); while the first request still runs, 409 \
             `idempotency-in-flight`. A refused request frees its key.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255)),
        ))
        .build()
}

/// The parameters of a path template: `{id}`, a record's id (anything but
/// a whole number answers 404, like an id that does not exist), or another
/// segment as text.
fn path_parameters(path: &str) -> Option<Vec<Parameter>> {
    let params: Vec<Parameter> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            let (ty, description) = match name {
                "id" => (Type::Integer, "The record's id."),
                _ => (Type::String, "A path segment."),
            };
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(ty)))
                .build()
        })
        .collect();
    (!params.is_empty()).then_some(params)
}

/// The closed vocabularies of the domain as schema components, each the
/// list of its values (`text_enum!`'s `ALL`), so a DTO field holding one
/// is documented with exactly the values it can take:
/// `#[schema(value_type = vocab::Status)]`.
pub mod vocab {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    macro_rules! vocabularies {
        ($($name:ident = $domain:path),+ $(,)?) => {
            $(
                #[doc = concat!("The values of `", stringify!($domain), "`.")]
                pub struct $name;

                impl utoipa::PartialSchema for $name {
                    fn schema() -> RefOr<Schema> {
                        values(<$domain>::ALL.iter().map(|v| v.as_str()))
                    }
                }

                impl utoipa::ToSchema for $name {}
            )+
        };
    }

    /// A string schema with these values.
    fn values(all: impl Iterator<Item = &'static str>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(all))
            .build()
            .into()
    }

    vocabularies!(
        Status = palett_domain::lifecycle::Status,
        ExitOutcome = palett_domain::lifecycle::ExitOutcome,
        TransitionKind = palett_domain::lifecycle::TransitionKind,
        PauseKind = palett_domain::palette::PauseKind,
        Gender = palett_domain::values::Gender,
        IdentityKind = palett_domain::values::IdentityKind,
        EducationLevel = palett_domain::values::EducationLevel,
        SwedishLevel = palett_domain::values::SwedishLevel,
        ReferralSource = palett_domain::values::ReferralSource,
        LabourStatus = palett_domain::followup::LabourStatus,
        IncomeSource = palett_domain::followup::IncomeSource,
        Employment = palett_domain::followup::Employment,
        StudyStatus = palett_domain::followup::StudyStatus,
        ConsentKind = palett_domain::consent::ConsentKind,
        ConsentMethod = palett_domain::consent::ConsentMethod,
        InterventionKind = palett_domain::palette::InterventionKind,
        EnrolmentStatus = palett_domain::palette::EnrolmentStatus,
        AttendanceStatus = palett_domain::palette::AttendanceStatus,
        SessionStatus = palett_domain::palette::SessionStatus,
        Indicator = palett_domain::indicators::Indicator,
        EmployerIndicator = palett_domain::indicators::EmployerIndicator,
        Breakdown = palett_domain::indicators::Breakdown,
        ReportKind = palett_app::reports::ReportKind,
        Role = palett_domain::policy::Role,
        WorkItem = palett_domain::worklist::WorkItem,
        Industry = palett_domain::employer::Industry,
        ContactKind = palett_domain::employer::ContactKind,
        OpeningKind = palett_domain::opening::OpeningKind,
        EmploymentForm = palett_domain::opening::EmploymentForm,
        OpeningStatus = palett_domain::opening::OpeningStatus,
        PhysicalDemands = palett_domain::opening::PhysicalDemands,
        WorkingHours = palett_domain::opening::WorkingHours,
        ProposalStage = palett_domain::proposal::Stage,
        NotPlacedReason = palett_domain::proposal::NotPlacedReason,
        PlacementResult = palett_domain::placement::PlacementResult,
        ReviewKind = palett_domain::placement::ReviewKind,
        ReferralOrigin = palett_domain::referral::ReferralOrigin,
        ReferralPurpose = palett_domain::referral::ReferralPurpose,
        ReferralState = palett_domain::referral::ReferralState,
        DeclineReason = palett_domain::referral::DeclineReason,
    );
}
