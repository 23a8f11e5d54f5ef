//! Line-ending normalisation: the only change made to imported text.

/// Turns every `\r\n` and every lone `\r` into `\n`; nothing else changes.
///
/// Full-width spaces, tabs and trailing spaces are kept, because later
/// stages store byte offsets into the returned text.
pub fn normalize_newlines(s: &str) -> String {
    normalize_newlines_owned(s.to_owned())
}

/// Like [`normalize_newlines`], but reuses the string when it has no `\r`.
pub(crate) fn normalize_newlines_owned(s: String) -> String {
    if !s.as_bytes().contains(&b'\r') {
        return s;
    }
    // Split at each `\r` (a byte search): the pieces are text as it was, never validated
    // again, and the result is allocated once.
    let mut out = String::with_capacity(s.len());
    let mut parts = s.split('\r');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        out.push('\n');
        out.push_str(part.strip_prefix('\n').unwrap_or(part));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(normalize_newlines("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(normalize_newlines("\r\r\n\n\r"), "\n\n\n\n");
        assert_eq!(normalize_newlines("中文\r\n"), "中文\n");
    }

    #[test]
    fn everything_else_is_kept() {
        let s = "\u{3000}\u{3000}同志们：\t \n  尾部空格  ";
        assert_eq!(normalize_newlines(s), s);
        assert_eq!(normalize_newlines(""), "");
    }
}
