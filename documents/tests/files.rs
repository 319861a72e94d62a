//! The documents crate on real files: PDFs whose text can be extracted, DOCX packages, and
//! templates from docassemble's own examples (tests/data, from docassemble.base's
//! data/templates).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use documents::image::Images;
use documents::{Format, Metadata, Options, Source, archive, generate, pdf_form};
use serde_json::json;

const RECIPE: &[u8] = include_bytes!("data/recipe_template.docx");
const TABLE: &[u8] = include_bytes!("data/table_template.docx");
const DEMO: &[u8] = include_bytes!("data/docx-jinja2-demo.docx");
const FORM: &[u8] = include_bytes!("data/sample-form.pdf");

/// Text as lopdf extracts it, with its extra spaces between text objects taken out.
fn tidy(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    words.join(" ").replace(" ,", ",").replace(" .", ".")
}

fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|p| tidy(&doc.extract_text(&[*p]).unwrap_or_default()))
        .collect()
}

fn markdown(md: &str, f: Format) -> Vec<u8> {
    let meta = Metadata {
        title: Some("A title".into()),
        ..Metadata::default()
    };
    generate(
        &Source::Markdown {
            markdown: md,
            meta: &meta,
            images: &Images::new(),
        },
        f,
    )
    .unwrap()
}

fn part(docx: &[u8], name: &str) -> String {
    archive::read(docx, "DOCX")
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap()
}

#[test]
fn markdown_pdf_has_extractable_text_and_pages() {
    let md = "# Notice to Quit\n\n[BOLDCENTER] Important\n\nDear **Jane**, you owe *money*.\n\n- rent\n- fees\n\n| Item | Amount |\n|---|---|\n| Rent | $500 |\n\n[PAGEBREAK]\n\nSecond page text.";
    let bytes = markdown(md, Format::Pdf);
    let pages = pdf_pages(&bytes);
    assert_eq!(pages.len(), 2, "{pages:?}");
    let first = &pages[0];
    for want in [
        "Notice to Quit",
        "Important",
        "Dear Jane, you owe money.",
        "rent",
        "fees",
        "Rent",
        "$500",
    ] {
        assert!(first.contains(want), "{want:?} not in {first:?}");
    }
    assert!(pages[1].contains("Second page text."));
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|i| i.as_reference())
        .unwrap();
    let title = doc.get_dictionary(info).unwrap().get(b"Title").unwrap();
    assert_eq!(title.as_str().unwrap(), b"A title");
}

#[test]
fn pages_grow_with_content_and_long_paragraphs_wrap() {
    let para =
        "This sentence is long enough to need wrapping across the line more than once, surely. ";
    let one = pdf_pages(&markdown(&para.repeat(3), Format::Pdf));
    assert_eq!(one.len(), 1);
    let many = pdf_pages(&markdown(
        &format!("{}\n\n", para.repeat(5)).repeat(40),
        Format::Pdf,
    ));
    assert!(many.len() >= 5, "{} pages", many.len());
    assert!(many.iter().all(|p| p.contains("sentence")));
}

