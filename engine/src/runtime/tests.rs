//! Runtime tests live next to the code and in `engine/tests/runtime_*.rs`.
