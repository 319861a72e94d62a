//! Property tests: the compiler never panics on arbitrary input, paths round-trip through text,
//! integer arithmetic matches an i128 reference with Python's floor semantics, float repr
//! round-trips.

#![cfg(feature = "parser")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use proptest::prelude::*;
use pyeval::{Flow, Limits, NoHost, Path, Seg, State, Value, compile_block, compile_expr};

fn pythonish() -> impl Strategy<Value = String> {
    let tok = prop_oneof![
        Just("x".to_string()),
        Just("user.name".to_string()),
        Just(" + ".to_string()),
        Just(" // ".to_string()),
        Just(" ** ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(":".to_string()),
        Just("\n".to_string()),
        Just("    ".to_string()),
        Just("if ".to_string()),
        Just("for i in range(3)".to_string()),
        Just("lambda a: ".to_string()),
        Just("f'{".to_string()),
        Just("'s'".to_string()),
        Just("1".to_string()),
        Just("2.5".to_string()),
        Just(" = ".to_string()),
        Just(", ".to_string()),
        Just("not ".to_string()),
        Just(" and ".to_string()),
        Just("def g(*a, **k):".to_string()),
        Just("return ".to_string()),
        Just("try:".to_string()),
        Just("except:".to_string()),
        Just("while x:".to_string()),
        Just("[c for c in x]".to_string()),
        Just("del ".to_string()),
        Just("__class__".to_string()),
        Just("import".to_string()),
        "[a-z0-9_ +*/%<>=!().,:\\[\\]{}'\"\n-]{1,6}",
    ];
    prop::collection::vec(tok, 0..40).prop_map(|v| v.concat())
}

fn ident() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_]{0,8}".prop_filter("no dunder", |s| !s.starts_with("__"))
}

fn path() -> impl Strategy<Value = Path> {
    let seg = prop_oneof![
        ident().prop_map(|s| Seg::Attr(Arc::from(s))),
        any::<i64>().prop_map(Seg::Index),
        ".{0,8}".prop_map(|s: String| Seg::Key(Arc::from(s))),
    ];
    (ident(), prop::collection::vec(seg, 0..6)).prop_map(|(root, segs)| Path {
        root: Arc::from(root),
        segs,
    })
}

fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

fn int_strategy() -> impl Strategy<Value = i64> {
    prop_oneof![
        -100i64..100,
        any::<i64>(),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn compile_and_run_never_panic(src in pythonish()) {
        let lim = Limits { fuel: 5_000, mem_bytes: 1 << 20, ..Limits::default() };
        if let Ok(b) = compile_block(&src) {
            let mut st = State::new();
            let _ = pyeval::exec_block(&b, &mut st, &NoHost, &lim);
        }
        if let Ok(e) = compile_expr(&src) {
            let mut st = State::new();
            let _ = pyeval::eval_expr(&e, &mut st, &NoHost, &lim);
        }
    }

    #[test]
    fn compile_never_panics_on_any_text(src in ".{0,200}") {
        let _ = compile_block(&src);
        let _ = compile_expr(&src);
    }

    #[test]
    fn paths_round_trip(p in path()) {
        let text = p.to_string();
        prop_assert_eq!(Path::parse(&text).unwrap(), p);
    }

    #[test]
    fn int_ops_match_i128(a in int_strategy(), b in int_strategy()) {
        let lim = Limits::default();
        for op in ["+", "-", "*", "//", "%"] {
            let mut st = State::new();
            st.set("a", Value::Int(a));
            st.set("b", Value::Int(b));
            let e = compile_expr(&format!("a {op} b")).unwrap();
            let got = pyeval::eval_expr(&e, &mut st, &NoHost, &lim);
            let (x, y) = (i128::from(a), i128::from(b));
            let want: Option<i128> = match op {
                "+" => Some(x + y),
                "-" => Some(x - y),
                "*" => Some(x * y),
                "//" => (y != 0).then(|| floor_div(x, y)),
                _ => (y != 0).then(|| x - floor_div(x, y) * y),
            };
            match (want, got) {
                (None, Err(Flow::Raise(e))) => prop_assert_eq!(e.kind.as_str(), "ZeroDivisionError"),
                (Some(w), Ok(Value::Int(g))) => prop_assert_eq!(w, i128::from(g)),
                (Some(w), Err(Flow::Raise(e))) => {
                    prop_assert!(i64::try_from(w).is_err(), "{} {} {}: {:?}", a, op, b, e);
                    prop_assert_eq!(e.kind.as_str(), "OverflowError");
                }
                (w, g) => prop_assert!(false, "{} {} {}: want {:?} got {:?}", a, op, b, w, g),
            }
        }
    }

    #[test]
    fn float_repr_round_trips(bits in any::<u64>()) {
        let f = f64::from_bits(bits);
        let r = pyeval::format::float_repr(f);
        if f.is_nan() {
            prop_assert_eq!(r, "nan");
        } else {
            prop_assert_eq!(pyeval::format::parse_float(&r).unwrap().to_bits(), f.to_bits());
            prop_assert!(r.contains('.') || r.contains('e') || r.contains("inf"));
        }
    }

    #[test]
    fn int_float_equality_is_consistent(a in -(1i64 << 60)..(1i64 << 60)) {
        let mut st = State::new();
        st.set("a", Value::Int(a));
        let e = compile_expr("(a == float(a), {a: 1}.get(float(a)) if float(a) == a else 1, hash_ok := True)").unwrap();
        let v = pyeval::eval_expr(&e, &mut st, &NoHost, &Limits::default()).unwrap();
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        let exact = (a as f64) as i64 == a;
        let Value::Tuple(t) = v else { panic!() };
        prop_assert_eq!(&t[0], &Value::Bool(exact));
        prop_assert_eq!(&t[1], &Value::Int(1));
    }
}