#[test]
fn markdown_docx_and_rtf() {
    let docx = markdown(
        "Hello **world** & friends\n\n[PAGEBREAK]\n\nMore",
        Format::Docx,
    );
    let doc = part(&docx, "word/document.xml");
    assert!(
        doc.contains("world") && doc.contains("&amp; friends"),
        "{doc}"
    );
    assert!(doc.contains(r#"w:type="page""#));
    assert!(part(&docx, "docProps/core.xml").contains("<dc:title>A title</dc:title>"));
    let rtf = String::from_utf8(markdown("Hello **world**", Format::Rtf)).unwrap();
    assert!(
        rtf.starts_with("{\\rtf1") && rtf.contains("{\\b world}"),
        "{rtf}"
    );
}

#[test]
fn recipe_template_is_filled_with_paragraph_loops() {
    let ctx = json!({
        "title": "Mandelbrot cookies",
        "oven_temperature": "350 degrees",
        "ingredients": ["apple sauce", "chocolate & nuts", "flour", "sugar"],
        "preparation_time": "48 hours",
    });
    let options = Options::default();
    let src = Source::DocxTemplate {
        template: RECIPE,
        context: &ctx,
        options: &options,
    };
    let out = generate(&src, Format::Docx).unwrap();
    let doc = part(&out, "word/document.xml");
    for want in [
        "Mandelbrot cookies",
        "350 degrees",
        "apple sauce",
        "chocolate &amp; nuts",
        "48 hours",
    ] {
        assert!(doc.contains(want), "{want:?} missing");
    }
    assert!(!doc.contains("{%") && !doc.contains("{{"), "tags left");
    // One paragraph per ingredient, and the loop's own paragraphs are gone.
    assert!(!doc.contains("endfor"));
    let pdf = generate(&src, Format::Pdf).unwrap();
    let text = pdf_pages(&pdf).join(" ");
    assert!(
        text.contains("Mandelbrot cookies") && text.contains("flour"),
        "{text}"
    );
}

#[test]
fn template_uses_follow_the_document() {
    let uses: Vec<(String, bool)> = documents::docx_template::uses(RECIPE)
        .unwrap()
        .into_iter()
        .map(|u| (u.expr, u.printed))
        .collect();
    assert_eq!(
        uses,
        vec![
            ("title".to_string(), true),
            ("preparation_time".to_string(), true),
            ("ingredients".to_string(), false),
            ("[item for item in ingredients]".to_string(), false),
            ("oven_temperature".to_string(), true),
        ]
    );
}

#[test]
fn table_rows_repeat() {
    let ctx = json!({"seeds_of_fruit": {"apple": 10, "orange": 0, "pear": 5}});
    let options = Options::default();
    let out = generate(
        &Source::DocxTemplate {
            template: TABLE,
            context: &ctx,
            options: &options,
        },
        Format::Docx,
    )
    .unwrap();
    let doc = part(&out, "word/document.xml");
    for want in [">apple<", ">orange<", ">pear<", ">10<", ">5<"] {
        assert!(doc.contains(want), "{want:?} missing");
    }
    assert!(!doc.contains("{%"));
}

#[test]
fn jinja2_demo_with_objects() {
    let ctx = json!({
        "client": {"__str__": "Jane Doe", "child": {"__str__": "Ann and Bob", "__items__": [
            {"__str__": "Ann"}, {"__str__": "Bob"}]}},
        "fruit_types": ["apple", "pear"],
        "favorite_fruit": {"__str__": "", "__items__": {"apple": true, "pear": false}},
        "sky_is_blue": true,
    });
    let options = Options::default();
    let out = generate(
        &Source::DocxTemplate {
            template: DEMO,
            context: &ctx,
            options: &options,
        },
        Format::Docx,
    )
    .unwrap();
    let doc = part(&out, "word/document.xml");
    for want in ["Jane Doe", "Ann", "Bob", "APPLE"] {
        assert!(doc.contains(want), "{want:?} missing");
    }
    // An undefined name is a clear error naming the part.
    let err = generate(
        &Source::DocxTemplate {
            template: DEMO,
            context: &json!({}),
            options: &options,
        },
        Format::Docx,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("word/document.xml") && err.contains("undefined"),
        "{err}"
    );
}

#[test]
fn pdf_form_fields_are_filled() {
    let before = pdf_form::fields(FORM).unwrap();
    let names: Vec<&str> = before.iter().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"Your Name"), "{names:?}");
    assert!(names.contains(&"Apple Checkbox"), "{names:?}");
    let mut values = BTreeMap::new();
    values.insert("Your Name".to_string(), "Jane Doe".to_string());
    values.insert("Your Organization".to_string(), "Ünïcode Co".to_string());
    values.insert("Apple Checkbox".to_string(), "True".to_string());
    values.insert("Orange Checkbox".to_string(), "False".to_string());
    values.insert("Not A Field".to_string(), "ignored".to_string());
    let out = generate(
        &Source::PdfTemplate {
            template: FORM,
            fields: &values,
            images: &Images::new(),
            editable: true,
        },
        Format::Pdf,
    )
    .unwrap();
    let after = pdf_form::fields(&out).unwrap();
    let get = |n: &str| after.iter().find(|f| f.name == n).cloned().unwrap();
    assert_eq!(get("Your Name").value.as_deref(), Some("Jane Doe"));
    assert_eq!(
        get("Your Organization").value.as_deref(),
        Some("Ünïcode Co")
    );
    let apple = get("Apple Checkbox");
    assert_eq!(
        apple.value.as_deref(),
        apple.on_states.first().map(String::as_str)
    );
    assert_eq!(get("Orange Checkbox").value.as_deref(), Some("Off"));
    assert!(
        generate(
            &Source::PdfTemplate {
                template: FORM,
                fields: &values,
                images: &Images::new(),
                editable: true,
            },
            Format::Docx
        )
        .is_err()
    );
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer
            .write_image_data(&vec![90u8; (w * h * 4) as usize])
            .unwrap();
    }
    out
}

