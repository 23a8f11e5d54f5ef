//! Entry point: parse the command line, then run a command or open the window.

// No console window on Windows in release builds.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser;

fn main() {
    let args = yinwen::cli::Cli::parse();
    let code = if args.install_desktop || args.uninstall_desktop {
        yinwen::cli::desktop_command(
            args.install_desktop,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )
    } else {
        run(args)
    };
    std::process::exit(code);
}

fn run(args: yinwen::cli::Cli) -> i32 {
    match args.command {
        Some(cmd) => yinwen::cli::run(cmd),
        None => match yinwen::ui::run_gui(args.files) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("yinwen: could not open the window: {e}");
                2
            }
        },
    }
}
