//! Reads an import file a row at a time, whatever its size: CSV through the `csv` crate (quoted
//! fields, embedded newlines), NDJSON a line at a time with a cap on a line's length. Each row
//! says where the next one starts, so a stopped import resumes by seeking there. A cell that
//! is not UTF-8 is a problem at its row and column, not a failure of the file.

use super::model::{ImportFormat, RowProblem};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

/// Longest NDJSON line read (an event or a customer is far smaller).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// One row's cells: CSV values by column, or an NDJSON line's object.
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    /// The values of a CSV row, one per header column.
    Csv(Vec<String>),
    /// An NDJSON line.
    Json(Map<String, Value>),
}

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its number as a spreadsheet shows it (CSV: the header is row 1) or its line (NDJSON).
    pub number: i64,
    /// Where the next row starts, in bytes.
    pub next_byte: u64,
    /// The cells, or why the row cannot be read.
    pub cells: Result<Cells, RowProblem>,
}

/// An open import file.
pub struct ImportFile {
    inner: Inner,
    /// The CSV header (empty for NDJSON).
    pub headers: Vec<String>,
    /// The row number of the last row read.
    number: i64,
    /// Rows read ahead (to tell a report's footer from data), to give before reading on.
    pending: std::collections::VecDeque<Row>,
}

enum Inner {
    Csv(csv::Reader<File>),
    Ndjson { reader: BufReader<File>, at: u64 },
}

/// What is wrong with a file as a whole.
fn not_text(what: &str) -> RowProblem {
    RowProblem::new(
        1,
        "",
        format!(
            "This is not a CSV or NDJSON text file ({what}). Export the data as CSV (UTF-8) with \
             a header row, or as one JSON object a line."
        ),
    )
}

impl ImportFile {
    /// Opens `path` as `format`, reads the CSV header, and goes to the data row after
    /// `rows_done` rows (at byte `resume_at`, 0 for the start).
    pub fn open(
        path: &str,
        format: ImportFormat,
        rows_done: i64,
        resume_at: u64,
    ) -> Result<Self, RowProblem> {
        let file = File::open(path)
            .map_err(|e| RowProblem::new(0, "", format!("cannot open the file: {e}")))?;
        match format {
            ImportFormat::Csv => Self::open_csv(file, rows_done, resume_at),
            ImportFormat::Ndjson => {
                let mut reader = BufReader::with_capacity(256 * 1024, file);
                let mut at = 0;
                if resume_at > 0 {
                    reader
                        .seek(SeekFrom::Start(resume_at))
                        .map_err(|e| RowProblem::new(0, "", format!("cannot resume: {e}")))?;
                    at = resume_at;
                } else if reader
                    .fill_buf()
                    .is_ok_and(|b| b.starts_with(b"\xEF\xBB\xBF"))
                {
                    reader.consume(3);
                    at = 3;
                }
                Ok(Self {
                    inner: Inner::Ndjson { reader, at },
                    headers: Vec::new(),
                    number: rows_done,
                    pending: Default::default(),
                })
            }
        }
    }

