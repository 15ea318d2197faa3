//! PostgreSQL's `COPY` text format: a row is its values separated by tabs and ended by a
//! newline; NULL is `\N`; a backslash, tab, newline or carriage return inside text is escaped
//! with a backslash.

use super::Value;
use std::io::Write;

/// Appends `row` to `out` as one line of `COPY … FROM STDIN` text.
pub fn write_row(out: &mut Vec<u8>, row: &[Value]) {
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match value {
            Value::Null => out.extend_from_slice(b"\\N"),
            Value::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Float(x) if x.is_nan() => out.extend_from_slice(b"NaN"),
            Value::Float(x) if x.is_infinite() => {
                let sign: &[u8] = if *x < 0.0 { b"-" } else { b"" };
                out.extend_from_slice(sign);
                out.extend_from_slice(b"Infinity");
            }
            // Rust writes the shortest text that reads back as the same double.
            Value::Float(x) => {
                let _ = write!(out, "{x:?}");
            }
            Value::Text(text) => escape(out, text),
        }
    }
    out.push(b'\n');
}

fn escape(out: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_copy_reads_them() {
        let mut out = Vec::new();
        let row = [
            Value::Int(-42),
            Value::Null,
            Value::Float(0.1),
            Value::Float(f64::NEG_INFINITY),
            Value::Text("a\tb\\c\nd\re ✓".into()),
        ];
        write_row(&mut out, &row);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "-42\t\\N\t0.1\t-Infinity\ta\\tb\\\\c\\nd\\re ✓\n"
        );
    }
}
