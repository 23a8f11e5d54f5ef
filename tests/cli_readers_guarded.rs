//! Issue 24 through the real binary: files nested thousands deep (PDF arrays and dictionaries,
//! in the file, in a compressed page content or object stream; web pages) are refused with one
//! line instead of overflowing a stack, alone and among good files (folder import and the
//! library's index go on); and what a reader guessed about an encoding is said: a charset the
//! bytes contradict, an unknown RTF code page, GBK and UTF-8 on one line.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use yinwen::store;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    bin().args(args).output().unwrap()
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn import(file: &Path, out: &Path) -> Output {
    run(&[os("import"), file.as_os_str(), os("-o"), out.as_os_str()])
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A one-page PDF from its objects (numbered from 1), with a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< /Length {}{dict} >>\nstream\n", data.len()).into_bytes();
    o.extend(data);
    o.extend(b"\nendstream");
    o
}

/// A page showing "Hello" in Helvetica; `extra` goes into the page's dictionary, `content`
/// replaces the page's content stream object.
fn page_pdf(extra: &str, content: Option<Vec<u8>>) -> Vec<u8> {
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >>{extra} >>"
        )
        .into_bytes(),
        content.unwrap_or_else(|| stream("", b"BT /F1 24 Tf 72 720 Td (Hello) Tj ET")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ])
}

const DEEP: usize = 5000;

/// Three ways to hide 5,000 levels: in the page's dictionary, in its compressed content,
/// in a compressed object stream.
fn deep_pdfs() -> Vec<(&'static str, Vec<u8>)> {
    let arrays = "[".repeat(DEEP) + &"]".repeat(DEEP);
    let dicts = "<< /A ".repeat(DEEP) + &" >>".repeat(DEEP);
    let content = format!("BT /F1 24 Tf 72 720 Td {arrays} TJ ET");
    let objstm_body = format!("6 0 {dicts}");
    vec![
        ("page.pdf", page_pdf(&format!(" /Deep {arrays}"), None)),
        (
            "content.pdf",
            page_pdf(
                "",
                Some(stream(" /Filter /FlateDecode", &zlib(content.as_bytes()))),
            ),
        ),
        ("objstm.pdf", {
            let mut objs = vec![
                b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
                stream("", b"BT /F1 24 Tf 72 720 Td (Hello) Tj ET"),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            ];
            objs.push(stream(
                " /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                &zlib(objstm_body.as_bytes()),
            ));
            pdf(&objs)
        }),
    ]
}

fn deep_html() -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>标题</title></head><body>{}同志们：要“把社区建设好”。{}</body></html>",
        "<div>".repeat(DEEP),
        "</div>".repeat(DEEP)
    )
    .into_bytes()
}

/// A refusal is one line on stderr, exit 2, and nothing written.
fn assert_refused(o: &Output, out: &Path, what: &str) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{what}: {e}");
    assert!(e.contains("deep"), "{what}: {e}");
    assert!(!out.exists(), "{what}: a workspace was written");
}

#[test]
fn a_good_generated_pdf_is_read() {
    // The generator makes readable files: the deep ones differ only in their nesting.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("good.pdf");
    std::fs::write(&p, page_pdf(" /Shallow [[[1]]]", None)).unwrap();
    let out = dir.path().join("w.ron");
    let o = import(&p, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        store::load(&out).unwrap().documents[0]
            .text
            .contains("Hello")
    );
}

#[test]
fn a_pdf_nested_5000_deep_is_refused_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in deep_pdfs() {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = dir.path().join("w.ron");
        assert_refused(&import(&p, &out), &out, name);
        let o = run(&[os("detect"), p.as_os_str()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("deep"), "{name}: {}", stderr(&o));
    }
}

#[test]
fn a_web_page_nested_5000_deep_is_refused_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deep.html");
    std::fs::write(&p, deep_html()).unwrap();
    let out = dir.path().join("w.ron");
    assert_refused(&import(&p, &out), &out, "deep.html");
}

#[test]
fn a_folder_with_deep_files_keeps_the_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("good.txt"),
        "关于做好社区工作的讲话\n\n同志们：\n要“把社区建设好”。\n",
    )
    .unwrap();
    let (name, bytes) = deep_pdfs().remove(1);
    std::fs::write(docs.join(name), bytes).unwrap();
    std::fs::write(docs.join("deep.html"), deep_html()).unwrap();

    let out = dir.path().join("w.ron");
    let o = import(&docs, &out);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let ws = store::load(&out).unwrap();
    assert_eq!(ws.documents.len(), 1);
    assert!(ws.documents[0].text.contains("把社区建设好"));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(said.contains(name) && said.contains("deep.html"), "{said}");

    // The library's index goes on past them too (on its worker threads).
    let o = run(&[os("library"), os("index"), docs.as_os_str()]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains(name) && said.contains("deep.html"), "{said}");
}

// ----- what was guessed about an encoding -----

const SPEECH: &str =
    "同志们：今天我们召开全市社区建设工作会议，要“把社区建设好”，这是一项重要任务。";

#[test]
fn a_page_declaring_utf8_in_gb18030_is_read_as_gb18030_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>社区建设</title></head><body><div class=\"content\"><p>{SPEECH}</p></div></body></html>"
    );
    let p = dir.path().join("p.html");
    std::fs::write(&p, encoding_rs::GB18030.encode(&page).0).unwrap();
    let out = dir.path().join("w.ron");
    let o = import(&p, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = &store::load(&out).unwrap().documents[0].text;
    assert!(text.contains(SPEECH), "{text}");
    assert!(!text.contains('\u{FFFD}'), "{text}");
    let said = stdout(&o);
    assert!(
        said.contains("declares charset utf-8")
            && (said.contains("read as GBK") || said.contains("read as GB18030")),
        "{said}"
    );
}

#[test]
fn an_rtf_in_an_unknown_code_page_is_read_as_gbk_and_said_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut rtf = b"{\\rtf1\\ansi\\ansicpg99999\\deff0 ".to_vec();
    for b in encoding_rs::GBK.encode(SPEECH).0.iter() {
        rtf.extend(format!("\\'{b:02x}").bytes());
    }
    rtf.extend(b"\\par}");
    let p = dir.path().join("cp.rtf");
    std::fs::write(&p, &rtf).unwrap();
    let out = dir.path().join("w.ron");
    let o = import(&p, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(store::load(&out).unwrap().documents[0].text, SPEECH);
    assert!(stdout(&o).contains("code page 99999"), "{}", stdout(&o));

    // Western bytes under that code page are not GBK: refused, never mojibake.
    let p = dir.path().join("west.rtf");
    std::fs::write(
        &p,
        b"{\\rtf1\\ansi\\ansicpg99999 caf\\'e9 cr\\'e8me br\\'fbl\\'e9e\\par}",
    )
    .unwrap();
    let out = dir.path().join("w2.ron");
    let o = import(&p, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("code page 99999"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn gbk_then_utf8_on_one_line_is_read_part_by_part_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let first = "第一部分是用国标码保存的讲话稿，";
    let second = "第二部分是后来用统一码补充的内容。";
    let mut bytes = encoding_rs::GBK.encode(first).0.into_owned();
    bytes.extend_from_slice(second.as_bytes());
    let p = dir.path().join("mixed.txt");
    std::fs::write(&p, bytes).unwrap();
    let out = dir.path().join("w.ron");
    let o = import(&p, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        store::load(&out).unwrap().documents[0].text,
        format!("{first}{second}")
    );
    assert!(stdout(&o).contains("mixes two encodings"), "{}", stdout(&o));
}
