//! Fuzz target: compile arbitrary text as a block and as an expression, run whatever compiles
//! under tight limits, round-trip the IR and the state through JSON. Must never panic, hang or
//! overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyeval::{Limits, NoHost, State};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let lim = Limits { fuel: 20_000, mem_bytes: 4 << 20, ..Limits::default() };
    if let Ok(block) = pyeval::compile_block_with(src, &lim) {
        let mut st = State::new();
        let _ = pyeval::exec_block(&block, &mut st, &NoHost, &lim);
        if let Ok(json) = serde_json::to_string(&block) {
            let back: pyeval::Block = serde_json::from_str(&json).expect("IR round-trips");
            assert_eq!(back, block);
        }
        st.collect_garbage();
        if let Ok(json) = serde_json::to_string(&st) {
            let _back: State = serde_json::from_str(&json).expect("state round-trips");
        }
    }
    if let Ok(expr) = pyeval::compile_expr_with(src, &lim) {
        let mut st = State::new();
        let _ = pyeval::eval_expr(&expr, &mut st, &NoHost, &lim);
    }
});
