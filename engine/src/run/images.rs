//! The interview's images (`images` and `image sets` blocks): `:name:` in a text draws one
//! (docassemble's emoji markup, `<img class="daicon">`), `decoration: name` sets the question's
//! image, and a screen that shows an image of a set with an `attribution` lists it.

use std::collections::HashMap;

use crate::block::BlockKind;
use crate::interview::Interview;
use crate::source::FileRef;
use crate::text::cache::Icons;
use crate::text::markup::{is_url, package_static_url};

/// One image of an `images` / `image sets` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Its URL (`/packagestatic/PACKAGE/FILE`, or the file as given when it is a URL).
    pub url: String,
    /// Its set's `attribution` (Markdown), if any.
    pub attribution: Option<String>,
}

/// The images of `interview` by name (later blocks win, as docassemble's do).
pub fn images_of(interview: &Interview) -> HashMap<String, Image> {
    let mut out = HashMap::new();
    for block in &interview.blocks {
        let BlockKind::Images(sets) = &block.kind else {
            continue;
        };
        for set in sets {
            for (name, file) in &set.images {
                if let Some(url) = static_url(&block.file, file) {
                    out.insert(
                        name.clone(),
                        Image {
                            url,
                            attribution: set.attribution.clone(),
                        },
                    );
                }
            }
        }
    }
    out
}

/// The `:name:` markup of `images`.
pub fn icons_of(images: &HashMap<String, Image>) -> Icons {
    Icons(
        images
            .iter()
            .map(|(name, img)| {
                let src = crate::text::markup::escape_html(&img.url);
                (
                    name.clone(),
                    format!("<img alt=\"\" class=\"daicon\" src=\"{src}\">"),
                )
            })
            .collect(),
    )
}

/// The URL of image file `file` of a block in `from`: a URL as it is; `package:path` or a
/// name in the block's package's `data/static/`, as `/packagestatic/PACKAGE/PATH`.
fn static_url(from: &FileRef, file: &str) -> Option<String> {
    let file = file.trim();
    if is_url(file) {
        return Some(file.to_string());
    }
    match file.split_once(':') {
        Some((package, path)) => package_static_url(package, path),
        None => match from {
            FileRef::Package { package, .. } => package_static_url(package, file),
            FileRef::Path(_) => None,
        },
    }
}

impl crate::run::eval::Ctx<'_> {
    /// The question's `decoration` (its first item's image, by name), if it names an image.
    pub(super) fn decoration(
        &mut self,
        item: &[(String, crate::block::Text)],
        from: &super::ask::AskFrom<'_>,
    ) -> super::eval::Eval<Option<super::screen::Decoration>> {
        let Some((_, text)) = item.iter().find(|(k, _)| k == "image") else {
            return Ok(None);
        };
        let name = self.render(text, &from.block.file.to_string(), &from.block.name)?;
        let name = name.trim();
        Ok(self
            .iv
            .images
            .get(name)
            .map(|img| super::screen::Decoration {
                name: name.to_string(),
                url: img.url.clone(),
            }))
    }

    /// The attributions of the images with one that `screen` shows, sorted (docassemble lists
    /// them under the question).
    pub(super) fn attributions(&self, screen: &super::screen::Screen) -> Vec<String> {
        if self.iv.images.values().all(|i| i.attribution.is_none()) {
            return Vec::new();
        }
        let shown = serde_json::to_string(screen).unwrap_or_default();
        let mut out: Vec<String> = self
            .iv
            .images
            .values()
            .filter(|i| shown.contains(&i.url))
            .filter_map(|i| i.attribution.as_deref())
            .map(|a| self.iv.to_inline_html(a))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_files_are_package_static_urls() {
        let from = FileRef::Package {
            package: "docassemble.base".into(),
            path: "data/questions/x.yml".into(),
        };
        assert_eq!(
            static_url(&from, "crawling.svg").as_deref(),
            Some("/packagestatic/docassemble.base/crawling.svg")
        );
        assert_eq!(
            static_url(&from, "docassemble.demo:data/static/a/b.png").as_deref(),
            Some("/packagestatic/docassemble.demo/a/b.png")
        );
        assert_eq!(static_url(&from, "../secret").as_deref(), None);
        assert_eq!(
            static_url(&from, "https://x.org/i.png").as_deref(),
            Some("https://x.org/i.png")
        );
    }
}
