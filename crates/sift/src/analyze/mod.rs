//! Analysers. Each is a module with one public entry, `analyze`, a pure function
//! of the document and the layers earlier analysers put in the report.
//! Analysers never print, never touch files, never know about the CLI.

pub mod attribution;
pub(crate) mod calendar;
pub mod claims;
pub mod consistency;
pub mod entities;
pub mod quantities;
pub mod techniques;
