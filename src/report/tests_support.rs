//! Small literal workspaces for the report tests.

use std::sync::Arc;

use crate::model::{
    Anchor, AnnId, Annotation, Attribution, CharIndex, DirectiveInfo, DocId, DocMeta, Document,
    Origin, Source, SourceId, Tag, TagId, Verification, VerifyStatus, Workspace,
};

/// Builds a workspace item by item (IDs ascending, so every list stays sorted).
pub(crate) struct WsBuilder {
    pub ws: Workspace,
}

impl WsBuilder {
    pub fn new() -> Self {
        WsBuilder {
            ws: Workspace::new(),
        }
    }

    fn id(&mut self) -> u64 {
        let id = self.ws.next_id.max(1);
        self.ws.next_id = id + 1;
        id
    }

    /// A document with a title, a date, a group and a text.
    pub fn doc(&mut self, title: &str, date: &str, group: &str, text: &str) -> DocId {
        let meta = DocMeta {
            title: title.into(),
            date: date.into(),
            group: group.into(),
            ..Default::default()
        };
        let mut d = Document::new(text.into(), Origin::default(), meta);
        d.id = DocId(self.id());
        let id = d.id;
        self.ws.documents.push(Arc::new(d));
        id
    }

    /// Sets a document attribute.
    pub fn set(&mut self, doc: DocId, name: &str, value: &str) {
        let d = self.ws.documents.iter_mut().find(|d| d.id == doc).unwrap();
        Arc::make_mut(d).meta.set_attribute(name, value);
    }

    /// A tag.
    pub fn tag(&mut self, name: &str, parent: Option<TagId>) -> TagId {
        let id = TagId(self.id());
        self.ws.tags.push(Tag {
            id,
            name: name.into(),
            parent,
            color: "#F2C94C".into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        });
        id
    }

    /// An annotation on chars `range` of a document.
    pub fn annotate(&mut self, doc: DocId, range: std::ops::Range<usize>, tags: &[TagId]) -> AnnId {
        let text = self.ws.document(doc).unwrap().text.clone();
        let id = AnnId(self.id());
        let mut tags = tags.to_vec();
        tags.sort();
        self.ws.annotations.push(Annotation {
            id,
            doc,
            anchor: Anchor::new(&text, &CharIndex::new(&text), range),
            color: "#F2C94C".into(),
            note: String::new(),
            tags,
            orphan: false,
            directive: None,
        });
        id
    }

    /// A directive on the first occurrence of `quote` in the document.
    pub fn directive(&mut self, doc: DocId, quote: &str, speaker: &str) -> AnnId {
        let text = self.ws.document(doc).unwrap().text.clone();
        let at = text.find(quote).expect("the quote is in the text");
        let start = text[..at].chars().count();
        let id = self.annotate(doc, start..start + quote.chars().count(), &[]);
        self.ws.annotations.last_mut().unwrap().directive = Some(DirectiveInfo {
            attribution: Attribution {
                speaker: speaker.into(),
                ..Default::default()
            },
            ..Default::default()
        });
        id
    }

    /// A source with a text.
    pub fn source(&mut self, title: &str, text: &str) -> SourceId {
        let id = SourceId(self.id());
        self.ws.sources.push(Source {
            id,
            title: title.into(),
            text: Some(text.into()),
            ..Default::default()
        });
        id
    }

    /// Links a directive to a source with a verification.
    pub fn verify(
        &mut self,
        ann: AnnId,
        source: SourceId,
        status: VerifyStatus,
        span: (usize, usize),
    ) {
        let a = self
            .ws
            .annotations
            .iter_mut()
            .find(|a| a.id == ann)
            .unwrap();
        let info = a.directive.as_mut().unwrap();
        info.source = Some(source);
        info.source_span = Some(span);
        info.verification = Some(Verification {
            status,
            source,
            span: Some(span),
            similarity: 1.0,
        });
    }
}
