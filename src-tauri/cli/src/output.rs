//! Output: JSON for scripts, aligned tables for people.
//!
//! Everything `standin` prints goes through here, for two reasons:
//! - **Pipes.** `standin users | head -1` closes stdout early. `println!` would panic on the broken pipe
//!   (Rust ignores SIGPIPE, so the write fails with EPIPE). We do not restore SIGPIPE's default either: it
//!   would kill the process mid-command, and `standin as … | head` must still stop its session and write the
//!   stop to the audit log. Instead a broken pipe marks stdout closed, later output is skipped, the command
//!   finishes its work and exits with its usual code (0). Any other write error (a full disk) is kept and
//!   reported at the end, exit 1. Stderr is written the same way but its errors are ignored: there is nowhere
//!   left to report them (`standin … 2>&1 | head -1`).
//! - **Terminals.** Names, emails, paths, team names and Sigma's error messages come from a server. Before
//!   they reach a terminal they are cleaned of control characters, escape sequences and bidi overrides
//!   ([`clean`]), which could otherwise recolour, retitle, clear or visually reorder the screen. JSON is not
//!   cleaned (scripts get the exact text), but control, C1 and bidi characters in it are `\u` escapes, which
//!   are the same JSON value.

use comfy_table::{presets, ContentArrangement, Table as Comfy};
use serde::Serialize;
use standin_core::model::{File, Member};
use standin_core::CoreError;
use std::io::{ErrorKind, Write};
use std::sync::{Mutex, PoisonError};

enum Stdout {
    Open,
    /// The reader went away (EPIPE): nothing more is written, and that is not an error.
    Closed,
    /// Another write error; reported by [`finish`].
    Failed(std::io::Error),
}

/// Also serializes writers, so a line is never interleaved with another.
static STDOUT: Mutex<Stdout> = Mutex::new(Stdout::Open);

/// Writes `text` to stdout as is (the caller cleans what needs cleaning).
fn write_stdout(text: &str) {
    let mut state = STDOUT.lock().unwrap_or_else(PoisonError::into_inner);
    if !matches!(*state, Stdout::Open) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        *state = if e.kind() == ErrorKind::BrokenPipe {
            Stdout::Closed
        } else {
            Stdout::Failed(e)
        };
    }
}

/// One line of text for people on stdout, cleaned with [`clean`].
pub fn line(text: &str) {
    write_stdout(&(clean(text) + "\n"));
}

/// One line on stderr (notes, warnings, errors), cleaned with [`clean`]. Write errors are ignored: a closed
/// stderr leaves nowhere to report them.
pub fn note(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all((clean(text) + "\n").as_bytes());
}

/// A progress line on stderr, redrawn in place (carriage return, then clear to the end of the line); only
/// for a terminal — the caller checks. Cleaned with [`clean`]; write errors ignored, like [`note`].
pub fn progress(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("\r\x1b[2K{}", clean(text)).as_bytes());
}

/// Clears a [`progress`] line, so the next note starts on a clean line.
pub fn progress_clear() {
    let _ = std::io::stderr().lock().write_all(b"\r\x1b[2K");
}

/// Text on stdout exactly as given (data such as CSV, whose cells the caller has already cleaned), quiet on
/// a closed pipe like everything here.
pub fn raw(text: &str) {
    write_stdout(text);
}

/// Data (CSV) on stdout through [`raw`], for code that writes with `std::io::Write`: each `write` must hold
/// whole UTF-8 characters (whole CSV rows do); kept until 64 KiB have gathered, or until `flush`.
#[derive(Default)]
pub struct RawWriter(String);

impl Write for RawWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push_str(&String::from_utf8_lossy(buf));
        if self.0.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        raw(&std::mem::take(&mut self.0));
        Ok(())
    }
}

/// Call once at the end: a write error other than a closed pipe becomes the command's error.
pub fn finish() -> Result<(), CoreError> {
    let mut state = STDOUT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Stdout::Open = *state {
        if let Err(e) = std::io::stdout().lock().flush() {
            *state = if e.kind() == ErrorKind::BrokenPipe {
                Stdout::Closed
            } else {
                Stdout::Failed(e)
            };
        }
    }
    match std::mem::replace(&mut *state, Stdout::Closed) {
        Stdout::Failed(e) => Err(CoreError::Storage {
            path: "standard output".into(),
            reason: e.to_string(),
        }),
        _ => Ok(()),
    }
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CoreError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CoreError::Decode(format!("could not write JSON: {e}")))?;
    write_stdout(&(escape_json_text(&text) + "\n"));
    Ok(())
}

