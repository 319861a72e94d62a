//! docassemble's Mako subset, compiled to Python.
//!
//! A template becomes one Python function whose body prints the text pieces and the `${ }`
//! values (`print(x, end='')`, i.e. `str(x)`, Mako's default filter in docassemble) and whose
//! control lines become Python statements. Running it in `pyeval` gives exact Python semantics
//! for conditions, loops (a loop over a `DAList` triggers gathering) and `<% %>` code, keeps the
//! template's own names (loop variables, `<% x = 1 %>`) local as Mako does, and makes an
//! undefined name stop rendering with the same "needs variable" signal as any other code.
//!
//! Supported: `${ expr }`, control lines (`% if/elif/else/endif`, `% for/endfor`,
//! `% while/endwhile`, `% try/except/finally/endtry`), `%%` for a literal `%` at the start of a
//! line, `\` at the end of a line to join it with the next, `<% code %>` and `<%! code %>`,
//! `<%doc>…</%doc>`, `<%text>…</%text>` and `<%def name="f(args)">…</%def>`. As in docassemble's
//! vendored Mako, `##` is *not* a comment: the line is kept (it usually becomes a Markdown
//! heading). `${ x | filter }` filters and the inheritance tags (`<%inherit>`, `<%block>`,
//! `<%include>`, `<%namespace>`) are rejected with a clear error.

use std::fmt::Write as _;

use thiserror::Error;

/// The name of the generated render function (removed from the namespace after each run).
pub const RENDER_FN: &str = "_colloquy_mako_render";

/// A template that failed to compile.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {message}")]
pub struct MakoError {
    /// 1-based line within the template text.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

/// Does `text` contain Mako syntax? (docassemble's test: `<%`, `${`, `% if`, `% for`,
/// `% while` or `##`; anything else is used as it is.)
pub fn is_template(text: &str) -> bool {
    text.contains("<%")
        || text.contains("${")
        || text.contains("##")
        || text.lines().any(|l| {
            let t = l.trim_start();
            t.starts_with('%') && !t.starts_with("%%")
        })
}

/// The Python program for a template, with a map from its lines back to the template's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MakoProgram {
    /// Python source: `def _colloquy_mako_render(): …` followed by a call of it.
    pub source: String,
    /// `line_map[n]` is the template line (1-based) of Python line `n + 1`.
    pub line_map: Vec<u32>,
}

impl MakoProgram {
    /// The template line of a 1-based line of the generated Python.
    pub fn template_line(&self, python_line: u32) -> u32 {
        let idx = python_line.saturating_sub(1) as usize;
        self.line_map
            .get(idx)
            .or_else(|| self.line_map.last())
            .copied()
            .unwrap_or(1)
    }
}