    fn open_csv(mut file: File, rows_done: i64, resume_at: u64) -> Result<Self, RowProblem> {
        let mut first = Vec::with_capacity(4096);
        (&mut file)
            .take(64 * 1024)
            .read_to_end(&mut first)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .map_err(|e| RowProblem::new(0, "", format!("cannot read the file: {e}")))?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter_of(&first))
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(file);
        let mut header = csv::ByteRecord::new();
        match reader.read_byte_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(RowProblem::new(1, "", "The file is empty.")),
            Err(e) => return Err(not_text(&e.to_string())),
        }
        let mut headers = Vec::with_capacity(header.len());
        for (index, field) in header.iter().enumerate() {
            let field = if index == 0 {
                field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
            } else {
                field
            };
            match std::str::from_utf8(field) {
                Ok(text) if !text.contains('\0') => headers.push(text.trim().to_string()),
                Ok(_) => return Err(not_text("the first row holds NUL bytes")),
                Err(_) => return Err(not_text("the first row is not UTF-8")),
            }
        }
        if resume_at > 0 {
            let mut position = csv::Position::new();
            position.set_byte(resume_at);
            reader
                .seek(position)
                .map_err(|e| RowProblem::new(0, "", format!("cannot resume: {e}")))?;
        }
        Ok(Self {
            inner: Inner::Csv(reader),
            headers,
            number: rows_done + 1,
            pending: Default::default(),
        })
    }

    /// The next data row, `None` at the end of the file. A CSV's one-cell rows at its end
    /// that hold a report's footer (Salesforce's "Copyright (c) … salesforce.com",
    /// "Confidential Information - Do Not Distribute", with the report's name and who ran it)
    /// are not rows.
    pub fn next_row(&mut self) -> Option<Row> {
        if let Some(row) = self.pending.pop_front() {
            return Some(row);
        }
        if matches!(self.inner, Inner::Ndjson { .. }) {
            return self.next_line();
        }
        let (row, one_cell) = self.next_record()?;
        if one_cell.is_none() || self.headers.len() < 2 {
            return Some(row);
        }
        let mut held = vec![(row, one_cell)];
        while held.last().is_some_and(|(_, cell)| cell.is_some()) {
            match self.next_record() {
                Some(next) => held.push(next),
                None if held.iter().any(|(_, cell)| is_footer(cell.as_deref())) => return None,
                None => break,
            }
        }
        self.pending = held.into_iter().map(|(row, _)| row).collect();
        self.pending.pop_front()
    }

    /// The next CSV record as a row, with its text when it is a one-cell row.
    fn next_record(&mut self) -> Option<(Row, Option<String>)> {
        let Inner::Csv(reader) = &mut self.inner else {
            return None;
        };
        let mut record = csv::ByteRecord::new();
        loop {
            self.number += 1;
            let number = self.number;
            let cells = match reader.read_byte_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => csv_cells(&record, &self.headers, number),
                Err(e) => Err(RowProblem::new(
                    number,
                    "",
                    format!("cannot be read as CSV: {e}"),
                )),
            };
            let next_byte = reader.position().byte();
            let one_cell =
                (record.len() == 1).then(|| String::from_utf8_lossy(&record[0]).trim().to_string());
            if one_cell.as_deref() == Some("") {
                // A blank line: not a row.
                continue;
            }
            let row = Row {
                number,
                next_byte,
                cells,
            };
            return Some((row, one_cell));
        }
    }

    fn next_line(&mut self) -> Option<Row> {
        self.number += 1;
        let number = self.number;
        let Inner::Ndjson { reader, at } = &mut self.inner else {
            return None;
        };
        let (line, read) = match read_line(reader) {
            Ok(Some(found)) => found,
            Ok(None) => return None,
            Err(e) => {
                return Some(Row {
                    number,
                    next_byte: *at,
                    cells: Err(RowProblem::new(number, "", format!("cannot be read: {e}"))),
                })
            }
        };
        *at += read;
        let next_byte = *at;
        let cells = match line {
            Line::TooLong => Err(RowProblem::new(
                number,
                "",
                format!("is longer than {} bytes", MAX_LINE_BYTES),
            )),
            Line::Text(bytes) => {
                let trimmed = bytes.trim_ascii();
                if trimmed.is_empty() {
                    return self.next_line();
                }
                json_cells(trimmed, number)
            }
        };
        Some(Row {
            number,
            next_byte,
            cells,
        })
    }
}

/// Whether a one-cell row is a line of a report's footer.
fn is_footer(cell: Option<&str>) -> bool {
    cell.is_some_and(|text| {
        (text.starts_with("Copyright (c)") && text.contains("salesforce.com"))
            || text == "Confidential Information - Do Not Distribute"
    })
}

