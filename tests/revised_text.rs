//! A revised text replacing a document (File → Update text from file…): every annotation of
//! the sample workspace follows its passage, corrected or not, and only those on text that
//! was cut are lost.

use yinwen::model::{Origin, Workspace};
use yinwen::sample::sample_workspace;

/// The sentence the revision adds at the top.
const TOP: &str = "编者按：这是民政部领导同志在长春市社区建设工作会议上的讲话，根据录音整理。\n";

/// Seven damaged years corrected, each by one char (the first occurrence of each `from`).
const YEARS: [(&str, &str); 7] = [
    ("2O05年", "2005年"),
    ("2O06年3月", "2006年3月"),
    ("2O06年10月，", "2006年10月，"),
    ("2O06年10月1", "2006年10月1"),
    ("[2O06]", "[2006]"),
    ("20O7", "2007"),
    ("20xx年2月", "200x年2月"),
];

/// Where the web page's debris (the "related articles" list) starts.
const DEBRIS: &str = "看过市社区建设工作会议讲话的人还看了";

/// Applies the year corrections to `s` (each must be there exactly once).
fn correct(s: &str) -> String {
    let mut s = s.to_string();
    for (from, to) in YEARS {
        s = s.replacen(from, to, 1);
    }
    s
}

#[test]
fn a_revised_sample_speech_loses_only_the_cut_debris() {
    let ws = sample_workspace();
    let doc = ws.documents[0].clone();
    let old = doc.text.as_str();
    for (from, _) in YEARS {
        assert_eq!(old.matches(from).count(), 1, "{from}");
    }
    let cut = old.find(DEBRIS).expect("the sample ends with web debris");
    let new = format!("{TOP}{}", correct(&old[..cut]));
    let shift = TOP.chars().count();
    let cut_at = old[..cut].chars().count();

    let (cmd, orphans, changed) = ws
        .update_text(doc.id, new.clone(), Origin::default())
        .unwrap();
    let mut after: Workspace = ws.clone();
    after.apply(cmd).unwrap();
    let new_chars: Vec<char> = new.chars().collect();

    let mut expect_changed = 0;
    for (was, now) in ws.annotations.iter().zip(&after.annotations) {
        let a = &was.anchor;
        if a.start.0 >= cut_at {
            assert!(now.orphan, "on the cut debris, lost: {:?}", a.quote);
            continue;
        }
        assert!(!now.orphan, "lost: {:?}", a.quote);
        let b = &now.anchor;
        // Exactly where its passage went, with the corrected text.
        assert_eq!(
            b.range(),
            a.start.0 + shift..a.end.0 + shift,
            "{:?}",
            a.quote
        );
        let there: String = new_chars[b.range()].iter().collect();
        assert_eq!(b.quote, there);
        let corrected = correct(&a.quote);
        // A quote that holds a whole damaged year gets the correction; one that only
        // touches a year (the 4-char "2O06") is corrected through the same char.
        let want = if corrected != a.quote {
            corrected
        } else if a.quote == "2O06" {
            "2006".to_string()
        } else {
            a.quote.clone()
        };
        assert_eq!(b.quote, want, "{:?}", a.quote);
        if b.quote != a.quote {
            expect_changed += 1;
            assert_eq!(b.was.as_deref(), Some(a.quote.as_str()));
        } else {
            assert_eq!(b.was, None, "{:?}", a.quote);
        }
    }
    let lost = ws
        .annotations
        .iter()
        .filter(|a| a.anchor.start.0 >= cut_at)
        .count();
    assert_eq!((orphans, changed), (lost, expect_changed));
    assert!(lost >= 1 && expect_changed >= 4);
}

#[test]
fn a_reordered_revision_follows_corrected_passages_to_their_new_place() {
    // The same revision, and the fourth paragraph (with two corrected years and three
    // annotations) moved from the beginning to the end of the speech: beyond any search
    // window around its old place.
    let ws = sample_workspace();
    let doc = ws.documents[0].clone();
    let old = doc.text.as_str();
    let cut = old.find(DEBRIS).unwrap();
    let paras: Vec<&str> = old[..cut].split_inclusive('\n').collect();
    let moved = 3;
    let mut order: Vec<usize> = (0..paras.len()).filter(|&i| i != moved).collect();
    order.push(moved);
    let body: String = order.iter().map(|&i| paras[i]).collect();
    let new = format!("{TOP}{}", correct(&body));
    // Old char offset of each paragraph, and its new one.
    let starts = |list: &[usize], base: usize| -> Vec<(usize, usize)> {
        let mut at = base;
        list.iter()
            .map(|&i| {
                let here = at;
                at += paras[i].chars().count();
                (i, here)
            })
            .collect()
    };
    let all: Vec<usize> = (0..paras.len()).collect();
    let old_starts = starts(&all, 0);
    let new_starts = starts(&order, TOP.chars().count());
    let (cmd, _, _) = ws
        .update_text(doc.id, new.clone(), Origin::default())
        .unwrap();
    let mut after = ws.clone();
    after.apply(cmd).unwrap();
    let mut followed = 0;
    for (was, now) in ws.annotations.iter().zip(&after.annotations) {
        let a = &was.anchor;
        let Some(&(para, ostart)) = old_starts.iter().rev().find(|(_, s)| *s <= a.start.0) else {
            continue;
        };
        if a.start.0 >= old[..cut].chars().count() {
            assert!(now.orphan, "{:?}", a.quote);
            continue;
        }
        assert!(!now.orphan, "lost: {:?}", a.quote);
        let nstart = new_starts.iter().find(|(i, _)| *i == para).unwrap().1;
        let want = nstart + (a.start.0 - ostart);
        assert_eq!(now.anchor.start.0, want, "{:?}", a.quote);
        assert_eq!(now.anchor.len_chars(), a.len_chars(), "{:?}", a.quote);
        if para == moved {
            followed += 1;
            if now.anchor.quote != a.quote {
                assert_eq!(now.anchor.was.as_deref(), Some(a.quote.as_str()));
            }
        }
    }
    assert!(
        followed >= 3,
        "{followed} annotations in the moved paragraph"
    );
}
