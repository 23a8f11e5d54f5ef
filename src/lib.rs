//! Yinwen (引文): a desktop workbench for Chinese speeches and official documents.
//!
//! The library holds everything; `main.rs` only parses arguments. `model`, `import` and
//! `store` know nothing about egui (a test checks this); `ui` is the egui application and
//! `cli` the headless commands over the same functions.

pub mod analysis;
pub mod cli;
mod cli_analysis;
pub mod desktop;
pub mod export;
pub mod import;
pub mod model;
pub mod progress;
pub mod sample;
pub mod store;
pub mod ui;