fn csv_cells(
    record: &csv::ByteRecord,
    headers: &[String],
    number: i64,
) -> Result<Cells, RowProblem> {
    if record.len() != headers.len() {
        return Err(RowProblem::new(
            number,
            "",
            format!(
                "has {} values but the header row names {} columns",
                record.len(),
                headers.len()
            ),
        ));
    }
    let mut values = Vec::with_capacity(record.len());
    for (index, field) in record.iter().enumerate() {
        match std::str::from_utf8(field) {
            Ok(text) => values.push(text.to_string()),
            Err(_) => {
                return Err(RowProblem::new(
                    number,
                    headers[index].clone(),
                    "is not UTF-8 text: save the file as CSV UTF-8",
                ))
            }
        }
    }
    Ok(Cells::Csv(values))
}

fn json_cells(bytes: &[u8], number: i64) -> Result<Cells, RowProblem> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| RowProblem::new(number, "", "is not UTF-8 text: save the file as UTF-8"))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(Cells::Json(object)),
        Ok(_) => Err(RowProblem::new(number, "", "must be one JSON object")),
        Err(e) => Err(RowProblem::new(
            number,
            "",
            format!("is not valid JSON: {e}"),
        )),
    }
}

enum Line {
    Text(Vec<u8>),
    TooLong,
}

/// One line (without its end), and how many bytes it took; a line over the cap is skipped.
fn read_line(reader: &mut BufReader<File>) -> std::io::Result<Option<(Line, u64)>> {
    let mut line = Vec::new();
    let read = (&mut *reader)
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    let mut total = read as u64;
    if line.last() != Some(&b'\n') && read > MAX_LINE_BYTES {
        // Skip the rest of the over-long line.
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let more = (&mut *reader)
                .take(64 * 1024)
                .read_until(b'\n', &mut rest)?;
            total += more as u64;
            if more == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
        return Ok(Some((Line::TooLong, total)));
    }
    Ok(Some((Line::Text(line), total)))
}

