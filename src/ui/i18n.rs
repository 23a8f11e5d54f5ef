//! The user interface's language: English or Simplified Chinese.
//!
//! Every string the window shows lives in `locales/en.yml` and `locales/zh-CN.yml`, embedded at
//! compile time by `rust-i18n`. Look one up with [`tr!`]: `tr!("menu.file")`, or with
//! values for its `%{name}` placeholders: `tr!("status.characters", n = 3)`.
//!
//! The language in use is kept per thread, not per process: the app sets it at the start of
//! every frame (and when it is built), and background jobs inherit it from the thread that
//! started them. So UI tests running side by side in one process, each in its own language,
//! cannot change each other's labels.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

/// A language the interface can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// English.
    English,
    /// Simplified Chinese (mainland usage).
    Chinese,
}

impl Language {
    /// Every language, in menu order.
    pub const ALL: [Language; 2] = [Language::English, Language::Chinese];

    /// The locale name of its strings file (`locales/<locale>.yml`).
    pub fn locale(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Chinese => "zh-CN",
        }
    }

    /// Its name in itself, for the language menu ("English", "中文").
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Chinese => "中文",
        }
    }
}

/// The language for a POSIX or BCP 47 locale name: `zh…` is Chinese, anything else
/// (including `C` and an empty name) English.
pub fn language_for_locale(locale: &str) -> Language {
    let lang = locale
        .split(['-', '_', '.', '@'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if lang == "zh" {
        Language::Chinese
    } else {
        Language::English
    }
}

/// The language the operating system asks for (English when it says nothing usable).
pub fn system_language() -> Language {
    sys_locale::get_locale().map_or(Language::English, |l| language_for_locale(&l))
}

/// The language in effect for a choice: the chosen one, or the system's.
pub fn resolve(choice: Option<Language>) -> Language {
    choice.unwrap_or_else(system_language)
}

thread_local! {
    static CURRENT: Cell<Language> = const { Cell::new(Language::English) };
}

/// Sets the language of this thread's lookups.
pub fn set_current(language: Language) {
    CURRENT.with(|c| c.set(language));
}

/// The language of this thread's lookups (English until [`set_current`] is called).
pub fn current() -> Language {
    CURRENT.with(Cell::get)
}

/// Looks up a string in the current thread's language: `tr!("menu.file")`, or
/// `tr!("search.hit_of", i = 1, n = 2)` to fill the string's `%{name}` placeholders (values are
/// formatted with `Display`). Returns a `String`; a key missing from the locale files comes
/// back as the key itself (a test keeps that from happening).
macro_rules! tr {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        ::rust_i18n::t!(
            $key,
            locale = $crate::ui::i18n::current().locale()
            $(, $name = $value)*
        )
        .into_owned()
    };
}
pub(crate) use tr;

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn system_locale_names_map_to_languages() {
        for (name, want) in [
            ("zh_CN.UTF-8", Language::Chinese),
            ("zh-CN", Language::Chinese),
            ("zh-TW", Language::Chinese),
            ("zh_TW.Big5", Language::Chinese),
            ("zh-Hans-CN", Language::Chinese),
            ("ZH", Language::Chinese),
            ("en_US", Language::English),
            ("en-GB.UTF-8", Language::English),
            ("C", Language::English),
            ("POSIX", Language::English),
            ("", Language::English),
            ("fr_FR@euro", Language::English),
        ] {
            assert_eq!(language_for_locale(name), want, "{name:?}");
        }
    }

    #[test]
    fn the_current_language_belongs_to_the_thread() {
        set_current(Language::Chinese);
        assert_eq!(tr!("menu.file"), "文件");
        let other = std::thread::spawn(|| (current(), tr!("menu.file")))
            .join()
            .unwrap();
        assert_eq!(other, (Language::English, "File".to_string()));
        assert_eq!(current(), Language::Chinese);
        set_current(Language::English);
        assert_eq!(tr!("menu.file"), "File");
    }

    #[test]
    fn placeholders_are_filled() {
        set_current(Language::English);
        assert_eq!(tr!("search.hits", n = 2), "2 hits");
        set_current(Language::Chinese);
        assert_eq!(tr!("search.hits", n = 2), "2 处匹配");
        set_current(Language::English);
    }

    /// Every key of a locale file, with its text (without the file's `_version`).
    fn messages(language: Language) -> BTreeMap<String, String> {
        crate::_rust_i18n_backend()
            .messages_for_locale(language.locale())
            .unwrap_or_else(|| panic!("no strings for {}", language.locale()))
            .into_iter()
            .filter(|(k, _)| k != "_version")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The `%{name}` placeholders of a string.
    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split("%{")
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
            .collect()
    }

    /// The keys of every `tr!` call in `src/ui` (its first argument, a string literal).
    fn keys_used() -> BTreeMap<String, String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
        let mut used = BTreeMap::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // spelled in two pieces so that this line is not taken for a lookup
            let call = concat!("tr", "!(");
            let pieces: Vec<&str> = text.split(call).collect();
            for (i, piece) in pieces.iter().enumerate().skip(1) {
                // `include_str!(` and the like end in the same letters: only a whole `tr!`.
                let before = pieces[i - 1].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let piece = piece.trim_start();
                if let Some(rest) = piece.strip_prefix('"')
                    && let Some((key, _)) = rest.split_once('"')
                {
                    used.insert(key.to_string(), format!("{} #{i}", path.display()));
                }
            }
        }
        used
    }

    #[test]
    fn both_languages_have_the_same_keys_and_placeholders() {
        let en = messages(Language::English);
        let zh = messages(Language::Chinese);
        let en_keys: BTreeSet<&String> = en.keys().collect();
        let zh_keys: BTreeSet<&String> = zh.keys().collect();
        assert_eq!(
            en_keys.difference(&zh_keys).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "keys missing from zh-CN.yml"
        );
        assert_eq!(
            zh_keys.difference(&en_keys).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "keys missing from en.yml"
        );
        for (k, v) in &en {
            assert!(!v.trim().is_empty(), "{k} is empty in en.yml");
            assert!(!zh[k].trim().is_empty(), "{k} is empty in zh-CN.yml");
            assert_eq!(
                placeholders(v),
                placeholders(&zh[k]),
                "{k}: the two languages fill different placeholders"
            );
        }
    }

    #[test]
    fn the_bundled_fonts_draw_every_string() {
        for lang in Language::ALL {
            for (k, v) in messages(lang) {
                let missing = crate::ui::fonts::missing_chars(&v);
                assert!(missing.is_empty(), "{k} ({lang:?}) needs {missing:?}");
            }
            assert!(crate::ui::fonts::missing_chars(lang.native_name()).is_empty());
        }
    }

    #[test]
    fn every_key_used_in_the_ui_exists_and_every_key_is_used() {
        let en = messages(Language::English);
        let used = keys_used();
        assert!(used.len() > 100, "found only {} keys in src/ui", used.len());
        let missing: Vec<_> = used.iter().filter(|(k, _)| !en.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "keys not in the locale files: {missing:?}"
        );
        let unused: Vec<_> = en.keys().filter(|k| !used.contains_key(*k)).collect();
        assert!(unused.is_empty(), "keys no code uses: {unused:?}");
    }
}
