//! The `us` package's `us.states` (docassemble.base.util exports `us`): `mapping()` over
//! its states and territories (us 3.x: the 50 states and five territories).

use pyeval::{Args, Dict, Interp, PyResult, Value};

use super::super::support::{req, value_err};

/// `us.states.STATES_AND_TERRITORIES`: (abbr, name, fips), in the package's order.
const STATES: &[(&str, &str, &str)] = &[
    ("AL", "Alabama", "01"),
    ("AK", "Alaska", "02"),
    ("AZ", "Arizona", "04"),
    ("AR", "Arkansas", "05"),
    ("CA", "California", "06"),
    ("CO", "Colorado", "08"),
    ("CT", "Connecticut", "09"),
    ("DE", "Delaware", "10"),
    ("FL", "Florida", "12"),
    ("GA", "Georgia", "13"),
    ("HI", "Hawaii", "15"),
    ("ID", "Idaho", "16"),
    ("IL", "Illinois", "17"),
    ("IN", "Indiana", "18"),
    ("IA", "Iowa", "19"),
    ("KS", "Kansas", "20"),
    ("KY", "Kentucky", "21"),
    ("LA", "Louisiana", "22"),
    ("ME", "Maine", "23"),
    ("MD", "Maryland", "24"),
    ("MA", "Massachusetts", "25"),
    ("MI", "Michigan", "26"),
    ("MN", "Minnesota", "27"),
    ("MS", "Mississippi", "28"),
    ("MO", "Missouri", "29"),
    ("MT", "Montana", "30"),
    ("NE", "Nebraska", "31"),
    ("NV", "Nevada", "32"),
    ("NH", "New Hampshire", "33"),
    ("NJ", "New Jersey", "34"),
    ("NM", "New Mexico", "35"),
    ("NY", "New York", "36"),
    ("NC", "North Carolina", "37"),
    ("ND", "North Dakota", "38"),
    ("OH", "Ohio", "39"),
    ("OK", "Oklahoma", "40"),
    ("OR", "Oregon", "41"),
    ("PA", "Pennsylvania", "42"),
    ("RI", "Rhode Island", "44"),
    ("SC", "South Carolina", "45"),
    ("SD", "South Dakota", "46"),
    ("TN", "Tennessee", "47"),
    ("TX", "Texas", "48"),
    ("UT", "Utah", "49"),
    ("VT", "Vermont", "50"),
    ("VA", "Virginia", "51"),
    ("WA", "Washington", "53"),
    ("WV", "West Virginia", "54"),
    ("WI", "Wisconsin", "55"),
    ("WY", "Wyoming", "56"),
    ("AS", "American Samoa", "60"),
    ("GU", "Guam", "66"),
    ("MP", "Northern Mariana Islands", "69"),
    ("PR", "Puerto Rico", "72"),
    ("VI", "Virgin Islands", "78"),
];

fn field(state: &(&str, &str, &str), name: &str) -> PyResult<Value> {
    let (abbr, full, fips) = *state;
    match name {
        "abbr" => Ok(Value::str(abbr)),
        "name" => Ok(Value::str(full)),
        "fips" => Ok(Value::str(fips)),
        _ => Err(value_err(format!(
            "us.states: the field '{name}' is not available in this runtime"
        ))),
    }
}

/// `us.states.NAME(...)`; `None` if unknown.
pub fn states_call(cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    match name {
        "mapping" => {
            let from = req(args, 0, "from_field", name)?.clone();
            let from = cx.to_str(&from)?;
            let to = req(args, 1, "to_field", name)?.clone();
            let to = cx.to_str(&to)?;
            let mut d = Dict::new();
            for st in STATES {
                let k = field(st, &from)?;
                let key = pyeval::Key::from_value(&k, cx.heap())?;
                d.insert(key, k, field(st, &to)?);
            }
            Ok(Some(cx.heap_mut().new_dict(d)))
        }
        _ => Ok(None),
    }
}
