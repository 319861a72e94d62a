//! `fields` items (spec §1.4) with docassemble's normalisation (`parse.py:3779-4320`).

use super::choice::{ChoiceList, parse_choices};
use super::read::{self, Result, err};
use super::{Cond, Python, Raw, Text, Var};
use crate::source::yaml::{Node, Value};

/// The datatypes whose answer is an upload (a `DAFileList`), not posted text.
pub const UPLOAD_DATATYPES: &[&str] = &[
    "file",
    "files",
    "camera",
    "user",
    "environment",
    "camcorder",
    "microphone",
];

/// One item of a `fields` list.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldItem {
    /// An input field or a `note`/`html`/`raw html` item.
    Field(Box<Field>),
    /// `- code: expr`: field definitions generated at run time.
    Code(Python),
}

/// The kind of a display-only item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// `note` (Markdown).
    Note,
    /// `html`.
    Html,
    /// `raw html`.
    RawHtml,
}

/// A field's data type after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Datatype {
    /// Plain text (the default).
    Text,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `float` (also inferred from int+float choice values).
    Float,
    /// `currency`.
    Currency,
    /// `boolean` (inferred from true/false choice values).
    Boolean,
    /// `threestate`.
    Threestate,
    /// `date`, `time`, `datetime`.
    Date,
    /// `time`.
    Time,
    /// `datetime`.
    Datetime,
    /// `email`.
    Email,
    /// `password`.
    Password,
    /// `yesno`, `noyes`, `yesnowide`, `noyeswide`, `yesnoradio`, `noyesradio`,
    /// `yesnomaybe`, `noyesmaybe` (the name is kept).
    YesNo(String),
    /// `checkboxes`.
    Checkboxes,
    /// `multiselect`.
    Multiselect,
    /// `object`, `object_radio`, `object_checkboxes`, `object_multiselect`.
    Object(String),
    /// `file`, `files`, `camera`, `user`, `environment`, `camcorder`, `microphone`.
    File(String),
    /// `range`.
    Range,
    /// `raw`.
    Raw,
    /// `ml` (machine learning).
    Ml,
    /// Any other name (custom data types such as `al_international_phone`).
    Custom(String),
}

impl Datatype {
    /// Parses a normalised datatype name.
    pub fn from_name(name: &str) -> Self {
        match name {
            "text" | "" => Self::Text,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "float" => Self::Float,
            "currency" => Self::Currency,
            "boolean" => Self::Boolean,
            "threestate" => Self::Threestate,
            "date" => Self::Date,
            "time" => Self::Time,
            "datetime" => Self::Datetime,
            "email" => Self::Email,
            "password" => Self::Password,
            "yesno" | "noyes" | "yesnowide" | "noyeswide" | "yesnoradio" | "noyesradio"
            | "yesnomaybe" | "noyesmaybe" => Self::YesNo(name.to_string()),
            "checkboxes" => Self::Checkboxes,
            "multiselect" => Self::Multiselect,
            "object" | "object_radio" | "object_checkboxes" | "object_multiselect" => {
                Self::Object(name.to_string())
            }
            d if UPLOAD_DATATYPES.contains(&d) => Self::File(name.to_string()),
            "range" => Self::Range,
            "raw" => Self::Raw,
            "ml" => Self::Ml,
            other => Self::Custom(other.to_string()),
        }
    }

    /// The datatype's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Float => "float",
            Self::Currency => "currency",
            Self::Boolean => "boolean",
            Self::Threestate => "threestate",
            Self::Date => "date",
            Self::Time => "time",
            Self::Datetime => "datetime",
            Self::Email => "email",
            Self::Password => "password",
            Self::Checkboxes => "checkboxes",
            Self::Multiselect => "multiselect",
            Self::Range => "range",
            Self::Raw => "raw",
            Self::Ml => "ml",
            Self::YesNo(n) | Self::Object(n) | Self::File(n) | Self::Custom(n) => n,
        }
    }

    /// Whether a value of this type is a set of checked items (`checkboxes` and friends).
    pub fn is_multiple(&self) -> bool {
        matches!(self, Self::Checkboxes | Self::Multiselect)
            || matches!(self, Self::Object(n) if n == "object_checkboxes" || n == "object_multiselect")
    }
}

