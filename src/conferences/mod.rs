//! The annual conference: editions with their calendar, lodging, awards and agenda; registration
//! types and registrations that never oversell; calls for proposals and their review.

pub mod editions;
pub mod model;
pub mod proposals;
pub mod queries;
pub mod registrations;
pub mod seed;
pub mod time;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    use editions::routes as e;
    use registrations::routes as r;
    cfg.service(e::list_public)
        .service(e::get_public)
        .service(r::register)
        .service(r::get_own)
        .service(r::cancel_own)
        .configure(proposals::configure_public);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    use editions::routes as e;
    use registrations::routes as r;
    // `export` before `{code}`, so the word is never read as a code.
    cfg.service(e::list_admin)
        .service(e::create)
        .service(e::get_admin)
        .service(e::update)
        .service(e::create_session)
        .service(e::replace_session)
        .service(e::delete_session)
        .service(e::create_type)
        .service(e::replace_type)
        .service(e::create_call)
        .service(e::replace_call)
        .service(r::list)
        .service(r::export)
        .service(r::check_in)
        .service(r::set_payment)
        .service(r::cancel_by_staff)
        .configure(proposals::configure_admin);
}
