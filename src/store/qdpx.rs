//! Reading and writing whole projects in the REFI-QDA project exchange format (`.qdpx`).
//!
//! A `.qdpx` file is a ZIP archive holding `project.qde`, an XML document in the namespace
//! `urn:QDA-XML:project:1.0` (REFI-QDA `Project.xsd`, version 1.0 of March 2019; a copy with
//! its MIT licence is in `tests/data/refi-qda/`), and the texts of the sources in `sources/`.
//! ATLAS.ti, MAXQDA, NVivo and QualCoder exchange projects this way.
//!
//! # What a workspace becomes
//!
//! | Yinwen                                   | REFI-QDA project                                          |
//! |------------------------------------------|-----------------------------------------------------------|
//! | workspace file name                      | `<Project name>`, `origin="Yinwen …"`, one `<User>`       |
//! | tag tree, colour, description            | `<CodeBook><Codes><Code … color><Description>`            |
//! | tag memo                                 | `<Note>` linked by `<NoteRef>` from the `<Code>`          |
//! | document                                 | `<TextSource name=TITLE plainTextPath="internal://G.txt">`|
//! | document text                            | `sources/G.txt`, UTF-8 without BOM, `\n` line ends        |
//! | document-level tags                      | `<Coding>` of the `<TextSource>`                          |
//! | document memo                            | `<Note>` linked by `<NoteRef>` from the `<TextSource>`    |
//! | speaker, date, occasion, place, level, region, kind, group, user attributes | `<Variable typeOfVariable="Text">` and each source's `<VariableValue><TextValue>` |
//! | annotation: passage, note, tags          | `<PlainTextSelection startPosition endPosition>` with `<Description>` (the note) and one `<Coding><CodeRef>` per tag |
//! | workspace memo                           | `<Note>` linked by a project-level `<NoteRef>`            |
//!
//! Positions are 0-based offsets in Unicode code points into the source's plain text, the end
//! exclusive (the unit of Yinwen's char offsets and of QualCoder's Python string indices).
//! Yinwen's texts have `\n` line ends only, so a position never falls between `\r` and `\n`.
//! Variable names are the labels of the export's language (`Speaker`/`讲话人`, `Date`/`日期`,
//! `Occasion`/`场合`, `Place`/`地点`, `Level`/`层级`, `Region`/`地区`, `Kind`/`文种`,
//! `Group`/`分组`); either language reads back into the built-in field, any other name is a
//! user-defined attribute. GUIDs are derived from the workspace (document ID and text hash,
//! tag GUID or ID, annotation ID, …) and the ZIP entries have a fixed date, so the same
//! workspace always gives the same bytes. The project and its notes carry a
//! `creationDateTime` (QualCoder's importer stops at a note without one): the date given to
//! [`write_qdpx_dated`] (the command line gives the workspace file's last change, so the same
//! file gives the same bytes), else 1980-01-01 on the notes and none on the project.
//!
//! # What the format cannot carry
//!
//! The schema has no place for vendor extensions (no `xs:any`), so these are left out rather
//! than written in a way that would make the project invalid: an annotation's highlight colour
//! (it reads back as the default, which takes the first tag's colour), everything of a quoted
//! directive beyond its passage, note and tags (attribution, linked source, verification), the
//! source library, the anchor's stored context (rebuilt from the text on reading) and a
//! corrected quote's old wording, orphaned annotations (they have no position; the export
//! warns), documents' origin (file path, encoding, hash, corrections), and item IDs (reading
//! gives fresh ones). A document without a title is written under its display name, which
//! becomes its title on reading.
//!
//! # Reading other tools' projects
//!
//! The reader is tolerant like the codebook reader ([`super::qdc`]): a byte-order mark, the
//! namespace spellings `urn:QDA-XML:project:1.0` and `…:1:0`, namespace prefixes, vendor
//! elements and attributes (skipped), GUIDs in either case or in braces, missing or odd
//! colours, `isCodable="false"` categories (they become tags), texts inline
//! (`<PlainTextContent>`) or at `internal://…` in `sources/` (any case), with or without a
//! BOM, with `\r\n` line ends (counted as two positions, as NVivo and MAXQDA do, or as one when
//! the project comes from ATLAS.ti, as QualCoder's importer assumes). QualCoder's quirks are
//! read too: one selection per coding (selections on the same passage are joined into one
//! annotation), a source memo as the source's `<Description>`, the project memo as the
//! project's `<Description>`, and text annotations as `<Note>`s holding a
//! `<PlainTextSelection>`, linked from the source by `<NoteRef>`. Notes linked from nothing
//! (journals) are added to the workspace memo under their name. PDF, picture, audio and video
//! sources, selections outside their text, external texts (`relative://`, `absolute://`),
//! cases, sets, links and graphs are skipped and counted in the [`ProjectReport`].
//!
//! Limits, checked before anything is unpacked (and again while unpacking, so a ZIP bomb is
//! refused): the archive at most [`MAX_QDPX_BYTES`], `project.qde` at most [`MAX_QDE_BYTES`],
//! each source text at most [`MAX_SOURCE_BYTES`], everything unpacked together at most
//! [`MAX_UNPACKED_BYTES`], and elements nested at most [`MAX_ELEMENT_DEPTH`] deep. While the
//! selections are read, their notes and passages together are kept under
//! [`MAX_ANNOTATION_BYTES`] (many selections of one long passage are refused, not copied).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use sha2::{Digest, Sha256};

use super::qdc::{self, QdcCode, guid_from_seed};
use crate::export::Lang;
use crate::model::{
    Anchor, AnnId, Annotation, CharIndex, DocId, DocMeta, Document, Origin, Tag, TagId, Workspace,
    default_tag_color,
};

/// The namespace of a REFI-QDA project, as written by [`write_qdpx`].
pub const QDPX_NAMESPACE: &str = "urn:QDA-XML:project:1.0";
/// Where the schema of [`QDPX_NAMESPACE`] is published.
const SCHEMA_LOCATION: &str =
    "urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd";

/// The largest `.qdpx` file read, in bytes (512 MiB).
pub const MAX_QDPX_BYTES: u64 = 512 * 1024 * 1024;
/// The largest `project.qde` read, unpacked, in bytes (64 MiB).
pub const MAX_QDE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest source text read, unpacked, in bytes (64 MiB).
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes unpacked from one archive altogether (512 MiB).
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// The deepest nesting of XML elements read (codes are nested inside 3 other elements).
pub const MAX_ELEMENT_DEPTH: usize = 128;
/// The most text the annotations read from a project may carry altogether: each one's notes
/// and passage, a passage or note shared by many selections counted for each (256 MiB).
pub const MAX_ANNOTATION_BYTES: u64 = 256 * 1024 * 1024;

/// Why a project could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QdpxError {
    /// The file or one of its parts is larger than the limit; it was not read.
    #[error("{what} is too large ({size} bytes; the limit is {} MB)", limit / (1024 * 1024))]
    TooLarge {
        /// What: `the project file`, `project.qde`, `sources/….txt`, `the unpacked project`.
        what: String,
        /// Its size (as declared, or as far as it was unpacked), in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file is not a ZIP archive, or a damaged one.
    #[error("not a REFI-QDA project (.qdpx): {0}")]
    NotZip(String),
    /// The archive holds no `project.qde`.
    #[error("not a REFI-QDA project (.qdpx): the ZIP archive has no project.qde")]
    NoProject,
    /// A part of the archive could not be unpacked or read.
    #[error("{entry} cannot be read: {message}")]
    Unreadable {
        /// The part's name in the archive.
        entry: String,
        /// What went wrong.
        message: String,
    },
    /// `project.qde` is not well-formed XML.
    #[error("project.qde is not well-formed XML at line {line}, column {column}: {message}")]
    NotXml {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column (in characters) of the problem.
        column: usize,
        /// What is wrong, in English.
        message: String,
    },
    /// The root element is not a REFI-QDA `<Project>`.
    #[error(
        "project.qde is not a REFI-QDA project: the root element is {found}, not <Project xmlns=\"urn:QDA-XML:project:1.0\">"
    )]
    NotProject {
        /// The root element found.
        found: String,
    },
    /// Elements are nested deeper than [`MAX_ELEMENT_DEPTH`].
    #[error("project.qde nests elements more than 128 deep (line {line}, column {column})")]
    TooDeep {
        /// 1-based line of the first element past the limit.
        line: usize,
        /// 1-based column of that element.
        column: usize,
    },
    /// The project could not be written.
    #[error("cannot write the project: {0}")]
    Write(String),
}

// ===================================================================== writing

/// The built-in document attributes written as variables, with their names in English and
/// Chinese.
const BUILTIN_VARIABLES: [(&str, &str, &str); 8] = [
    ("speaker", "Speaker", "讲话人"),
    ("date", "Date", "日期"),
    ("occasion", "Occasion", "场合"),
    ("place", "Place", "地点"),
    ("level", "Level", "层级"),
    ("region", "Region", "地区"),
    ("kind", "Kind", "文种"),
    ("group", "Group", "分组"),
];

/// The longest passage written as a selection's `name` (tools show it in lists), in chars.
const SELECTION_NAME_CHARS: usize = 100;

/// The fixed words a project carries, in the export's language.
struct Words {
    /// Name of the workspace memo's note.
    workspace_memo: &'static str,
    /// Before a document's or tag's name in its memo's note.
    memo_of: &'static str,
    /// The user's name.
    user: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            workspace_memo: "Workspace memo",
            memo_of: "Memo: ",
            user: "Yinwen",
        },
        Lang::Zh => Words {
            workspace_memo: "工作区备忘",
            memo_of: "备忘：",
            user: "Yinwen",
        },
    }
}