/// serde_json escapes C0 controls but writes DEL, C1 controls, bidi overrides and line separators raw. In
/// JSON text those can only stand inside strings (everything outside a string is ASCII punctuation, digits,
/// letters and spaces), where `\uXXXX` is the same character: the value is unchanged, the terminal is safe.
fn escape_json_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // serde escapes every C0 control inside strings, so a raw newline is the pretty printer's own.
        let unsafe_char = (c.is_control() && c != '\n')
            || is_bidi_control(c)
            || matches!(c, '\u{2028}' | '\u{2029}');
        if unsafe_char {
            // Every such character is in the Basic Multilingual Plane: one \u escape each.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The bidi embedding, override and isolate controls: they reorder what follows them on screen ("Trojan
/// Source"). The marks (LRM, RLM) only nudge neutral characters and are kept.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Server text made safe for one line of a terminal: escape sequences (CSI, OSC, DCS and the short ones, in
/// their 7-bit `ESC …` and 8-bit C1 forms) are removed whole, so `ESC[31mEVIL ESC[0m` reads `EVIL`, not
/// `[31mEVIL[0m`; other control characters are removed, except that tabs, line breaks and the Unicode line
/// and paragraph separators become one space (a name or a message stays one table cell, one line); bidi
/// overrides and isolates are removed. Printable text is kept exactly.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut last_was_break = false;
    while let Some(c) = chars.next() {
        let breaks = matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if breaks {
            if !last_was_break {
                out.push(' ');
            }
            last_was_break = true;
            continue;
        }
        last_was_break = false;
        match c {
            '\u{1b}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // nF escapes (`ESC ( B`): intermediates, then one final character.
                Some(' '..='/') => {
                    while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
                    chars.next_if(|c| matches!(c, '0'..='~'));
                }
                // Two-character escapes: `ESC 7`, `ESC c`, `ESC M`, …
                Some('0'..='~') => {
                    chars.next();
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A CSI sequence after its introducer: parameter and intermediate bytes, then one final byte. A character
/// that fits none ends the sequence and is kept (a malformed sequence never swallows the text after it).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// An OSC, DCS, SOS, PM or APC string after its introducer, up to its terminator (BEL, `ESC \` or ST). A
/// line break also ends it here, so an unterminated string does not swallow the rest of a message.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\u{1b}' => {
                chars.next();
                chars.next_if_eq(&'\\');
                return;
            }
            '\n' | '\r' => return,
            _ => {
                chars.next();
            }
        }
    }
}

/// A borderless table with a header row, columns aligned. Cells are [`clean`]ed: they hold server text.
pub struct Table(Comfy);

impl Table {
    pub fn new(header: &[&str]) -> Self {
        let mut t = Comfy::new();
        t.load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.to_vec());
        Table(t)
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.0
            .add_row(cells.iter().map(|c| clean(c)).collect::<Vec<_>>());
    }

    /// Prints the table in one write (quiet on a closed pipe, like everything here).
    pub fn print(&self) {
        let mut text = String::new();
        for line in self.0.lines() {
            text.push_str(line.trim_end());
            text.push('\n');
        }
        write_stdout(&text);
    }
}

/// Whether stdout still has a reader. A listing that prints as it goes asks before fetching the next page:
/// once `… | head` has gone, no further request is made.
pub fn stdout_open() -> bool {
    matches!(
        *STDOUT.lock().unwrap_or_else(PoisonError::into_inner),
        Stdout::Open
    )
}

/// Widest a streamed column is made from its first rows: one very long name must not push every later row
/// far to the right. A longer cell later is printed whole (its row is out of line, nothing is cut).
const STREAM_MAX_WIDTH: usize = 48;

/// A table printed as its rows arrive (a listing of 100,000 members shows its first page at once and never
/// holds the rest). Column widths are fixed from the header and the first batch of rows, since later rows
/// are not known yet; each batch is one write. Cells are [`clean`]ed like [`Table`]'s.
pub struct StreamTable {
    header: Vec<String>,
    widths: Option<Vec<usize>>,
}

impl StreamTable {
    pub fn new(header: &[&str]) -> Self {
        StreamTable {
            header: header.iter().map(|h| h.to_string()).collect(),
            widths: None,
        }
    }

