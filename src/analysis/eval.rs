//! Detection quality as a number: [`detect`](super::detect) scored against hand-made truth
//! files (`NAME.truth.json` beside `NAME.txt`, the format of `docs/annotation-guide.md`).
//!
//! A truth directive is *found* when a detected directive covers the same quotation (their
//! spans overlap by at least half of the longer one). Recall is found / truth directives;
//! precision is found / detected directives (a detected directive that is a truth term or
//! title, or no quotation at all, is a false positive). Attribution is scored on the found
//! directives, field by field: speaker or source (a name matches when one contains the
//! other, `同志` and spaces ignored), date (ISO, exactly; both empty counts as right), verb
//! (one contains the other). References count the truth 文号 found among the detected
//! references; warnings count truth warnings found with the same kind and an overlapping text.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Detection, Directive};

/// One truth file.
#[derive(Debug, Clone, Deserialize)]
pub struct Truth {
    /// The text file it describes, relative to the truth file's folder.
    pub file: String,
    /// Every outermost quotation pair of the text, in order.
    pub quotes: Vec<TruthQuote>,
    /// Documents cited with a 文号.
    #[serde(default)]
    pub references: Vec<TruthReference>,
    /// Problems of the text.
    #[serde(default)]
    pub warnings: Vec<TruthWarning>,
}

/// One quotation pair as annotated.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthQuote {
    /// Char offset of the quoted text (inside the marks).
    pub start: usize,
    /// Char offset just past it.
    pub end: usize,
    /// `directive`, `term` or `title`.
    pub kind: String,
    /// Who said it, as the text names them.
    #[serde(default)]
    pub speaker: Option<String>,
    /// The document or work quoted.
    #[serde(default)]
    pub source_title: Option<String>,
    /// ISO date of the utterance, as precise as the text.
    #[serde(default)]
    pub date: Option<String>,
    /// The introducing verb as written.
    #[serde(default)]
    pub verb: Option<String>,
}

/// A document cited with its number.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthReference {
    /// Its title, when given.
    #[serde(default)]
    pub title: Option<String>,
    /// The number, normalised to `〔YYYY〕N号`.
    pub doc_number: String,
}

/// A problem of the text.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthWarning {
    /// The warning kind, as [`super::Warning::kind`].
    pub kind: String,
    /// The offending text as it appears.
    pub text: String,
}

/// Counts for one file or the whole set. Ratios are computed by the methods.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    /// Truth directives.
    pub truth_directives: usize,
    /// Detected directives.
    pub detected: usize,
    /// Truth directives found.
    pub found: usize,
    /// Detected directives that are not truth directives.
    pub false_positives: usize,
    /// Found directives whose speaker or source is right.
    pub speaker_or_source_right: usize,
    /// Found directives whose date is right.
    pub date_right: usize,
    /// Found directives whose speaker or source *and* date are right.
    pub attribution_right: usize,
    /// Found directives whose verb is right.
    pub verb_right: usize,
    /// Truth references with a 文号.
    pub truth_references: usize,
    /// Of those, found with the same normalised number.
    pub references_found: usize,
    /// Truth warnings.
    pub truth_warnings: usize,
    /// Of those, found.
    pub warnings_found: usize,
}

/// `a / b`, or 1 when there is nothing to find (`b == 0`).
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl Score {
    /// Found / truth directives (1 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.truth_directives)
    }
    /// Found / detected directives (1 when none were detected).
    pub fn precision(&self) -> f64 {
        ratio(self.detected - self.false_positives, self.detected)
    }
    /// Share of found directives with speaker or source and date right.
    pub fn attribution(&self) -> f64 {
        ratio(self.attribution_right, self.found)
    }
    /// Share of found directives whose speaker or source is right.
    pub fn speaker_or_source(&self) -> f64 {
        ratio(self.speaker_or_source_right, self.found)
    }
    /// Share of found directives whose date is right.
    pub fn date(&self) -> f64 {
        ratio(self.date_right, self.found)
    }

    /// Adds another score's counts to this one.
    pub fn add(&mut self, o: &Score) {
        self.truth_directives += o.truth_directives;
        self.detected += o.detected;
        self.found += o.found;
        self.false_positives += o.false_positives;
        self.speaker_or_source_right += o.speaker_or_source_right;
        self.date_right += o.date_right;
        self.attribution_right += o.attribution_right;
        self.verb_right += o.verb_right;
        self.truth_references += o.truth_references;
        self.references_found += o.references_found;
        self.truth_warnings += o.truth_warnings;
        self.warnings_found += o.warnings_found;
    }
}

