//! Every reader on real files (`tests/data/formats/`, see its README): PDF (a CID font with the
//! predefined UniGB-UCS2-H CMap and no ToUnicode map, an embedded Identity-H TrueType font,
//! LibreOffice's Type 1 fonts, a Word-made procurement document), OFD (公文 and essays from the
//! ofdrw project), Word 97–2003, RTF (Unicode escapes and GBK bytes), web pages (GBK with
//! navigation, related-reading lists and footers), and hard-wrapped text. Checked against the
//! texts they were made from, through the library and through the `yinwen import` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use yinwen::import::{
    self, EncodingChoice, ImportError, Options, Reflow, SourceFormat, decode_with, import_file,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats")
        .join(name)
}

/// Non-empty lines, trimmed, spaces dropped (a reader may differ from the source only there).
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().replace(' ', ""))
        .filter(|l| !l.is_empty())
        .collect()
}

/// The seed speech's paragraphs (the layout files were made from it).
fn seed() -> Vec<String> {
    let t = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/changchun-community-2007.txt"),
    )
    .unwrap();
    paragraphs(t.trim_start_matches('\u{feff}'))
}

fn read(name: &str) -> import::Decoded {
    import_file(&data(name), EncodingChoice::Auto).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn pdf_with_predefined_cmap_and_no_tounicode_reads_as_the_speech() {
    // Four pages of the seed with a running header and "— N —" page numbers.
    for name in ["stsong-unigb.pdf", "ttf-identity.pdf"] {
        let d = read(name);
        assert_eq!(d.format, SourceFormat::Pdf);
        assert_eq!(paragraphs(&d.text), seed(), "{name}");
        assert!(!d.text.contains("文件汇编"), "{name}: running header kept");
        assert!(
            !d.text.contains("— 2 —") && !d.text.contains("—2—"),
            "{name}"
        );
    }
}

#[test]
fn pdf_paragraphs_are_restored_across_lines_and_pages() {
    let d = read("short-1997-earthquake.pdf");
    let source = std::fs::read_to_string(data("short-1997-earthquake.txt")).unwrap();
    assert_eq!(paragraphs(&d.text), paragraphs(&source));
    // Keeping the page's lines gives more lines than paragraphs.
    let bytes = std::fs::read(data("short-1997-earthquake.pdf")).unwrap();
    let lines = decode_with(
        &bytes,
        Options {
            reflow: Reflow::Off,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(paragraphs(&lines.text).len() > paragraphs(&source).len() + 10);
}

#[test]
fn word_made_pdf_with_cid_truetype_fonts() {
    let d = read("procurement-test.pdf");
    assert!(d.text.starts_with("竞争性磋商文件"), "{}", &d.text[..60]);
    assert!(d.text.contains("保尔·柯察金为什么被赶出学校"));
    // Lines of a paragraph are joined without spaces between Chinese characters.
    assert!(
        d.text
            .contains("神甫两只小眼睛闪着凶光，像要把他们一口吞下去似的。")
    );
}

#[test]
fn encrypted_and_scanned_pdfs() {
    // Restricted (printing and copying) but no password to open: read.
    assert_eq!(paragraphs(&read("restricted.pdf").text), seed());
    for (name, why) in [
        ("locked.pdf", "password-protected"),
        ("scanned.pdf", "no text layer"),
    ] {
        match import_file(&data(name), EncodingChoice::Auto) {
            Err(e @ ImportError::UnreadableDocument { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains(why) && msg.contains(name), "{msg}");
            }
            other => panic!("{name}: {:?}", other.map(|d| d.text)),
        }
    }
}

#[test]
fn ofd_documents_in_page_order_with_the_doc_number_on_its_own_line() {
    let d = read("n.ofd");
    assert_eq!(d.format, SourceFormat::Ofd);
    let lines: Vec<&str> = d.text.lines().collect();
    assert!(lines.contains(&"路卫发〔2011〕76号"), "{lines:?}");
    assert!(lines.contains(&"关于同意张阿三同志辞职的批复"), "{lines:?}");
    let order = [
        "测试符路桥区卫生局文件",
        "路卫发〔2011〕76号",
        "关于同意张阿三",
        "区中医院：",
    ];
    let at: Vec<usize> = order.iter().map(|s| d.text.find(s).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // The detector reads the imported 公文's number.
    let header = yinwen::analysis::header::read_header(&d.text);
    assert_eq!(header.doc_number.as_deref(), Some("路卫发〔2011〕76号"));

    let essay = read("拿来主义_page6.ofd").text;
    assert!(essay.contains("“闭关主义”") && essay.contains("“送去主义”"));
    assert!(essay.starts_with("拿来主义\n鲁迅\n"), "{}", &essay[..40]);
    assert!(
        read("keyword2.ofd")
            .text
            .contains("重庆市马上融资担保有限公司")
    );
}

#[test]
fn word_97_documents() {
    let d = read("seed-para.doc");
    assert_eq!(d.format, SourceFormat::Doc);
    assert_eq!(paragraphs(&d.text), seed());
    let source = std::fs::read_to_string(data("short-1997-earthquake.txt")).unwrap();
    assert_eq!(
        paragraphs(&read("short-1997-earthquake.doc").text),
        paragraphs(&source)
    );
}

#[test]
fn rtf_with_unicode_escapes_and_with_gbk_bytes() {
    let d = read("seed-para.rtf");
    assert_eq!(d.format, SourceFormat::Rtf);
    assert_eq!(paragraphs(&d.text), seed());
    // \'b9\'fa in code page 936, declared by \ansicpg936 and \fcharset134.
    assert_eq!(
        paragraphs(&read("gbk-handmade.rtf").text),
        seed()[..3].to_vec()
    );
}

#[test]
fn web_pages_give_the_article_and_its_metadata() {
    for name in ["gbk-article.html", "utf8-article-trs.html"] {
        let d = read(name);
        assert_eq!(d.format, SourceFormat::Html);
        // The article: title and the six paragraphs of the speech; the page's own lists gone.
        assert_eq!(paragraphs(&d.text), seed()[..7].to_vec(), "{name}");
        for debris in [
            "首页",
            "当前位置",
            "责任编辑",
            "相关阅读",
            "版权所有",
            "备案号",
            "doZoom",
        ] {
            assert!(!d.text.contains(debris), "{name}: {debris}");
        }
        assert_eq!(d.title.as_deref(), Some("市社区建设工作会议讲话"));
        assert_eq!(d.date.as_deref(), Some("2007-05-10"));
        let doc = d.into_document(None, Default::default());
        assert_eq!(doc.meta.title, "市社区建设工作会议讲话");
        assert_eq!(doc.meta.date, "2007-05-10");
    }
    assert!(read("gbk-article.html").encoding.contains("GB18030"));
}

/// A corpus speech hard-wrapped every `width` chars, as a PDF viewer copies it.
fn wrapped(width: usize) -> (String, String) {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats/short-1997-earthquake.txt"),
    )
    .unwrap();
    let mut out = String::new();
    for line in source.lines().filter(|l| !l.trim().is_empty()) {
        let cs: Vec<char> = line.trim().chars().collect();
        for chunk in cs.chunks(width) {
            out.extend(chunk);
            out.push('\n');
        }
        out.push('\n');
    }
    (source, out)
}

#[test]
fn hard_wrapped_text_is_rejoined_unless_asked_not_to() {
    let (source, text) = wrapped(34);
    let auto = decode_with(text.as_bytes(), Options::default()).unwrap();
    assert_eq!(paragraphs(&auto.text), paragraphs(&source));
    let r = auto.reflowed.expect("reflow reported");
    assert_eq!(r.width, 34);
    let off = decode_with(
        text.as_bytes(),
        Options {
            reflow: Reflow::Off,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(off.text.trim_end(), text.trim_end());
    assert!(off.reflowed.is_none());
    // A text with one paragraph a line is left as it is.
    let plain = decode_with(source.as_bytes(), Options::default()).unwrap();
    assert!(plain.reflowed.is_none());
    assert_eq!(plain.text, source.trim_start_matches('\u{feff}'));
}

fn yinwen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

#[test]
fn import_reads_every_format_and_reports_reflow() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = wrapped(30);
    let txt = dir.path().join("wrapped.txt");
    std::fs::write(&txt, &text).unwrap();
    let ws = dir.path().join("all.ron");
    let mut cmd = yinwen();
    cmd.arg("import").arg("-o").arg(&ws);
    let files = [
        "stsong-unigb.pdf",
        "n.ofd",
        "seed-para.doc",
        "seed-para.rtf",
        "gbk-article.html",
    ];
    for f in files {
        cmd.arg(data(f));
    }
    cmd.arg(&txt);
    let o = cmd.output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("wrote") && out.contains("(6 documents)"),
        "{out}"
    );
    assert!(
        out.contains("reflow: auto, lines of about 30 chars rejoined"),
        "{out}"
    );
    assert!(
        out.contains("lines joined into paragraphs by their layout"),
        "{out}"
    );
    let loaded = yinwen::store::load(&ws).unwrap();
    let html = &loaded.documents[4];
    assert_eq!(html.meta.title, "市社区建设工作会议讲话");
    assert_eq!(html.origin.encoding, "HTML (GB18030)");

    // --reflow off keeps the lines; a bad mode is refused before anything is written.
    let o = yinwen()
        .args(["import", "--reflow", "off", "-o"])
        .arg(dir.path().join("off.ron"))
        .arg(&txt)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("reflow: off, lines kept"));
    let o = yinwen()
        .args(["import", "--reflow", "sometimes", "-o"])
        .arg(dir.path().join("bad.ron"))
        .arg(&txt)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("bad.ron").exists());
}

#[test]
fn unreadable_documents_exit_2_with_one_line_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["locked.pdf", "scanned.pdf"] {
        let ws = dir.path().join("x.ron");
        let o = yinwen()
            .args(["import", "-o"])
            .arg(&ws)
            .arg(data(name))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!ws.exists());
    }
}

