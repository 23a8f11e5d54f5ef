//! Settings kept between runs: recent files, theme, language, text size, first-launch flag.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::i18n::{Language, tr};

/// How many recent files are remembered.
pub const MAX_RECENT: usize = 10;

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// User settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    /// Theme.
    pub theme: Theme,
    /// Interface language; `None` follows the system's.
    pub language: Option<Language>,
    /// Document text size in points.
    pub text_size: f32,
    /// Whether the first-launch offer was answered.
    pub welcomed: bool,
    /// Whether the document list is shown.
    pub show_document_list: bool,
    /// Last export choices.
    pub export: super::export_dialog::ExportChoices,
    /// Window size in points when last closed.
    pub window_size: Option<[f32; 2]>,
    /// Window position in points when last closed (where the platform tells it).
    pub window_pos: Option<[f32; 2]>,
    /// The folders of the source library.
    pub library_folders: Vec<PathBuf>,
    /// Widest text column, in characters of the text size: a wide window keeps a readable
    /// measure, centred.
    pub column_chars: f32,
    /// The name written as the author of comments in Word exports (asked once).
    pub author: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent_files: Vec::new(),
            theme: Theme::System,
            language: None,
            text_size: DEFAULT_TEXT_SIZE,
            welcomed: false,
            show_document_list: true,
            export: Default::default(),
            window_size: None,
            window_pos: None,
            library_folders: Vec::new(),
            column_chars: DEFAULT_COLUMN_CHARS,
            author: String::new(),
        }
    }
}

/// Default widest text column, in characters (about 38 Chinese characters a line, as in a
/// printed 公文 page).
pub const DEFAULT_COLUMN_CHARS: f32 = 38.0;
/// Narrowest and widest text columns, in characters.
pub const COLUMN_CHARS_RANGE: (f32, f32) = (16.0, 120.0);

/// Default document text size.
pub const DEFAULT_TEXT_SIZE: f32 = 18.0;
/// Smallest and largest text sizes.
pub const TEXT_SIZE_RANGE: (f32, f32) = (10.0, 48.0);

impl Settings {
    /// Puts `path` first in the recent list.
    pub fn add_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| p != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(MAX_RECENT);
    }

    /// Where settings live: `$YINWEN_CONFIG_DIR/settings.ron` if set, else the platform's
    /// configuration folder.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("YINWEN_CONFIG_DIR") {
            return Some(PathBuf::from(dir).join("settings.ron"));
        }
        directories::ProjectDirs::from("", "", "yinwen")
            .map(|d| d.config_dir().join("settings.ron"))
    }

    /// Reads settings; a missing file gives defaults, a damaged one an error message and
    /// defaults (the damaged file is kept as it is until the next save).
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        match std::fs::read_to_string(path) {
            Ok(s) => match ron::from_str::<Settings>(&s) {
                Ok(mut st) => {
                    st.text_size = st.text_size.clamp(TEXT_SIZE_RANGE.0, TEXT_SIZE_RANGE.1);
                    (st, None)
                }
                Err(e) => (
                    Settings::default(),
                    Some(tr!("settings.damaged", path = path.display(), error = e)),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Err(e) => (
                Settings::default(),
                Some(tr!("settings.unreadable", path = path.display(), error = e)),
            ),
        }
    }

    /// Writes settings atomically, creating the folder if needed.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let s = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new())
            .map_err(std::io::Error::other)?;
        crate::store::write_atomic(path, s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_and_bounded() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.add_recent(Path::new(&format!("/nonexistent/{i}.txt")));
        }
        s.add_recent(Path::new("/nonexistent/3.txt"));
        assert_eq!(s.recent_files.len(), MAX_RECENT);
        assert_eq!(s.recent_files[0], PathBuf::from("/nonexistent/3.txt"));
        assert_eq!(
            s.recent_files
                .iter()
                .filter(|p| p.ends_with("3.txt"))
                .count(),
            1
        );
    }

    #[test]
    fn save_and_load_round_trip_and_damage_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/settings.ron");
        let s = Settings {
            text_size: 22.0,
            theme: Theme::Dark,
            ..Default::default()
        };
        s.save(&p).unwrap();
        assert_eq!(Settings::load(&p), (s, None));
        std::fs::write(&p, "(theme: Purple").unwrap();
        let (d, msg) = Settings::load(&p);
        assert_eq!(d, Settings::default());
        assert!(msg.unwrap().contains(&p.display().to_string()));
    }

    #[test]
    fn the_language_is_kept_and_old_files_without_it_follow_the_system() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("settings.ron");
        // a settings file written before the language setting existed
        std::fs::write(
            &p,
            "(recent_files: [], theme: Dark, text_size: 20.0, welcomed: true, show_document_list: true)",
        )
        .unwrap();
        let (s, msg) = Settings::load(&p);
        assert_eq!(msg, None);
        assert_eq!(
            (s.theme, s.text_size, s.language),
            (Theme::Dark, 20.0, None)
        );
        let s = Settings {
            language: Some(Language::Chinese),
            ..s
        };
        s.save(&p).unwrap();
        assert!(std::fs::read_to_string(&p).unwrap().contains("Chinese"));
        assert_eq!(Settings::load(&p).0.language, Some(Language::Chinese));
    }
}