/// Whether `s` is a GUID as the schema wants it: 8-4-4-4-12 hexadecimal digits, optionally in
/// braces.
pub fn is_guid(s: &str) -> bool {
    let inner = s
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(s);
    let parts: Vec<&str> = inner.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A GUID as a lookup key: braces and spaces dropped, lower case.
fn guid_key(s: &str) -> String {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

/// Lower-case hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A document's GUID: from its ID and its text, so that it changes when the text does.
fn doc_guid(doc: &Document) -> String {
    guid_from_seed(&format!(
        "yinwen-qdpx-doc\u{1f}{}\u{1f}{}",
        doc.id.0,
        sha256_hex(doc.text.as_bytes())
    ))
}

/// The tags as a tree of codes, parents before children, siblings by name (as the codebook
/// export orders them), each with a GUID that is valid and unique in the project: the tag's
/// own when it has one, else derived from its ID and name. Tags whose parent is missing are
/// roots; a cycle is cut where it closes.
fn code_tree(ws: &Workspace) -> (Vec<QdcCode>, HashMap<TagId, String>) {
    let ids: HashSet<TagId> = ws.tags.iter().map(|t| t.id).collect();
    let mut kids: BTreeMap<Option<TagId>, Vec<&Tag>> = BTreeMap::new();
    for t in &ws.tags {
        let parent = t.parent.filter(|p| ids.contains(p) && *p != t.id);
        kids.entry(parent).or_default().push(t);
    }
    for list in kids.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    let mut guids: HashMap<TagId, String> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut visited: HashSet<TagId> = HashSet::new();
    fn build(
        parent: Option<TagId>,
        kids: &BTreeMap<Option<TagId>, Vec<&Tag>>,
        guids: &mut HashMap<TagId, String>,
        used: &mut HashSet<String>,
        visited: &mut HashSet<TagId>,
    ) -> Vec<QdcCode> {
        let mut out = Vec::new();
        for t in kids.get(&parent).map(Vec::as_slice).unwrap_or_default() {
            if !visited.insert(t.id) {
                continue;
            }
            let mut guid = if is_guid(t.guid.trim()) {
                t.guid.trim().to_string()
            } else {
                guid_from_seed(&format!("yinwen-tag-{}-{}", t.id.0, t.name))
            };
            let mut n = 0;
            while !used.insert(guid_key(&guid)) {
                n += 1;
                guid = guid_from_seed(&format!("yinwen-tag-{}-{}-{n}", t.id.0, t.name));
            }
            guids.insert(t.id, guid.clone());
            let children = build(Some(t.id), kids, guids, used, visited);
            out.push(QdcCode {
                guid,
                name: t.name.clone(),
                color: Some(t.color.clone()),
                description: t.description.clone(),
                codable: true,
                children,
            });
        }
        out
    }
    let mut roots = build(None, &kids, &mut guids, &mut used, &mut visited);
    // Tags only reachable through a cycle: written as roots.
    for t in &ws.tags {
        if !visited.contains(&t.id) {
            let mut lone = BTreeMap::new();
            lone.insert(None, vec![t]);
            roots.extend(build(None, &lone, &mut guids, &mut used, &mut visited));
        }
    }
    (roots, guids)
}

/// One variable of the project: the attribute it holds, its name and GUID.
struct Variable {
    key: String,
    name: String,
    guid: String,
}

/// The variables: the built-in attributes some document has a value for, then the
/// user-defined attributes (those of the workspace in its order, then any other a document
/// has, by name).
fn variables(ws: &Workspace, lang: Lang) -> Vec<Variable> {
    let mut out = Vec::new();
    for (key, en, zh) in BUILTIN_VARIABLES {
        if ws
            .documents
            .iter()
            .any(|d| !d.meta.attribute(key).trim().is_empty())
        {
            out.push(Variable {
                key: key.into(),
                name: if lang == Lang::Zh { zh } else { en }.into(),
                guid: String::new(),
            });
        }
    }
    let mut user: Vec<String> = Vec::new();
    for name in &ws.attributes {
        if !name.trim().is_empty() && !user.contains(name) {
            user.push(name.clone());
        }
    }
    let mut extra: Vec<&String> = ws
        .documents
        .iter()
        .flat_map(|d| d.meta.attributes.keys())
        .filter(|k| !user.contains(k) && !k.trim().is_empty())
        .collect();
    extra.sort();
    extra.dedup();
    user.extend(extra.into_iter().cloned());
    out.extend(user.into_iter().map(|name| Variable {
        key: name.clone(),
        name,
        guid: String::new(),
    }));
    for v in &mut out {
        v.guid = guid_from_seed(&format!("yinwen-qdpx-variable\u{1f}{}", v.key));
    }
    out
}

/// The project's parts: `project.qde` and the source texts (`sources/G.txt`), in order.
///
/// Every document of `ws` is written, with every annotation that is not an orphan (an orphan
/// has no position); callers select documents and annotations by passing a workspace holding
/// only those.
#[must_use]
pub fn project_parts(
    ws: &Workspace,
    name: &str,
    lang: Lang,
    date: Option<SystemTime>,
) -> Vec<(String, String)> {
    // Notes carry a date: QualCoder's importer stops at a note without one.
    let stamp = date.map_or_else(|| UNKNOWN_DATE.to_string(), utc_timestamp);
    let w = words(lang);
    let user = guid_from_seed("yinwen-qdpx-user");
    let (codes, tag_guids) = code_tree(ws);
    let vars = variables(ws, lang);
    // Notes: (guid, name, text).
    let mut notes: Vec<(String, String, String)> = Vec::new();
    let mut tag_notes: HashMap<String, String> = HashMap::new();
    let mut tag_order: Vec<&Tag> = ws.tags.iter().collect();
    tag_order.sort_by_key(|t| t.id);
    for t in tag_order {
        if t.memo.trim().is_empty() {
            continue;
        }
        if let Some(code_guid) = tag_guids.get(&t.id) {
            let guid = guid_from_seed(&format!("yinwen-qdpx-note\u{1f}tag\u{1f}{}", t.id.0));
            tag_notes.insert(code_guid.clone(), guid.clone());
            notes.push((guid, format!("{}{}", w.memo_of, t.name), t.memo.clone()));
        }
    }

    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<Project xmlns=\"");
    x.push_str(QDPX_NAMESPACE);
    x.push_str("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"");
    x.push_str(SCHEMA_LOCATION);
    x.push_str("\" name=\"");
    attr(
        &mut x,
        if name.trim().is_empty() {
            "Yinwen"
        } else {
            name
        },
    );
    x.push_str("\" origin=\"Yinwen ");
    x.push_str(env!("CARGO_PKG_VERSION"));
    x.push_str("\" creatingUserGUID=\"");
    x.push_str(&user);
    if date.is_some() {
        x.push_str("\" creationDateTime=\"");
        x.push_str(&stamp);
    }
    x.push_str("\">\n");
    x.push_str("  <Users>\n    <User guid=\"");
    x.push_str(&user);
    x.push_str("\" name=\"");
    attr(&mut x, w.user);
    x.push_str("\"/>\n  </Users>\n");
    if !codes.is_empty() {
        x.push_str("  <CodeBook>\n    <Codes>\n");
        qdc::write_code_tree(&mut x, &codes, 3, &|c: &QdcCode| {
            tag_notes.get(&c.guid).cloned().into_iter().collect()
        });
        x.push_str("    </Codes>\n  </CodeBook>\n");
    }
    if !vars.is_empty() {
        x.push_str("  <Variables>\n");
        for v in &vars {
            x.push_str("    <Variable guid=\"");
            x.push_str(&v.guid);
            x.push_str("\" name=\"");
            attr(&mut x, &v.name);
            x.push_str("\" typeOfVariable=\"Text\"/>\n");
        }
        x.push_str("  </Variables>\n");
    }

    let mut files = Vec::new();
    if !ws.documents.is_empty() {
        x.push_str("  <Sources>\n");
    }
    for doc in &ws.documents {
        let guid = doc_guid(doc);
        let path = format!("{guid}.txt");
        let chars = doc.char_count();
        x.push_str("    <TextSource guid=\"");
        x.push_str(&guid);
        x.push_str("\" name=\"");
        attr(&mut x, &doc.display_name());
        x.push_str("\" plainTextPath=\"internal://");
        x.push_str(&path);
        x.push_str("\" creatingUser=\"");
        x.push_str(&user);
        x.push_str("\">\n");
        let mut anns: Vec<&Annotation> = ws.annotations_of(doc.id).filter(|a| !a.orphan).collect();
        anns.sort_by_key(|a| (a.anchor.start, a.anchor.end, a.id));
        for a in anns {
            let end = a.anchor.end.0.min(chars);
            let start = a.anchor.start.0.min(end);
            x.push_str("      <PlainTextSelection guid=\"");
            x.push_str(&guid_from_seed(&format!(
                "yinwen-qdpx-selection\u{1f}{}",
                a.id.0
            )));
            x.push_str("\" name=\"");
            let preview: String = a.anchor.quote.chars().take(SELECTION_NAME_CHARS).collect();
            crate::xml::push_attr(&mut x, &preview, false);
            x.push_str(&format!(
                "\" startPosition=\"{start}\" endPosition=\"{end}\" creatingUser=\"{user}\">\n"
            ));
            if !a.note.is_empty() {
                x.push_str("        <Description>");
                crate::xml::push_text(&mut x, &a.note);
                x.push_str("</Description>\n");
            }
            for t in &a.tags {
                if let Some(code) = tag_guids.get(t) {
                    coding(
                        &mut x,
                        8,
                        &format!("yinwen-qdpx-coding\u{1f}{}\u{1f}{}", a.id.0, t.0),
                        code,
                        &user,
                    );
                }
            }
            x.push_str("      </PlainTextSelection>\n");
        }
        for t in &doc.meta.tags {
            if let Some(code) = tag_guids.get(t) {
                coding(
                    &mut x,
                    6,
                    &format!("yinwen-qdpx-doc-coding\u{1f}{}\u{1f}{}", doc.id.0, t.0),
                    code,
                    &user,
                );
            }
        }
        if !doc.meta.memo.trim().is_empty() {
            let note = guid_from_seed(&format!("yinwen-qdpx-note\u{1f}doc\u{1f}{}", doc.id.0));
            x.push_str("      <NoteRef targetGUID=\"");
            x.push_str(&note);
            x.push_str("\"/>\n");
            notes.push((
                note,
                format!("{}{}", w.memo_of, doc.display_name()),
                doc.meta.memo.clone(),
            ));
        }
        for v in &vars {
            let value = doc.meta.attribute(&v.key);
            if value.trim().is_empty() {
                continue;
            }
            x.push_str("      <VariableValue>\n        <VariableRef targetGUID=\"");
            x.push_str(&v.guid);
            x.push_str("\"/>\n        <TextValue>");
            crate::xml::push_text(&mut x, value);
            x.push_str("</TextValue>\n      </VariableValue>\n");
        }
        x.push_str("    </TextSource>\n");
        files.push((format!("sources/{path}"), doc.text.clone()));
    }
    if !ws.documents.is_empty() {
        x.push_str("  </Sources>\n");
    }
    let ws_note = (!ws.memo.trim().is_empty()).then(|| {
        let guid = guid_from_seed("yinwen-qdpx-note\u{1f}workspace");
        notes.push((guid.clone(), w.workspace_memo.to_string(), ws.memo.clone()));
        guid
    });
    if !notes.is_empty() {
        x.push_str("  <Notes>\n");
        for (guid, name, text) in &notes {
            x.push_str("    <Note guid=\"");
            x.push_str(guid);
            x.push_str("\" name=\"");
            attr(&mut x, name);
            x.push_str("\" creatingUser=\"");
            x.push_str(&user);
            x.push_str("\" creationDateTime=\"");
            x.push_str(&stamp);
            x.push_str("\">\n      <PlainTextContent>");
            crate::xml::push_text(&mut x, text);
            x.push_str("</PlainTextContent>\n    </Note>\n");
        }
        x.push_str("  </Notes>\n");
    }
    if let Some(guid) = ws_note {
        x.push_str("  <NoteRef targetGUID=\"");
        x.push_str(&guid);
        x.push_str("\"/>\n");
    }
    x.push_str("</Project>\n");
    let mut parts = vec![("project.qde".to_string(), x)];
    parts.extend(files);
    parts
}

/// Writes a `<Coding>` of the code `code` at `indent` spaces, its GUID derived from `seed`.
fn coding(x: &mut String, indent: usize, seed: &str, code: &str, user: &str) {
    let pad = " ".repeat(indent);
    x.push_str(&pad);
    x.push_str("<Coding guid=\"");
    x.push_str(&guid_from_seed(seed));
    x.push_str("\" creatingUser=\"");
    x.push_str(user);
    x.push_str("\">\n");
    x.push_str(&pad);
    x.push_str("  <CodeRef targetGUID=\"");
    attr(x, code);
    x.push_str("\"/>\n");
    x.push_str(&pad);
    x.push_str("</Coding>\n");
}

/// Pushes `s` escaped for a double-quoted attribute (line breaks kept as references).
fn attr(out: &mut String, s: &str) {
    crate::xml::push_attr(out, s, true);
}

/// The date written when none is given: the ZIP format's epoch, which the entries carry too.
const UNKNOWN_DATE: &str = "1980-01-01T00:00:00Z";

/// A time as `xsd:dateTime` in UTC, to the second: `2024-05-01T10:00:00Z`.
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The workspace as a `.qdpx` archive (see the module documentation): `project.qde` first,
/// then the texts, deflated, every entry dated 1980-01-01 so that the same workspace gives
/// the same bytes. Notes are dated 1980-01-01 too (see [`write_qdpx_dated`]).
///
/// # Errors
/// [`QdpxError::Write`] if the ZIP cannot be put together (it is built in memory).
pub fn write_qdpx(ws: &Workspace, name: &str, lang: Lang) -> Result<Vec<u8>, QdpxError> {
    write_qdpx_dated(ws, name, lang, None)
}

/// [`write_qdpx`] with the project's and its notes' `creationDateTime` set to `date` (the
/// workspace file's last change, for the command line: the same file still gives the same
/// bytes).
///
/// # Errors
/// As [`write_qdpx`].
pub fn write_qdpx_dated(
    ws: &Workspace,
    name: &str,
    lang: Lang,
    date: Option<SystemTime>,
) -> Result<Vec<u8>, QdpxError> {
    use zip::write::SimpleFileOptions;
    let parts = project_parts(ws, name, lang, date);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .large_file(false);
    let fail = |e: &dyn std::fmt::Display| QdpxError::Write(e.to_string());
    for (entry, content) in &parts {
        let opts = if content.len() > u32::MAX as usize / 2 {
            options.large_file(true)
        } else {
            options
        };
        w.start_file(entry.as_str(), opts).map_err(|e| fail(&e))?;
        w.write_all(content.as_bytes()).map_err(|e| fail(&e))?;
    }
    Ok(w.finish().map_err(|e| fail(&e))?.into_inner())
}

// ===================================================================== reading

/// What reading a project found and what it left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectReport {
    /// The project's `name`.
    pub name: String,
    /// The project's `origin` (the tool that wrote it), `""` if not given.
    pub origin: String,
    /// Documents read (text sources).
    pub documents: usize,
    /// Tags read (codes, categories included).
    pub tags: usize,
    /// Annotations read (selections, joined where they mark the same passage).
    pub annotations: usize,
    /// Variables read.
    pub variables: usize,
    /// Memos read (of the project, documents and tags; notes linked from nothing included).
    pub memos: usize,
    /// What was left out, one line each, in English (e.g. `2 PDF sources (a.pdf, b.pdf):
    /// Yinwen reads text sources only`).
    pub skipped: Vec<String>,
}

impl ProjectReport {
    /// One line: `N documents, N tags, N annotations, N variables, N memos`.
    pub fn summary(&self) -> String {
        format!(
            "{} documents, {} tags, {} annotations, {} variables, {} memos",
            self.documents, self.tags, self.annotations, self.variables, self.memos
        )
    }
}

/// A project read into a workspace.
#[derive(Debug, Clone)]
pub struct ImportedProject {
    /// Its documents, tags, annotations, memos and attributes (IDs from 1).
    pub workspace: Workspace,
    /// What was read and what was left out.
    pub report: ProjectReport,
}

/// Whether the bytes look like a REFI-QDA project: a ZIP archive naming `project.qde`.
pub fn looks_like_qdpx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && bytes
            .windows(11)
            .any(|w| w.eq_ignore_ascii_case(b"project.qde"))
}

