//! Deterministic sandbox limits: fuel (steps), memory (bytes charged before allocating) and depth.

use serde::{Deserialize, Serialize};

use crate::error::{Flow, LimitKind, PyResult};

/// Sandbox limits for one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Steps: one per statement, expression node and loop iteration.
    pub fuel: u64,
    /// Bytes that evaluation may allocate (charged before each allocation of strings/containers).
    pub mem_bytes: usize,
    /// Maximum nesting depth of the source (checked before parsing and while lowering).
    pub max_nesting: u32,
    /// Maximum evaluation depth (nested expression evaluation plus function calls).
    pub max_eval_depth: u32,
    /// Maximum depth of Python-level function calls.
    pub max_call_depth: u32,
    /// Maximum source length in bytes accepted by the compiler.
    pub max_source_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 1_000_000,
            mem_bytes: 32 << 20,
            max_nesting: 64,
            max_eval_depth: 400,
            max_call_depth: 40,
            max_source_len: 200_000,
        }
    }
}

/// The running counters of one evaluation.
#[derive(Debug, Clone)]
pub struct Budget {
    fuel: u64,
    mem: usize,
}

impl Budget {
    /// A fresh budget from `limits`.
    pub fn new(limits: &Limits) -> Self {
        Budget {
            fuel: limits.fuel,
            mem: limits.mem_bytes,
        }
    }
    /// Charges `n` steps.
    #[inline]
    pub fn fuel(&mut self, n: u64) -> PyResult<()> {
        if self.fuel < n {
            self.fuel = 0;
            return Err(Flow::Limit(LimitKind::Fuel));
        }
        self.fuel -= n;
        Ok(())
    }
    /// Charges `bytes` of memory, before the allocation happens.
    #[inline]
    pub fn mem(&mut self, bytes: usize) -> PyResult<()> {
        if self.mem < bytes {
            return Err(Flow::Limit(LimitKind::Memory));
        }
        self.mem -= bytes;
        Ok(())
    }
    /// Charges `count` items of `size` bytes each (overflow-safe).
    #[inline]
    pub fn mem_items(&mut self, count: usize, size: usize) -> PyResult<()> {
        match count.checked_mul(size) {
            Some(b) => self.mem(b),
            None => Err(Flow::Limit(LimitKind::Memory)),
        }
    }
    /// Steps left.
    pub fn fuel_left(&self) -> u64 {
        self.fuel
    }
    /// Bytes left.
    pub fn mem_left(&self) -> usize {
        self.mem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_runs_out() {
        let mut b = Budget::new(&Limits {
            fuel: 3,
            mem_bytes: 10,
            ..Limits::default()
        });
        assert!(b.fuel(2).is_ok());
        assert_eq!(b.fuel(2), Err(Flow::Limit(LimitKind::Fuel)));
        assert!(b.mem(10).is_ok());
        assert_eq!(b.mem(1), Err(Flow::Limit(LimitKind::Memory)));
        assert_eq!(
            b.mem_items(usize::MAX, 2),
            Err(Flow::Limit(LimitKind::Memory))
        );
    }
}