    /// Prints `rows` (and, with the first batch, the header).
    pub fn rows(&mut self, rows: Vec<Vec<String>>) {
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|r| r.iter().map(|c| clean(c)).collect())
            .collect();
        let mut text = String::new();
        let widths = match &self.widths {
            Some(w) => w.clone(),
            None => {
                let widths: Vec<usize> = (0..self.header.len())
                    .map(|i| {
                        rows.iter()
                            .filter_map(|r| r.get(i))
                            .chain(std::iter::once(&self.header[i]))
                            .map(|c| c.chars().count())
                            .max()
                            .unwrap_or(0)
                            .min(STREAM_MAX_WIDTH)
                    })
                    .collect();
                push_line(&mut text, &self.header, &widths);
                self.widths = Some(widths.clone());
                widths
            }
        };
        for row in &rows {
            push_line(&mut text, row, &widths);
        }
        write_stdout(&text);
    }

    /// Ends the table: a listing with no rows still prints its header.
    pub fn finish(&mut self) {
        if self.widths.is_none() {
            self.rows(Vec::new());
        }
    }
}

fn push_line(text: &mut String, cells: &[String], widths: &[usize]) {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(cell);
        let pad = widths.get(i).copied().unwrap_or(0);
        let len = cell.chars().count();
        if i + 1 < cells.len() && len < pad {
            line.extend(std::iter::repeat_n(' ', pad - len));
        }
    }
    text.push_str(line.trim_end());
    text.push('\n');
}

/// A JSON array printed an item at a time, byte for byte what [`print_json`] prints for the whole list, so
/// `--json` stays one valid JSON array while nothing but the current page is held.
#[derive(Default)]
pub struct JsonArray {
    started: bool,
}

impl JsonArray {
    pub fn items<T: Serialize>(&mut self, items: &[T]) -> Result<(), CoreError> {
        let text = self.chunk(items)?;
        write_stdout(&text);
        Ok(())
    }

    /// Closes the array (`[]` when no item came).
    pub fn finish(self) {
        write_stdout(self.end());
    }

    fn end(&self) -> &'static str {
        if self.started {
            "\n]\n"
        } else {
            "[]\n"
        }
    }

    /// The text for `items`: the opening bracket or the separating comma, each item indented as in a
    /// pretty-printed array, terminal-safe like [`print_json`].
    fn chunk<T: Serialize>(&mut self, items: &[T]) -> Result<String, CoreError> {
        let mut text = String::new();
        for item in items {
            let pretty = serde_json::to_string_pretty(item)
                .map_err(|e| CoreError::Decode(format!("could not write JSON: {e}")))?;
            text.push_str(if self.started { ",\n" } else { "[\n" });
            self.started = true;
            for (i, line) in pretty.lines().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str("  ");
                text.push_str(line);
            }
        }
        Ok(escape_json_text(&text))
    }
}

pub fn member_status(m: &Member) -> String {
    match (m.archived(), m.inactive()) {
        (true, _) => "archived".into(),
        (_, true) => "inactive".into(),
        _ => "active".into(),
    }
}