/// Whether a path names a REFI-QDA project by its extension (`.qdpx`).
pub fn is_qdpx_path(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"))
}

/// Reads a `.qdpx` file (refusing one over [`MAX_QDPX_BYTES`] before reading it).
///
/// # Errors
/// [`QdpxError::Unreadable`] when the file cannot be read, else as [`read_qdpx`].
pub fn read_qdpx_file(path: &Path) -> Result<ImportedProject, QdpxError> {
    let unreadable = |e: std::io::Error| QdpxError::Unreadable {
        entry: path.display().to_string(),
        message: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_QDPX_BYTES {
        return Err(QdpxError::TooLarge {
            what: "the project file".into(),
            size,
            limit: MAX_QDPX_BYTES,
        });
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(MAX_QDPX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    read_qdpx(&bytes)
}

/// Reads a `.qdpx` archive into a new workspace (see the module documentation).
///
/// # Errors
/// [`QdpxError::TooLarge`], [`QdpxError::NotZip`], [`QdpxError::NoProject`],
/// [`QdpxError::Unreadable`], [`QdpxError::NotXml`], [`QdpxError::NotProject`] or
/// [`QdpxError::TooDeep`]. A source that cannot be read is skipped and reported, not an error.
pub fn read_qdpx(bytes: &[u8]) -> Result<ImportedProject, QdpxError> {
    if bytes.len() as u64 > MAX_QDPX_BYTES {
        return Err(QdpxError::TooLarge {
            what: "the project file".into(),
            size: bytes.len() as u64,
            limit: MAX_QDPX_BYTES,
        });
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| QdpxError::NotZip(format!("the ZIP archive is damaged or not one ({e})")))?;
    // Entry names by lower case, for tools that write `Sources/` or `Project.qde`.
    let names: HashMap<String, String> = archive
        .file_names()
        .map(|n| (n.to_ascii_lowercase(), n.to_string()))
        .collect();
    let qde_name = names
        .get("project.qde")
        .cloned()
        .or_else(|| {
            // A project folder zipped with its folder: `NAME/project.qde`.
            let mut inner: Vec<&String> = names
                .iter()
                .filter(|(k, _)| k.ends_with("/project.qde") && k.matches('/').count() == 1)
                .map(|(_, v)| v)
                .collect();
            inner.sort();
            inner.first().map(|s| s.to_string())
        })
        .ok_or(QdpxError::NoProject)?;
    let prefix = qde_name[..qde_name.len() - "project.qde".len()].to_ascii_lowercase();
    let mut unpacked = 0u64;
    let qde = unpack(&mut archive, &qde_name, MAX_QDE_BYTES, &mut unpacked)?;
    let xml = decode_text(&qde);
    let archive = std::cell::RefCell::new(archive);
    let unpacked = std::cell::Cell::new(unpacked);
    let files = |internal: &str| -> Result<Option<Vec<u8>>, QdpxError> {
        let wanted = format!("{prefix}sources/{}", internal.to_ascii_lowercase());
        let Some(name) = names.get(&wanted) else {
            return Ok(None);
        };
        let mut total = unpacked.get();
        let out = unpack(
            &mut archive.borrow_mut(),
            name,
            MAX_SOURCE_BYTES,
            &mut total,
        )?;
        unpacked.set(total);
        Ok(Some(out))
    };
    read_project(&xml, &files)
}

/// Unpacks one entry, refusing it from its declared size and again while unpacking when it
/// is over `limit`, or when it brings the bytes unpacked so far (`total`) over
/// [`MAX_UNPACKED_BYTES`].
fn unpack(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
    total: &mut u64,
) -> Result<Vec<u8>, QdpxError> {
    let unreadable = |message: String| QdpxError::Unreadable {
        entry: name.to_string(),
        message,
    };
    let too_large = |size: u64| QdpxError::TooLarge {
        what: name.to_string(),
        size,
        limit,
    };
    let entry = archive
        .by_name(name)
        .map_err(|e| unreadable(e.to_string()))?;
    if entry.size() > limit {
        return Err(too_large(entry.size()));
    }
    let room = limit.min(MAX_UNPACKED_BYTES.saturating_sub(*total));
    let mut out = Vec::new();
    entry
        .take(room + 1)
        .read_to_end(&mut out)
        .map_err(|e| unreadable(e.to_string()))?;
    let size = out.len() as u64;
    if size > limit {
        return Err(too_large(size));
    }
    if size > room {
        return Err(QdpxError::TooLarge {
            what: "the unpacked project".into(),
            size: *total + size,
            limit: MAX_UNPACKED_BYTES,
        });
    }
    *total += size;
    Ok(out)
}

/// Bytes as text: UTF-8 (BOM dropped), or UTF-16 with a BOM; invalid sequences become U+FFFD.
fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// An element of `project.qde` in a REFI-QDA namespace (or none): its local name, its
/// unprefixed attributes, its child elements in order and its direct text.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<El>,
    text: String,
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn kids<'a>(&'a self, name: &'a str) -> impl DoubleEndedIterator<Item = &'a El> + 'a {
        self.kids.iter().filter(move |k| k.name == name)
    }

    fn kid(&self, name: &str) -> Option<&El> {
        self.kids.iter().find(|k| k.name == name)
    }

    /// The text of the first child `name`, `""` when there is none.
    fn kid_text(&self, name: &str) -> &str {
        self.kid(name).map_or("", |k| k.text.as_str())
    }
}

/// Parses `project.qde` into a tree of the elements in REFI-QDA namespaces (elements of
/// other namespaces are skipped with everything inside them).
fn parse_tree(text: &str) -> Result<El, QdpxError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let not_xml = |pos: u64, message: String| {
        let (line, column) = qdc::line_column(text, pos);
        QdpxError::NotXml {
            line,
            column,
            message,
        }
    };
    loop {
        let at = qdc::position_u64(reader.buffer_position());
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (qdc::is_qda_namespace(&ns), event),
            Err(e) => {
                return Err(not_xml(
                    qdc::position_u64(reader.error_position()),
                    e.to_string(),
                ));
            }
        };
        match event {
            Event::Start(start) if stack.is_empty() => {
                if root.is_some() {
                    return Err(not_xml(at, "a second root element".into()));
                }
                check_root(&reader, &start)?;
                stack.push(element(&reader, &start, text, at)?);
            }
            Event::Empty(start) if stack.is_empty() => {
                if root.is_some() {
                    return Err(not_xml(at, "a second root element".into()));
                }
                check_root(&reader, &start)?;
                root = Some(element(&reader, &start, text, at)?);
            }
            Event::Start(start) => {
                if !ns {
                    reader.read_to_end(start.name()).map_err(|e| {
                        not_xml(qdc::position_u64(reader.error_position()), e.to_string())
                    })?;
                    continue;
                }
                if stack.len() >= MAX_ELEMENT_DEPTH {
                    let (line, column) = qdc::line_column(text, at);
                    return Err(QdpxError::TooDeep { line, column });
                }
                stack.push(element(&reader, &start, text, at)?);
            }
            Event::Empty(start) => {
                if ns && let Some(top) = stack.last_mut() {
                    let el = element(&reader, &start, text, at)?;
                    top.kids.push(el);
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(not_xml(at, "a closing tag with no opening tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.kids.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.xml10_content().map_err(|e| not_xml(at, e.to_string()))?;
                    top.text.push_str(&s);
                } else if !t.into_inner().iter().all(u8::is_ascii_whitespace) {
                    return Err(not_xml(at, "text outside the root element".into()));
                }
            }
            Event::CData(c) => {
                let Some(top) = stack.last_mut() else {
                    return Err(not_xml(at, "CDATA outside the root element".into()));
                };
                let s = c.xml10_content().map_err(|e| not_xml(at, e.to_string()))?;
                top.text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let Some(top) = stack.last_mut() else {
                    return Err(not_xml(
                        at,
                        "an entity reference outside the root element".into(),
                    ));
                };
                let c = qdc::resolve_reference(&r).map_err(|m| not_xml(at, m))?;
                top.text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(not_xml(
            text.len() as u64,
            format!(
                "the file ends before <{}> is closed",
                stack[stack.len() - 1].name
            ),
        ));
    }
    root.ok_or_else(|| QdpxError::NotXml {
        line: 1,
        column: 1,
        message: "the file contains no XML element".into(),
    })
}

/// An element with its unprefixed attributes.
fn element(
    reader: &NsReader<&[u8]>,
    start: &BytesStart<'_>,
    text: &str,
    at: u64,
) -> Result<El, QdpxError> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| {
            let (line, column) = qdc::line_column(text, at);
            QdpxError::NotXml {
                line,
                column,
                message: format!("bad attribute in <{name}>: {e}"),
            }
        })?;
        if a.key.prefix().is_some() {
            continue;
        }
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let value = a.decode_and_unescape_value(reader.decoder()).map_err(|e| {
            let (line, column) = qdc::line_column(text, at);
            QdpxError::NotXml {
                line,
                column,
                message: format!("bad attribute value in <{name}>: {e}"),
            }
        })?;
        attrs.push((key, value.into_owned()));
    }
    Ok(El {
        name,
        attrs,
        ..El::default()
    })
}

