//! Running an interview without a browser: answers come from a JSON map (`colloquy run`,
//! `colloquy test`, the benchmarks).
//!
//! Answer keys are variable names as the question writes them (`people[i].age`) or concrete
//! (`people[0].age`). A list value is consumed one item each time the variable is asked
//! (`"people.there_is_another": [true, true, false]`); checkboxes take a list of the chosen
//! values (a list of lists when asked more than once). A Continue screen is answered by
//! pressing Continue. A button question without a variable is answered by its question name
//! (`"ID intro"` or `"Question_3"`) mapped to the label or value of the button.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value as Json;

use super::answer::{Answered, MULTIPLE_CHOICE, Submission};
use super::screen::{QuestionType, Screen, ScreenField};
use super::state::SessionState;
use super::values::json_str;
use super::{CompiledInterview, Engine};
use crate::block::field::UPLOAD_DATATYPES;

/// Options of a headless run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Stop after this many screens.
    pub max_screens: usize,
    /// Answer fields the answers do not cover with a type-appropriate value.
    pub auto: bool,
    /// The date `--auto` uses for date fields (the engine has no clock).
    pub today: chrono::NaiveDate,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            max_screens: 200,
            auto: false,
            today: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// An end screen was reached.
    Completed,
    /// A screen asked for something the answers do not give.
    NeedsAnswer,
    /// The interview (or an answer) failed.
    Error,
    /// `max_screens` was reached.
    Limit,
}

impl RunStatus {
    /// The process exit code of `colloquy run`.
    pub fn exit_code(self) -> u8 {
        match self {
            RunStatus::Completed => 0,
            RunStatus::NeedsAnswer => 3,
            RunStatus::Error => 4,
            RunStatus::Limit => 5,
        }
    }
}

/// One screen of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenRecord {
    /// `_question_name`.
    pub question_name: String,
    /// `questionType`.
    pub question_type: QuestionType,
    /// The question as plain text.
    pub question: String,
    /// The subquestion as plain text.
    pub subquestion: String,
    /// The variables the screen sets.
    pub variables: Vec<String>,
    /// What was answered.
    pub answers: serde_json::Map<String, Json>,
}

/// The end screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndRecord {
    /// The question as plain text.
    pub question: String,
    /// The subquestion as plain text.
    pub subquestion: String,
}

/// The result of a headless run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transcript {
    /// How it ended.
    pub status: RunStatus,
    /// The screens answered, in order (the end screen is in `end`).
    pub screens: Vec<ScreenRecord>,
    /// The end screen.
    pub end: Option<EndRecord>,
    /// For `needs_answer`: the variable that had no answer.
    pub missing: Option<String>,
    /// For `error`: what went wrong.
    pub error: Option<String>,
}

/// Runs `iv` with `answers` until it ends.
pub fn run(
    iv: &CompiledInterview,
    host: &dyn super::RunHost,
    answers: &serde_json::Map<String, Json>,
    opts: &RunOptions,
) -> Transcript {
    run_observed(iv, host, answers, opts, &mut |_, _, _| {})
}

