//! `yinwen --install-desktop`: makes Yinwen a desktop application on Linux and other
//! freedesktop.org systems, so that it appears in the application menu and double-clicking a
//! workspace file opens it.
//!
//! Everything goes under the user's data folder (`$XDG_DATA_HOME`, normally
//! `~/.local/share`); nothing needs administrator rights:
//! - `applications/yinwen.desktop` — the menu entry, starting this very binary;
//! - `icons/hicolor/256x256/apps/yinwen.png` — the icon;
//! - `mime/packages/yinwen-workspace.xml` — the `application/x-yinwen-workspace` type for
//!   files that begin with `format: "yinwen"` (recognised by content, not by the `.ron` name,
//!   which other programs' RON files share);
//! - `$XDG_CONFIG_HOME/mimeapps.list` — Yinwen as the default application for that type.
//!
//! Then the desktop's caches are refreshed (`update-mime-database`, `update-desktop-database`,
//! `gtk-update-icon-cache`) when those tools exist. On Windows the icon is embedded by
//! `build.rs` and files are associated through "Open with".

use std::path::{Path, PathBuf};

/// The MIME type of workspace files.
pub const WORKSPACE_MIME: &str = "application/x-yinwen-workspace";
/// The desktop entry's file name (also its ID).
pub const DESKTOP_FILE: &str = "yinwen.desktop";

const ICON_PNG: &[u8] = include_bytes!("../assets/icon.png");

/// Where the files go.
#[derive(Debug, Clone)]
pub struct DesktopDirs {
    /// `$XDG_DATA_HOME` or `~/.local/share`.
    pub data_home: PathBuf,
    /// `$XDG_CONFIG_HOME` or `~/.config`.
    pub config_home: PathBuf,
}

impl DesktopDirs {
    /// The user's folders from the environment, as the XDG base directory spec says.
    pub fn from_env() -> Result<DesktopDirs, String> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let pick = |var: &str, fallback: &str| -> Result<PathBuf, String> {
            match std::env::var_os(var).map(PathBuf::from) {
                Some(p) if p.is_absolute() => Ok(p),
                _ => home
                    .as_ref()
                    .map(|h| h.join(fallback))
                    .ok_or_else(|| format!("neither {var} nor HOME is set")),
            }
        };
        Ok(DesktopDirs {
            data_home: pick("XDG_DATA_HOME", ".local/share")?,
            config_home: pick("XDG_CONFIG_HOME", ".config")?,
        })
    }

    fn desktop_file(&self) -> PathBuf {
        self.data_home.join("applications").join(DESKTOP_FILE)
    }
    fn icon_file(&self) -> PathBuf {
        self.data_home.join("icons/hicolor/256x256/apps/yinwen.png")
    }
    fn mime_file(&self) -> PathBuf {
        self.data_home.join("mime/packages/yinwen-workspace.xml")
    }
    fn mimeapps(&self) -> PathBuf {
        self.config_home.join("mimeapps.list")
    }
}

/// What an installation wrote and which cache tools ran.
#[derive(Debug, Clone, Default)]
pub struct InstallReport {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Cache tools that ran (others were not found; the desktop refreshes at next login).
    pub refreshed: Vec<String>,
}