/// Checks that the root element is `<Project>` in a REFI-QDA project namespace (or in none).
fn check_root(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Result<(), QdpxError> {
    let (ns, local) = reader.resolve_element(start.name());
    let local = String::from_utf8_lossy(local.as_ref()).into_owned();
    let uri = match ns {
        ResolveResult::Bound(Namespace(uri)) => Some(String::from_utf8_lossy(uri).into_owned()),
        _ => None,
    };
    let project_ns = uri
        .as_deref()
        .is_none_or(|u| qdc::starts_with_ignore_case(u.as_bytes(), qdc::PROJECT_NS_PREFIX));
    if local == "Project" && project_ns {
        return Ok(());
    }
    Err(QdpxError::NotProject {
        found: match uri {
            Some(u) => format!("<{local}> in namespace {u}"),
            None => format!("<{local}>"),
        },
    })
}

/// A source's text made Yinwen's (`\n` line ends) and the way from the file's positions to
/// the text's.
struct SourceText {
    text: String,
    /// Positions (in the file's code points) of the `\r`s dropped from `\r\n`, in order.
    dropped: Vec<usize>,
    /// Chars of the text.
    len: usize,
}

impl SourceText {
    /// `raw` with `\r\n` as `\n` and a lone `\r` as `\n`. Positions count the `\r` of a
    /// `\r\n` unless `crlf_is_one` (ATLAS.ti counts the pair as one).
    fn new(raw: &str, crlf_is_one: bool) -> SourceText {
        let mut text = String::with_capacity(raw.len());
        let mut dropped = Vec::new();
        let mut chars = raw.chars().peekable();
        let mut i = 0usize;
        let mut len = 0usize;
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    if !crlf_is_one {
                        dropped.push(i);
                    }
                    i += 1;
                    continue;
                }
                text.push('\n');
            } else {
                text.push(c);
            }
            i += 1;
            len += 1;
        }
        SourceText { text, dropped, len }
    }

    /// The text position of a file position, `None` when it is outside the text.
    fn map(&self, p: i64) -> Option<usize> {
        let p = usize::try_from(p).ok()?;
        let before = self.dropped.partition_point(|&d| d < p);
        let q = p - before;
        (q <= self.len).then_some(q)
    }
}

/// A way to fetch a project's `internal://` files: `files("X.txt")` gives the bytes of
/// `sources/X.txt`, `None` when the project has no such file.
pub type ProjectFiles<'a> = dyn Fn(&str) -> Result<Option<Vec<u8>>, QdpxError> + 'a;

/// One annotation being read: its passage, note parts and tags.
struct PendingAnnotation {
    start: usize,
    end: usize,
    notes: Vec<String>,
    tags: Vec<TagId>,
}

/// Reads a project from its `project.qde` text and a way to fetch `internal://` files
/// (`files("X.txt")` gives the bytes of `sources/X.txt`, `None` when there is no such file).
///
/// # Errors
/// As [`read_qdpx`]; errors of `files` are passed on.
pub fn read_project(xml: &str, files: &ProjectFiles<'_>) -> Result<ImportedProject, QdpxError> {
    read_project_within(xml, files, MAX_ANNOTATION_BYTES)
}