/// The first bytes of a file, to tell its format.
/// The delimiter of a CSV file: whichever of comma, semicolon and tab its header line uses
/// most outside quotes (Excel in much of Europe saves with semicolons; "Unicode text" and
/// some CRMs with tabs); a comma when none is there.
pub fn delimiter_of(first_line: &[u8]) -> u8 {
    let candidates = [b',', b';', b'\t'];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in first_line {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if quoted => {}
            _ => {
                if let Some(at) = candidates.iter().position(|c| *c == byte) {
                    counts[at] += 1;
                }
            }
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    best.filter(|&i| counts[i] > 0)
        .map_or(b',', |i| candidates[i])
}

pub fn head(path: &str) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    File::open(path)?.take(512).read_to_end(&mut head)?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(content: &[u8]) -> (tempfile_path::Path, String) {
        let path = tempfile_path::Path::new();
        let mut f = File::create(&path.0).expect("create");
        f.write_all(content).expect("write");
        let name = path.0.to_string_lossy().into_owned();
        (path, name)
    }

    mod tempfile_path {
        /// A file in the temporary directory, removed when dropped.
        pub struct Path(pub std::path::PathBuf);
        impl Path {
            pub fn new() -> Self {
                Self(std::env::temp_dir().join(format!("cp-reader-{}", uuid::Uuid::new_v4())))
            }
        }
        impl Drop for Path {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
    }

    fn rows(mut file: ImportFile) -> Vec<Row> {
        std::iter::from_fn(|| file.next_row()).collect()
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_and_resume_where_they_stopped() {
        let (_keep, path) =
            file(b"\xEF\xBB\xBFemail,city\na@x.io,\"Cork,\nIE\"\n\nb@x.io,Lyon\nc@x.io\n");
        let opened = ImportFile::open(&path, ImportFormat::Csv, 0, 0).expect("opens");
        assert_eq!(opened.headers, ["email", "city"]);
        let all = rows(opened);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].number, 2);
        assert_eq!(
            all[0].cells,
            Ok(Cells::Csv(vec!["a@x.io".into(), "Cork,\nIE".into()]))
        );
        assert_eq!(all[1].number, 3);
        assert!(all[2]
            .cells
            .as_ref()
            .is_err_and(|p| p.row == 4 && p.message.contains("1 values")));
        let resumed =
            ImportFile::open(&path, ImportFormat::Csv, 1, all[0].next_byte).expect("resumes");
        let rest = rows(resumed);
        assert_eq!(rest[0].number, 3);
        assert_eq!(
            rest[0].cells,
            Ok(Cells::Csv(vec!["b@x.io".into(), "Lyon".into()]))
        );
    }

    #[test]
    fn the_delimiter_is_read_from_the_header() {
        assert_eq!(delimiter_of(b"Email;Vorname;Nachname\na@b;x;y"), b';');
        assert_eq!(delimiter_of(b"Email\tName\r\n"), b'\t');
        assert_eq!(delimiter_of(b"\"Last; First\",Email\n"), b',');
        assert_eq!(delimiter_of(b"Email\n"), b',');
        let (_guard, path) = file(b"Email;Vorname\nmia@example.test;Mia\n");
        let mut file = ImportFile::open(&path, ImportFormat::Csv, 0, 0).expect("opens");
        assert_eq!(file.headers, ["Email", "Vorname"]);
        let row = file.next_row().expect("a row");
        assert_eq!(
            row.cells,
            Ok(Cells::Csv(vec!["mia@example.test".into(), "Mia".into()]))
        );
    }

    #[test]
    fn a_cell_in_another_encoding_is_named_and_a_binary_file_is_refused() {
        let (_keep, path) = file(b"email,city\na@x.io,M\xFCnchen\n");
        let all = rows(ImportFile::open(&path, ImportFormat::Csv, 0, 0).expect("opens"));
        let problem = all[0].cells.as_ref().expect_err("latin-1");
        assert_eq!((problem.row, problem.field.as_str()), (2, "city"));
        let (_keep2, binary) = file(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe");
        let refused = ImportFile::open(&binary, ImportFormat::Csv, 0, 0)
            .err()
            .expect("refused");
        assert!(refused.message.starts_with("This is not a CSV"));
    }

    #[test]
    fn a_salesforce_reports_footer_is_not_rows_but_a_stray_line_is() {
        let report = b"\"First Name\",\"Email\"\n\"Jos\xc3\xa9\",\"jose@example.test\"\n\n\
            \"My Contacts\"\n\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n\
            \"Confidential Information - Do Not Distribute\"\n\
            \"Generated By:  Ana Admin  12/6/2026 9:41 AM\"\n\"Example Ltd\"\n";
        let (_keep, path) = file(report);
        let all = rows(ImportFile::open(&path, ImportFormat::Csv, 0, 0).expect("opens"));
        assert_eq!(all.len(), 1);
        let (_keep2, stray) = file(b"name,email\nlost line\nAda,ada@example.test\n");
        let all = rows(ImportFile::open(&stray, ImportFormat::Csv, 0, 0).expect("opens"));
        assert_eq!(all.len(), 2);
        assert!(all[0].cells.as_ref().is_err_and(|p| p.row == 2));
        assert_eq!(all[1].number, 3);
    }

    #[test]
    fn ndjson_lines_are_objects_and_bad_lines_say_why() {
        let (_keep, path) = file(b"{\"a\":1}\n[1]\n\n{oops\n{\"b\":2}");
        let all = rows(ImportFile::open(&path, ImportFormat::Ndjson, 0, 0).expect("opens"));
        assert_eq!(all.len(), 4);
        assert!(matches!(all[0].cells, Ok(Cells::Json(_))));
        assert!(all[1]
            .cells
            .as_ref()
            .is_err_and(|p| p.row == 2 && p.message == "must be one JSON object"));
        assert!(all[2].cells.as_ref().is_err_and(|p| p.row == 4));
        assert_eq!(all[3].number, 5);
        let resumed = rows(
            ImportFile::open(&path, ImportFormat::Ndjson, 4, all[2].next_byte).expect("resumes"),
        );
        assert_eq!(resumed.len(), 1);
        assert_eq!(resumed[0].number, 5);
    }
}
