//! Untrusted templates never panic: random bytes, damaged real files and random XML with
//! Jinja tags all end in a result or a clear error.

use std::collections::BTreeMap;

use documents::{Options, archive, docx_template, pdf_form, xml};
use proptest::prelude::*;

const RECIPE: &[u8] = include_bytes!("data/recipe_template.docx");
const FORM: &[u8] = include_bytes!("data/sample-form.pdf");

fn damaged(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((0..base.len(), any::<u8>()), 1..12).prop_map(move |edits| {
        let mut b = base.to_vec();
        for (at, byte) in edits {
            b[at] = byte;
        }
        b
    })
}

fn xmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<w:p>".to_string()),
        Just("</w:p>".to_string()),
        Just("<w:r>".to_string()),
        Just("</w:r>".to_string()),
        Just("<w:t>".to_string()),
        Just("</w:t>".to_string()),
        Just("<w:tr>".to_string()),
        Just("</w:tr>".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{%p if x %}".to_string()),
        Just("{%tr for a in b %}".to_string()),
        Just("{% endfor %}".to_string()),
        Just("&amp;".to_string()),
        Just("&#x".to_string()),
        "[a-z {}%<>&;/]{0,6}",
    ];
    proptest::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let ctx = serde_json::json!({});
        prop_assert!(docx_template::fill(&bytes, &ctx, &Options::default()).is_err());
        let _ = pdf_form::fill(&bytes, &BTreeMap::new());
        let _ = archive::read(&bytes, "DOCX");
        let _ = documents::image::decode(&bytes);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&bytes);
        let _ = documents::image::decode(&png);
    }

    #[test]
    fn damaged_docx_templates_do_not_panic(bytes in damaged(RECIPE)) {
        let ctx = serde_json::json!({"title": "t", "ingredients": [], "oven_temperature": 1, "preparation_time": 2});
        let _ = docx_template::fill(&bytes, &ctx, &Options { skip_undefined: true, ..Options::default() });
    }

    #[test]
    fn damaged_pdf_forms_do_not_panic(bytes in damaged(FORM)) {
        let mut values = BTreeMap::new();
        values.insert("Your Name".to_string(), "x".to_string());
        let _ = pdf_form::fill(&bytes, &values);
        let _ = pdf_form::fields(&bytes);
    }

    #[test]
    fn template_xml_does_not_panic(s in xmlish()) {
        let _ = xml::tokenize(&s);
        if let Ok(p) = docx_template::prepare(&s) {
            let _ = documents::jinja::render_xml(&p, &serde_json::json!({"x": 1, "b": [1]}), &Options { skip_undefined: true, ..Options::default() });
        }
    }

    #[test]
    fn markdown_never_panics(s in "[\\PC\\n\\[\\]#*|_-]{0,300}") {
        let meta = documents::Metadata::default();
        for f in documents::Format::ALL {
            let images = documents::image::Images::new();
            let src = documents::Source::Markdown { markdown: &s, meta: &meta, images: &images };
            let made = documents::generate(&src, f);
            prop_assert!(made.is_ok(), "{:?}", made.err());
        }
    }
}
