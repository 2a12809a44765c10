//! Page-numbered collections: `{data, meta: {total, page, per_page}}` plus `Link` headers.
//! Query structs carry `page` and `per_page` themselves (serde's `flatten` breaks numbers in
//! query strings) and hand them to `PageRequest::new`.

use actix_web::body::BoxBody;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, Responder};
use std::borrow::Cow;

use serde::Serialize;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

use crate::state::AppState;

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// The query of a collection with no filters of its own.
#[derive(Debug, serde::Deserialize, validator::Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page to answer, from 1 (default 1); a page beyond `meta.total_pages` answers an empty `data`.
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// Records per page, 1 to 100 (default 20).
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    /// Both values were range-checked by the query struct's `validator` rules.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Self { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE) }
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

/// Where a page stands in its collection: the same `meta` for every paged list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "total": 137, "page": 2, "per_page": 20, "total_pages": 7 }))]
pub struct PageMeta {
    /// Matching records across every page.
    #[schema(minimum = 0, example = 137)]
    pub total: i64,
    /// This page's number, from 1 (as asked with `page`).
    #[schema(minimum = 1, example = 2)]
    pub page: u32,
    /// Records per page (as asked with `per_page`, 1 to 100).
    #[schema(minimum = 1, maximum = 100, example = 20)]
    pub per_page: u32,
    /// Pages in the collection: `ceil(total / per_page)`, 0 when nothing matches. A `page` beyond
    /// it answers an empty `data`.
    #[schema(minimum = 0, example = 7)]
    pub total_pages: u32,
}

impl PageMeta {
    pub fn new(total: i64, page: PageRequest) -> Self {
        let per_page = i64::from(page.per_page.max(1));
        let total_pages = u32::try_from((total.max(0) + per_page - 1) / per_page).unwrap_or(u32::MAX);
        Self { total, page: page.page, per_page: page.per_page, total_pages }
    }
}

/// A page of a collection: its records in `data`, where it stands in `meta`; `Link` headers
/// (`first`, `prev`, `next`, `last`) lead to the others.
#[derive(Debug, Serialize)]
pub struct Paginated<T: ToSchema> {
    pub data: Vec<T>,
    pub meta: PageMeta,
}

impl<T: ToSchema> utoipa::PartialSchema for Paginated<T> {
    fn schema() -> RefOr<Schema> {
        envelope::<T, PageMeta>("A page of a collection: its records in `data`, where the page stands in `meta`.")
    }
}

impl<T: ToSchema> ToSchema for Paginated<T> {
    fn name() -> Cow<'static, str> {
        format!("Paginated_{}", T::name()).into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        register::<T, PageMeta>(schemas);
    }
}

/// The schema of a list envelope, `{data: [T], meta: M}`, written by hand: utoipa's derive copies
/// a generic parameter's whole schema into every envelope (juhaku/utoipa#1586) where a reference
/// keeps one definition of each item. Its example is made of the item's and the meta's.
pub fn envelope<T: ToSchema, M: ToSchema>(description: &str) -> RefOr<Schema> {
    #[allow(deprecated)] // `example`, as the derive writes it
    let example_of = |schema: RefOr<Schema>| match schema {
        RefOr::T(Schema::Object(object)) => object.example,
        RefOr::T(Schema::AllOf(all)) => all.example,
        _ => None,
    };
    let example = match (example_of(T::schema()), example_of(M::schema())) {
        (Some(item), Some(meta)) => Some(serde_json::json!({ "data": [item], "meta": meta })),
        _ => None,
    };
    let data = ArrayBuilder::new()
        .items(Ref::from_schema_name(T::name()))
        .description(Some("This page's records, in the collection's order."));
    // `example`, as utoipa's derive writes on every other schema (OpenAPI 3.1 also has `examples`).
    #[allow(deprecated)]
    ObjectBuilder::new()
        .description(Some(description))
        .property("data", data)
        .required("data")
        .property("meta", Ref::from_schema_name(M::name()))
        .required("meta")
        .example(example)
        .into()
}

/// Registers an envelope's item and meta schemas (and theirs) with the document.
pub fn register<T: ToSchema, M: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into(), T::schema()));
    T::schemas(schemas);
    schemas.push((M::name().into(), M::schema()));
    M::schemas(schemas);
}

impl<T: ToSchema> Paginated<T> {
    pub fn new(data: Vec<T>, total: i64, page: PageRequest) -> Self {
        Self { data, meta: PageMeta::new(total, page) }
    }

    /// A page of a collection small enough to read whole (a vocabulary's values, a partner's
    /// keys), so that it answers in the same envelope as every other.
    pub fn of_all(all: Vec<T>, page: PageRequest) -> Self {
        let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
        let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let data = all.into_iter().skip(offset).take(page.per_page as usize).collect();
        Self::new(data, total, page)
    }
}

impl<T: ToSchema + Serialize> Responder for Paginated<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let base = req
            .app_data::<actix_web::web::Data<AppState>>()
            .map(|s| s.config.public_base_url.clone())
            .unwrap_or_default();
        let mut response = HttpResponse::Ok();
        let links = link_header(&base, req, self.meta.total, self.meta.page, self.meta.per_page);
        if !links.is_empty() {
            response.insert_header((header::LINK, links));
        }
        response.json(self)
    }
}

/// `next`, `prev`, `first` and `last` links keeping every other query parameter.
pub fn link_header(base: &str, req: &HttpRequest, total: i64, page: u32, per_page: u32) -> String {
    let last = u32::try_from(((total.max(1) - 1) / i64::from(per_page)) + 1).unwrap_or(u32::MAX);
    let others: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let url_for = |page: u32| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &others {
            q.append_pair(k, v);
        }
        q.append_pair("page", &page.to_string());
        format!("<{base}{}?{}>", req.path(), q.finish())
    };
    let mut links = Vec::new();
    if page < last {
        links.push(format!("{}; rel=\"next\"", url_for(page + 1)));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", url_for((page - 1).min(last))));
    }
    links.push(format!("{}; rel=\"first\"", url_for(1)));
    links.push(format!("{}; rel=\"last\"", url_for(last)));
    links.join(", ")
}
