//! Entry point: parse the command line, then run a command or open the window.

// No console window on Windows in release builds.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser;

fn main() {
    let args = yinwen::cli::Cli::parse();
    let code = match args.command {
        Some(cmd) => yinwen::cli::run(cmd),
        None => match yinwen::ui::run_gui(args.files) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("yinwen: could not open the window: {e}");
                2
            }
        },
    };
    std::process::exit(code);
}