pub fn print_files(files: &[File], json: bool) -> Result<(), CoreError> {
    if json {
        return print_json(files);
    }
    let mut t = Table::new(&["TYPE", "NAME", "PERMISSION", "PATH", "ID"]);
    for f in files {
        t.row(vec![
            f.file_type.clone(),
            f.name.clone(),
            f.permission.clone(),
            f.path.clone(),
            f.id.clone(),
        ]);
    }
    t.print();
    note(&format!("{} documents", files.len()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_json_array_is_what_print_json_prints() {
        // The text a JsonArray would write, built the same way without touching stdout.
        let items = vec![
            serde_json::json!({"a": 1, "b": ["x", {"c": null}]}),
            serde_json::json!({"a": 2, "name": "\u{202e}evil"}),
            serde_json::json!("plain"),
        ];
        for split in 0..=items.len() {
            let mut out = JsonArray::default();
            let mut text = out.chunk(&items[..split]).unwrap();
            text.push_str(&out.chunk(&items[split..]).unwrap());
            text.push_str(out.end());
            let whole = escape_json_text(&serde_json::to_string_pretty(&items).unwrap()) + "\n";
            assert_eq!(text, whole, "split at {split}");
        }
        let empty = JsonArray::default();
        assert_eq!(empty.end(), "[]\n");
    }

    #[test]
    fn streamed_rows_line_up_from_the_first_batch() {
        let widths = vec![5, 3];
        let mut text = String::new();
        push_line(&mut text, &["NAME".into(), "ID".into()], &widths);
        push_line(&mut text, &["Ann".into(), "1".into()], &widths);
        push_line(&mut text, &["Bartholomew".into(), "2".into()], &widths);
        assert_eq!(text, "NAME   ID\nAnn    1\nBartholomew  2\n");
    }

    #[test]
    fn escape_sequences_go_whole() {
        assert_eq!(clean("\u{1b}[31mEVIL\u{1b}[0m"), "EVIL");
        assert_eq!(clean("a\u{1b}[1;38;5;196mb"), "ab");
        assert_eq!(clean("\u{9b}2Jcleared"), "cleared");
        // OSC: set the window title, terminated by BEL or by ST in both forms; OSC 8 hyperlinks.
        assert_eq!(clean("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]0;pwned\u{1b}\\y"), "xy");
        assert_eq!(clean("x\u{9d}0;pwned\u{9c}y"), "xy");
        assert_eq!(
            clean("\u{1b}]8;;https://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\"),
            "click"
        );
        assert_eq!(clean("a\u{1b}P1$r\u{1b}\\b"), "ab", "DCS");
        assert_eq!(
            clean("a\u{1b}(Bb\u{1b}cc\u{1b}7d"),
            "abcd",
            "nF and two-character escapes"
        );
    }

    #[test]
    fn malformed_sequences_never_eat_the_text_after_them() {
        assert_eq!(clean("\u{1b}"), "");
        assert_eq!(clean("a\u{1b}[12"), "a");
        assert_eq!(
            clean("\u{1b}[12é"),
            "é",
            "a non-ASCII character ends a CSI and is kept"
        );
        assert_eq!(clean("\u{1b}]0;title\nmessage"), " message");
        assert_eq!(clean("\u{1b}\u{1b}[0mok"), "ok");
    }

    #[test]
    fn other_controls_and_bidi_overrides_go_and_line_breaks_become_one_space() {
        assert_eq!(clean("Line\nBreak\tTab"), "Line Break Tab");
        assert_eq!(clean("desc\r\noverwrite"), "desc overwrite");
        assert_eq!(clean("a\u{2028}b\u{85}c"), "a b c");
        assert_eq!(clean("bell\u{7}\u{8}\u{0}\u{7f}\u{80}\u{9f}"), "bell");
        assert_eq!(clean("\u{202e}gnp.exe"), "gnp.exe");
        assert_eq!(
            clean("\u{2066}x\u{2069}\u{202a}\u{202b}\u{202c}\u{202d}\u{2067}\u{2068}"),
            "x"
        );
    }

    #[test]
    fn printable_text_is_kept_exactly() {
        for s in [
            "Tom Lee",
            "tom.lee@acme.example",
            "Sales/Q3 [draft] ~ 100% — “quoted”",
            "שלום עולם \u{200f}",
            "日本語 🚀 e\u{301}",
            "",
        ] {
            assert_eq!(clean(s), s);
        }
    }

    #[test]
    fn cleaned_text_has_no_control_or_bidi_character_whatever_the_input() {
        // Every character from NUL to past the C1 block and the bidi ranges, in runs and alone.
        let all: String = (0u32..0x2100).filter_map(char::from_u32).collect();
        let cleaned = clean(&all);
        assert!(cleaned
            .chars()
            .all(|c| !c.is_control() && !is_bidi_control(c) && c != '\u{2028}' && c != '\u{2029}'));
        for c in (0u32..0x2100).filter_map(char::from_u32) {
            let s = format!("a{c}[0mb");
            assert!(
                !clean(&s)
                    .chars()
                    .any(|c| c.is_control() || is_bidi_control(c)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn json_text_is_terminal_safe_and_the_same_value() {
        let value = serde_json::json!({
            "name": "\u{1b}[31mEVIL\u{1b}[0m \u{9b}2J \u{202e}x \u{7f} \u{2028}",
            "plain": "Tom Lee — 日本",
        });
        let text = escape_json_text(&serde_json::to_string_pretty(&value).unwrap());
        assert!(!text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || is_bidi_control(c)));
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e") && text.contains("Tom Lee — 日本")
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
