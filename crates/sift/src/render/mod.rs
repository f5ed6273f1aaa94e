//! Renderers: a `Report` in, bytes out. They never analyse.

/// A self-contained annotated HTML page.
pub mod html;
/// JSON and JSON Lines.
pub mod json;
/// The SemEval/PTC scorer span format.
pub mod ptc;
/// The terminal view.
pub mod text;
