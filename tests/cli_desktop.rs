//! `yinwen --install-desktop` in a throw-away home: desktop entry, icon, MIME type and default
//! application are written where freedesktop.org desktops look, and — when the desktop tools
//! are installed — `xdg-mime` really maps a workspace file to Yinwen.

#![cfg(all(unix, not(target_os = "macos")))]

use std::path::Path;
use std::process::Command;

fn yinwen(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yinwen"));
    c.env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("XDG_DATA_DIRS");
    c
}

fn tool_exists(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

#[test]
fn install_and_uninstall_desktop_integration() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::create_dir_all(h.join("config")).unwrap();
    std::fs::write(
        h.join("config/mimeapps.list"),
        "[Default Applications]\ntext/html=firefox.desktop;\n",
    )
    .unwrap();
    let o = yinwen(h).arg("--install-desktop").output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let entry = std::fs::read_to_string(h.join("data/applications/yinwen.desktop")).unwrap();
    let exe = Path::new(env!("CARGO_BIN_EXE_yinwen"))
        .canonicalize()
        .unwrap();
    assert!(
        entry.contains(&format!("Exec=\"{}\" %F", exe.display())),
        "{entry}"
    );
    assert!(entry.contains("MimeType=application/x-yinwen-workspace;"));
    let icon = std::fs::read(h.join("data/icons/hicolor/256x256/apps/yinwen.png")).unwrap();
    assert_eq!(&icon[1..4], b"PNG");
    assert!(h.join("data/mime/packages/yinwen-workspace.xml").is_file());
    let list = std::fs::read_to_string(h.join("config/mimeapps.list")).unwrap();
    assert!(list.contains("text/html=firefox.desktop;"), "kept: {list}");
    assert!(list.contains("application/x-yinwen-workspace=yinwen.desktop;"));

    if tool_exists("desktop-file-validate") {
        let v = Command::new("desktop-file-validate")
            .arg(h.join("data/applications/yinwen.desktop"))
            .output()
            .unwrap();
        assert!(
            v.status.success() && v.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&v.stdout)
        );
    } else {
        eprintln!("desktop-file-validate not installed: entry not validated");
    }
    if tool_exists("update-mime-database") {
        // The MIME database of the throw-away home now knows the type.
        let types = std::fs::read_to_string(h.join("data/mime/types")).unwrap();
        assert!(types.contains("application/x-yinwen-workspace"), "{types}");
    }
    if tool_exists("update-mime-database") && tool_exists("gio") {
        // What a file manager does on double-click: file → MIME type → default application.
        let ws = h.join("同事的工作区.ron");
        yinwen::store::save(&yinwen::model::Workspace::new(), &ws).unwrap();
        let gio = |args: &[&std::ffi::OsStr]| {
            let o = Command::new("gio")
                .args(args)
                .env("HOME", h)
                .env("XDG_DATA_HOME", h.join("data"))
                .env("XDG_CONFIG_HOME", h.join("config"))
                .env("XDG_DATA_DIRS", h.join("data"))
                .env_remove("XDG_CURRENT_DESKTOP")
                .output()
                .unwrap();
            String::from_utf8_lossy(&o.stdout).to_string()
        };
        let info = gio(&[
            "info".as_ref(),
            "-a".as_ref(),
            "standard::content-type".as_ref(),
            ws.as_os_str(),
        ]);
        assert!(
            info.contains("standard::content-type: application/x-yinwen-workspace"),
            "{info}"
        );
        // Another program's RON file is left alone.
        let other = h.join("config.ron");
        std::fs::write(&other, "(window: (width: 800), theme: \"dark\")\n").unwrap();
        let info = gio(&[
            "info".as_ref(),
            "-a".as_ref(),
            "standard::content-type".as_ref(),
            other.as_os_str(),
        ]);
        assert!(!info.contains("yinwen"), "{info}");
        let app = gio(&["mime".as_ref(), "application/x-yinwen-workspace".as_ref()]);
        assert!(
            app.contains(
                "Default application for “application/x-yinwen-workspace”: yinwen.desktop"
            ) || app.contains("yinwen.desktop"),
            "{app}"
        );
    } else {
        eprintln!("gio / update-mime-database not installed: association not queried");
    }

    let o = yinwen(h).arg("--uninstall-desktop").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(!h.join("data/applications/yinwen.desktop").exists());
    assert!(!h.join("data/mime/packages/yinwen-workspace.xml").exists());
    let list = std::fs::read_to_string(h.join("config/mimeapps.list")).unwrap();
    assert_eq!(list, "[Default Applications]\ntext/html=firefox.desktop;\n");
}

#[test]
fn install_without_a_home_fails_with_one_line() {
    let o = Command::new(env!("CARGO_BIN_EXE_yinwen"))
        .arg("--install-desktop")
        .env_remove("HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("HOME"), "{err}");
}