/// How far the detector's confidence can be trusted: detected directives in one confidence
/// band, and how many of them are true.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Band {
    /// Lowest confidence of the band (inclusive).
    pub min: f32,
    /// Highest confidence (exclusive, but 1.0 is in the last band).
    pub max: f32,
    /// Detected directives in the band.
    pub detected: usize,
    /// Of those, true directives.
    pub correct: usize,
}

/// One mistake, for reading the detector's weak spots.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Mistake {
    /// `missed`, `false_positive` or `attribution`.
    pub kind: &'static str,
    /// Char offset of the quotation.
    pub start: usize,
    /// The first chars of the quotation.
    pub quote: String,
    /// The 30 chars before it.
    pub before: String,
    /// What the truth says (kind, speaker/source, date, verb).
    pub truth: String,
    /// What was detected.
    pub detected: String,
}

/// The result for one text.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The text file's name.
    pub file: String,
    /// The part of the gold set it belongs to (`dev` or `locked`), when the folder is split.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The kind of text: its file name up to the first `_` (`speech`, `tw`, `news`, …).
    pub kind: String,
    /// Its counts.
    #[serde(flatten)]
    pub score: Score,
    /// Its mistakes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<Mistake>,
}

/// The counts of the texts of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindScore {
    /// The kind (see [`FileReport::kind`]).
    pub kind: String,
    /// How many texts.
    pub files: usize,
    /// Their counts added up.
    #[serde(flatten)]
    pub score: Score,
}

/// One part of a split gold set.
#[derive(Debug, Clone, Serialize)]
pub struct PartReport {
    /// `dev` (rules may be written against it) or `locked` (no rule is tuned on it).
    pub name: String,
    /// Its texts added up.
    pub total: Score,
    /// Per kind of text, by kind.
    pub kinds: Vec<KindScore>,
}

/// The result for a folder.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Per file, by part, then name.
    pub files: Vec<FileReport>,
    /// Added up.
    pub total: Score,
    /// Confidence bands over all detected directives.
    pub calibration: Vec<Band>,
    /// Per part, when the folder is split into `dev/` and `locked/` (locked first).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartReport>,
}

impl Report {
    /// The part named `name`, if the folder is split.
    pub fn part(&self, name: &str) -> Option<&PartReport> {
        self.parts.iter().find(|p| p.name == name)
    }
}

/// The kind of a gold text, from its file name (`tw_ly_2012…` → `tw`).
pub fn kind_of(file: &str) -> String {
    file.split('_').next().unwrap_or(file).to_string()
}

fn kinds_of<'a>(files: impl Iterator<Item = &'a FileReport>) -> Vec<KindScore> {
    let mut by: std::collections::BTreeMap<String, KindScore> = Default::default();
    for f in files {
        let k = by.entry(f.kind.clone()).or_insert_with(|| KindScore {
            kind: f.kind.clone(),
            files: 0,
            score: Score::default(),
        });
        k.files += 1;
        k.score.add(&f.score);
    }
    by.into_values().collect()
}

/// The bands of the calibration table.
const BANDS: [(f32, f32); 5] = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)];

fn band_of(c: f32) -> usize {
    BANDS
        .iter()
        .position(|&(lo, hi)| c >= lo && (c < hi || hi >= 1.0))
        .unwrap_or(0)
}

/// A name without spaces, `同志` or `《》`, for comparing.
fn norm_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '“' | '”'))
        .collect::<String>()
        .replace("同志", "")
}

/// Whether two names denote the same speaker or work: one contains the other.
fn names_match(truth: &str, found: &str) -> bool {
    let (t, f) = (norm_name(truth), norm_name(found));
    !t.is_empty() && !f.is_empty() && (t.contains(&f) || f.contains(&t))
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    let inter = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let longer = (a.1 - a.0).max(b.1 - b.0).max(1);
    inter * 2 >= longer
}

fn describe(d: &Directive) -> String {
    format!(
        "speaker={} source={} date={} verb={} conf={:.2} reason={}",
        d.speaker.as_deref().unwrap_or("-"),
        d.source_title.as_deref().unwrap_or("-"),
        d.date.as_deref().unwrap_or("-"),
        d.verb.as_deref().unwrap_or("-"),
        d.confidence,
        d.attribution_reason.code()
    )
}

fn describe_truth(q: &TruthQuote) -> String {
    format!(
        "{} speaker={} source={} date={} verb={}",
        q.kind,
        q.speaker.as_deref().unwrap_or("-"),
        q.source_title.as_deref().unwrap_or("-"),
        q.date.as_deref().unwrap_or("-"),
        q.verb.as_deref().unwrap_or("-")
    )
}

