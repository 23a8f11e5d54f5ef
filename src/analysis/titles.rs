//! Titles: `《…》` (with nested `〈…〉`) and speech/document titles set in `“”`.

use super::text::{at, ends_at, plen};

/// A `《…》` title; the title text is `open + 1 .. close`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Book {
    pub open: usize,
    pub close: usize,
    pub title: String,
}

/// Longest title searched for a closing `》`.
const MAX_TITLE: usize = 200;

/// All `《…》` titles, outermost only, in order. An unclosed `《` is skipped.
pub(crate) fn scan_books(chars: &[char]) -> Vec<Book> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '《' {
            let mut depth = 0usize;
            let mut j = i + 1;
            let mut found = None;
            while j < chars.len() && j < i + MAX_TITLE {
                match chars[j] {
                    '《' | '〈' => depth += 1,
                    '》' | '〉' if depth > 0 => depth -= 1,
                    '》' => {
                        found = Some(j);
                        break;
                    }
                    '〉' | '\n' => break,
                    _ => {}
                }
                j += 1;
            }
            if let Some(c) = found
                && c > i + 1
            {
                out.push(Book {
                    open: i,
                    close: c,
                    title: chars[i + 1..c].iter().collect(),
                });
                i = c + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

const SPEECH_ENDINGS: &[&str] = &[
    "讲话", "致辞", "发言", "报告", "演讲", "讲演", "贺词", "贺信", "谈话",
];
const DOC_ENDINGS: &[&str] = &[
    "决定", "意见", "通知", "决议", "规定", "办法", "条例", "纲要", "报告", "规划", "方案", "建议",
    "说明", "批复", "通报", "函", "公告", "准则", "纪要",
];

/// Quoted text that is a speech or document title (`在……上的讲话`, `关于……的决定`).
pub(crate) fn is_quoted_title(content: &[char]) -> bool {
    let n = content.len();
    if !(4..=80).contains(&n) {
        return false;
    }
    if content.iter().any(|c| "，。；！？：“”‘’,;!?".contains(*c)) {
        return false;
    }
    let ends = |list: &[&str]| list.iter().any(|e| plen(e) < n && ends_at(content, n, e));
    (at(content, 0, "在") && ends(SPEECH_ENDINGS))
        || (at(content, 0, "关于") && ends(DOC_ENDINGS))
        || ends_at(content, n, "上的讲话")
}

/// For a title like `在……上的讲话`, the occasion `在……上`.
pub(crate) fn occasion_from_title(title: &str) -> Option<String> {
    if !title.starts_with('在') {
        return None;
    }
    let idx = title.rfind("上的")?;
    Some(title[..idx + "上".len()].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn nested_title_kept() {
        let b = scan_books(&chars(
            "审议《关于学习〈胡锦涛文选〉的决定》和《纲要》，《未闭",
        ));
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].title, "关于学习〈胡锦涛文选〉的决定");
        assert_eq!(b[1].title, "纲要");
    }

    #[test]
    fn quoted_titles() {
        assert!(is_quoted_title(&chars(
            "在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话"
        )));
        assert!(is_quoted_title(&chars("关于加强社区建设的意见")));
        assert!(!is_quoted_title(&chars("推进社区建设")));
        assert!(!is_quoted_title(&chars("在实践中，寻找答案的讲话")));
        assert_eq!(
            occasion_from_title("在党的十六届六中全会上的讲话").as_deref(),
            Some("在党的十六届六中全会上")
        );
    }
}