/// Compiles a template into a Python program.
pub fn compile(text: &str) -> Result<MakoProgram, MakoError> {
    let mut w = Writer::new();
    w.line(0, &format!("def {RENDER_FN}():"));
    w.indent = 1;
    w.line(0, "pass");
    // Mako's `<% return STOP_RENDERING %>` ends the template there (the text so far is kept).
    if text.contains("STOP_RENDERING") {
        w.line(0, "STOP_RENDERING = ''");
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut p = Parser {
        src: text,
        pos: 0,
        line: 1,
    };
    let mut text_buf = String::new();
    let mut text_line = 1u32;
    let loops = text.contains("loop.");
    while p.pos < p.src.len() {
        if p.at_line_start() {
            if let Some(ctl) = p.control_line() {
                flush_text(&mut w, &mut text_buf, text_line);
                control(&mut w, &mut stack, ctl, loops)?;
                text_line = p.line;
                continue;
            }
            // `%%` at the start of a line is a literal `%`.
            let rest = &p.src[p.pos..];
            let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if rest[indent..].starts_with("%%") {
                if text_buf.is_empty() {
                    text_line = p.line;
                }
                text_buf.push_str(&rest[..indent]);
                text_buf.push('%');
                p.advance(indent + 2);
                continue;
            }
        }
        let rest = &p.src[p.pos..];
        if rest.starts_with("${") {
            flush_text(&mut w, &mut text_buf, text_line);
            let line = p.line;
            let expr = p.expression()?;
            let expr = loop_vars(&expr, loop_depth(&stack, loops));
            w.line(line, &format!("print({expr}, end='')"));
            text_line = p.line;
        } else if rest.starts_with("<%") {
            flush_text(&mut w, &mut text_buf, text_line);
            tag(&mut w, &mut p, &mut stack, loops)?;
            text_line = p.line;
        } else if rest.starts_with("</%def>") {
            flush_text(&mut w, &mut text_buf, text_line);
            match stack.pop() {
                Some(Open::Def) => {
                    w.line(p.line, "return ''");
                    w.indent -= 1;
                }
                _ => return Err(p.error("`</%def>` without a matching `<%def>`")),
            }
            p.advance("</%def>".len());
            text_line = p.line;
        } else if rest.starts_with("\\\n") {
            // A trailing backslash joins the line with the next one.
            p.advance(2);
        } else if rest.starts_with("\\\r\n") {
            p.advance(3);
        } else {
            let ch = rest.chars().next().unwrap_or('\0');
            if text_buf.is_empty() {
                text_line = p.line;
            }
            text_buf.push(ch);
            p.advance(ch.len_utf8());
        }
    }
    flush_text(&mut w, &mut text_buf, text_line);
    if let Some(open) = stack.last() {
        return Err(MakoError {
            line: p.line,
            message: format!("`{}` is never closed", open.describe()),
        });
    }
    w.indent = 0;
    w.line(p.line, &format!("{RENDER_FN}()"));
    Ok(MakoProgram {
        source: w.out,
        line_map: w.map,
    })
}

/// What a control line or tag opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Control(&'static str),
    Def,
}

impl Open {
    fn describe(self) -> String {
        match self {
            Open::Control(kw) => format!("% {kw}"),
            Open::Def => "<%def>".to_string(),
        }
    }
}

/// A control line: the text after `%`, without the newline.
struct ControlLine<'a> {
    text: &'a str,
    line: u32,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
}

impl<'a> Parser<'a> {
    fn at_line_start(&self) -> bool {
        self.pos == 0 || self.src.as_bytes().get(self.pos - 1) == Some(&b'\n')
    }

    fn advance(&mut self, n: usize) {
        let end = (self.pos + n).min(self.src.len());
        self.line += self.src[self.pos..end].matches('\n').count() as u32;
        self.pos = end;
    }

    fn error(&self, message: impl Into<String>) -> MakoError {
        MakoError {
            line: self.line,
            message: message.into(),
        }
    }

    /// At the start of a line: a control line (`% …`) or an escaped `%%`.
    fn control_line(&mut self) -> Option<ControlLine<'a>> {
        let rest = &self.src[self.pos..];
        let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = &rest[indent..];
        // `%%` at the start of a line is literal text, handled by `compile`.
        if !after.starts_with('%') || after.starts_with("%%") {
            return None;
        }
        // The control line runs to the end of the line; `\` continues it.
        let mut end = indent + 1;
        let bytes = rest.as_bytes();
        while end < rest.len() {
            if bytes[end] == b'\n' {
                if end > 0 && bytes[end - 1] == b'\\' {
                    end += 1;
                    continue;
                }
                break;
            }
            end += 1;
        }
        let text = rest[indent + 1..end].trim_end_matches('\r');
        let line = self.line;
        let consumed = if end < rest.len() { end + 1 } else { end };
        self.advance(consumed);
        Some(ControlLine { text, line })
    }

    /// `${ expr }` at the cursor: returns the expression source.
    fn expression(&mut self) -> Result<String, MakoError> {
        let start_line = self.line;
        let body_start = self.pos + 2;
        let end = find_closing_brace(self.src, body_start).ok_or_else(|| MakoError {
            line: start_line,
            message: "`${` is never closed with `}`".to_string(),
        })?;
        let expr = self.src[body_start..end].trim();
        if expr.is_empty() {
            return Err(self.error("empty `${ }` expression"));
        }
        if has_filter(expr) {
            return Err(self.error(format!(
                "Mako filters (`${{ {expr} }}`) are not supported; call a function instead"
            )));
        }
        let expr = expr.replace('\n', " ");
        self.advance(end + 1 - self.pos);
        Ok(format!("({expr})"))
    }
}