/// Scores a detection of `text` against its truth; adds each detected directive to `bands`.
pub fn score_text(text: &str, truth: &Truth, det: &Detection, bands: &mut [Band]) -> FileReport {
    let chars: Vec<char> = text.chars().collect();
    let snippet = |from: usize, to: usize| -> String {
        chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .collect::<String>()
            .replace('\n', "¶")
    };
    let mut s = Score {
        truth_directives: truth
            .quotes
            .iter()
            .filter(|q| q.kind == "directive")
            .count(),
        detected: det.directives.len(),
        ..Default::default()
    };
    let mut mistakes = Vec::new();
    for d in &det.directives {
        let matched = truth
            .quotes
            .iter()
            .find(|q| overlap((q.start, q.end), (d.start, d.end)));
        let true_directive = matched.is_some_and(|q| q.kind == "directive");
        let b = &mut bands[band_of(d.confidence)];
        b.detected += 1;
        if true_directive {
            b.correct += 1;
        } else {
            s.false_positives += 1;
            mistakes.push(Mistake {
                kind: "false_positive",
                start: d.start,
                quote: snippet(d.start, d.start + 30),
                before: snippet(d.start.saturating_sub(31), d.start.saturating_sub(1)),
                truth: matched.map_or("no quotation".into(), describe_truth),
                detected: describe(d),
            });
        }
    }
    for q in truth.quotes.iter().filter(|q| q.kind == "directive") {
        let Some(d) = det
            .directives
            .iter()
            .find(|d| overlap((q.start, q.end), (d.start, d.end)))
        else {
            mistakes.push(Mistake {
                kind: "missed",
                start: q.start,
                quote: snippet(q.start, q.start + 30),
                before: snippet(q.start.saturating_sub(31), q.start.saturating_sub(1)),
                truth: describe_truth(q),
                detected: "-".into(),
            });
            continue;
        };
        s.found += 1;
        let who = match (&q.speaker, &q.source_title) {
            (None, None) => d.speaker.is_none() && d.source_title.is_none(),
            (sp, src) => {
                sp.as_deref().is_some_and(|t| {
                    d.speaker.as_deref().is_some_and(|f| names_match(t, f))
                        || d.source_title.as_deref().is_some_and(|f| names_match(t, f))
                }) || src.as_deref().is_some_and(|t| {
                    d.source_title.as_deref().is_some_and(|f| names_match(t, f))
                        || d.speaker.as_deref().is_some_and(|f| names_match(t, f))
                })
            }
        };
        let date = q.date == d.date;
        let verb = match (&q.verb, &d.verb) {
            (None, None) => true,
            (Some(t), Some(f)) => t.contains(f.as_str()) || f.contains(t.as_str()),
            _ => false,
        };
        s.speaker_or_source_right += usize::from(who);
        s.date_right += usize::from(date);
        s.attribution_right += usize::from(who && date);
        s.verb_right += usize::from(verb);
        if !(who && date) {
            mistakes.push(Mistake {
                kind: "attribution",
                start: q.start,
                quote: snippet(q.start, q.start + 30),
                before: snippet(q.start.saturating_sub(31), q.start.saturating_sub(1)),
                truth: describe_truth(q),
                detected: describe(d),
            });
        }
    }
    s.truth_references = truth.references.len();
    s.references_found = truth
        .references
        .iter()
        .filter(|r| {
            det.references
                .iter()
                .any(|f| f.doc_number.as_deref() == Some(r.doc_number.as_str()))
        })
        .count();
    s.truth_warnings = truth.warnings.len();
    s.warnings_found = truth
        .warnings
        .iter()
        .filter(|w| {
            det.warnings
                .iter()
                .any(|f| f.kind == w.kind && (f.text.contains(&w.text) || w.text.contains(&f.text)))
        })
        .count();
    mistakes.sort_by_key(|m| m.start);
    FileReport {
        file: truth.file.clone(),
        part: None,
        kind: kind_of(&truth.file),
        score: s,
        mistakes,
    }
}

