//! Footnotes and endnotes that say where a quotation comes from.
//!
//! Historical and theoretical texts cite in notes: `……”①` in the text and, at the foot of the
//! page or the end of the text, a line `① 毛泽东：《在延安文艺座谈会上的讲话》（1942年5月），
//! 《毛泽东选集》第3卷`. The note names the source (the first `《》` title), often its author
//! (before a colon ahead of the title) and its date (a date in the note). Markers read:
//! circled numbers `①…㊿`, and `[1]`, `［1］`, `〔1〕` in text and at the start of a note line.
//! Numbering may start again on every page, so a marker is resolved to the first note with the
//! same marker *after* it.

use super::dates::{self, DateMatch};
use super::text::{collect, is_cjk, is_ws};

/// One note line: its marker and where its text is.
#[derive(Debug, Clone)]
pub(crate) struct Note {
    marker: String,
    /// Where the note's line starts.
    line: usize,
    /// The note's text after the marker, `start..end`.
    start: usize,
    end: usize,
}

/// What a note says of the quotation it is attached to.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Cited {
    pub author: Option<String>,
    pub title: Option<String>,
    pub date: Option<(String, DateMatch)>,
}

fn circled(c: char) -> bool {
    matches!(c, '①'..='⑳' | '㉑'..='㉟' | '㊱'..='㊿')
}

/// The marker starting at `i` and its length: a circled number, or a number in brackets.
fn marker_at(c: &[char], i: usize) -> Option<(String, usize)> {
    let first = *c.get(i)?;
    if circled(first) {
        return Some((first.to_string(), 1));
    }
    let close = match first {
        '[' => ']',
        '［' => '］',
        '〔' => '〕',
        _ => return None,
    };
    let digits = c[i + 1..]
        .iter()
        .take(4)
        .take_while(|d| d.is_ascii_digit())
        .count();
    if digits == 0 || c.get(i + 1 + digits) != Some(&close) {
        return None;
    }
    let number: String = c[i + 1..i + 1 + digits].iter().collect();
    Some((format!("[{number}]"), digits + 2))
}

/// The note lines of a text, in order.
pub(crate) fn scan(c: &[char]) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut line = 0;
    while line < c.len() {
        let end = c[line..]
            .iter()
            .position(|&ch| ch == '\n')
            .map_or(c.len(), |k| line + k);
        let mut s = line;
        while s < end && is_ws(c[s]) {
            s += 1;
        }
        if let Some((marker, len)) = marker_at(c, s) {
            let mut t = s + len;
            while t < end && is_ws(c[t]) {
                t += 1;
            }
            // A note says something: at least a few chars of text.
            if end > t + 3 {
                notes.push(Note {
                    marker,
                    line,
                    start: t,
                    end,
                });
            }
        }
        line = end + 1;
    }
    notes
}

/// The marker right after a quotation closing at `close` (`”①`, `”。①`, `”[3]`), resolved to
/// the first note with that marker after it, read.
pub(crate) fn cited(c: &[char], notes: &[Note], close: usize) -> Option<Cited> {
    if notes.is_empty() {
        return None;
    }
    let mut i = close + 1;
    if matches!(c.get(i), Some('。' | '，' | '；' | '！' | '？')) && marker_at(c, i + 1).is_some()
    {
        i += 1;
    }
    let (marker, _) = marker_at(c, i)?;
    // Not a note line itself.
    let k = notes.partition_point(|n| n.line <= i);
    let note = notes[k..].iter().find(|n| n.marker == marker)?;
    Some(read(c, note.start, note.end))
}

/// Reads a note: the first `《》` title, the author before a colon ahead of it, the first date.
fn read(c: &[char], a: usize, b: usize) -> Cited {
    let mut out = Cited::default();
    if let Some(book) = super::titles::scan_books(&c[a..b]).into_iter().next() {
        let o = a + book.open;
        out.title = Some(book.title);
        // 毛泽东：《……》, 习近平:《……》 — a short name before a colon.
        let mut k = o;
        while k > a && is_ws(c[k - 1]) {
            k -= 1;
        }
        if k > a && matches!(c[k - 1], '：' | ':') {
            let name_end = k - 1;
            let mut s = name_end;
            while s > a && is_cjk(c[s - 1]) && name_end - s < 8 {
                s -= 1;
            }
            if s == a && (2..=8).contains(&(name_end - s)) {
                out.author = Some(collect(c, s, name_end));
            }
        }
    }
    out.date = (a..b).find_map(|k| {
        if !(c[k].is_ascii_digit() || "〇一二三四五六七八九".contains(c[k])) {
            return None;
        }
        let m = dates::scan_date_at(c, k, None)?;
        (m.iso.is_some() && m.year.is_some()).then(|| (collect(c, k, k + m.len), m))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn a_circled_marker_is_read_from_its_note() {
        let c = chars(
            "他写道：“文艺要为人民服务。”①后来又说。\n\n\
             ① 毛泽东：《在延安文艺座谈会上的讲话》（1942年5月），《毛泽东选集》第3卷。\n",
        );
        let notes = scan(&c);
        assert_eq!(notes.len(), 1);
        let close = c.iter().position(|&x| x == '”').unwrap();
        let got = cited(&c, &notes, close).unwrap();
        assert_eq!(got.author.as_deref(), Some("毛泽东"));
        assert_eq!(got.title.as_deref(), Some("在延安文艺座谈会上的讲话"));
        assert_eq!(got.date.unwrap().1.iso.as_deref(), Some("1942-05"));
    }

    #[test]
    fn numbering_that_starts_again_takes_the_next_note() {
        let c = chars(
            "甲说：“一。”[1]\n[1] 《甲集》，1950年。\n乙说：“二。”[1]\n[1] 《乙集》，1960年。\n",
        );
        let notes = scan(&c);
        let second = c.iter().rposition(|&x| x == '”').unwrap();
        let got = cited(&c, &notes, second).unwrap();
        assert_eq!(got.title.as_deref(), Some("乙集"));
        assert!(got.author.is_none());
    }

    #[test]
    fn no_marker_no_note() {
        let c = chars("他说：“好。”\n① 注文很长的说明。\n");
        let notes = scan(&c);
        let close = c.iter().position(|&x| x == '”').unwrap();
        assert!(cited(&c, &notes, close).is_none());
    }
}