/// A field's input widget after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputType {
    /// Radio buttons.
    Radio,
    /// A combobox.
    Combobox,
    /// A datalist.
    Datalist,
    /// A dropdown (`pulldown` is a synonym).
    Dropdown,
    /// An ajax-driven combobox (needs `action`).
    Ajax,
    /// A multi-line text area.
    Area,
    /// A hidden input.
    Hidden,
    /// Any other value, kept as written.
    Other(String),
}

impl InputType {
    fn from_name(name: &str) -> Self {
        match name {
            "radio" => Self::Radio,
            "combobox" => Self::Combobox,
            "datalist" => Self::Datalist,
            "dropdown" | "pulldown" => Self::Dropdown,
            "ajax" => Self::Ajax,
            "area" => Self::Area,
            "hidden" => Self::Hidden,
            other => Self::Other(other.to_string()),
        }
    }
}

/// `show if` / `hide if` / `enable if` / `disable if`.
#[derive(Debug, Clone, PartialEq)]
pub enum ShowIf {
    /// Depends on another field on the screen: shown when `variable` equals `is`
    /// (`show if: var` means `is: True`).
    Field {
        /// The other field's variable.
        variable: Var,
        /// The value compared with (YAML type kept).
        is: Raw,
    },
    /// `code:`: a Python expression evaluated when the screen is built.
    Code(Python),
    /// `js show if` etc.: a JavaScript expression evaluated in the browser.
    Js(Text),
}

/// A field item.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The variable set (`None` for `note`/`html`/`raw html` items).
    pub variable: Option<Var>,
    /// The label (Mako). Docassemble allows an empty label.
    pub label: Option<Text>,
    /// A display-only item's content.
    pub note: Option<(NoteKind, Text)>,
    /// The data type, after normalisation.
    pub datatype: Datatype,
    /// True when the datatype was written (not the default or inferred from choices).
    pub explicit_datatype: bool,
    /// The input widget, after normalisation.
    pub input_type: Option<InputType>,
    /// Whether an answer is required (default true; false by default for `yesno*`/`noyes*`
    /// and `range`).
    pub required: Cond,
    /// Literal choices.
    pub choices: Option<ChoiceList>,
    /// `code`: computed choices.
    pub choices_code: Option<Python>,
    /// For object datatypes, `choices`: expressions giving the objects (or lists of them)
    /// to choose from.
    pub object_choices: Vec<Python>,
    /// `exclude` for computed choices.
    pub exclude: Vec<Python>,
    /// `none of the above` (true by default for checkboxes/multiselect; false for
    /// object_radio): `Const(bool)` or a custom label.
    pub none_of_the_above: Option<NoneOfTheAbove>,
    /// `all of the above` (false by default for checkboxes/multiselect).
    pub all_of_the_above: Option<NoneOfTheAbove>,
    /// `default` (YAML type kept: text is Mako; lists/dicts for checkboxes).
    pub default: Option<Raw>,
    /// `hint`.
    pub hint: Option<Text>,
    /// `help`.
    pub help: Option<Text>,
    /// `show if`.
    pub show_if: Option<ShowIf>,
    /// `hide if`.
    pub hide_if: Option<ShowIf>,
    /// `enable if`.
    pub enable_if: Option<ShowIf>,
    /// `disable if`.
    pub disable_if: Option<ShowIf>,
    /// `disabled`.
    pub disabled: Option<Cond>,
    /// `validate`: a Python function (expression) that validates the value.
    pub validate: Option<Python>,
    /// `validation messages`.
    pub validation_messages: Vec<(String, Text)>,
    /// `min`, `max`, `minlength`, `maxlength`, `step`, `scale`, `inline`, `inline width`,
    /// `currency symbol`, `css class`, `under text`, `rows`, `accept`, `maximum image size`,
    /// `image upload type`, `file css class`, `action`, `group`, … (Mako text, by name).
    pub attributes: Vec<(String, Text)>,
    /// `object labeler`, `help generator`, `image generator`, `address autocomplete`
    /// (as code) and other Python-valued modifiers, by name.
    pub code_attributes: Vec<(String, Python)>,
    /// Structured or boolean modifiers kept as written: `grid`, `item grid`,
    /// `label above field`, `floating label`, `disable others`, `uncheck others`,
    /// `check others`, `shuffle`, `allow privileges`, `allow users`, `persistent`,
    /// `private`, `field metadata`, `trigger at`, `keep for training`, `using`.
    pub options: Vec<(String, Raw)>,
    /// The file line of the item.
    pub line: u32,
}

