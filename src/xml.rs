//! Writing XML text: which chars XML 1.0 can hold, and escaping for element content and
//! attribute values. Shared by the Word writer (`export::docx`) and the REFI-QDA codebook
//! writer (`store::qdc`), so both drop and escape exactly the same chars.

/// Whether XML 1.0 can carry this char at all (the `Char` production: tab, line feed,
/// carriage return, and everything from U+0020 but the non-characters U+FFFE and U+FFFF).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `s` escaped for element content: `& < >` as entities, a carriage return as
/// `&#13;` (a parser would turn a literal one into a line feed), chars XML cannot hold
/// dropped.
pub fn push_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Appends `s` escaped for a quoted attribute value (or text that must stay on one line):
/// `& < > " '` as entities; tab, line feed and carriage return as character references when
/// `keep_breaks`, else dropped; chars XML cannot hold dropped.
pub fn push_attr(out: &mut String, s: &str, keep_breaks: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if keep_breaks => out.push_str("&#9;"),
            '\n' if keep_breaks => out.push_str("&#10;"),
            '\r' if keep_breaks => out.push_str("&#13;"),
            '\t' | '\n' | '\r' => {}
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_dropping() {
        let mut t = String::new();
        push_text(&mut t, "a<b>&c\u{1}\r\n\u{FFFE}“引文”");
        assert_eq!(t, "a&lt;b&gt;&amp;c&#13;\n“引文”");
        let mut a = String::new();
        push_attr(&mut a, "\"x\"\t'y'\n\u{0}", true);
        assert_eq!(a, "&quot;x&quot;&#9;&apos;y&apos;&#10;");
        let mut b = String::new();
        push_attr(&mut b, "a\tb\nc", false);
        assert_eq!(b, "abc");
        assert!(is_xml_char('\u{10000}') && !is_xml_char('\u{B}'));
    }
}
