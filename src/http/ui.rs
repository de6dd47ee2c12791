//! The moderator page: one self-contained HTML file compiled into the binary. It holds no
//! data; it signs in with a moderator token and uses the /v1/moderation API like any client.

use actix_web::{HttpResponse, web};

const MODERATE_HTML: &str = include_str!("ui/moderate.html");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/moderate").route(web::get().to(moderate)));
}

async fn moderate() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        // The page talks only to this origin and must not be framed (clickjacking).
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header(("Cache-Control", "no-cache"))
        .body(MODERATE_HTML)
}
