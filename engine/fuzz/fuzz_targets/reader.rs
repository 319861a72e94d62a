//! Fuzzes the interview reader: `cargo +nightly fuzz run reader` (from engine/).
#![no_main]

use engine::{FileRef, MemSource, load_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let src = MemSource::new().with("inc.yml", "question: included\n");
        let _ = load_str(&src, &FileRef::Path("fuzz.yml".into()), text);
    }
});
