//! Entry point: parse the command line, then run a command or open the window.

// No console window on Windows in release builds.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser;

fn main() {
    // A release build on Windows is a GUI program without a console; when started from a
    // command prompt with a command (`yinwen check …`), show its output in that prompt.
    #[cfg(all(windows, not(debug_assertions)))]
    if std::env::args_os().len() > 1 {
        // SAFETY: plain Win32 call with a constant argument; failure (no parent console,
        // e.g. started by double-click) just leaves the program without one.
        unsafe {
            windows_sys::Win32::System::Console::AttachConsole(
                windows_sys::Win32::System::Console::ATTACH_PARENT_PROCESS,
            );
        }
    }
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
    if args.command.is_none()
        && let Some(message) = yinwen::cli::unknown_first_argument(&args.files)
    {
        eprintln!("yinwen: {message}");
        return 2;
    }
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
