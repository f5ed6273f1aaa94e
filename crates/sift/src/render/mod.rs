//! Renderers: a `Report` in, bytes out. They never analyse.

pub mod html;
pub mod json;
pub mod ptc;
pub mod text;
