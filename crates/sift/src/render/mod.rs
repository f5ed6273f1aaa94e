//! Renderers: a `Report` in, bytes out. They never analyse.

pub mod json;
pub mod text;
pub mod html;
