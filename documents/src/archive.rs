//! Zip archives: DOCX packages and the `_download_attachments` bundle. Reading is bounded
//! (entry count and unpacked size) because templates and uploads are untrusted.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;

use crate::error::DocumentError;

/// The most entries an archive may have.
const MAX_ENTRIES: usize = 5_000;
/// The most bytes an archive may unpack to.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;

/// The entries of the zip `bytes`, in order (name, bytes).
///
/// # Errors
/// Not a zip, too many entries, too large unpacked, or a damaged entry.
pub fn read(bytes: &[u8], kind: &'static str) -> Result<Vec<(String, Vec<u8>)>, DocumentError> {
    let bad = |reason: String| DocumentError::BadFile { kind, reason };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bad(format!("it has {} entries", zip.len())));
    }
    let mut total = 0u64;
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        let mut data = Vec::new();
        let left = MAX_UNPACKED - total;
        (&mut f)
            .take(left + 1)
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        total += data.len() as u64;
        if total > MAX_UNPACKED {
            return Err(bad("it unpacks to more than 200 MB".into()));
        }
        out.push((name, data));
    }
    Ok(out)
}

/// A zip of `entries` (name, bytes), deflated.
///
/// # Errors
/// Only if the zip writer fails (it writes to memory).
pub fn write(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, DocumentError> {
    let err = |e: String| DocumentError::Write {
        format: "zip",
        reason: e,
    };
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(name.as_str(), opts)
            .map_err(|e| err(e.to_string()))?;
        zip.write_all(data).map_err(|e| err(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| err(e.to_string()))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let z = write(&[
            ("a.txt".into(), b"hello".to_vec()),
            ("b/c.xml".into(), b"<x/>".to_vec()),
        ])
        .unwrap();
        let back = read(&z, "zip").unwrap();
        assert_eq!(back[0], ("a.txt".to_string(), b"hello".to_vec()));
        assert_eq!(back[1].0, "b/c.xml");
        assert!(read(b"not a zip", "DOCX").is_err());
    }
}