/// `none of the above` / `all of the above`.
#[derive(Debug, Clone, PartialEq)]
pub enum NoneOfTheAbove {
    /// On or off.
    Const(bool),
    /// On, with this label.
    Label(Text),
}

const TEXT_ATTRS: &[&str] = &[
    "min",
    "max",
    "minlength",
    "maxlength",
    "step",
    "scale",
    "inline",
    "inline width",
    "currency symbol",
    "css class",
    "under text",
    "rows",
    "accept",
    "maximum image size",
    "image upload type",
    "file css class",
    "action",
    "group",
];
const CODE_ATTRS: &[&str] = &["object labeler", "help generator", "image generator"];
const OPTION_ATTRS: &[&str] = &[
    "grid",
    "item grid",
    "label above field",
    "floating label",
    "disable others",
    "uncheck others",
    "check others",
    "shuffle",
    "allow privileges",
    "allow users",
    "persistent",
    "private",
    "field metadata",
    "trigger at",
    "keep for training",
    "using",
    "address autocomplete",
];

/// Keys that are modifiers (not labels) in a field item.
fn is_modifier(key: &str) -> bool {
    TEXT_ATTRS.contains(&key)
        || CODE_ATTRS.contains(&key)
        || OPTION_ATTRS.contains(&key)
        || matches!(
            key,
            "datatype"
                | "input type"
                | "required"
                | "choices"
                | "code"
                | "exclude"
                | "none of the above"
                | "all of the above"
                | "default"
                | "hint"
                | "help"
                | "show if"
                | "hide if"
                | "enable if"
                | "disable if"
                | "js show if"
                | "js hide if"
                | "js enable if"
                | "js disable if"
                | "disabled"
                | "validate"
                | "validation messages"
                | "note"
                | "html"
                | "raw html"
                | "field"
                | "label"
        )
}

/// Parses a `fields` value (a list, or a single dictionary).
///
/// # Errors
/// Any malformed item.
pub fn parse_fields(node: &Node) -> Result<Vec<FieldItem>> {
    let one;
    let items: &[Node] = match &node.value {
        Value::Seq(items) => items,
        Value::Map(_) => {
            one = [node.clone()];
            &one
        }
        _ => {
            return err(
                node.line,
                format!("the fields must be written as a list, not {}", node.kind()),
            );
        }
    };
    items.iter().map(parse_item).collect()
}

fn str_of(node: &Node) -> Option<&str> {
    node.as_str()
}

fn parse_show_if(key: &str, v: &Node) -> Result<ShowIf> {
    match &v.value {
        Value::Map(_) => {
            if let Some(code) = v.get("code") {
                return Ok(ShowIf::Code(read::python(code, &format!("'{key}' code"))?));
            }
            match (v.get("variable"), v.get("is")) {
                (Some(var), Some(is)) => Ok(ShowIf::Field {
                    variable: read::var(var, &format!("'{key}' variable"))?,
                    is: read::raw(is),
                }),
                _ => err(
                    v.line,
                    format!("the keys of '{key}' must be 'variable' and 'is', or 'code'"),
                ),
            }
        }
        Value::Seq(_) => err(v.line, format!("'{key}' cannot be a list")),
        _ => {
            let var = read::var(v, &format!("'{key}'"))?;
            Ok(ShowIf::Field {
                is: Raw(Node {
                    value: Value::Bool(true),
                    line: v.line,
                }),
                variable: var,
            })
        }
    }
}

