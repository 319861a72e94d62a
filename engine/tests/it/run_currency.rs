//! A currency field's `currency symbol` reaches the screen for the browser to show.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::run::{CompiledInterview, Engine, SessionState};
use engine::{FileRef, MemSource};

fn first_screen_field(yaml: &str) -> engine::run::Screen {
    let src = MemSource::new();
    let iv = engine::load_str(&src, &FileRef::Path("test.yml".into()), yaml).unwrap();
    let iv = CompiledInterview::new(iv).unwrap();
    let mut st = SessionState::new();
    Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap()
}

#[test]
fn currency_symbol_is_sent_with_the_field() {
    let s = first_screen_field(
        "mandatory: True\nquestion: ${ price } ${ cost }\n---\nquestion: Price?\nfields:\n  - Price: price\n    datatype: currency\n    currency symbol: €\n  - Cost: cost\n    datatype: currency\n",
    );
    assert_eq!(s.fields[0].currency_symbol.as_deref(), Some("€"));
    assert_eq!(s.fields[1].currency_symbol, None);
}
