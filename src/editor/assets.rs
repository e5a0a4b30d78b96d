//! The editing area's script and style sheet, embedded in the binary and served only by the
//! editor (the public theme's assets and their size budget are not touched).

/// `editor.js`: toolbar, shortcuts, live preview, paste, uploads, saving with per-field errors,
/// and the Word import sent without leaving the page.
pub const SCRIPT: &str = include_str!("assets/editor.js");
/// `editor.css`: the editing area's layout, at 1280 px and at 390 px.
pub const STYLE: &str = include_str!("assets/editor.css");
