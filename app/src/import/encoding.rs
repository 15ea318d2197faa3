//! The text encoding of an import file, told once when the file is registered: UTF-8 (with or
//! without its BOM) is read as it is; UTF-16 (what Excel saves as "Unicode text", with its BOM)
//! and the single-byte encodings of older exports (Windows-1252 / ISO-8859-1 from Salesforce
//! reports, told apart from others by `chardetng`) are decoded by `encoding_rs` into a UTF-8
//! copy, which the import then reads, so a resume's byte offsets stay exact.

use encoding_rs::{Encoding, UTF_8};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

/// How much of a file the detector reads before it guesses.
const SAMPLE_BYTES: usize = 4 * 1024 * 1024;

/// What a file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// UTF-8 already (or mostly, or not text at all): read as it is.
    Utf8,
    /// Another encoding (its WHATWG name), decoded into a UTF-8 copy.
    Decoded(&'static str),
}

/// Tells `path`'s encoding and, when it is not UTF-8, writes the UTF-8 text to `copy`.
pub fn to_utf8(path: &Path, copy: &Path) -> std::io::Result<Text> {
    let mut sample = Vec::with_capacity(64 * 1024);
    File::open(path)?
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)?;
    let encoding = match Encoding::for_bom(&sample) {
        Some((encoding, _)) if encoding == UTF_8 => return Ok(Text::Utf8),
        Some((encoding, _)) => encoding,
        // NUL bytes without a UTF-16 BOM: not text at all (the reader says so).
        None if sample.contains(&0) => return Ok(Text::Utf8),
        None => match utf8_counts(path)? {
            (0, _) => return Ok(Text::Utf8),
            // Mostly UTF-8 with a few stray bytes: read as UTF-8, the bad cells named by
            // the reader (decoding it all as Windows-1252 would garble the good ones).
            (malformed, non_ascii) if non_ascii > malformed => return Ok(Text::Utf8),
            _ => guess(&sample),
        },
    };
    decode_into(path, copy, encoding)?;
    Ok(Text::Decoded(encoding.name()))
}

/// Calls `each` with `path`'s bytes a megabyte at a time, the last call with an empty chunk
/// and `true`.
fn for_each_chunk(
    path: &Path,
    mut each: impl FnMut(&[u8], bool) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1024 * 1024, File::open(path)?);
    let mut buffer = vec![0u8; 1024 * 1024];
    loop {
        let read = reader.read(&mut buffer)?;
        each(&buffer[..read], read == 0)?;
        if read == 0 {
            return Ok(());
        }
    }
}

/// How the whole file reads as UTF-8 (a character split across two chunks allowed): its
/// malformed sequences and its well-formed non-ASCII characters.
fn utf8_counts(path: &Path) -> std::io::Result<(usize, usize)> {
    let mut decoder = UTF_8.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(4 * 1024 * 1024 + 16);
    let (mut malformed, mut non_ascii) = (0, 0);
    for_each_chunk(path, |mut input, last| loop {
        out.clear();
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(input, &mut out, last);
        non_ascii += out.chars().filter(|c| !c.is_ascii()).count();
        input = &input[consumed..];
        match result {
            encoding_rs::DecoderResult::Malformed(..) => malformed += 1,
            _ => return Ok(()),
        }
    })?;
    Ok((malformed, non_ascii))
}

/// The likeliest legacy encoding of `sample` (Windows-1252 for Western European text).
fn guess(sample: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, true);
    detector.guess(None, true)
}

/// Decodes `path` from `encoding` into UTF-8 at `copy` (its BOM dropped).
fn decode_into(path: &Path, copy: &Path, encoding: &'static Encoding) -> std::io::Result<()> {
    let mut writer = BufWriter::new(File::create(copy)?);
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut out = String::new();
    for_each_chunk(path, |mut input, last| loop {
        out.clear();
        out.reserve(
            decoder
                .max_utf8_buffer_length(input.len())
                .unwrap_or(4 * input.len() + 16),
        );
        let (result, consumed, _) = decoder.decode_to_string(input, &mut out, last);
        writer.write_all(out.as_bytes())?;
        input = &input[consumed..];
        if result == encoding_rs::CoderResult::InputEmpty {
            return Ok(());
        }
    })?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8]) -> (Text, String) {
        let dir = std::env::temp_dir().join(format!("cp-encoding-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let (path, copy) = (dir.join("in.csv"), dir.join("out.csv"));
        std::fs::write(&path, bytes).expect("the file written");
        let text = to_utf8(&path, &copy).expect("read");
        let read = std::fs::read_to_string(if text == Text::Utf8 { &path } else { &copy });
        std::fs::remove_dir_all(&dir).expect("cleaned up");
        (text, read.expect("UTF-8 text"))
    }

    #[test]
    fn utf8_is_read_as_it_is() {
        let (text, read) = round_trip("email,name\na@b.test,Zoë\n".as_bytes());
        assert_eq!(
            (text, read.as_str()),
            (Text::Utf8, "email,name\na@b.test,Zoë\n")
        );
    }

    #[test]
    fn a_latin1_report_is_decoded() {
        let (text, read) =
            round_trip(b"Email,First Name\njose@b.test,Jos\xe9\nzoe@b.test,Zo\xeb\n");
        assert_eq!(text, Text::Decoded("windows-1252"));
        assert_eq!(read, "Email,First Name\njose@b.test,José\nzoe@b.test,Zoë\n");
    }

    #[test]
    fn a_utf8_file_with_a_stray_byte_or_a_binary_file_is_read_as_it_is() {
        let dir = std::env::temp_dir().join(format!("cp-encoding-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let (path, copy) = (dir.join("in.csv"), dir.join("out.csv"));
        for bytes in [
            &b"name\nZo\xc3\xab\nJos\xc3\xa9\nBad\xe9\n"[..],
            &b"\x89PNG\r\n\x1a\n\x00\x00\xff"[..],
        ] {
            std::fs::write(&path, bytes).expect("the file written");
            assert_eq!(to_utf8(&path, &copy).expect("read"), Text::Utf8);
            assert!(!copy.exists(), "no copy");
        }
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }

    #[test]
    fn excels_unicode_text_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Email\tName\r\nz@b.test\tZoë\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, read) = round_trip(&bytes);
        assert_eq!(text, Text::Decoded("UTF-16LE"));
        assert_eq!(read, "Email\tName\r\nz@b.test\tZoë\r\n");
    }
}
