//! Runtime tests live next to the code and in `engine/tests/it/runtime_*.rs`.