/// [`read_project`] with the budget of annotation text (notes and passages) as a parameter.
fn read_project_within(
    xml: &str,
    files: &ProjectFiles<'_>,
    annotation_limit: u64,
) -> Result<ImportedProject, QdpxError> {
    let mut annotation_bytes = 0u64;
    let over_budget = |size: u64| QdpxError::TooLarge {
        what: "the text of its annotations (notes and passages, counted for each selection)".into(),
        size,
        limit: annotation_limit,
    };
    let root = parse_tree(xml)?;
    let mut report = ProjectReport {
        name: root.attr("name").unwrap_or_default().trim().to_string(),
        origin: root.attr("origin").unwrap_or_default().trim().to_string(),
        ..Default::default()
    };
    let from_atlas = report.origin.to_ascii_lowercase().contains("atlas");
    let from_yinwen = report.origin.starts_with("Yinwen");
    let mut next_id = 1u64;
    let mut fresh = || {
        let id = next_id;
        next_id += 1;
        id
    };

    // Notes by GUID: (name, text, the note element).
    let mut notes: HashMap<String, &El> = HashMap::new();
    let mut note_order: Vec<String> = Vec::new();
    for n in root.kids("Notes").flat_map(|ns| ns.kids("Note")) {
        if let Some(g) = n.attr("guid") {
            let k = guid_key(g);
            if notes.insert(k.clone(), n).is_none() {
                note_order.push(k);
            }
        }
    }
    let mut used_notes: HashSet<String> = HashSet::new();
    let mut note_text_cache: HashMap<String, String> = HashMap::new();
    let mut skipped_note_files = 0usize;
    // The text of a note: inline, or its internal file.
    let mut note_text = |key: &str| -> Result<Option<String>, QdpxError> {
        if let Some(t) = note_text_cache.get(key) {
            return Ok(Some(t.clone()));
        }
        let Some(n) = notes.get(key) else {
            return Ok(None);
        };
        let text = if let Some(c) = n.kid("PlainTextContent") {
            SourceText::new(&c.text, true).text
        } else if let Some(path) = n.attr("plainTextPath") {
            match internal_file(path, files)? {
                Some(bytes) => SourceText::new(&decode_text(&bytes), true).text,
                None => {
                    skipped_note_files += 1;
                    String::new()
                }
            }
        } else {
            SourceText::new(n.kid_text("Description"), true).text
        };
        note_text_cache.insert(key.to_string(), text.clone());
        Ok(Some(text))
    };

    // The codebook.
    let mut tags: Vec<Tag> = Vec::new();
    let mut code_ids: HashMap<String, TagId> = HashMap::new();
    let mut nameless_codes = 0usize;
    let mut too_deep_codes = 0usize;
    if let Some(codes) = root.kid("CodeBook").and_then(|c| c.kid("Codes")) {
        let mut stack: Vec<(Option<TagId>, usize, &El)> =
            codes.kids("Code").rev().map(|c| (None, 1, c)).collect();
        while let Some((parent, depth, el)) = stack.pop() {
            let name = el.attr("name").unwrap_or_default().trim().to_string();
            if name.is_empty() {
                nameless_codes += 1;
                continue;
            }
            if depth > qdc::MAX_CODE_DEPTH {
                too_deep_codes += 1;
                continue;
            }
            let id = TagId(fresh());
            let guid = el.attr("guid").unwrap_or_default().trim().to_string();
            if !guid.is_empty() {
                code_ids.entry(guid_key(&guid)).or_insert(id);
            }
            let mut memo = Vec::new();
            for r in el.kids("NoteRef") {
                let key = guid_key(r.attr("targetGUID").unwrap_or_default());
                if let Some(t) = note_text(&key)? {
                    used_notes.insert(key);
                    if !t.trim().is_empty() {
                        memo.push(t);
                    }
                }
            }
            tags.push(Tag {
                id,
                name,
                parent,
                color: el
                    .attr("color")
                    .and_then(qdc::normalize_color)
                    .unwrap_or_else(default_tag_color),
                description: SourceText::new(el.kid_text("Description"), true).text,
                guid,
                memo: memo.join("\n\n"),
            });
            stack.extend(el.kids("Code").rev().map(|c| (Some(id), depth + 1, c)));
        }
    }
    if nameless_codes > 0 {
        report.skipped.push(format!(
            "{nameless_codes} code(s) without a name (and their sub-codes)"
        ));
    }
    if too_deep_codes > 0 {
        report.skipped.push(format!(
            "{too_deep_codes} code(s) nested more than {} deep (and their sub-codes)",
            qdc::MAX_CODE_DEPTH
        ));
    }
    report.tags = tags.len();

    // Variables: GUID → attribute key (a built-in field or the name).
    let mut variable_keys: HashMap<String, String> = HashMap::new();
    let mut attribute_names: Vec<String> = Vec::new();
    for v in root.kids("Variables").flat_map(|v| v.kids("Variable")) {
        let name = v.attr("name").unwrap_or_default().trim().to_string();
        let Some(guid) = v.attr("guid") else { continue };
        if name.is_empty() {
            continue;
        }
        let key = builtin_key(&name).map_or_else(|| name.clone(), str::to_string);
        if builtin_key(&name).is_none() && !attribute_names.contains(&name) {
            attribute_names.push(name.clone());
        }
        variable_keys.insert(guid_key(guid), key);
        report.variables += 1;
    }

    // Sources.
    let mut documents: Vec<Document> = Vec::new();
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut skipped_kinds: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut skipped_sources: Vec<String> = Vec::new();
    let mut out_of_range = 0usize;
    let mut unknown_codes = 0usize;
    for src in root.kids("Sources").flat_map(|s| s.kids.iter()) {
        let name = src.attr("name").unwrap_or_default().trim().to_string();
        match src.name.as_str() {
            "TextSource" => {}
            "PDFSource" => {
                skipped_kinds.entry("PDF").or_default().push(name);
                continue;
            }
            "PictureSource" => {
                skipped_kinds.entry("picture").or_default().push(name);
                continue;
            }
            "AudioSource" => {
                skipped_kinds.entry("audio").or_default().push(name);
                continue;
            }
            "VideoSource" => {
                skipped_kinds.entry("video").or_default().push(name);
                continue;
            }
            _ => continue,
        }
        let shown = if name.is_empty() {
            format!("source {}", documents.len() + skipped_sources.len() + 1)
        } else {
            name.clone()
        };
        let raw: Vec<u8> = if let Some(c) = src.kid("PlainTextContent") {
            c.text.clone().into_bytes()
        } else if let Some(path) = src.attr("plainTextPath") {
            match internal_file(path, files)? {
                Some(b) => b,
                None => {
                    skipped_sources
                        .push(format!("{shown} (its text {path} is not in the project)"));
                    continue;
                }
            }
        } else {
            skipped_sources.push(format!("{shown} (no plain text)"));
            continue;
        };
        let source = SourceText::new(&decode_text(&raw), from_atlas);
        let doc_id = DocId(fresh());
        let mut meta = DocMeta {
            title: if name.is_empty() { shown.clone() } else { name },
            ..Default::default()
        };
        let mut memo = Vec::new();
        let desc = src.kid_text("Description");
        if !desc.trim().is_empty() {
            memo.push(SourceText::new(desc, true).text);
        }
        for c in src.kids("Coding") {
            let target = c.kid("CodeRef").and_then(|r| r.attr("targetGUID"));
            match target.and_then(|g| code_ids.get(&guid_key(g))) {
                Some(t) => meta.tags.push(*t),
                None => unknown_codes += 1,
            }
        }
        let mut pending: Vec<PendingAnnotation> = Vec::new();
        let mut read_selection =
            |sel: &El,
             extra_note: Option<&str>,
             pending: &mut Vec<PendingAnnotation>,
             note_text: &mut dyn FnMut(&str) -> Result<Option<String>, QdpxError>,
             used_notes: &mut HashSet<String>|
             -> Result<(), QdpxError> {
                let pos = |a: &str| {
                    sel.attr(a)
                        .and_then(|v| v.trim().parse::<i64>().ok())
                        .and_then(|p| source.map(p))
                };
                let (Some(start), Some(end)) = (pos("startPosition"), pos("endPosition")) else {
                    out_of_range += 1;
                    return Ok(());
                };
                if start > end {
                    out_of_range += 1;
                    return Ok(());
                }
                let mut notes = Vec::new();
                if let Some(n) = extra_note {
                    notes.push(n.to_string());
                }
                let d = SourceText::new(sel.kid_text("Description"), true).text;
                if !d.trim().is_empty() {
                    notes.push(d);
                }
                for r in sel.kids("NoteRef") {
                    let key = guid_key(r.attr("targetGUID").unwrap_or_default());
                    if let Some(t) = note_text(&key)? {
                        used_notes.insert(key);
                        if !t.trim().is_empty() {
                            notes.push(t);
                        }
                    }
                }
                annotation_bytes += notes.iter().map(|n| n.len() as u64).sum::<u64>();
                if annotation_bytes > annotation_limit {
                    return Err(over_budget(annotation_bytes));
                }
                let mut tags = Vec::new();
                for c in sel.kids("Coding") {
                    let target = c.kid("CodeRef").and_then(|r| r.attr("targetGUID"));
                    match target.and_then(|g| code_ids.get(&guid_key(g))) {
                        Some(t) => tags.push(*t),
                        None => unknown_codes += 1,
                    }
                }
                pending.push(PendingAnnotation {
                    start,
                    end,
                    notes,
                    tags,
                });
                Ok(())
            };
        for sel in src.kids("PlainTextSelection") {
            read_selection(sel, None, &mut pending, &mut note_text, &mut used_notes)?;
        }
        for r in src.kids("NoteRef") {
            let key = guid_key(r.attr("targetGUID").unwrap_or_default());
            let Some(note) = notes.get(&key).copied() else {
                continue;
            };
            let text = note_text(&key)?.unwrap_or_default();
            used_notes.insert(key);
            let selections: Vec<&El> = note.kids("PlainTextSelection").collect();
            if selections.is_empty() {
                if !text.trim().is_empty() {
                    memo.push(text);
                }
            } else {
                // QualCoder: a text annotation is a note holding its selection.
                for sel in selections {
                    read_selection(
                        sel,
                        Some(&text),
                        &mut pending,
                        &mut note_text,
                        &mut used_notes,
                    )?;
                }
            }
        }
        for vv in src.kids("VariableValue") {
            let key = vv
                .kid("VariableRef")
                .and_then(|r| r.attr("targetGUID"))
                .and_then(|g| variable_keys.get(&guid_key(g)));
            let Some(key) = key else { continue };
            let value = vv
                .kids
                .iter()
                .find(|k| k.name.ends_with("Value") && k.name != "VariableRef")
                .map_or("", |k| k.text.trim());
            if !value.is_empty() {
                meta.set_attribute(key, value);
            }
        }
        meta.memo = memo.join("\n\n");
        meta.tags.sort();
        meta.tags.dedup();
        if !from_yinwen {
            pending = join_same_passages(pending);
        }
        let index = CharIndex::new(&source.text);
        // The passages are counted before any is copied.
        for p in &pending {
            let len = index.char_len();
            let (start, end) = (p.start.min(len), p.end.min(len));
            annotation_bytes +=
                (index.byte_of(&source.text, end) - index.byte_of(&source.text, start)) as u64;
            if annotation_bytes > annotation_limit {
                return Err(over_budget(annotation_bytes));
            }
        }
        for p in pending {
            let mut tags = p.tags;
            tags.sort();
            tags.dedup();
            annotations.push(Annotation {
                id: AnnId(0),
                doc: doc_id,
                anchor: Anchor::new(&source.text, &index, p.start..p.end),
                color: default_tag_color(),
                note: p.notes.join("\n\n"),
                tags,
                orphan: false,
                directive: None,
            });
        }
        let origin = Origin {
            path: None,
            encoding: "REFI-QDA project (UTF-8)".into(),
            sha256: sha256_hex(&raw),
            byte_len: raw.len() as u64,
            corrections: Vec::new(),
        };
        let mut doc = Document::new(source.text, origin, meta);
        doc.id = doc_id;
        documents.push(doc);
    }
    for a in &mut annotations {
        a.id = AnnId(fresh());
    }
    report.documents = documents.len();
    report.annotations = annotations.len();
    for (kind, names) in &skipped_kinds {
        report.skipped.push(format!(
            "{} {kind} source(s) ({}): Yinwen reads text sources only",
            names.len(),
            list(names)
        ));
    }
    if !skipped_sources.is_empty() {
        report.skipped.push(format!(
            "{} text source(s) without a readable text: {}",
            skipped_sources.len(),
            list(&skipped_sources)
        ));
    }
    if out_of_range > 0 {
        report.skipped.push(format!(
            "{out_of_range} selection(s) outside their text (or without positions)"
        ));
    }
    if unknown_codes > 0 {
        report.skipped.push(format!(
            "{unknown_codes} coding(s) of codes not in the codebook (cases or missing codes)"
        ));
    }

    // The workspace memo: the project's description and notes, then notes linked from
    // nothing (journals), under their name.
    let mut ws_memo = Vec::new();
    let desc = root.kid_text("Description");
    if !desc.trim().is_empty() {
        ws_memo.push(SourceText::new(desc, true).text);
    }
    for r in root.kids("NoteRef") {
        let key = guid_key(r.attr("targetGUID").unwrap_or_default());
        if let Some(t) = note_text(&key)? {
            used_notes.insert(key);
            if !t.trim().is_empty() {
                ws_memo.push(t);
            }
        }
    }
    let mut loose = 0usize;
    let mut loose_selections = 0usize;
    for key in &note_order {
        if used_notes.contains(key) {
            continue;
        }
        let Some(note) = notes.get(key).copied() else {
            continue;
        };
        if note.kid("PlainTextSelection").is_some() {
            loose_selections += 1;
            continue;
        }
        let text = note_text(key)?.unwrap_or_default();
        if text.trim().is_empty() {
            continue;
        }
        let name = note.attr("name").unwrap_or_default().trim();
        loose += 1;
        ws_memo.push(if name.is_empty() {
            text
        } else {
            format!("{name}\n{text}")
        });
    }
    if loose > 0 {
        report.skipped.push(format!(
            "{loose} note(s) linked to nothing (journals) were added to the workspace memo"
        ));
    }
    if loose_selections > 0 {
        report.skipped.push(format!(
            "{loose_selections} annotation note(s) whose source does not link to them"
        ));
    }
    if skipped_note_files > 0 {
        report.skipped.push(format!(
            "{skipped_note_files} note(s) whose text file is not in the project"
        ));
    }
    let ignored: Vec<&str> = ["Cases", "Sets", "Links", "Graphs"]
        .into_iter()
        .filter(|n| root.kid(n).is_some_and(|e| !e.kids.is_empty()))
        .collect();
    if !ignored.is_empty() {
        report.skipped.push(format!(
            "{} (Yinwen has no place for them)",
            ignored.join(", ").to_lowercase()
        ));
    }

    let memos = usize::from(!ws_memo.is_empty())
        + documents.iter().filter(|d| !d.meta.memo.is_empty()).count()
        + tags.iter().filter(|t| !t.memo.is_empty()).count();
    report.memos = memos;
    let mut ws = Workspace::new();
    ws.documents = documents.into_iter().map(Arc::new).collect();
    ws.tags = tags;
    ws.annotations = annotations;
    ws.attributes = attribute_names;
    ws.memo = ws_memo.join("\n\n");
    ws.next_id = next_id;
    ws.normalize();
    Ok(ImportedProject {
        workspace: ws,
        report,
    })
}

