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
