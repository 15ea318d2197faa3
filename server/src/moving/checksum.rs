//! A table's checksum that does not depend on the order its rows are read in: the sum of each
//! row's SHA-256 (first 16 bytes, wrapping); the row count is compared beside it. Both
//! databases are read in whatever order is cheapest, and a row missing, added, changed or
//! twice gives another sum.

use super::Value;
use sha2::{Digest, Sha256};

/// The checksum of a set of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checksum(u128);

impl Checksum {
    /// Adds one row: each value with its kind, so that `1` and `"1"` differ.
    pub fn add(&mut self, row: &[Value]) {
        let mut hash = Sha256::new();
        for value in row {
            match value {
                Value::Null => hash.update([0u8]),
                Value::Int(n) => {
                    hash.update([1u8]);
                    hash.update(n.to_le_bytes());
                }
                Value::Float(x) => {
                    hash.update([2u8]);
                    hash.update(x.to_bits().to_le_bytes());
                }
                Value::Text(text) => {
                    hash.update([3u8]);
                    hash.update((text.len() as u64).to_le_bytes());
                    hash.update(text.as_bytes());
                }
            }
        }
        let digest = hash.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        self.0 = self.0.wrapping_add(u128::from_le_bytes(first));
    }

    /// The checksum written as [`Display`](std::fmt::Display) writes it.
    pub fn parse(text: &str) -> Option<Self> {
        u128::from_str_radix(text, 16).ok().map(Self)
    }
}

impl std::fmt::Display for Checksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(rows: &[&[Value]]) -> Checksum {
        let mut checksum = Checksum::default();
        rows.iter().for_each(|row| checksum.add(row));
        checksum
    }

    #[test]
    fn the_order_of_rows_does_not_count_but_every_value_and_its_kind_do() {
        let a = [Value::Int(1), Value::Text("x".into())];
        let b = [Value::Text("1".into()), Value::Null];
        assert_eq!(sum(&[&a, &b]), sum(&[&b, &a]));
        assert_ne!(sum(&[&a]), sum(&[&b]));
        assert_ne!(sum(&[&a]), sum(&[&a, &a]));
        let text_one = [Value::Text("1".into()), Value::Text("x".into())];
        assert_ne!(sum(&[&a]), sum(&[&text_one]));
        let (x, y) = ([Value::Float(0.1)], [Value::Float(0.1 + 2e-16)]);
        assert_ne!(sum(&[&x]), sum(&[&y]));
    }
}