fn nota(v: &Node, key: &str) -> Result<NoneOfTheAbove> {
    Ok(match &v.value {
        Value::Bool(b) => NoneOfTheAbove::Const(*b),
        Value::Null => NoneOfTheAbove::Const(false),
        _ => NoneOfTheAbove::Label(read::text(v, &format!("'{key}'"))?),
    })
}

fn parse_item(item: &Node) -> Result<FieldItem> {
    let line = item.line;
    let Some(map) = item.as_map() else {
        return err(
            line,
            "each field must be a dictionary item, e.g. '- Fruit: user.favorite_fruit'",
        );
    };
    let mut entries: Vec<(String, &Node, u32)> = Vec::with_capacity(map.len());
    for (k, v) in map {
        let Some(key) = k.python_str() else {
            return err(
                k.line,
                format!("a field key must be text, not {}", k.kind()),
            );
        };
        entries.push((key.into_owned(), v, k.line));
    }
    let get = |name: &str| {
        entries
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, v, _)| *v)
    };
    if entries.len() == 1 && entries[0].0 == "code" {
        return Ok(FieldItem::Code(read::python_str(
            entries[0].1,
            "a fields code item",
        )?));
    }
    // Normalise datatype / input type.
    let mut datatype_name: Option<String> = match get("datatype") {
        Some(n) => Some(
            n.python_str()
                .ok_or_else(|| crate::error::BlockError::new(n.line, "a datatype must be text"))?
                .into_owned(),
        ),
        None => None,
    };
    let mut input_type: Option<String> = match get("input type") {
        Some(n) => Some(
            n.python_str()
                .ok_or_else(|| crate::error::BlockError::new(n.line, "an input type must be text"))?
                .into_owned(),
        ),
        None => None,
    };
    if let Some(dt) = datatype_name.clone() {
        match dt.as_str() {
            "radio" | "combobox" | "datalist" | "pulldown" | "dropdown" | "ajax" | "area"
            | "hidden" => {
                input_type = Some(if dt == "pulldown" {
                    "dropdown".into()
                } else {
                    dt
                });
                datatype_name = Some("text".into());
            }
            "mlarea" => {
                input_type = Some("area".into());
                datatype_name = Some("ml".into());
            }
            _ => {}
        }
    }
    let choices_node = get("choices");
    // `choices: {code: …}` is the same as `code: …`.
    let choices_is_code = choices_node
        .and_then(|c| c.as_map())
        .is_some_and(|m| m.len() == 1 && m[0].0.as_str() == Some("code"));
    let has_choices = choices_node.is_some() || get("code").is_some();
    if let Some(dt) = &datatype_name
        && matches!(
            dt.as_str(),
            "object"
                | "object_radio"
                | "multiselect"
                | "object_multiselect"
                | "checkboxes"
                | "object_checkboxes"
        )
        && !has_choices
    {
        return err(
            line,
            format!("a multiple choice field (datatype {dt}) must have 'choices' or 'code'"),
        );
    }
    if let Some(it) = &input_type {
        if it == "ajax" {
            if get("action").is_none() {
                return err(line, "an ajax field must have an 'action'");
            }
            if has_choices {
                return err(line, "an ajax field cannot have a list of choices");
            }
        }
        if matches!(
            it.as_str(),
            "radio" | "combobox" | "datalist" | "dropdown" | "pulldown"
        ) && !has_choices
        {
            return err(
                line,
                format!("a multiple choice field (input type {it}) must have 'choices' or 'code'"),
            );
        }
        if it == "hidden"
            && datatype_name
                .as_deref()
                .is_some_and(|d| UPLOAD_DATATYPES.contains(&d))
        {
            return err(line, "a hidden field cannot have a file datatype");
        }
    }
    if get("object labeler").is_some()
        && !datatype_name
            .as_deref()
            .is_some_and(|d| d.starts_with("object"))
    {
        return err(
            line,
            "an object labeler can only be used with an object datatype",
        );
    }
    let notes = ["note", "html", "raw html"]
        .iter()
        .filter(|k| get(k).is_some())
        .count();
    if notes > 1 {
        return err(line, "a field cannot combine note, html and raw html");
    }
    if datatype_name.as_deref() == Some("range") && !(get("min").is_some() && get("max").is_some())
    {
        return err(
            line,
            "a field with datatype 'range' must have a 'min' and a 'max'",
        );
    }

    let mut f = Field {
        variable: None,
        label: None,
        note: None,
        datatype: Datatype::Text,
        explicit_datatype: false,
        input_type: input_type.as_deref().map(InputType::from_name),
        required: Cond::Const(true),
        choices: None,
        choices_code: None,
        object_choices: Vec::new(),
        exclude: Vec::new(),
        none_of_the_above: None,
        all_of_the_above: None,
        default: None,
        hint: None,
        help: None,
        show_if: None,
        hide_if: None,
        enable_if: None,
        disable_if: None,
        disabled: None,
        validate: None,
        validation_messages: Vec::new(),
        attributes: Vec::new(),
        code_attributes: Vec::new(),
        options: Vec::new(),
        line,
    };
    let mut required: Option<Cond> = None;
    let mut field_var: Option<Var> = None;
    let mut label_key: Option<Text> = None;
    let mut shorthand: Option<(Text, Var)> = None;
    for (key, v, kline) in &entries {
        let v: &Node = v;
        let key = key.as_str();
        if !is_modifier(key) {
            // `Label: variable`.
            if let Some((prev, _)) = &shorthand {
                return err(
                    *kline,
                    format!(
                        "field label '{key}' overwrites the previous label '{}' (a field item \
                         has one 'Label: variable' entry; is a modifier misspelled?)",
                        prev.source
                    ),
                );
            }
            let var = read::var(v, &format!("the variable for the field '{key}'"))?;
            shorthand = Some((
                Text {
                    source: key.to_string(),
                    line: *kline,
                },
                var,
            ));
            continue;
        }
        let what = format!("'{key}' in a field");
        match key {
            "datatype" | "input type" => {}
            "field" => field_var = Some(read::var(v, "'field' in a field")?),
            "label" => label_key = Some(read::text(v, &what)?),
            "note" => f.note = Some((NoteKind::Note, read::text(v, &what)?)),
            "html" => f.note = Some((NoteKind::Html, read::text(v, &what)?)),
            "raw html" => f.note = Some((NoteKind::RawHtml, read::text(v, &what)?)),
            "required" => required = Some(read::cond(v, &what)?),
            "disabled" => f.disabled = Some(read::cond(v, &what)?),
            "choices" if choices_is_code => {
                if let Some(code) = v.get("code") {
                    f.choices_code = Some(read::python_str(code, "choices code")?);
                }
            }
            "choices"
                if datatype_name
                    .as_deref()
                    .is_some_and(|d| d.starts_with("object")) =>
            {
                if v.as_map().is_some() {
                    return err(
                        v.line,
                        "the choices of an object field must be an expression or a list of expressions",
                    );
                }
                f.object_choices = read::python_list(v, "an object field's choices")?;
            }
            "choices" => {
                let list = parse_choices(v, true, &mut |n: &Node| {
                    err(n.line, "a field's choices cannot contain blocks")
                })?;
                f.choices = Some(list);
            }
            "code" => f.choices_code = Some(read::python_str(v, "a field's choices code")?),
            "exclude" => {
                if v.as_map().is_some() {
                    return err(v.line, "an exclude entry cannot be a dictionary");
                }
                f.exclude = read::python_list(v, "an exclude entry")?;
            }
            "none of the above" => f.none_of_the_above = Some(nota(v, key)?),
            "all of the above" => f.all_of_the_above = Some(nota(v, key)?),
            "default" => f.default = Some(read::raw(v)),
            "hint" => f.hint = Some(read::text(v, &what)?),
            "help" => f.help = Some(read::text(v, &what)?),
            "show if" => f.show_if = Some(parse_show_if(key, v)?),
            "hide if" => f.hide_if = Some(parse_show_if(key, v)?),
            "enable if" => f.enable_if = Some(parse_show_if(key, v)?),
            "disable if" => f.disable_if = Some(parse_show_if(key, v)?),
            "js show if" | "js hide if" | "js enable if" | "js disable if" => {
                let Some(_) = str_of(v) else {
                    return err(
                        v.line,
                        format!("'{key}' must be a JavaScript expression written as text"),
                    );
                };
                let js = ShowIf::Js(read::text(v, &what)?);
                match key {
                    "js show if" => f.show_if = Some(js),
                    "js hide if" => f.hide_if = Some(js),
                    "js enable if" => f.enable_if = Some(js),
                    _ => f.disable_if = Some(js),
                }
            }
            "validate" => f.validate = Some(read::python(v, &what)?),
            "validation messages" => {
                for (k, m) in read::str_map(v, "validation messages")? {
                    f.validation_messages
                        .push((k.to_string(), read::text(m, "a validation message")?));
                }
            }
            k if TEXT_ATTRS.contains(&k) => {
                f.attributes.push((k.to_string(), read::text(v, &what)?))
            }
            k if CODE_ATTRS.contains(&k) => {
                f.code_attributes
                    .push((k.to_string(), read::python(v, &what)?));
            }
            k => f.options.push((k.to_string(), read::raw(v))),
        }
    }
    match (field_var, label_key, shorthand) {
        (Some(var), label, None) => {
            if label.is_none() && input_type.as_deref() != Some("hidden") {
                return err(line, "a field item with 'field' must also have a 'label'");
            }
            f.variable = Some(var);
            f.label = label.or(Some(Text {
                source: "hidden".into(),
                line,
            }));
        }
        (None, Some(_), None) => {
            return err(line, "a field item with 'label' must also have a 'field'");
        }
        (None, label, Some((l, var))) => {
            f.label = label.or(Some(l));
            f.variable = Some(var);
        }
        (Some(_), _, Some((l, _))) => {
            return err(
                l.line,
                format!(
                    "field label '{}' overwrites the label given with 'field'/'label'",
                    l.source
                ),
            );
        }
        (None, None, None) => {}
    }
    if f.variable.is_none() && f.note.is_none() {
        return err(
            line,
            "a field needs a label and a variable ('- Label: variable' or 'label:' + 'field:'), \
             or must be a note, html or raw html item",
        );
    }
    // Datatype: explicit, else text. docassemble's `auto_determine_type` is handed the
    // field's `selections` mapping (`{'values': [...]}`), whose key is text, so choices
    // written as numbers or booleans still make a text field: the answer is the text posted.
    if let Some(dt) = datatype_name {
        f.explicit_datatype = true;
        f.datatype = Datatype::from_name(&dt);
    }
    // Default `required` and `none of the above`.
    f.required = match required {
        Some(r) => r,
        None => match &f.datatype {
            Datatype::YesNo(n)
                if matches!(n.as_str(), "yesno" | "yesnowide" | "noyes" | "noyeswide") =>
            {
                Cond::Const(false)
            }
            Datatype::Range => Cond::Const(false),
            _ => Cond::Const(true),
        },
    };
    if f.datatype.is_multiple() {
        f.none_of_the_above
            .get_or_insert(NoneOfTheAbove::Const(true));
        f.all_of_the_above
            .get_or_insert(NoneOfTheAbove::Const(false));
    }
    if f.datatype == Datatype::Object("object_radio".into()) {
        f.none_of_the_above
            .get_or_insert(NoneOfTheAbove::Const(false));
    }
    Ok(FieldItem::Field(Box::new(f)))
}

impl Field {
    /// The names this field defines (the variable; for checkboxes-like types also
    /// `var.gathered`; for `ml` fields `var.text` handling as docassemble does).
    pub fn defines(&self, out: &mut Vec<String>) {
        let Some(v) = &self.variable else { return };
        if self.datatype.is_multiple() {
            out.push(v.name.clone());
            out.push(format!("{}.gathered", v.name));
        } else if self.datatype == Datatype::Ml {
            if let Some(base) = v.name.strip_suffix(".text") {
                out.push(v.name.clone());
                out.push(base.to_string());
            } else {
                out.push(v.name.clone());
                out.push(format!("{}.text", v.name));
            }
        } else {
            out.push(v.name.clone());
        }
    }
}
