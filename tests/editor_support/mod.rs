//! The HTTP client of the editor's end-to-end tests (`tests/editor.rs`,
//! `tests/editor_docx.rs`): one agent that reports every status and follows no redirect,
//! answers read whole, form bodies encoded as the editor's script encodes them.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

/// An answer: its status, its `Location` (empty when none) and its body as text.
pub struct Reply {
    pub status: u16,
    pub location: String,
    pub body: String,
}

/// The agent every request goes through: 4xx and 5xx are answers, not errors; redirects are
/// answers too; a minute at most (a photo's processing can take seconds in debug builds).
pub fn agent() -> &'static ureq::Agent {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into()
    })
}

/// Reads a response whole (up to 64 MB).
pub fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    Reply {
        status: response.status().as_u16(),
        location,
        body: response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default(),
    }
}

/// `application/x-www-form-urlencoded` of `pairs`.
pub fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The text between the first `start` and the next `end` (panics when missing).
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {text}"))
        + start.len();
    let to = text[from..].find(end).unwrap() + from;
    &text[from..to]
}