/// Finds the `}` that closes a `${` whose body starts at `from`, skipping nested brackets and
/// string literals.
fn find_closing_brace(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            q @ (b'\'' | b'"') => {
                let triple = bytes.get(i + 1) == Some(&q) && bytes.get(i + 2) == Some(&q);
                if triple {
                    i += 3;
                    while i + 2 < bytes.len()
                        && !(bytes[i] == q && bytes[i + 1] == q && bytes[i + 2] == q)
                    {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 2;
                } else {
                    i += 1;
                    while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Mako's `${ x | h }` filter syntax: a top-level `|` followed by filter names only.
fn has_filter(expr: &str) -> bool {
    let Some(pos) = top_level_pipe(expr) else {
        return false;
    };
    let tail = expr[pos + 1..].trim();
    !tail.is_empty()
        && tail
            .split(',')
            .all(|f| matches!(f.trim(), "h" | "u" | "x" | "n" | "trim" | "str" | "unicode"))
}

fn top_level_pipe(expr: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in expr.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                '|' if depth == 0 => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// How many `% for` loops enclose the current point (0 when the template never uses `loop`).
fn loop_depth(stack: &[Open], loops: bool) -> usize {
    if !loops {
        return 0;
    }
    stack
        .iter()
        .filter(|o| matches!(o, Open::Control("for")))
        .count()
}

/// The Python names of Mako's loop context at nesting level `level` (1 = outermost).
fn loop_seq(level: usize) -> String {
    format!("_colloquy_loop{level}_seq")
}

fn loop_index(level: usize) -> String {
    format!("_colloquy_loop{level}_index")
}

/// Rewrites Mako's `loop.index`, `loop.first`, `loop.parent.last`, `loop.cycle(…)`, … in
/// `code` (outside string literals) into the variables the enclosing `% for` loops keep.
/// Other uses of a name `loop` are left alone (it may be an interview variable).
fn loop_vars(code: &str, depth: usize) -> String {
    if depth == 0 || !code.contains("loop.") {
        return code.to_string();
    }
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    let ident_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\'' || b == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            out.push_str(&code[start..i]);
            continue;
        }
        let boundary = i == 0 || !(ident_char(bytes[i - 1]) || bytes[i - 1] == b'.');
        if boundary && code[i..].starts_with("loop.") {
            let mut j = i + "loop.".len();
            let mut level = depth;
            let mut attr;
            loop {
                let start = j;
                while j < bytes.len() && ident_char(bytes[j]) {
                    j += 1;
                }
                attr = &code[start..j];
                if attr == "parent" && code[j..].starts_with('.') && level > 1 {
                    level -= 1;
                    j += 1;
                    continue;
                }
                break;
            }
            let (index, seq) = (loop_index(level), loop_seq(level));
            let replacement = match attr {
                "index" => index,
                "reverse_index" => format!("(len({seq}) - 1 - {index})"),
                "first" => format!("({index} == 0)"),
                "last" => format!("({index} == len({seq}) - 1)"),
                "even" => format!("({index} % 2 == 0)"),
                "odd" => format!("({index} % 2 == 1)"),
                "cycle" => format!(
                    "(lambda *_colloquy_values: _colloquy_values[{index} % len(_colloquy_values)])"
                ),
                _ => {
                    out.push_str("loop.");
                    i += "loop.".len();
                    continue;
                }
            };
            out.push_str(&replacement);
            i = j;
            continue;
        }
        let ch = code[i..].chars().next().unwrap_or('\0');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The Python for a `% for target in iterable:` line when the template uses `loop`: the
/// iterable is listed once so that `loop.last` and `loop.reverse_index` know its length.
fn for_with_loop(text: &str, level: usize) -> Option<(String, String)> {
    let head = text.strip_prefix("for")?.strip_suffix(':')?;
    let sep = head.find(" in ")?;
    let target = head[..sep].trim();
    let iterable = loop_vars(head[sep + 4..].trim(), level - 1);
    Some((
        format!("{} = list({iterable})", loop_seq(level)),
        format!(
            "for {}, ({target}) in enumerate({}):",
            loop_index(level),
            loop_seq(level)
        ),
    ))
}

/// Emits the statement for a control line and tracks what it opened or closed.
fn control(
    w: &mut Writer,
    stack: &mut Vec<Open>,
    ctl: ControlLine<'_>,
    loops: bool,
) -> Result<(), MakoError> {
    let text = ctl.text.replace("\\\n", " ");
    let text = loop_vars(text.trim(), loop_depth(stack, loops));
    let text = text.as_str();
    let err = |message: String| MakoError {
        line: ctl.line,
        message,
    };
    let keyword: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if let Some(kw) = keyword.strip_prefix("end") {
        let expected = match kw {
            "if" | "for" | "while" | "try" => kw,
            _ => return Err(err(format!("unknown control line `% {text}`"))),
        };
        match stack.pop() {
            Some(Open::Control(open)) if open == expected => {
                w.indent -= 1;
                Ok(())
            }
            Some(open) => Err(err(format!(
                "`% {text}` closes `{}`, which is still open",
                open.describe()
            ))),
            None => Err(err(format!("`% {text}` without a matching `% {expected}`"))),
        }
    } else {
        let opener: Option<&'static str> = match keyword.as_str() {
            "if" => Some("if"),
            "for" => Some("for"),
            "while" => Some("while"),
            "try" => Some("try"),
            _ => None,
        };
        let continuation: Option<&[&str]> = match keyword.as_str() {
            "elif" | "else" => Some(&["if", "for", "while", "try"]),
            "except" | "finally" => Some(&["try"]),
            _ => None,
        };
        if !text.ends_with(':') {
            return Err(err(format!(
                "control line `% {text}` must end with `:` (or be an `% end…` line)"
            )));
        }
        if let Some(kw) = opener {
            let with_loop = (loops && kw == "for")
                .then(|| for_with_loop(ctl.text.trim(), loop_depth(stack, loops) + 1))
                .flatten();
            match with_loop {
                Some((list, head)) => {
                    w.line(ctl.line, &list);
                    w.line(ctl.line, &head);
                }
                None => w.line(ctl.line, text),
            }
            w.indent += 1;
            w.line(ctl.line, "pass");
            stack.push(Open::Control(kw));
            Ok(())
        } else if let Some(allowed) = continuation {
            match stack.last() {
                Some(Open::Control(open)) if allowed.contains(open) => {
                    w.indent -= 1;
                    w.line(ctl.line, text);
                    w.indent += 1;
                    w.line(ctl.line, "pass");
                    Ok(())
                }
                _ => Err(err(format!(
                    "`% {keyword}` outside of a matching `% if`, `% for`, `% while` or `% try`"
                ))),
            }
        } else {
            Err(err(format!("unknown control line `% {text}`")))
        }
    }
}

/// `<%…` at the cursor.
fn tag(
    w: &mut Writer,
    p: &mut Parser<'_>,
    stack: &mut Vec<Open>,
    loops: bool,
) -> Result<(), MakoError> {
    let rest = &p.src[p.pos..];
    let line = p.line;
    if let Some(body) = rest.strip_prefix("<%doc>") {
        let end = body
            .find("</%doc>")
            .ok_or_else(|| p.error("`<%doc>` is never closed"))?;
        p.advance("<%doc>".len() + end + "</%doc>".len());
        return Ok(());
    }
    if let Some(body) = rest.strip_prefix("<%text>") {
        let end = body
            .find("</%text>")
            .ok_or_else(|| p.error("`<%text>` is never closed"))?;
        let raw = &body[..end];
        w.line(line, &format!("print({}, end='')", py_str(raw)));
        p.advance("<%text>".len() + end + "</%text>".len());
        return Ok(());
    }
    if rest.starts_with("<%def") {
        let close = rest
            .find('>')
            .ok_or_else(|| p.error("`<%def` tag is never closed with `>`"))?;
        let head = &rest[..close];
        let name = attr_value(head, "name")
            .ok_or_else(|| p.error("`<%def>` needs a name=\"f(args)\" attribute"))?;
        if !name.contains('(') {
            return Err(p.error(format!("`<%def name=\"{name}\">` needs an argument list")));
        }
        w.line(line, &format!("def {name}:"));
        w.indent += 1;
        w.line(line, "pass");
        stack.push(Open::Def);
        p.advance(close + 1);
        return Ok(());
    }
    for unsupported in [
        "<%inherit",
        "<%block",
        "<%include",
        "<%namespace",
        "<%call",
        "<%page",
    ] {
        if rest.starts_with(unsupported) {
            return Err(p.error(format!(
                "the Mako tag `{unsupported}>` is not supported in interview text"
            )));
        }
    }
    let open_len = if rest.starts_with("<%!") { 3 } else { 2 };
    let body = &rest[open_len..];
    let end = body
        .find("%>")
        .ok_or_else(|| p.error("`<%` is never closed with `%>`"))?;
    let code = loop_vars(&dedent(&body[..end]), loop_depth(stack, loops));
    for (i, code_line) in code.lines().enumerate() {
        if code_line.trim().is_empty() {
            continue;
        }
        w.line(line + i as u32, code_line);
    }
    p.advance(open_len + end + 2);
    Ok(())
}

/// `name="value"` inside a tag head.
fn attr_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=");
    let start = head.find(&key)? + key.len();
    let rest = &head[start..];
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let end = rest[1..].find(quote)?;
    Some(&rest[1..1 + end])
}

/// Removes the common leading whitespace of the non-blank lines (Python's `textwrap.dedent`).
fn dedent(code: &str) -> String {
    let indent = code
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    code.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes pending literal text as one `print`.
fn flush_text(w: &mut Writer, buf: &mut String, line: u32) {
    if buf.is_empty() {
        return;
    }
    w.line(line, &format!("print({}, end='')", py_str(buf)));
    buf.clear();
}

/// A Python string literal for `s`.
pub(crate) fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Accumulates indented Python lines and their template line numbers.
struct Writer {
    out: String,
    map: Vec<u32>,
    indent: usize,
}

impl Writer {
    fn new() -> Self {
        Writer {
            out: String::new(),
            map: Vec::new(),
            indent: 0,
        }
    }

    fn line(&mut self, template_line: u32, code: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(code);
        self.out.push('\n');
        self.map.push(template_line.max(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> String {
        let prog = compile(text).unwrap();
        // Drop the def line, the initial pass and the final call.
        let lines: Vec<&str> = prog.source.lines().collect();
        lines[2..lines.len() - 1]
            .iter()
            .map(|l| l.strip_prefix("    ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn plain_text_and_expressions() {
        assert_eq!(
            body("Hello, ${ user.name }!"),
            "print('Hello, ', end='')\nprint((user.name), end='')\nprint('!', end='')"
        );
    }

    #[test]
    fn detects_templates_like_docassemble() {
        assert!(is_template("Hi ${ x }"));
        assert!(is_template("% if x:\na\n% endif"));
        assert!(is_template("## heading"));
        assert!(is_template("<% y = 1 %>"));
        assert!(!is_template("Plain text, 100% sure."));
        assert!(!is_template("%% literal"));
    }

    #[test]
    fn control_lines_drop_their_newline() {
        let src = "Start\n% if a > 1:\nbig\n% elif a == 1:\none\n% else:\nsmall\n% endif\nEnd";
        assert_eq!(
            body(src),
            "print('Start\\n', end='')\nif a > 1:\n    pass\n    print('big\\n', end='')\n\
             elif a == 1:\n    pass\n    print('one\\n', end='')\nelse:\n    pass\n    \
             print('small\\n', end='')\nprint('End', end='')"
        );
    }

    #[test]
    fn for_loops_and_nesting() {
        let src = "% for p in people:\n% if p.age > 1:\n* ${ p }\n% endif\n% endfor\n";
        assert_eq!(
            body(src),
            "for p in people:\n    pass\n    if p.age > 1:\n        pass\n        \
             print('* ', end='')\n        print((p), end='')\n        print('\\n', end='')"
        );
    }

    #[test]
    fn expressions_may_contain_braces_and_strings() {
        assert_eq!(
            body("${ {'a': '}'}['a'] }"),
            "print(({'a': '}'}['a']), end='')"
        );
        assert_eq!(body("${ f\"{x}\" }"), "print((f\"{x}\"), end='')");
    }

    #[test]
    fn double_percent_is_a_literal_percent_and_hashes_are_kept() {
        assert_eq!(body("%% off\n"), "print('% off\\n', end='')");
        assert_eq!(
            body("## Heading ${ x }"),
            "print('## Heading ', end='')\nprint((x), end='')"
        );
    }

    #[test]
    fn backslash_newline_joins_lines() {
        assert_eq!(body("one \\\ntwo"), "print('one two', end='')");
    }

    #[test]
    fn code_blocks_are_dedented() {
        assert_eq!(
            body("<%\n  x = 1\n  if x:\n      y = 2\n%>${ y }"),
            "x = 1\nif x:\n    y = 2\nprint((y), end='')"
        );
    }

    #[test]
    fn doc_and_text_tags() {
        assert_eq!(
            body("a<%doc>hidden ${x}</%doc>b"),
            "print('a', end='')\nprint('b', end='')"
        );
        assert_eq!(body("<%text>${ raw }</%text>"), "print('${ raw }', end='')");
    }

    #[test]
    fn defs_become_functions_that_print() {
        assert_eq!(
            body("<%def name=\"greet(n)\">Hi ${ n }</%def>${ greet('A') }"),
            "def greet(n):\n    pass\n    print('Hi ', end='')\n    print((n), end='')\n    \
             return ''\nprint((greet('A')), end='')"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = compile("a\n% if x:\nb\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = compile("a\n\n% endif\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = compile("${ x").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = compile("% if x\n% endif").unwrap_err();
        assert!(e.message.contains("must end with"), "{e}");
        let e = compile("% for x in y:\n% endif").unwrap_err();
        assert!(e.message.contains("still open"), "{e}");
        let e = compile("${ x | h }").unwrap_err();
        assert!(e.message.contains("filters"), "{e}");
        let e = compile("<%include file=\"x\"/>").unwrap_err();
        assert!(e.message.contains("not supported"), "{e}");
    }

    #[test]
    fn bitwise_or_is_not_a_filter() {
        assert!(compile("${ a | b }").is_ok());
    }

    #[test]
    fn line_map_points_back_into_the_template() {
        let prog = compile("one\ntwo ${ x }\n% if y:\nthree\n% endif\n").unwrap();
        let py_line = prog.source.lines().position(|l| l.contains("(x)")).unwrap() as u32 + 1;
        assert_eq!(prog.template_line(py_line), 2);
        let py_if = prog
            .source
            .lines()
            .position(|l| l.trim() == "if y:")
            .unwrap() as u32
            + 1;
        assert_eq!(prog.template_line(py_if), 3);
    }

    #[test]
    fn loop_context_in_for_loops() {
        let b = body("% for x in xs:\n${ loop.index }${ 'loop.first' }\n% endfor\n");
        assert!(b.contains("_colloquy_loop1_seq = list(xs)"), "{b}");
        assert!(
            b.contains("for _colloquy_loop1_index, (x) in enumerate(_colloquy_loop1_seq):"),
            "{b}"
        );
        assert!(b.contains("print((_colloquy_loop1_index), end='')"), "{b}");
        assert!(b.contains("'loop.first'"), "{b}");
        let b = body(
            "% for a in b:\n% for c in a:\n% if loop.last and loop.parent.first:\n% endif\n% endfor\n% endfor\n",
        );
        assert!(
            b.contains("if (_colloquy_loop2_index == len(_colloquy_loop2_seq) - 1) and (_colloquy_loop1_index == 0):"),
            "{b}"
        );
        // Outside a loop, and for other attributes, `loop` is an ordinary name.
        assert_eq!(body("${ loop.name }"), "print((loop.name), end='')");
    }

    #[test]
    fn string_literals_escape_everything_python_needs() {
        assert_eq!(py_str("a'b\\c\nd\te\u{1}"), "'a\\'b\\\\c\\nd\\te\\x01'");
    }
}
