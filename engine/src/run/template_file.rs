//! Rendering templates read from files (`content file:`): the files were read with the
//! interview (see [`crate::Interview::template_files`]); here they are looked up, joined and
//! rendered as Mako like inline content.

use super::error::RunError;
use super::eval::{Ctx, Eval, Interrupt};
use crate::block::{Python, Text};
use crate::source::FileRef;

impl Ctx<'_> {
    /// The file names given by `content file: {code: …}`: a text, a list of texts or a
    /// `DAList` of them.
    pub(crate) fn file_names(&mut self, p: &Python, file: &str, block: &str) -> Eval<Vec<String>> {
        let v = self.eval_src(&p.source, (file, p.line), block)?;
        let mut cx = self.interp();
        let items = match &v {
            pyeval::Value::Str(_) => vec![v.clone()],
            _ => cx.collect(&v).map_err(|f| super::eval::flow(f, block))?,
        };
        let mut names = Vec::new();
        for item in items {
            names.push(cx.to_str(&item).map_err(|f| super::eval::flow(f, block))?);
        }
        Ok(names)
    }

    /// Joins the template files `names` (as written in `from`) and renders them.
    pub(crate) fn render_template_files(
        &mut self,
        names: &[String],
        from: &FileRef,
        line: u32,
        block: &str,
    ) -> Eval<String> {
        let mut source = String::new();
        for name in names {
            match self.iv.interview.template_file(from, name) {
                Some(text) => source.push_str(text),
                None => {
                    return Err(Interrupt::Error(RunError::Source {
                        file: from.to_string(),
                        line,
                        message: format!("unable to read the content file {}", name.trim()),
                    }));
                }
            }
        }
        let text = Text { source, line };
        self.render(&text, &from.to_string(), block)
    }
}
