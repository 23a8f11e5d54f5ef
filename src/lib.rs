//! Yinwen (引文): a desktop workbench for Chinese speeches and official documents.
//!
//! The library holds everything; `main.rs` only parses arguments. `model`, `import` and
//! `store` know nothing about egui (a test checks this); `ui` is the egui application and
//! `cli` the headless commands over the same functions.

pub mod analysis;
pub mod cli;
mod cli_analysis;
mod cli_library;
mod cli_report;
pub mod desktop;
pub mod export;
pub mod import;
pub mod library;
pub mod model;
pub mod progress;
pub mod report;
pub mod sample;
pub mod store;
pub mod ui;
pub mod xml;

// The interface's strings (`locales/*.yml`), embedded at compile time; looked up through
// `ui::i18n::tr!`, which names the language on every call.
rust_i18n::i18n!("locales", fallback = "en");