fn images_of_first_page(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let (res, ids) = doc.get_page_resources(page).unwrap();
    let mut names = Vec::new();
    let mut dicts: Vec<lopdf::Dictionary> = res.into_iter().cloned().collect();
    for id in ids {
        dicts.push(doc.get_dictionary(id).unwrap().clone());
    }
    for d in dicts {
        if let Ok(x) = d.get(b"XObject") {
            let x = match x {
                lopdf::Object::Reference(r) => doc.get_dictionary(*r).unwrap().clone(),
                lopdf::Object::Dictionary(d) => d.clone(),
                _ => continue,
            };
            for (k, v) in x.iter() {
                let id = v.as_reference().unwrap();
                let stream = doc.get_object(id).unwrap().as_stream().unwrap();
                if stream.dict.get(b"Subtype").unwrap().as_name().unwrap() == b"Image" {
                    names.push(String::from_utf8_lossy(k).to_string());
                }
            }
        }
    }
    names
}

#[test]
fn images_are_placed_in_pdfs() {
    let mut images = Images::new();
    images.insert("3".into(), png(40, 20));
    let meta = Metadata::default();
    let pdf = generate(
        &Source::Markdown {
            markdown: "Signed:\n\n[FILE 3, 2in, None]\n\n[FILE 9, None, None]\n\nDone.",
            meta: &meta,
            images: &images,
        },
        Format::Pdf,
    )
    .unwrap();
    assert_eq!(images_of_first_page(&pdf), vec!["Im0"]);
    let text = pdf_pages(&pdf).join(" ");
    assert!(text.contains("Signed:") && text.contains("Done."), "{text}");

    let mut values = BTreeMap::new();
    values.insert("Your Name".to_string(), "[FILE 3, None, None]".to_string());
    let out = generate(
        &Source::PdfTemplate {
            template: FORM,
            fields: &values,
            images: &images,
            editable: true,
        },
        Format::Pdf,
    )
    .unwrap();
    assert_eq!(images_of_first_page(&out).len(), 1);
    let after = pdf_form::fields(&out).unwrap();
    let name = after.iter().find(|f| f.name == "Your Name").unwrap();
    assert_ne!(name.value.as_deref(), Some("[FILE 3, None, None]"));
}

#[test]
fn a_form_that_is_not_editable_is_flattened() {
    let mut values = BTreeMap::new();
    values.insert("Your Name".to_string(), "Jane Flat".to_string());
    values.insert("Apple Checkbox".to_string(), "Yes".to_string());
    let out = generate(
        &Source::PdfTemplate {
            template: FORM,
            fields: &values,
            images: &Images::new(),
            editable: false,
        },
        Format::Pdf,
    )
    .unwrap();
    assert!(
        pdf_form::fields(&out).unwrap().is_empty(),
        "no fields are left"
    );
    let doc = lopdf::Document::load_mem(&out).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let annots = doc.get_page_annotations(page).unwrap_or_default();
    assert!(
        annots
            .iter()
            .all(|a| a.get(b"FT").is_err() && a.get(b"Parent").is_err())
    );
    // The value is drawn on the page: its appearance stream is among the page's XObjects.
    let (res, _) = doc.get_page_resources(page).unwrap();
    let xobjects = res.unwrap().get(b"XObject").unwrap().as_dict().unwrap();
    assert!(xobjects.iter().any(|(k, _)| k.starts_with(b"ColloquyFm")));
}

#[test]
fn a_signature_is_placed_in_a_docx_template() {
    let ctx = json!({
        "title": "[FILE 3, 1in, None]",
        "oven_temperature": "[FILE 3, None, None]",
        "ingredients": [],
        "preparation_time": "[FILE 404, None, None]",
    });
    let mut options = Options::default();
    options.images.insert("3".into(), png(40, 20));
    let out = generate(
        &Source::DocxTemplate {
            template: RECIPE,
            context: &ctx,
            options: &options,
        },
        Format::Docx,
    )
    .unwrap();
    let doc = part(&out, "word/document.xml");
    assert_eq!(
        doc.matches("<w:drawing>").count(),
        3,
        "the same picture, three times"
    );
    assert!(doc.contains(r#"r:embed="rIdColloquyImg0""#));
    assert!(!doc.contains("rIdColloquyImg1"), "one file for both");
    assert!(!doc.contains("[FILE"), "a missing image prints nothing");
    // 1in = 914400 EMU wide, half as high.
    assert!(
        doc.contains(r#"<wp:extent cx="914400" cy="457200"/>"#),
        "{doc}"
    );
    assert_eq!(
        doc.matches("<w:r>").count() + doc.matches("<w:r ").count(),
        doc.matches("</w:r>").count()
    );
    let rels = part(&out, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Id="rIdColloquyImg0""#) && rels.contains("media/colloquy0.png"));
    assert!(part(&out, "[Content_Types].xml").contains(r#"Extension="png""#));
    let media = archive::read(&out, "DOCX").unwrap();
    assert!(
        media
            .iter()
            .any(|(n, b)| n == "word/media/colloquy0.png" && b.starts_with(b"\x89PNG"))
    );
}