/// [`run`], calling `observe` with each screen shown (and the state it is shown in), e.g. to
/// make the screen's documents.
pub fn run_observed(
    iv: &CompiledInterview,
    host: &dyn super::RunHost,
    answers: &serde_json::Map<String, Json>,
    opts: &RunOptions,
    observe: &mut dyn FnMut(&Engine<'_>, &SessionState, &Screen),
) -> Transcript {
    let engine = Engine::new(iv, host);
    let mut st = SessionState::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut t = Transcript {
        status: RunStatus::Limit,
        screens: Vec::new(),
        end: None,
        missing: None,
        error: None,
    };
    let mut screen = match engine.screen(&mut st) {
        Ok(s) => s,
        Err(e) => return fail(t, e.to_string()),
    };
    for _ in 0..opts.max_screens {
        observe(&engine, &st, &screen);
        if is_end(&screen) {
            t.status = RunStatus::Completed;
            t.end = Some(match command_of(&screen) {
                // `command('exit')` and the like end the run as pressing the button would.
                Some(cmd) => EndRecord {
                    question: format!("[{cmd}]"),
                    subquestion: String::new(),
                },
                None => EndRecord {
                    question: plain_text(&screen.question_text),
                    subquestion: plain_text(screen.subquestion_text.as_deref().unwrap_or("")),
                },
            });
            return t;
        }
        let mut record = ScreenRecord {
            question_name: screen.question_name.clone(),
            question_type: screen.question_type,
            question: plain_text(&screen.question_text),
            subquestion: plain_text(screen.subquestion_text.as_deref().unwrap_or("")),
            variables: variables(&screen),
            answers: serde_json::Map::new(),
        };
        let sub = match submission(&screen, answers, &mut used, opts, &mut record) {
            Ok(sub) => sub,
            Err(missing) => {
                t.screens.push(record);
                t.status = RunStatus::NeedsAnswer;
                t.missing = Some(missing);
                return t;
            }
        };
        t.screens.push(record);
        match engine.answer(&mut st, &sub) {
            Ok(Answered::Next(next)) => screen = next,
            Ok(Answered::Invalid(s)) => {
                let msgs: Vec<String> = s
                    .errors
                    .iter()
                    .map(|e| {
                        if e.variable_name.is_empty() {
                            e.message.clone()
                        } else {
                            format!("{}: {}", e.variable_name, e.message)
                        }
                    })
                    .collect();
                return fail(
                    t,
                    format!("the answers were not accepted: {}", msgs.join("; ")),
                );
            }
            Ok(Answered::Stale(s)) => screen = s,
            Ok(Answered::Command(cmd)) => {
                t.status = RunStatus::Completed;
                t.end = Some(EndRecord {
                    question: format!("[{cmd}]"),
                    subquestion: String::new(),
                });
                return t;
            }
            Err(e) => return fail(t, e.to_string()),
        }
    }
    t.status = RunStatus::Limit;
    t
}

fn fail(mut t: Transcript, error: String) -> Transcript {
    t.status = RunStatus::Error;
    t.error = Some(error);
    t
}

/// The command of the screen `command()` makes: no text, and one special button.
fn command_of(s: &Screen) -> Option<&str> {
    if !s.question_text.is_empty() || s.subquestion_text.is_some() || s.fields.len() != 1 {
        return None;
    }
    match s.fields[0].choices.as_slice() {
        [only] if s.fields[0].variable_name.is_none() => only.command.as_deref(),
        _ => None,
    }
}

/// An end screen: nothing to answer and no button to press but special ones.
fn is_end(s: &Screen) -> bool {
    match s.question_type {
        QuestionType::Deadend => true,
        QuestionType::MultipleChoice => s.fields.first().is_some_and(|f| {
            f.variable_name.is_none()
                && !f.choices.is_empty()
                && f.choices
                    .iter()
                    .all(|c| c.command.as_deref().is_some_and(|c| c != "continue"))
        }),
        _ => false,
    }
}

fn variables(s: &Screen) -> Vec<String> {
    let mut out: Vec<String> = s
        .fields
        .iter()
        // A field a server-side `show if` hides is on the screen but sets nothing (a list
        // collect's blank items, inactive until added, can still be filled in).
        .filter(|f| f.active != Some(false) || f.collect_type.as_deref() == Some("extra"))
        .filter_map(|f| f.variable_name.clone())
        .collect();
    if let Some(v) = &s.question_variable_name {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// `people[0].name` → `people[i].name` (index values replaced by `i`, `j`, … in order).
pub fn generalise(var: &str) -> String {
    let mut out = String::with_capacity(var.len());
    let mut n = 0;
    let mut rest = var;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let is_index = inner.parse::<i64>().is_ok()
            || (inner.len() >= 2 && (inner.starts_with('\'') || inner.starts_with('"')));
        if is_index {
            let name = super::variants::INDEX_VARS.get(n).copied().unwrap_or("i");
            n += 1;
            out.push('[');
            out.push_str(name);
            out.push(']');
        } else {
            out.push_str(&rest[open..=open + close]);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The next answer for `var` in an answer file (consuming one item of a list; with
/// `list_is_value`, a flat list is the answer itself, as for checkboxes).
pub fn take(
    var: &str,
    answers: &serde_json::Map<String, Json>,
    used: &mut HashMap<String, usize>,
    list_is_value: bool,
) -> Option<Json> {
    let general = generalise(var);
    let (key, value) = [var.to_string(), general]
        .into_iter()
        .find_map(|k| answers.get(&k).map(|v| (k, v)))?;
    match value {
        Json::Array(items) if !list_is_value || items.iter().all(Json::is_array) => {
            let n = used.entry(key).or_insert(0);
            let item = items.get(*n).cloned();
            *n += 1;
            item
        }
        other => Some(other.clone()),
    }
}

fn posted(v: &Json) -> String {
    json_str(v)
}

fn submission(
    s: &Screen,
    answers: &serde_json::Map<String, Json>,
    used: &mut HashMap<String, usize>,
    opts: &RunOptions,
    record: &mut ScreenRecord,
) -> Result<Submission, String> {
    let mut values = Vec::new();
    let mut files = Vec::new();
    if matches!(
        s.question_type,
        QuestionType::Settrue | QuestionType::Review
    ) {
        // A Continue (or review Resume) button: pressed.
        if let Some(v) = &s.question_variable_name {
            record.answers.insert(v.clone(), Json::Bool(true));
        }
        return Ok(Submission {
            action: None,
            question_name: Some(s.question_name.clone()),
            values,
            files: Vec::new(),
        });
    }
    for f in &s.fields {
        // Hidden and disabled inputs are not posted.
        if f.active == Some(false)
            || f.disabled == Some(true)
            || super::answer::hidden_by_show_if(f, s, &values)
        {
            continue;
        }
        let Some(var) = &f.variable_name else {
            // Buttons without a variable.
            if !f.choices.is_empty() && s.question_type == QuestionType::MultipleChoice {
                let wanted = answers.get(&s.question_name).cloned();
                let choice = match &wanted {
                    Some(w) => f.choices.iter().find(|c| {
                        plain_text(&c.label) == posted(w)
                            || c.value.as_ref().map(json_str) == Some(posted(w))
                    }),
                    None if opts.auto => f
                        .choices
                        .iter()
                        .find(|c| c.command.is_none())
                        .or(f.choices.first()),
                    None => None,
                };
                let Some(choice) = choice else {
                    return Err(s.question_name.clone());
                };
                record.answers.insert(
                    s.question_name.clone(),
                    Json::String(plain_text(&choice.label)),
                );
                values.push((
                    MULTIPLE_CHOICE.to_string(),
                    choice.value.as_ref().map(json_str).unwrap_or_default(),
                ));
            }
            continue;
        };
        let datatype = f.datatype.as_deref().unwrap_or("text");
        let multiple = matches!(
            datatype,
            "checkboxes" | "multiselect" | "object_checkboxes" | "object_multiselect"
        );
        let value = match take(var, answers, used, multiple) {
            Some(v) => v,
            // A `disable others` field is optional: `--auto` fills in the others instead.
            None if opts.auto && f.disable_others.is_some() => continue,
            // A single-choice field without choices shows nothing to answer: nothing is posted
            // (checkboxes keep their "None of the above").
            None if opts.auto
                && super::empty_choices::has_no_choices(f)
                && !datatype.contains("checkboxes")
                && !datatype.contains("multiselect") =>
            {
                continue;
            }
            None if opts.auto => {
                // Yes the first time a (generalised) variable is asked, no after that, so
                // that `there_is_another` loops end.
                let n = used.entry(format!("auto:{}", generalise(var))).or_insert(0);
                *n += 1;
                let v = auto_value(f, opts);
                if *n > 1 && v == Json::Bool(true) {
                    Json::Bool(false)
                } else {
                    v
                }
            }
            None if f.required == Some(false) => continue,
            None => return Err(var.clone()),
        };
        record.answers.insert(var.clone(), value.clone());
        if multiple {
            let chosen: Vec<String> = match &value {
                Json::Array(items) => items.iter().map(json_str).collect(),
                // `{"Apples": true, "Pears": false}` (a checkboxes default): the true keys.
                Json::Object(m) => m
                    .iter()
                    .filter(|(_, on)| on.as_bool().unwrap_or(false))
                    .map(|(k, _)| k.clone())
                    .collect(),
                other => vec![json_str(other)],
            };
            for c in &f.choices {
                let Some(sub) = &c.variable_name else {
                    continue;
                };
                let key = checkbox_label_key(sub);
                let on = key.as_ref().is_some_and(|k| chosen.contains(k))
                    || chosen.contains(&plain_text(&c.label));
                values.push((sub.clone(), if on { "True" } else { "False" }.to_string()));
            }
            continue;
        }
        if UPLOAD_DATATYPES.contains(&datatype) {
            // No real upload without a server: a descriptor of the named (or a sample) file.
            let filename = match &value {
                Json::String(s) if !s.is_empty() && s != "Sample text" => s.clone(),
                _ => "sample.txt".to_string(),
            };
            files.push((var.clone(), upload_descriptor(&filename, "text/plain")));
            continue;
        }
        // Posted under the input's name (a `disable others` field's alias).
        let input = f.input_name().map_or_else(|| var.clone(), Cow::into_owned);
        values.push((input, posted(&value)));
    }
    Ok(Submission {
        action: None,
        question_name: Some(s.question_name.clone()),
        values,
        files,
    })
}

/// What the server would pass the engine for an upload of `filename`, without a server: a
/// one-file `DAFileList` descriptor.
pub(crate) fn upload_descriptor(filename: &str, mimetype: &str) -> String {
    serde_json::json!({"elements": [{
        "filename": filename, "number": 1, "mimetype": mimetype,
        "extension": filename.rsplit('.').next().unwrap_or("txt"), "size": 0,
        "url": format!("/uploadedfile/headless/1/{filename}"),
    }]})
    .to_string()
}

/// `fruit['apple']` → `apple` (and `villain['people[0]']` → `people[0]`).
pub(crate) fn checkbox_label_key(sub: &str) -> Option<String> {
    let open = sub
        .rfind("['")
        .or_else(|| sub.rfind("[\""))
        .or_else(|| sub.rfind('['))?;
    let inner = sub[open + 1..].strip_suffix(']')?;
    Some(inner.trim_matches(|c| c == '\'' || c == '"').to_string())
}

/// A type-appropriate answer for `--auto`.
fn auto_value(f: &ScreenField, opts: &RunOptions) -> Json {
    // An empty default (e.g. `${ x.first_name_hint() }` with nothing to hint) would fail a
    // required field: a type-appropriate value is used instead.
    if let Some(d) = f
        .default
        .as_ref()
        .filter(|d| !matches!(d, Json::Null) && d.as_str() != Some(""))
    {
        return d.clone();
    }
    if let Some(c) = f.choices.first() {
        if matches!(
            f.datatype.as_deref(),
            Some("checkboxes" | "multiselect" | "object_checkboxes" | "object_multiselect")
        ) {
            return Json::Array(vec![Json::String(
                c.variable_name
                    .as_deref()
                    .and_then(checkbox_label_key)
                    .unwrap_or_default(),
            )]);
        }
        return c.value.clone().unwrap_or(Json::Null);
    }
    let min = f.min.as_ref().and_then(Json::as_f64);
    match f.datatype.as_deref().unwrap_or("text") {
        "boolean" => Json::Bool(true),
        "threestate" => Json::Bool(true),
        "integer" => Json::from(min.map(|m| m.ceil() as i64).unwrap_or(1).max(1)),
        "number" | "float" | "currency" | "range" => Json::from(min.unwrap_or(1.0).max(1.0)),
        "date" => Json::String(opts.today.format("%Y-%m-%d").to_string()),
        "datetime" => Json::String(format!("{}T12:00", opts.today.format("%Y-%m-%d"))),
        "time" => Json::String("12:00".to_string()),
        "email" => Json::String("user@example.com".to_string()),
        _ => Json::String("Sample text".to_string()),
    }
}

/// HTML to plain text: tags removed, entities decoded, whitespace collapsed, trimmed. Block tags
/// (paragraphs, line breaks, list items…) separate words; inline tags (`<strong>`, `<a>`,
/// `<span>`…) do not, as a browser shows them.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let tag = &rest[lt + 1..];
        // An unterminated tag hides the rest of the text.
        let Some(gt) = tag.find('>') else {
            rest = "";
            break;
        };
        if !is_inline_tag(&tag[..gt]) {
            text.push(' ');
        }
        rest = &tag[gt + 1..];
    }
    text.push_str(rest);
    let decoded = if text.contains('&') {
        decode_entities(&text)
    } else {
        text
    };
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether the start of a tag (`strong`, `/a`, `span class=…`) names an inline element.
fn is_inline_tag(tag: &str) -> bool {
    let tag = tag.trim_start_matches('/');
    let len = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = tag[..len].to_ascii_lowercase();
    matches!(
        name.as_str(),
        "a" | "abbr"
            | "b"
            | "bdi"
            | "cite"
            | "code"
            | "del"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail[..tail.len().min(12)].find(';') else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "ndash" => Some('\u{2013}'),
            "mdash" => Some('\u{2014}'),
            "hellip" => Some('\u{2026}'),
            "lsquo" => Some('\u{2018}'),
            "rsquo" => Some('\u{2019}'),
            "ldquo" => Some('\u{201c}'),
            "rdquo" => Some('\u{201d}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalises_indices() {
        assert_eq!(generalise("people[0].name.first"), "people[i].name.first");
        assert_eq!(generalise("a[1]['k'].b"), "a[i][j].b");
        assert_eq!(generalise("a[x].b"), "a[x].b");
        assert_eq!(generalise("plain"), "plain");
    }

    #[test]
    fn plain_text_strips_and_decodes() {
        assert_eq!(
            plain_text("<p>Hello&nbsp;<em>world</em> &amp; more&#33;</p>\n<p>x</p>"),
            "Hello world & more! x"
        );
        assert_eq!(plain_text("a &unknown; b & c"), "a &unknown; b & c");
        assert_eq!(
            plain_text("<p>door is <strong>Door 1</strong>.</p><p>Next<br>line</p>"),
            "door is Door 1. Next line"
        );
        // Inline tags join their words in any case; an unterminated tag hides what follows.
        assert_eq!(plain_text("x<STRONG>y</Strong>z<DIV>w"), "xyz w");
        assert_eq!(plain_text("before <span class='a'"), "before");
        assert_eq!(plain_text("  <p> </p> "), "");
    }
}