/// Quotes a path for the `Exec` key of a desktop entry: inside double quotes, `"`, `` ` ``,
/// `$` and `\` are escaped with a backslash, and (the value being a string) every backslash
/// is doubled again; `%` is written `%%`.
pub fn exec_quote(path: &Path) -> String {
    let mut out = String::from("\"");
    for c in path.to_string_lossy().chars() {
        match c {
            '"' | '`' | '$' => {
                out.push_str("\\\\");
                out.push(c);
            }
            '\\' => out.push_str("\\\\\\\\"),
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The desktop entry for the binary at `exe` (the per-user entry of `--install-desktop`).
pub fn desktop_entry(exe: &Path) -> String {
    desktop_entry_exec(&exec_quote(exe))
}

/// The desktop entry of the Debian package: `Exec=yinwen %F`, the binary in `/usr/bin`.
/// `packaging/yinwen.desktop` holds exactly this text (a test checks it).
pub fn packaged_desktop_entry() -> String {
    desktop_entry_exec("yinwen")
}

/// The desktop entry with `exec` (already quoted) as the program of its `Exec` key.
fn desktop_entry_exec(exec: &str) -> String {
    format!(
        "[Desktop Entry]
Type=Application
Version=1.4
Name=Yinwen
Name[zh_CN]=引文
GenericName=Speech annotation and quotation checking
GenericName[zh_CN]=讲话批注与引文核对
Comment=Annotate Chinese speeches and check their quoted directives against the sources
Comment[zh_CN]=批注中文讲话，核对引述的指示与出处
Exec={} %F
Icon=yinwen
Terminal=false
Categories=Office;WordProcessor;
MimeType={WORKSPACE_MIME};
Keywords=speech;quotation;annotation;讲话;引文;批注;
StartupNotify=true
StartupWMClass=yinwen
",
        exec
    )
}

/// The shared-mime-info description of workspace files.
pub fn mime_package() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{WORKSPACE_MIME}">
    <comment>Yinwen workspace</comment>
    <comment xml:lang="zh_CN">引文工作区</comment>
    <sub-class-of type="text/plain"/>
    <generic-icon name="text-x-generic"/>
    <icon name="yinwen"/>
    <magic priority="80">
      <match type="string" value="format: &quot;yinwen&quot;" offset="0:64"/>
    </magic>
  </mime-type>
</mime-info>
"#
    )
}

/// Sets `mime=desktop;` in the `[Default Applications]` group of a mimeapps.list text,
/// keeping every other line.
pub fn set_default_app(list: &str, mime: &str, desktop: &str) -> String {
    let entry = format!("{mime}={desktop};");
    let mut out: Vec<String> = Vec::new();
    let mut in_defaults = false;
    let mut done = false;
    for line in list.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            if in_defaults && !done {
                out.push(entry.clone());
                done = true;
            }
            in_defaults = t == "[Default Applications]";
        } else if in_defaults && t.split('=').next().map(str::trim) == Some(mime) {
            if !done {
                out.push(entry.clone());
                done = true;
            }
            continue;
        }
        out.push(line.to_string());
    }
    if !done {
        if !in_defaults {
            if out.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push(String::new());
            }
            out.push("[Default Applications]".into());
        }
        out.push(entry);
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

fn write(path: &Path, bytes: &[u8], report: &mut InstallReport) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::store::write_atomic(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    report.written.push(path.to_path_buf());
    Ok(())
}

fn run_tool(tool: &str, args: &[&Path], report: &mut InstallReport) {
    let ok = std::process::Command::new(tool)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        report.refreshed.push(tool.to_string());
    }
}

/// Asks the desktop to re-read the MIME types, menu entries and icons, where the tools exist.
fn refresh_caches(dirs: &DesktopDirs, report: &mut InstallReport) {
    let mime = dirs.data_home.join("mime");
    let apps = dirs.data_home.join("applications");
    let icons = dirs.data_home.join("icons/hicolor");
    run_tool("update-mime-database", &[&mime], report);
    run_tool("update-desktop-database", &[&apps], report);
    run_tool(
        "gtk-update-icon-cache",
        &[Path::new("-q"), Path::new("-t"), &icons],
        report,
    );
}

/// Installs the desktop entry, icon and MIME type for the binary at `exe`.
pub fn install(dirs: &DesktopDirs, exe: &Path) -> Result<InstallReport, String> {
    let mut report = InstallReport::default();
    write(
        &dirs.desktop_file(),
        desktop_entry(exe).as_bytes(),
        &mut report,
    )?;
    write(&dirs.icon_file(), ICON_PNG, &mut report)?;
    write(&dirs.mime_file(), mime_package().as_bytes(), &mut report)?;
    let list = std::fs::read_to_string(dirs.mimeapps()).unwrap_or_default();
    write(
        &dirs.mimeapps(),
        set_default_app(&list, WORKSPACE_MIME, DESKTOP_FILE).as_bytes(),
        &mut report,
    )?;
    refresh_caches(dirs, &mut report);
    Ok(report)
}

