//! Splitting an interview file into block chunks, as `Interview.read_from` does.
//!
//! docassemble does not use the YAML multi-document parser: it splits the raw text on the
//! multiline regex `^--- *$`, removes a trailing `[\n\r]+\.\.\.$` from every chunk and replaces
//! each TAB with two spaces. Each chunk keeps its leading newline, so a line `n` of the chunk
//! text is line `start_line + n - 1` of the file.

/// One chunk of an interview file (the text between two `---` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The chunk text after trailing-dots removal and tab replacement.
    pub text: String,
    /// The 1-based file line on which the chunk text starts.
    pub start_line: u32,
}

/// Returns true when `line` (without its terminator) is a separator: `---` followed only by spaces.
fn is_separator(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.bytes().all(|b| b == b' '))
}

/// Removes a trailing `[\n\r]+\.\.\.` (optionally followed by one final `\n`, as Python's `$`
/// allows) from `chunk`.
fn strip_trailing_dots(chunk: &str) -> &str {
    let body = chunk.strip_suffix('\n').unwrap_or(chunk);
    if let Some(before) = body.strip_suffix("...") {
        let trimmed = before.trim_end_matches(['\n', '\r']);
        if trimmed.len() < before.len() {
            return trimmed;
        }
    }
    chunk
}

/// Splits `content` into chunks exactly as docassemble does (see the module documentation).
/// Empty chunks are returned too; the YAML reader skips chunks that hold no document.
pub fn split_chunks(content: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut line_number: u32 = 1;
    let mut chunk_start = 0usize;
    let mut pos = 0usize;
    let bytes = content.as_bytes();
    let mut push = |start: usize, end: usize, line: &mut u32| {
        let raw = &content[start..end];
        let newlines = raw.bytes().filter(|&b| b == b'\n').count();
        let text = strip_trailing_dots(raw).replace('\t', "  ");
        chunks.push(Chunk {
            text,
            start_line: *line,
        });
        *line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
    };
    while pos <= content.len() {
        let line_end = content[pos..].find('\n').map_or(content.len(), |i| pos + i);
        // Python's `$` in MULTILINE mode matches before a `\n`; a `\r` stays part of the line.
        if is_separator(&content[pos..line_end]) {
            push(chunk_start, pos, &mut line_number);
            chunk_start = line_end;
        }
        if line_end >= bytes.len() {
            break;
        }
        pos = line_end + 1;
    }
    push(chunk_start, content.len(), &mut line_number);
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_separator_lines_only() {
        let c = split_chunks("a: 1\n---\nb: 2\n--- \nc: 3\n---x\nd: 4\n");
        let texts: Vec<_> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["a: 1\n", "\nb: 2\n", "\nc: 3\n---x\nd: 4\n"]);
        assert_eq!(c[0].start_line, 1);
        assert_eq!(c[1].start_line, 2);
        assert_eq!(c[2].start_line, 4);
    }

    #[test]
    fn strips_trailing_dots_and_tabs() {
        let c = split_chunks("a:\tb\n...\n---\nc: 1\n...");
        assert_eq!(c[0].text, "a:  b");
        assert_eq!(c[1].text, "\nc: 1");
    }

    #[test]
    fn leading_separator_gives_empty_chunk() {
        let c = split_chunks("---\na: 1\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].text, "");
        assert_eq!(c[1].start_line, 1);
    }
}
