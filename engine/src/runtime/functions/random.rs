//! Python's `random` module: the Mersenne Twister (MT19937) seeded as CPython seeds it, so
//! `seed(30)` followed by `random()`, `randint()`, `choice()` or `shuffle()` gives CPython's
//! numbers. Without a seed the generator starts from the host's clock.

use pyeval::{Args, Flow, Interp, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{req, type_err, value_err};

/// The module's functions (`from random import *` binds these).
pub const NAMES: &[&str] = &[
    "random",
    "seed",
    "randint",
    "randrange",
    "choice",
    "shuffle",
    "uniform",
];

const N: usize = 624;
const M: usize = 397;

/// MT19937, CPython's `_random.Random`.
#[derive(Debug, Clone)]
pub struct Mt {
    state: Box<[u32; N]>,
    index: usize,
}

impl Mt {
    fn init_genrand(s: u32) -> Self {
        let mut state = Box::new([0u32; N]);
        state[0] = s;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt { state, index: N }
    }

    /// `init_by_array`, as CPython's `random.seed(n)` calls it with the 32-bit words of
    /// `abs(n)`, least significant first.
    pub fn from_key(key: &[u32]) -> Self {
        let mut mt = Mt::init_genrand(19_650_218);
        let mt_state = &mut mt.state;
        let (mut i, mut j) = (1usize, 0usize);
        let len = key.len().max(1);
        for _ in 0..N.max(len) {
            let prev = mt_state[i - 1];
            mt_state[i] = (mt_state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key.get(j).copied().unwrap_or(0))
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt_state[0] = mt_state[N - 1];
                i = 1;
            }
            if j >= len {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt_state[i - 1];
            mt_state[i] = (mt_state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt_state[0] = mt_state[N - 1];
                i = 1;
            }
        }
        mt_state[0] = 0x8000_0000;
        mt
    }

    /// `random.seed(n)` for an integer `n`.
    pub fn seeded(n: i64) -> Self {
        let mut a = n.unsigned_abs();
        let mut key = Vec::new();
        while a > 0 {
            key.push((a & 0xffff_ffff) as u32);
            a >>= 32;
        }
        if key.is_empty() {
            key.push(0);
        }
        Mt::from_key(&key)
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.state[k] & 0x8000_0000) | (self.state[(k + 1) % N] & 0x7fff_ffff);
                let mut v = self.state[(k + M) % N] ^ (y >> 1);
                if y & 1 != 0 {
                    v ^= 0x9908_b0df;
                }
                self.state[k] = v;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random.random()`: 53 random bits in [0, 1).
    pub fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `getrandbits(k)` for `k` ≤ 64.
    fn bits(&mut self, k: u32) -> u64 {
        if k <= 32 {
            return u64::from(self.next_u32() >> (32 - k));
        }
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32() >> (64 - k));
        low | (high << 32)
    }

    /// `_randbelow(n)`: a uniform integer in [0, n), by rejection as CPython does.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.bits(k);
            if r < n {
                return r;
            }
        }
    }
}

fn int_arg(args: &Args, i: usize, name: &str, func: &str) -> PyResult<i64> {
    match req(args, i, name, func)? {
        Value::Int(n) => Ok(*n),
        Value::Bool(b) => Ok(i64::from(*b)),
        _ => Err(type_err(format!("{func}: {name} must be an integer"))),
    }
}

fn float_arg(args: &Args, i: usize, name: &str, func: &str) -> PyResult<f64> {
    match req(args, i, name, func)? {
        Value::Int(n) => Ok(*n as f64),
        Value::Float(f) => Ok(*f),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        _ => Err(type_err(format!("{func}: {name} must be a number"))),
    }
}

/// `a + below(b - a)` (`randrange(a, b)`), an error for an empty range.
fn range(h: &DaHost, a: i64, b: i64, func: &str) -> PyResult<i64> {
    let width = b
        .checked_sub(a)
        .filter(|w| *w > 0)
        .ok_or_else(|| value_err(format!("empty range in {func}({a}, {b})")))?;
    let r = h.with_rng(|mt| mt.below(width.unsigned_abs()));
    a.checked_add(i64::try_from(r).unwrap_or(0))
        .ok_or_else(|| Flow::raise("OverflowError", "integer too large"))
}

/// `random.NAME(...)`; `None` if the module has no such function.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let v = match name {
        "random" => Value::Float(h.with_rng(Mt::random)),
        "seed" => {
            let n = match args.get(0, "a") {
                None | Some(Value::None) => None,
                Some(Value::Int(n)) => Some(*n),
                Some(Value::Bool(b)) => Some(i64::from(*b)),
                Some(_) => return Err(type_err("random.seed: only integer seeds are supported")),
            };
            h.seed_rng(n);
            Value::None
        }
        "randint" => {
            let (a, b) = (int_arg(args, 0, "a", name)?, int_arg(args, 1, "b", name)?);
            let end = b
                .checked_add(1)
                .ok_or_else(|| Flow::raise("OverflowError", "integer too large"))?;
            Value::Int(range(h, a, end, name)?)
        }
        "randrange" => {
            let first = int_arg(args, 0, "start", name)?;
            let v = match args.get(1, "stop") {
                None | Some(Value::None) => range(h, 0, first, name)?,
                Some(_) => range(h, first, int_arg(args, 1, "stop", name)?, name)?,
            };
            Value::Int(v)
        }
        "uniform" => {
            let (a, b) = (
                float_arg(args, 0, "a", name)?,
                float_arg(args, 1, "b", name)?,
            );
            Value::Float(a + (b - a) * h.with_rng(Mt::random))
        }
        "choice" => {
            let seq = req(args, 0, "seq", name)?.clone();
            let items = cx.collect(&seq)?;
            if items.is_empty() {
                return Err(Flow::raise(
                    "IndexError",
                    "Cannot choose from an empty sequence",
                ));
            }
            let i = h.with_rng(|mt| mt.below(items.len() as u64));
            items
                .get(usize::try_from(i).unwrap_or(0))
                .cloned()
                .unwrap_or(Value::None)
        }
        "shuffle" => {
            let seq = req(args, 0, "x", name)?.clone();
            let Value::Ref(id) = seq else {
                return Err(type_err("random.shuffle: the argument must be a list"));
            };
            let Some(list) = cx.heap_mut().list_mut(id) else {
                return Err(type_err("random.shuffle: the argument must be a list"));
            };
            for i in (1..list.len()).rev() {
                let j = h.with_rng(|mt| mt.below(i as u64 + 1));
                list.swap(i, usize::try_from(j).unwrap_or(0));
            }
            Value::None
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_numbers_are_cpythons() {
        // CPython: random.seed(30); [random.random() for _ in range(2)]
        let mut mt = Mt::seeded(30);
        assert_eq!(mt.random(), 0.539_081_564_605_810_6);
        assert_eq!(mt.random(), 0.289_196_443_639_720_5);
        // random.seed(1); [random.randint(1, 10) for _ in range(3)] == [3, 10, 2]
        let mut mt = Mt::seeded(1);
        let draws: Vec<u64> = (0..3).map(|_| 1 + mt.below(10)).collect();
        assert_eq!(draws, vec![3, 10, 2]);
    }
}
