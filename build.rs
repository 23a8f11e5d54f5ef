//! Build script: rebuild when bundled assets change; on Windows embed the icon and version
//! resource (the binary has no console window: see `windows_subsystem` in main.rs).

fn main() {
    for path in [
        "fonts/NotoSansCJKsc-Regular-URO.otf",
        "sample_data/changchun-community-2007.txt",
        "assets/icon.ico",
        "assets/icon-64.rgba",
        "locales/en.yml",
        "locales/zh-CN.yml",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    commit_id();

    #[cfg(windows)]
    {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("assets/icon.ico");
        res.set("ProductName", "Yinwen 引文");
        res.set(
            "FileDescription",
            "Yinwen: Chinese speech annotation and quotation checking",
        );
        if let Err(e) = res.compile() {
            println!("cargo:warning=could not embed the Windows icon: {e}");
        }
    }
}

/// `YINWEN_COMMIT`: the commit the binary is built from (12 hex digits), for `--version`;
/// `unknown` outside a git checkout (a source tarball). Rebuilt when HEAD moves.
fn commit_id() {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=YINWEN_COMMIT={commit}");
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        let dir = std::path::PathBuf::from(dir);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={}", dir.join(head_ref).display());
        }
        println!(
            "cargo:rerun-if-changed={}",
            dir.join("packed-refs").display()
        );
    }
}
