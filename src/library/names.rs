//! File names of a library folder: kept as their exact bytes, shown decoded for people.
//!
//! A folder unzipped from a Windows archive holds names in GBK (`讲话.txt` as the bytes
//! `BD B2 BB B0 …`), which are not UTF-8. Decoded lossily they would all become `����.txt`,
//! collide in the catalog and be indexed as one file. Each file is therefore known by a
//! **key** that never collides:
//! * a name that is valid UTF-8 is its own key (`2023/讲话.txt`);
//! * any other name is keyed by its decoded form for people, a NUL (which no file name can
//!   hold, on any system) and the hex of its exact bytes: `讲话.txt\0bdb2bbb02e747874`.
//!
//! [`display`] gives the name for people (each component decoded as GB18030 when its bytes
//! are valid GBK, else lossily); [`exact_hex`] the bytes when the display name is not exact;
//! [`path_in`] the file's real path.

use std::path::{Component, Path, PathBuf};

/// Separator between a key's display part and its bytes.
const BYTES_MARK: char = '\0';

/// The key of the file at `rel` (relative to its library folder), components joined by `/`.
pub fn key_of(rel: &Path) -> String {
    let parts: Vec<&std::ffi::OsStr> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect();
    let mut display = Vec::with_capacity(parts.len());
    let mut bytes: Vec<u8> = Vec::new();
    let mut exact = true;
    for (i, p) in parts.iter().enumerate() {
        let b = p.as_encoded_bytes();
        if i > 0 {
            bytes.push(b'/');
        }
        bytes.extend_from_slice(b);
        match std::str::from_utf8(b) {
            Ok(s) => display.push(s.to_string()),
            Err(_) => {
                exact = false;
                display.push(for_people(b));
            }
        }
    }
    let display = display.join("/");
    if exact {
        display
    } else {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("{display}{BYTES_MARK}{hex}")
    }
}

/// One name component that is not UTF-8, decoded for people: GB18030 when the bytes are
/// valid GBK/GB18030, else UTF-8 with replacement characters.
fn for_people(b: &[u8]) -> String {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(b)
        .map(|s| s.into_owned())
        .unwrap_or_else(|| String::from_utf8_lossy(b).into_owned())
}

/// The name of `key` as people read it.
pub fn display(key: &str) -> &str {
    key.split_once(BYTES_MARK).map_or(key, |(d, _)| d)
}

/// The exact bytes of `key`'s name, as lowercase hex, when [`display`] is not the exact name.
pub fn exact_hex(key: &str) -> Option<&str> {
    key.split_once(BYTES_MARK).map(|(_, h)| h)
}

/// The exact bytes of `key`'s name.
pub fn exact_bytes(key: &str) -> Vec<u8> {
    match exact_hex(key) {
        None => key.as_bytes().to_vec(),
        Some(h) => h
            .as_bytes()
            .chunks(2)
            .filter_map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
            .collect(),
    }
}

/// The path of the file `key` inside the folder `dir`.
pub fn path_in(dir: &Path, key: &str) -> PathBuf {
    if exact_hex(key).is_none() {
        return dir.join(key);
    }
    let bytes = exact_bytes(key);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        dir.join(std::ffi::OsStr::from_bytes(&bytes))
    }
    #[cfg(not(unix))]
    {
        dir.join(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_are_their_own_keys() {
        let k = key_of(Path::new("2023/讲话.txt"));
        assert_eq!(k, "2023/讲话.txt");
        assert_eq!(display(&k), "2023/讲话.txt");
        assert_eq!(exact_hex(&k), None);
        assert_eq!(
            path_in(Path::new("/lib"), &k),
            Path::new("/lib/2023/讲话.txt")
        );
    }

    #[cfg(unix)]
    #[test]
    fn gbk_names_are_shown_decoded_and_never_collide() {
        use std::os::unix::ffi::OsStrExt;
        let (gbk, _, _) = encoding_rs::GBK.encode("讲话.txt");
        let (gbk2, _, _) = encoding_rs::GBK.encode("报告.txt");
        let p = Path::new(std::ffi::OsStr::from_bytes(&gbk));
        let p2 = Path::new(std::ffi::OsStr::from_bytes(&gbk2));
        let k = key_of(&Path::new("子目录").join(p));
        let k2 = key_of(p2);
        assert_eq!(display(&k), "子目录/讲话.txt");
        assert_eq!(display(&k2), "报告.txt");
        assert_ne!(k, k2);
        // The same display name in UTF-8 is another file.
        assert_ne!(key_of(Path::new("报告.txt")), k2);
        let mut want = "子目录/".as_bytes().to_vec();
        want.extend_from_slice(&gbk);
        assert_eq!(exact_bytes(&k), want);
        assert_eq!(
            path_in(Path::new("/lib"), &k),
            Path::new("/lib").join(std::ffi::OsStr::from_bytes(&want))
        );
        // Bytes that are not GBK either: shown lossily, still distinct.
        let a = key_of(Path::new(std::ffi::OsStr::from_bytes(b"\xff\xfe.txt")));
        let b = key_of(Path::new(std::ffi::OsStr::from_bytes(b"\xff\xfd.txt")));
        assert!(display(&a).contains('\u{FFFD}'));
        assert_ne!(a, b);
    }
}