/// The bytes of an `internal://` file; `None` for other paths (`relative://`, `absolute://`)
/// and files not in the project.
fn internal_file(path: &str, files: &ProjectFiles<'_>) -> Result<Option<Vec<u8>>, QdpxError> {
    let p = path.trim();
    let Some(rest) = p
        .get(..11)
        .filter(|s| s.eq_ignore_ascii_case("internal://"))
        .map(|_| &p[11..])
    else {
        return Ok(None);
    };
    let rest = rest.trim_start_matches('/');
    if rest.is_empty() || rest.contains("..") {
        return Ok(None);
    }
    files(rest)
}

/// Selections of the same passage joined into one annotation (QualCoder writes one selection
/// per coding): tags united, notes kept once each.
fn join_same_passages(pending: Vec<PendingAnnotation>) -> Vec<PendingAnnotation> {
    let mut out: Vec<PendingAnnotation> = Vec::new();
    // Where each passage went, and the notes it has (a set, so that many selections of one
    // passage are joined in linear time).
    let mut at: HashMap<(usize, usize), (usize, HashSet<String>)> = HashMap::new();
    for p in pending {
        match at.get_mut(&(p.start, p.end)) {
            Some((i, seen)) => {
                let a = &mut out[*i];
                a.tags.extend(p.tags);
                for n in p.notes {
                    if !seen.contains(&n) {
                        seen.insert(n.clone());
                        a.notes.push(n);
                    }
                }
            }
            None => {
                let seen = p.notes.iter().cloned().collect();
                at.insert((p.start, p.end), (out.len(), seen));
                out.push(p);
            }
        }
    }
    out
}

/// The built-in attribute a variable name stands for (`speaker` for `Speaker`, `讲话人` or
/// `speaker`), if any.
fn builtin_key(name: &str) -> Option<&'static str> {
    let n = name.trim();
    BUILTIN_VARIABLES
        .iter()
        .find(|(key, en, zh)| n.eq_ignore_ascii_case(key) || n.eq_ignore_ascii_case(en) || n == *zh)
        .map(|(key, _, _)| *key)
}

/// Up to five names, then how many more.
fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if names.len() > 5 {
        s.push_str(&format!(" and {} more", names.len() - 5));
    }
    s
}