#[test]
fn the_source_library_indexes_and_finds_in_every_format() {
    use yinwen::analysis::verify::Status;
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "stsong-unigb.pdf",
        "n.ofd",
        "short-1997-earthquake.doc",
        "gbk-article.html",
        "locked.pdf",
    ] {
        std::fs::copy(data(f), dir.path().join(f)).unwrap();
    }
    let progress = yinwen::progress::Progress::new();
    let (lib, reports) =
        yinwen::library::Library::open_or_index(&[dir.path().to_path_buf()], &progress).unwrap();
    // The password-protected PDF is skipped with its reason; the others are indexed.
    let skipped: Vec<&str> = reports[0]
        .1
        .skipped
        .iter()
        .map(|s| s.file.as_str())
        .collect();
    assert_eq!(skipped, ["locked.pdf"]);
    for (quote, file) in [
        // Across a line break of the PDF page, rejoined by the layout.
        ("为构建和谐社会奠定基础", "stsong-unigb.pdf"),
        ("同意张阿三同志辞职", "n.ofd"),
        (
            "努力把地震灾害损失减轻到最低程度",
            "short-1997-earthquake.doc",
        ),
    ] {
        let found = lib.find(quote, 5);
        let best = found
            .first()
            .unwrap_or_else(|| panic!("{quote}: nothing found"));
        assert_eq!(best.status, Status::Verbatim, "{quote}");
        assert!(
            found.iter().any(|m| m.file == file),
            "{quote}: {:?}",
            found.iter().map(|m| &m.file).collect::<Vec<_>>()
        );
    }
    // The OFD 公文's header is read from its text: 文号 and title.
    let ofd = lib.find("同意张阿三同志辞职", 5);
    let m = ofd.iter().find(|m| m.file == "n.ofd").unwrap();
    assert_eq!(m.header.doc_number.as_deref(), Some("路卫发〔2011〕76号"));
}