/// Why a folder could not be evaluated.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The folder or a file in it could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A truth file is not valid.
    #[error("{}: {message}", path.display())]
    BadTruth {
        /// The truth file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The folder holds no truth files.
    #[error("{}: no *.truth.json files", path.display())]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// The parts of a split gold set, in the order they are reported.
pub const PARTS: [&str; 2] = ["locked", "dev"];

/// Evaluates every `*.truth.json` in `dir` (sorted by name) against its text. A folder split
/// into `locked/` and `dev/` subfolders is evaluated part by part (each also per kind of
/// text), and added up.
pub fn evaluate_dir(dir: &Path) -> Result<Report, EvalError> {
    let split: Vec<(&str, PathBuf)> = PARTS
        .iter()
        .map(|p| (*p, dir.join(p)))
        .filter(|(_, d)| d.is_dir())
        .collect();
    let mut bands: Vec<Band> = BANDS
        .iter()
        .map(|&(min, max)| Band {
            min,
            max,
            ..Default::default()
        })
        .collect();
    let mut files = Vec::new();
    let mut parts = Vec::new();
    if split.is_empty() {
        files = evaluate_files(dir, &mut bands)?;
    } else {
        for (name, d) in split {
            let mut fs = evaluate_files(&d, &mut bands)?;
            let mut total = Score::default();
            for f in &mut fs {
                f.part = Some(name.to_string());
                total.add(&f.score);
            }
            parts.push(PartReport {
                name: name.to_string(),
                total,
                kinds: kinds_of(fs.iter()),
            });
            files.extend(fs);
        }
    }
    let mut total = Score::default();
    for f in &files {
        total.add(&f.score);
    }
    Ok(Report {
        files,
        total,
        calibration: bands,
        parts,
    })
}

/// Scores the texts of one folder (not its subfolders).
fn evaluate_files(dir: &Path, bands: &mut [Band]) -> Result<Vec<FileReport>, EvalError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EvalError::Io { path, source }
    };
    let mut truths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".truth.json"))
        })
        .collect();
    truths.sort();
    if truths.is_empty() {
        return Err(EvalError::Empty {
            path: dir.to_path_buf(),
        });
    }
    let mut files = Vec::new();
    for tp in truths {
        let json = std::fs::read_to_string(&tp).map_err(io(&tp))?;
        let truth: Truth = serde_json::from_str(&json).map_err(|e| EvalError::BadTruth {
            path: tp.clone(),
            message: e.to_string(),
        })?;
        let text_path = dir.join(&truth.file);
        let text = std::fs::read_to_string(&text_path).map_err(io(&text_path))?;
        let n = text.chars().count();
        if let Some(q) = truth.quotes.iter().find(|q| q.start > q.end || q.end > n) {
            return Err(EvalError::BadTruth {
                path: tp,
                message: format!("quote {}–{} lies outside the text", q.start, q.end),
            });
        }
        let det = super::detect(&text);
        files.push(score_text(&text, &truth, &det, bands));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truth(quotes: Vec<TruthQuote>) -> Truth {
        Truth {
            file: "t.txt".into(),
            quotes,
            references: vec![TruthReference {
                title: None,
                doc_number: "国发〔2006〕10号".into(),
            }],
            warnings: vec![],
        }
    }

    fn q(start: usize, end: usize, kind: &str, speaker: Option<&str>) -> TruthQuote {
        TruthQuote {
            start,
            end,
            kind: kind.into(),
            speaker: speaker.map(str::to_owned),
            source_title: None,
            date: None,
            verb: Some("指出".into()),
        }
    }

    #[test]
    fn a_perfect_and_a_wrong_detection_score_as_they_should() {
        let text = "王书记指出：“一定要把社区建设好。”大家都说“三农”重要。国发〔2006〕10号";
        let det = crate::analysis::detect(text);
        let chars: Vec<char> = text.chars().collect();
        let open = chars.iter().position(|&c| c == '“').unwrap();
        let close = chars.iter().position(|&c| c == '”').unwrap();
        let t = truth(vec![
            q(open + 1, close, "directive", Some("王书记")),
            q(close + 6, close + 8, "term", None),
        ]);
        let mut bands = vec![Band::default(); BANDS.len()];
        let r = score_text(text, &t, &det, &mut bands);
        assert_eq!(r.score.found, 1, "{:?}", det.directives);
        assert_eq!(r.score.false_positives, 0);
        assert_eq!(r.score.references_found, 1);
        assert_eq!(r.score.recall(), 1.0);
        // The same quotation annotated as a term: now a false positive, and a miss elsewhere.
        let t = truth(vec![
            q(open + 1, close, "term", None),
            q(close + 6, close + 8, "directive", Some("大家")),
        ]);
        let r = score_text(text, &t, &det, &mut bands);
        assert_eq!((r.score.found, r.score.false_positives), (0, 1));
        assert_eq!(r.score.precision(), 0.0);
        assert_eq!(r.mistakes.len(), 2);
    }

    #[test]
    fn names_match_by_containment() {
        assert!(names_match("习近平", "习近平总书记"));
        assert!(names_match("胡锦涛同志", "胡锦涛"));
        assert!(!names_match("习近平", "毛泽东"));
        assert!(!names_match("", "毛泽东"));
    }
}