/// Adds a project's workspace to `ws`: documents, tags, annotations with fresh IDs (after
/// every ID of `ws`), attribute names not yet listed, and the memo after `ws`'s.
pub fn add_project(ws: &mut Workspace, project: Workspace) {
    let mut next = ws.first_free_id();
    let mut map: HashMap<u64, u64> = HashMap::new();
    let mut renumber = |old: u64, map: &mut HashMap<u64, u64>| {
        *map.entry(old).or_insert_with(|| {
            let id = next;
            next += 1;
            id
        })
    };
    for t in &project.tags {
        renumber(t.id.0, &mut map);
    }
    for d in &project.documents {
        renumber(d.id.0, &mut map);
    }
    for a in &project.annotations {
        renumber(a.id.0, &mut map);
    }
    let id = |old: u64| map.get(&old).copied().unwrap_or(old);
    for mut t in project.tags {
        t.id = TagId(id(t.id.0));
        t.parent = t.parent.map(|p| TagId(id(p.0)));
        ws.tags.push(t);
    }
    for d in project.documents {
        let mut d = Arc::unwrap_or_clone(d);
        d.id = DocId(id(d.id.0));
        d.meta.tags = d.meta.tags.iter().map(|t| TagId(id(t.0))).collect();
        ws.documents.push(Arc::new(d));
    }
    for mut a in project.annotations {
        a.id = AnnId(id(a.id.0));
        a.doc = DocId(id(a.doc.0));
        a.tags = a.tags.iter().map(|t| TagId(id(t.0))).collect();
        ws.annotations.push(a);
    }
    for name in project.attributes {
        if !ws.attributes.contains(&name) {
            ws.attributes.push(name);
        }
    }
    if !project.memo.trim().is_empty() {
        if ws.memo.trim().is_empty() {
            ws.memo = project.memo;
        } else {
            ws.memo = format!("{}\n\n{}", ws.memo, project.memo);
        }
    }
    ws.next_id = ws.next_id.max(next);
    ws.normalize();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DirectiveInfo;

    fn document(id: u64, title: &str, text: &str) -> Document {
        let mut d = Document::new(
            text.to_string(),
            Origin::default(),
            DocMeta {
                title: title.into(),
                ..Default::default()
            },
        );
        d.id = DocId(id);
        d
    }

    fn annotation(id: u64, doc: &Document, quote: &str, note: &str, tags: &[u64]) -> Annotation {
        let byte = doc.text.find(quote).expect("quote in text");
        let start = doc.text[..byte].chars().count();
        let end = start + quote.chars().count();
        Annotation {
            id: AnnId(id),
            doc: doc.id,
            anchor: Anchor::new(&doc.text, &CharIndex::new(&doc.text), start..end),
            color: default_tag_color(),
            note: note.into(),
            tags: tags.iter().map(|t| TagId(*t)).collect(),
            orphan: false,
            directive: None,
        }
    }

    fn tag(id: u64, name: &str, parent: Option<u64>, color: &str, guid: &str) -> Tag {
        Tag {
            id: TagId(id),
            name: name.into(),
            parent: parent.map(TagId),
            color: color.into(),
            description: String::new(),
            guid: guid.into(),
            memo: String::new(),
        }
    }

    /// Everything the format carries: a tag tree with colours, descriptions, memos and GUIDs
    /// (one invalid), documents with every attribute, memos and document-level tags, texts
    /// with astral chars (positions in code points), annotations with notes and tags, an
    /// orphan, a directive, the workspace memo.
    fn sample() -> Workspace {
        let mut ws = Workspace::new();
        let mut t1 = tag(1, "社区服务", None, "#3366CC", "");
        t1.description = "居民服务 <b>&</b>\n第二行".into();
        t1.memo = "标签备忘 & memo".into();
        let t2 = tag(
            2,
            "党建",
            Some(1),
            "#CC0000",
            "7D8E9F00-1111-4222-9333-444455556666",
        );
        let t3 = tag(3, "民生", None, "#00AA55", "01");
        ws.tags = vec![t1, t2, t3];
        let mut d4 = document(
            4,
            "长春讲话",
            "长春市社区建设工作会议讲话\n同志们：🙂社区服务是民生工程。\n\n要加强党建 & “三会一课”。\n",
        );
        for (k, v) in [
            ("speaker", "张三"),
            ("date", "2007-05"),
            ("occasion", "社区建设工作会议"),
            ("place", "长春"),
            ("level", "市"),
            ("region", "吉林省长春市"),
            ("kind", "讲话"),
            ("group", "2007/市委"),
            ("来源", "人民网 <www>"),
        ] {
            d4.meta.set_attribute(k, v);
        }
        d4.meta.memo = "文档备忘\n第二行 \"引号\"".into();
        d4.meta.tags = vec![TagId(3)];
        let mut d5 = document(5, "", "Line one\nline two 𝄞 music\n\ttab\n");
        d5.origin.path = Some("/tmp/music.txt".into());
        let a6 = annotation(
            6,
            &d4,
            "社区服务是民生工程",
            "note <x> & y\n第二行",
            &[1, 2],
        );
        let a7 = annotation(7, &d4, "🙂社", "", &[]);
        let a8 = annotation(8, &d5, "𝄞 music", "", &[3]);
        let mut a9 = annotation(9, &d4, "长春", "orphan note", &[1]);
        a9.orphan = true;
        let mut a10 = annotation(10, &d4, "党建", "引述", &[2]);
        a10.directive = Some(DirectiveInfo::default());
        let a11 = annotation(11, &d5, "Line one\nline", "", &[]);
        ws.documents = vec![Arc::new(d4), Arc::new(d5)];
        ws.annotations = vec![a6, a7, a8, a9, a10, a11];
        ws.attributes = vec!["来源".into(), "unused".into()];
        ws.memo = "工作区备忘\n\n第二段".into();
        ws.normalize();
        ws
    }

    fn read_back(ws: &Workspace, lang: Lang) -> ImportedProject {
        let bytes = write_qdpx(ws, "test <project>", lang).unwrap();
        read_qdpx(&bytes).unwrap()
    }

    #[test]
    fn round_trip_keeps_what_the_format_carries() {
        let ws = sample();
        for lang in Lang::ALL {
            let back = read_back(&ws, lang);
            let r = &back.report;
            assert_eq!(r.name, "test <project>");
            assert!(r.origin.starts_with("Yinwen "));
            assert_eq!(r.skipped, Vec::<String>::new(), "{lang:?}");
            let b = &back.workspace;
            assert_eq!(b.memo, ws.memo);
            assert_eq!(b.attributes, ws.attributes);
            // Tags: same tree, colours, descriptions, memos; valid GUIDs kept.
            assert_eq!(b.tags.len(), 3);
            let by_name = |n: &str| b.tags.iter().find(|t| t.name == n).unwrap();
            let (s, p, m) = (by_name("社区服务"), by_name("党建"), by_name("民生"));
            assert_eq!(p.parent, Some(s.id));
            assert_eq!((s.parent, m.parent), (None, None));
            assert_eq!(s.color, "#3366CC");
            assert_eq!(s.description, ws.tags[0].description);
            assert_eq!(s.memo, ws.tags[0].memo);
            assert_eq!(p.guid, "7D8E9F00-1111-4222-9333-444455556666");
            assert!(is_guid(&m.guid) && is_guid(&s.guid));
            // Documents: texts, titles, attributes, memos, document-level tags.
            assert_eq!(b.documents.len(), 2);
            let (d4, d5) = (&b.documents[0], &b.documents[1]);
            let o4 = ws.document(DocId(4)).unwrap();
            assert_eq!(d4.text, o4.text);
            let mut expected = o4.meta.clone();
            expected.tags = vec![m.id];
            assert_eq!(d4.meta, expected);
            assert_eq!(d5.text, ws.document(DocId(5)).unwrap().text);
            assert_eq!(d5.meta.title, "music.txt");
            // Annotations: passages, notes, tags; the orphan left out; the directive plain.
            let anns: Vec<(&str, &str, Vec<&str>, Option<()>)> = b
                .annotations
                .iter()
                .map(|a| {
                    let tags = a
                        .tags
                        .iter()
                        .map(|t| b.tag(*t).unwrap().name.as_str())
                        .collect();
                    (
                        a.anchor.quote.as_str(),
                        a.note.as_str(),
                        tags,
                        a.directive.as_ref().map(|_| ()),
                    )
                })
                .collect();
            assert_eq!(
                anns,
                vec![
                    ("🙂社", "", vec![], None),
                    (
                        "社区服务是民生工程",
                        "note <x> & y\n第二行",
                        vec!["社区服务", "党建"],
                        None
                    ),
                    ("党建", "引述", vec!["党建"], None),
                    ("Line one\nline", "", vec![], None),
                    ("𝄞 music", "", vec!["民生"], None),
                ]
            );
            for (a, o) in b.annotations.iter().zip([7, 6, 10, 11, 8]) {
                let orig = ws.annotation(AnnId(o)).unwrap();
                assert_eq!(
                    (a.anchor.start, a.anchor.end),
                    (orig.anchor.start, orig.anchor.end)
                );
                assert_eq!(a.anchor.prefix, orig.anchor.prefix);
                assert_eq!(a.anchor.suffix, orig.anchor.suffix);
                assert!(!a.orphan);
            }
            assert_eq!(r.documents, 2);
            assert_eq!(r.annotations, 5);
            assert_eq!(r.tags, 3);
            assert_eq!(r.memos, 3);
            assert!(crate::store::check_workspace(b).is_empty());
        }
    }

    #[test]
    fn output_is_deterministic_and_as_documented() {
        let ws = sample();
        let a = write_qdpx(&ws, "p", Lang::En).unwrap();
        assert_eq!(a, write_qdpx(&ws.clone(), "p", Lang::En).unwrap());
        assert_ne!(a, write_qdpx(&ws, "p", Lang::Zh).unwrap());
        let parts = project_parts(&ws, "p", Lang::Zh, None);
        assert_eq!(parts[0].0, "project.qde");
        assert_eq!(parts.len(), 3);
        let qde = &parts[0].1;
        assert!(qde.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\""
        ));
        assert!(qde.contains("name=\"讲话人\" typeOfVariable=\"Text\""));
        assert!(qde.contains("name=\"来源\""));
        assert!(qde.contains("name=\"unused\""));
        for (name, text) in &parts[1..] {
            assert!(name.starts_with("sources/") && name.ends_with(".txt"));
            let guid = &name["sources/".len()..name.len() - 4];
            assert!(is_guid(guid));
            assert!(qde.contains(&format!("plainTextPath=\"internal://{guid}.txt\"")));
            assert!(!text.starts_with('\u{FEFF}'));
        }
        // Every GUID in the file is valid and every one that is an ID is unique.
        let mut ids = HashSet::new();
        for cap in qde.split(" guid=\"").skip(1) {
            let g = &cap[..cap.find('"').unwrap()];
            assert!(is_guid(g), "{g}");
            assert!(ids.insert(g.to_string()), "duplicate {g}");
        }
        // The invalid tag GUID "01" was replaced.
        assert!(!qde.contains("guid=\"01\""));
        // Positions in code points: 🙂 is one position.
        assert!(
            qde.contains("startPosition=\"18\" endPosition=\"20\""),
            "{qde}"
        );
        // ZIP entries carry the fixed date.
        let mut z = zip::ZipArchive::new(Cursor::new(a.as_slice())).unwrap();
        for i in 0..z.len() {
            let f = z.by_index(i).unwrap();
            assert_eq!(f.last_modified(), Some(zip::DateTime::default()));
        }
    }

    #[test]
    fn an_empty_workspace_is_an_empty_project() {
        let back = read_back(&Workspace::new(), Lang::En);
        assert!(back.workspace.documents.is_empty() && back.workspace.tags.is_empty());
        let qde = &project_parts(&Workspace::new(), "", Lang::En, None)[0].1;
        assert!(qde.contains("name=\"Yinwen\""));
        assert!(!qde.contains("<CodeBook>") && !qde.contains("<Sources>"));
    }

    /// Zips `parts` (name, bytes) as another tool would.
    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        use zip::write::SimpleFileOptions;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn crlf_positions_follow_the_tool() {
        // NVivo, MAXQDA: a CRLF is two positions. ATLAS.ti: one.
        let text = "第一行\r\n第二行：民生\r\n";
        for (origin, start) in [("NVivo 14", 9), ("ATLAS.ti 23.4", 8)] {
            let qde = format!(
                r#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1:0" name="p" origin="{origin}"><Sources><TextSource guid="{{AAAAAAAA-1111-4222-8333-444444444444}}" name="s" plainTextPath="internal://s.TXT"><PlainTextSelection guid="BBBBBBBB-1111-4222-8333-444444444444" startPosition="{start}" endPosition="{}"/></TextSource></Sources></Project>"#,
                start + 2
            );
            let zip = zip_of(&[
                ("project.qde", qde.as_bytes()),
                ("Sources/s.txt", text.as_bytes()),
            ]);
            let p = read_qdpx(&zip).unwrap();
            let ws = &p.workspace;
            assert_eq!(ws.documents[0].text, "第一行\n第二行：民生\n");
            assert_eq!(ws.annotations[0].anchor.quote, "民生", "{origin}");
        }
    }

    #[test]
    fn hostile_input_is_refused_without_panicking() {
        let good = write_qdpx(&sample(), "p", Lang::En).unwrap();
        // Every truncation, and every byte flipped in a sample of positions.
        for cut in (0..good.len()).step_by(7) {
            let _ = read_qdpx(&good[..cut]);
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..400 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bad = good.clone();
            let at = (seed as usize) % bad.len();
            bad[at] = (seed >> 32) as u8;
            let _ = read_qdpx(&bad);
        }
        assert!(matches!(read_qdpx(b""), Err(QdpxError::NotZip(_))));
        assert!(matches!(
            read_qdpx(b"PK\x03\x04garbage"),
            Err(QdpxError::NotZip(_))
        ));
        let no_qde = zip_of(&[("other.xml", b"<x/>")]);
        assert_eq!(read_qdpx(&no_qde).unwrap_err(), QdpxError::NoProject);
        for (qde, want) in [
            (
                "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\">",
                "NotXml",
            ),
            ("not xml at all", "NotXml"),
            ("", "NotXml"),
            (
                "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes/></CodeBook>",
                "NotProject",
            ),
            ("<html><body/></html>", "NotProject"),
            (
                "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"><Description>&bogus;</Description></Project>",
                "NotXml",
            ),
        ] {
            let err = read_qdpx(&zip_of(&[("project.qde", qde.as_bytes())])).unwrap_err();
            assert!(format!("{err:?}").starts_with(want), "{qde}: {err:?}");
        }
        // Deep nesting is refused quickly.
        let deep = format!(
            "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"><CodeBook><Codes>{}</Codes></CodeBook></Project>",
            "<Code guid=\"x\" name=\"c\" isCodable=\"true\">".repeat(10_000)
        );
        assert!(matches!(
            read_qdpx(&zip_of(&[("project.qde", deep.as_bytes())])),
            Err(QdpxError::TooDeep { .. })
        ));
        // Codes deeper than a codebook may nest them are left out, and said so.
        let deep = format!(
            "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"><CodeBook><Codes>{}{}</Codes></CodeBook></Project>",
            "<Code guid=\"x\" name=\"c\" isCodable=\"true\">".repeat(70),
            "</Code>".repeat(70)
        );
        let p = read_qdpx(&zip_of(&[("project.qde", deep.as_bytes())])).unwrap();
        assert_eq!(p.workspace.tags.len(), qdc::MAX_CODE_DEPTH);
        assert_eq!(
            p.report.skipped,
            ["1 code(s) nested more than 64 deep (and their sub-codes)"]
        );
        // Positions out of range, negative, huge or missing; paths escaping the archive.
        let qde = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>
<TextSource guid="AAAAAAAA-1111-4222-8333-444444444444" name="s"><PlainTextContent>短文本</PlainTextContent>
<PlainTextSelection guid="a" startPosition="1" endPosition="99"/>
<PlainTextSelection guid="b" startPosition="-1" endPosition="2"/>
<PlainTextSelection guid="c" startPosition="99999999999999999999999" endPosition="2"/>
<PlainTextSelection guid="d" endPosition="2"/>
<PlainTextSelection guid="e" startPosition="2" endPosition="1"/>
<PlainTextSelection guid="f" startPosition="1" endPosition="3"><Coding guid="g"><CodeRef targetGUID="nowhere"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="x" name="escape" plainTextPath="internal://../../etc/passwd"/>
<TextSource guid="y" name="external" plainTextPath="absolute:///home/u/a.txt"/>
<PictureSource guid="z" name="pic.png" path="internal://z.png"/>
</Sources></Project>"#;
        let p = read_qdpx(&zip_of(&[("project.qde", qde.as_bytes())])).unwrap();
        assert_eq!(p.workspace.annotations.len(), 1);
        assert_eq!(p.workspace.annotations[0].anchor.quote, "文本");
        let skipped = p.report.skipped.join("\n");
        assert!(
            skipped.contains("5 selection(s) outside their text"),
            "{skipped}"
        );
        assert!(
            skipped.contains("1 picture source(s) (pic.png)"),
            "{skipped}"
        );
        assert!(
            skipped.contains("2 text source(s) without a readable text"),
            "{skipped}"
        );
        assert!(
            skipped.contains("1 coding(s) of codes not in the codebook"),
            "{skipped}"
        );
    }

    #[test]
    fn oversized_entries_are_refused_before_unpacking_all() {
        let zip = zip_of(&[("project.qde", &[b' '; 5000])]);
        let mut a = zip::ZipArchive::new(Cursor::new(zip.as_slice())).unwrap();
        let mut total = 0;
        assert!(matches!(
            unpack(&mut a, "project.qde", 1000, &mut total),
            Err(QdpxError::TooLarge { size: 5000, .. })
        ));
        let mut total = MAX_UNPACKED_BYTES - 10;
        assert!(matches!(
            unpack(&mut a, "project.qde", 1_000_000, &mut total),
            Err(QdpxError::TooLarge { .. })
        ));
        let mut total = 0;
        assert_eq!(
            unpack(&mut a, "project.qde", 5000, &mut total)
                .unwrap()
                .len(),
            5000
        );
        assert_eq!(total, 5000);
    }

    #[test]
    fn projects_are_added_with_fresh_ids() {
        let mut ws = sample();
        let before = ws.clone();
        let project = read_back(&sample(), Lang::En).workspace;
        add_project(&mut ws, project);
        assert_eq!(ws.documents.len(), 4);
        assert_eq!(ws.tags.len(), 6);
        assert_eq!(ws.annotations.len(), before.annotations.len() + 5);
        let ids: Vec<u64> = ws.item_ids().collect();
        let unique: HashSet<u64> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len());
        // The sample's orphan is its only problem, before and after.
        let problems = |w: &Workspace| {
            crate::store::check_workspace(w)
                .into_iter()
                .map(|p| p.kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(problems(&ws), problems(&before));
        assert_eq!(ws.memo, format!("{}\n\n{}", before.memo, before.memo));
        assert_eq!(ws.attributes, before.attributes);
        let added = ws
            .documents
            .iter()
            .find(|d| d.id.0 > before.max_item_id())
            .unwrap();
        assert!(added.meta.tags.iter().all(|t| t.0 > before.max_item_id()));
    }

    /// The structure of a real NVivo for Windows 12.6 export: `richTextPath` beside
    /// `plainTextPath`, codes without colours, texts in `Sources/` with CRLF line ends
    /// (counted as two positions), upper-case references to lower-case GUIDs.
    #[test]
    fn reads_an_nvivo_shaped_project() {
        let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" name="Untitled" origin="NVivo for Windows 12.6" creatingUserGUID="f93ad076-5ca1-4f46-abf4-b4b67130a6e2" creationDateTime="2025-02-21T15:09:07Z" basePath="" xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645" name="Coder" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="3c51efbb-071f-43a7-9f32-228b89668e8d" name="Perceived susceptibility" isCodable="true">
        <Code guid="4d62f0cc-182f-44b8-a043-339c90779e9e" name="Personal risk" isCodable="true" />
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="56a79789-d535-4fb8-bedd-a915504c54ba" name="videos_selection" richTextPath="internal://56a79789-d535-4fb8-bedd-a915504c54ba.docx" plainTextPath="internal://56a79789-d535-4fb8-bedd-a915504c54ba.txt" creationDateTime="2025-06-11T16:24:07Z">
      <PlainTextSelection guid="fd960901-8191-4db1-a3dd-a91626d56c4b" name="" startPosition="6" endPosition="17">
        <Coding guid="aa960901-8191-4db1-a3dd-a91626d56c4b">
          <CodeRef targetGUID="4D62F0CC-182F-44B8-A043-339C90779E9E" />
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"#;
        let text = "Line\r\nThe vaccine question came up repeatedly.\r\n";
        let zip = zip_of(&[
            ("project.qde", qde.as_bytes()),
            (
                "Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt",
                text.as_bytes(),
            ),
        ]);
        let p = read_qdpx(&zip).unwrap();
        let ws = &p.workspace;
        assert_eq!(ws.documents[0].meta.title, "videos_selection");
        assert_eq!(
            ws.documents[0].text,
            "Line\nThe vaccine question came up repeatedly.\n"
        );
        let a = &ws.annotations[0];
        assert_eq!(a.anchor.quote, "The vaccine");
        assert_eq!(
            ws.tag_path(a.tags[0]),
            "Perceived susceptibility / Personal risk"
        );
        assert_eq!(ws.tags[0].color, default_tag_color());
        assert!(p.report.skipped.is_empty(), "{:?}", p.report.skipped);
    }

    /// As MAXQDA 2020 writes a project: `origin` first, GUIDs in braces and upper case,
    /// lower-case colours, a comment as a selection with a description and no coding,
    /// variables of other types (an `IntegerValue`), an English `Speaker` variable, a picture.
    #[test]
    fn reads_a_maxqda_shaped_project() {
        let qde = r##"<?xml version="1.0" encoding="utf-8"?>
<Project origin="MAXQDA 2020 (Release 20.4.2)" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" name="New project" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" modifiedDateTime="2020-09-29T11:39:59Z" xmlns="urn:QDA-XML:project:1.0">
 <Users>
  <User guid="2C5846FE-C0B7-4124-9256-794A5742CEBA" name="MAXQDA"/>
 </Users>
 <CodeBook>
  <Codes>
   <Code isCodable="true" name="民生" color="#2364a2" guid="{C4D5E6F7-0819-4A2B-8C3D-4E5F60718293}"/>
  </Codes>
 </CodeBook>
 <Variables>
  <Variable name="Speaker" typeOfVariable="Text" guid="{D5E6F708-192A-4B3C-9D4E-5F6071829304}"/>
  <Variable name="Year" typeOfVariable="Integer" guid="{E6F70819-2A3B-4C4D-AE5F-607182930415}"/>
 </Variables>
 <Sources>
  <TextSource plainTextPath="internal://{A1B2C3D4-0000-4000-8000-000000000001}.txt" richTextPath="internal://{A1B2C3D4-0000-4000-8000-000000000002}.rtf" guid="{A1B2C3D4-0000-4000-8000-000000000003}" name="讲话">
   <PlainTextSelection startPosition="0" endPosition="2" creatingUser="2C5846FE-C0B7-4124-9256-794A5742CEBA" guid="{A1B2C3D4-0000-4000-8000-000000000004}" name="同志">
    <Description>a comment</Description>
   </PlainTextSelection>
   <PlainTextSelection startPosition="4" endPosition="8" creatingUser="2C5846FE-C0B7-4124-9256-794A5742CEBA" guid="{A1B2C3D4-0000-4000-8000-000000000005}">
    <Coding guid="{A1B2C3D4-0000-4000-8000-000000000006}" creatingUser="2C5846FE-C0B7-4124-9256-794A5742CEBA">
     <CodeRef targetGUID="{C4D5E6F7-0819-4A2B-8C3D-4E5F60718293}"/>
    </Coding>
   </PlainTextSelection>
   <VariableValue>
    <VariableRef targetGUID="{D5E6F708-192A-4B3C-9D4E-5F6071829304}"/>
    <TextValue>张三</TextValue>
   </VariableValue>
   <VariableValue>
    <VariableRef targetGUID="{E6F70819-2A3B-4C4D-AE5F-607182930415}"/>
    <IntegerValue>2007</IntegerValue>
   </VariableValue>
  </TextSource>
  <PictureSource path="internal://{A1B2C3D4-0000-4000-8000-000000000007}.jpg" guid="{A1B2C3D4-0000-4000-8000-000000000008}" name="Screenshot"/>
 </Sources>
</Project>"##;
        let zip = zip_of(&[
            ("project.qde", qde.as_bytes()),
            (
                "sources/{A1B2C3D4-0000-4000-8000-000000000001}.txt",
                "同志们：民生工程。".as_bytes(),
            ),
        ]);
        let p = read_qdpx(&zip).unwrap();
        let ws = &p.workspace;
        let d = &ws.documents[0];
        assert_eq!(d.meta.speaker, "张三");
        assert_eq!(d.meta.attribute("Year"), "2007");
        assert_eq!(ws.attributes, ["Year"]);
        assert_eq!(ws.tags[0].color, "#2364A2");
        let anns: Vec<(&str, &str, usize)> = ws
            .annotations
            .iter()
            .map(|a| (a.anchor.quote.as_str(), a.note.as_str(), a.tags.len()))
            .collect();
        assert_eq!(anns, [("同志", "a comment", 0), ("民生工程", "", 1)]);
        assert_eq!(
            p.report.skipped,
            ["1 picture source(s) (Screenshot): Yinwen reads text sources only"]
        );
        assert_eq!(p.report.variables, 2);
    }

    /// A project from `origin` with the text `text` inline and `n` selections of all of it,
    /// each with its own note.
    fn selections_of_one_passage(origin: &str, text: &str, n: usize) -> String {
        let len = text.chars().count();
        let sels: String = (0..n)
            .map(|i| {
                format!(
                    r#"<PlainTextSelection guid="{i:08X}-1111-4222-8333-444444444444" startPosition="0" endPosition="{len}"><Description>n{i}</Description></PlainTextSelection>"#
                )
            })
            .collect();
        format!(
            r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}"><Sources><TextSource guid="AAAAAAAA-1111-4222-8333-444444444444" name="s"><PlainTextContent>{text}</PlainTextContent>{sels}</TextSource></Sources></Project>"#
        )
    }

    #[test]
    fn annotation_text_is_counted_while_selections_are_read() {
        let none = |_: &str| Ok(None);
        // Ten selections of twelve bytes each, notes of two or three bytes: 145 bytes.
        let xml = selections_of_one_passage("Yinwen 0.1", "国国国国", 10);
        let err = read_project_within(&xml, &none, 100).unwrap_err();
        assert!(
            matches!(&err, QdpxError::TooLarge { limit: 100, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("the text of its annotations (notes and passages, counted for each selection) is too large"),
            "{err}"
        );
        let p = read_project_within(&xml, &none, 200).unwrap();
        assert_eq!(p.workspace.annotations.len(), 10);
        // From another tool the ten are one passage with ten notes, kept once each.
        let xml = selections_of_one_passage("QualCoder 3.6", "国国国国", 10);
        let p = read_project_within(&xml, &none, 200).unwrap();
        assert_eq!(p.workspace.annotations.len(), 1);
        let notes: Vec<&str> = p.workspace.annotations[0].note.split("\n\n").collect();
        assert_eq!(notes.len(), 10);
        assert_eq!(notes[9], "n9");
    }

    #[test]
    fn entities_are_never_expanded() {
        let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE Project [ <!ENTITY boom "EXPANDED"> ]>
<Project name="&boom;" xmlns="urn:QDA-XML:project:1.0"><CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="&boom;" isCodable="true" /></Codes></CodeBook></Project>"#;
        assert!(matches!(
            read_qdpx(&zip_of(&[("project.qde", xxe.as_bytes())])),
            Err(QdpxError::NotXml { .. })
        ));
    }

    #[test]
    fn timestamps_are_utc() {
        let at = |secs: u64| {
            utc_timestamp(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        };
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_714_557_600), "2024-05-01T10:00:00Z");
        assert_eq!(at(4_107_542_399), "2100-02-28T23:59:59Z");
        let qde = &project_parts(&sample(), "p", Lang::En, Some(SystemTime::UNIX_EPOCH))[0].1;
        assert!(qde.contains(" creationDateTime=\"1970-01-01T00:00:00Z\">\n  <Users>"));
        let undated = &project_parts(&sample(), "p", Lang::En, None)[0].1;
        assert!(undated.contains("<Note ") && !undated.contains("<Note guid=\"x\""));
        for note in undated.split("<Note ").skip(1) {
            assert!(
                note[..note.find('>').unwrap()]
                    .contains("creationDateTime=\"1980-01-01T00:00:00Z\"")
            );
        }
    }

    #[test]
    fn guids_are_checked() {
        assert!(is_guid("7d8e9f00-1111-4222-9333-444455556666"));
        assert!(is_guid("{5B2FC63A-8AF4-44CB-960C-AEFDCED908D6}"));
        assert!(!is_guid("01"));
        assert!(!is_guid("7d8e9f00-1111-4222-9333-44445555666g"));
        assert!(!is_guid("{7d8e9f00-1111-4222-9333-444455556666"));
    }
}