/// Removes what [`install`] wrote (the mimeapps.list line too). Missing files are fine.
pub fn uninstall(dirs: &DesktopDirs) -> Result<Vec<PathBuf>, String> {
    let mut removed = Vec::new();
    for p in [dirs.desktop_file(), dirs.icon_file(), dirs.mime_file()] {
        match std::fs::remove_file(&p) {
            Ok(()) => removed.push(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", p.display())),
        }
    }
    if let Ok(list) = std::fs::read_to_string(dirs.mimeapps()) {
        let kept: Vec<&str> = list
            .lines()
            .filter(|l| l.trim() != format!("{WORKSPACE_MIME}={DESKTOP_FILE};"))
            .collect();
        let mut s = kept.join("\n");
        s.push('\n');
        if s != list {
            crate::store::write_atomic(&dirs.mimeapps(), s.as_bytes())
                .map_err(|e| format!("{}: {e}", dirs.mimeapps().display()))?;
            removed.push(dirs.mimeapps());
        }
    }
    refresh_caches(dirs, &mut InstallReport::default());
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Debian package ships `packaging/yinwen.desktop` and `packaging/yinwen-workspace.xml`
    /// (see `[package.metadata.deb]` in Cargo.toml): they must be what this module writes for
    /// `--install-desktop`, so the two installations never describe Yinwen differently. Run
    /// with `YINWEN_WRITE_PACKAGING=1` to rewrite them after changing this module.
    #[test]
    fn the_package_ships_the_same_desktop_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging");
        for (name, text) in [
            ("yinwen.desktop", packaged_desktop_entry()),
            ("yinwen-workspace.xml", mime_package()),
        ] {
            let path = dir.join(name);
            if std::env::var_os("YINWEN_WRITE_PACKAGING").is_some() {
                std::fs::write(&path, &text).unwrap();
            }
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                text,
                "{} is out of date (YINWEN_WRITE_PACKAGING=1 cargo test rewrites it)",
                path.display()
            );
        }
        assert!(packaged_desktop_entry().contains("\nExec=yinwen %F\n"));
    }

    #[test]
    fn exec_paths_are_quoted_as_the_spec_says() {
        assert_eq!(
            exec_quote(Path::new("/opt/yin wen/yinwen")),
            "\"/opt/yin wen/yinwen\""
        );
        assert_eq!(
            exec_quote(Path::new("/home/a$b/100%/x\"y")),
            "\"/home/a\\\\$b/100%%/x\\\\\"y\""
        );
    }

    #[test]
    fn default_application_is_set_once_keeping_other_lines() {
        let list = "[Added Associations]\ntext/plain=gedit.desktop;\n\n[Default Applications]\napplication/x-yinwen-workspace=old.desktop;\ntext/html=firefox.desktop;\n";
        let s = set_default_app(list, WORKSPACE_MIME, DESKTOP_FILE);
        assert_eq!(
            s,
            "[Added Associations]\ntext/plain=gedit.desktop;\n\n[Default Applications]\napplication/x-yinwen-workspace=yinwen.desktop;\ntext/html=firefox.desktop;\n"
        );
        assert_eq!(set_default_app(&s, WORKSPACE_MIME, DESKTOP_FILE), s);
        let fresh = set_default_app("", WORKSPACE_MIME, DESKTOP_FILE);
        assert_eq!(
            fresh,
            "[Default Applications]\napplication/x-yinwen-workspace=yinwen.desktop;\n"
        );
        let other = set_default_app("[Added Associations]\na=b;\n", WORKSPACE_MIME, DESKTOP_FILE);
        assert!(other.ends_with(
            "\n\n[Default Applications]\napplication/x-yinwen-workspace=yinwen.desktop;\n"
        ));
        // The group ends where the next one starts.
        let mid = set_default_app(
            "[Default Applications]\ntext/html=f.desktop;\n[Other]\nx=y\n",
            WORKSPACE_MIME,
            DESKTOP_FILE,
        );
        assert_eq!(
            mid,
            "[Default Applications]\ntext/html=f.desktop;\napplication/x-yinwen-workspace=yinwen.desktop;\n[Other]\nx=y\n"
        );
    }

    #[test]
    fn the_mime_package_recognises_workspace_files() {
        let xml = mime_package();
        assert!(xml.contains("type=\"application/x-yinwen-workspace\""));
        // No glob: `*.ron` is also Rust's config and game-asset format; only files that start
        // like a workspace are claimed (by content).
        assert!(!xml.contains("<glob"));
        // The magic matches the first line a workspace file really has.
        let ws = crate::store::to_ron_string(&crate::model::Workspace::new()).unwrap();
        assert!(ws[..64].contains("format: \"yinwen\""));
    }

    #[test]
    fn desktop_entry_opens_files_with_this_binary() {
        let e = desktop_entry(Path::new("/usr/local/bin/yinwen"));
        assert!(e.starts_with("[Desktop Entry]\n"));
        assert!(e.contains("\nExec=\"/usr/local/bin/yinwen\" %F\n"));
        assert!(e.contains("\nMimeType=application/x-yinwen-workspace;\n"));
        assert!(e.contains("\nIcon=yinwen\n"));
        assert!(e.contains("\nName[zh_CN]=引文\n"));
    }
}
