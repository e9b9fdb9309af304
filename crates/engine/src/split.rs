//! Splits decoded text into CSV records without copying the fields.
//!
//! It reads exactly what `csv_core`'s reader with its defaults reads (the
//! differential property test `reads_any_text_as_csv_core_does` in this
//! file's tests holds it to that):
//! RFC 4180 quoting with `""` for a quote, `\r`, `\n` or `\r\n` ending a
//! record, blank lines skipped, a quote inside an unquoted field taken as
//! text, text after a closing quote appended to the field (`"ab"c` is
//! `abc`), and an unclosed quote running to the end of the input.
//!
//! `csv_core` copies every byte of every field into an output buffer,
//! one state transition per byte. Here a field is a span of the input,
//! found by a table lookup per byte; only quoted fields with an escaped
//! quote or trailing text are copied (unescaped) into a scratch buffer.
//! On the sample export this halves the time spent splitting.

/// Where a field's bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    /// In the scratch buffer rather than the input.
    pub scratch: bool,
}

/// One record's fields: spans of its input or of the scratch buffer.
pub(crate) struct Record<'a> {
    pub(crate) input: &'a str,
    pub(crate) scratch: &'a [u8],
    pub(crate) spans: &'a [Span],
}

impl<'a> Record<'a> {
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }
    pub(crate) fn bytes(&self, i: usize) -> Option<&'a [u8]> {
        let s = self.spans.get(i)?;
        let src = if s.scratch {
            self.scratch
        } else {
            self.input.as_bytes()
        };
        src.get(s.start..s.end)
    }
    /// Field `i` as text (`None` past the end). A span of the input is
    /// sliced without validation: the input is a `str` and spans end at
    /// ASCII bytes. The scratch buffer (unescaped quoted fields) is joined
    /// from such slices, so it is UTF-8 too; it is checked anyway.
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        let s = self.spans.get(i)?;
        if s.scratch {
            std::str::from_utf8(self.scratch.get(s.start..s.end)?).ok()
        } else {
            self.input.get(s.start..s.end)
        }
    }
    pub(crate) fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| {
            self.bytes(i)
                .is_none_or(|b| b.iter().all(|c| c.is_ascii_whitespace()))
        })
    }
}

/// What [`Splitter::next`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A record: its fields are in [`Splitter::record`]. `consumed` bytes
    /// of the input (blank lines before it, the record, its line end);
    /// `blank_lines` line ends before it; `lines` line ends in all.
    Record {
        consumed: usize,
        blank_lines: u64,
        lines: u64,
    },
    /// No complete record yet: `consumed` bytes of blank lines (with
    /// `lines` line ends) may be dropped; call again with more input.
    NeedMore { consumed: usize, lines: u64 },
}

const QUOTE: u8 = b'"';

/// The record splitter; keeps its buffers between records.
pub(crate) struct Splitter {
    /// Bytes that end an unquoted field: the delimiter, `\r`, `\n`.
    stop: [bool; 256],
    delimiter: u8,
    spans: Vec<Span>,
    scratch: Vec<u8>,
}

impl Splitter {
    pub(crate) fn new(delimiter: u8) -> Self {
        let mut stop = [false; 256];
        stop[delimiter as usize] = true;
        stop[b'\r' as usize] = true;
        stop[b'\n' as usize] = true;
        Splitter {
            stop,
            delimiter,
            spans: Vec::with_capacity(64),
            scratch: Vec::new(),
        }
    }

    /// The record found by the last [`Splitter::next`] that returned one;
    /// `input` is the input given to that call.
    pub(crate) fn record<'a>(&'a self, input: &'a str) -> Record<'a> {
        Record {
            input,
            scratch: &self.scratch,
            spans: &self.spans,
        }
    }

    /// Finds the next record at the start of `input`. With `last`, the end
    /// of `input` is the end of the file (it ends a record); otherwise a
    /// record running to the end of `input` is incomplete.
    pub(crate) fn next(&mut self, input: &[u8], last: bool) -> Step {
        self.spans.clear();
        self.scratch.clear();
        let n = input.len();
        // Blank lines.
        let mut i = 0;
        let mut blank_lines = 0u64;
        while i < n && (input[i] == b'\n' || input[i] == b'\r') {
            blank_lines += (input[i] == b'\n') as u64;
            i += 1;
        }
        if i == n {
            return Step::NeedMore {
                consumed: i,
                lines: blank_lines,
            };
        }
        let mut lines = blank_lines;
        loop {
            // One field starting at `i`.
            if input[i] == QUOTE {
                match self.quoted(input, i + 1, last) {
                    Some((next, newlines)) => {
                        lines += newlines;
                        i = next;
                    }
                    None => {
                        return Step::NeedMore {
                            consumed: 0,
                            lines: 0,
                        }
                    }
                }
            } else {
                let start = i;
                while i < n && !self.stop[input[i] as usize] {
                    i += 1;
                }
                self.spans.push(Span {
                    start,
                    end: i,
                    scratch: false,
                });
            }
            // `i` is at the byte after the field.
            if i == n {
                if !last {
                    return Step::NeedMore {
                        consumed: 0,
                        lines: 0,
                    };
                }
                return Step::Record {
                    consumed: n,
                    blank_lines,
                    lines,
                };
            }
            match input[i] {
                b if b == self.delimiter => {
                    i += 1;
                    if i == n {
                        if !last {
                            return Step::NeedMore {
                                consumed: 0,
                                lines: 0,
                            };
                        }
                        // A delimiter at the very end: one more empty field.
                        self.spans.push(Span {
                            start: n,
                            end: n,
                            scratch: false,
                        });
                        return Step::Record {
                            consumed: n,
                            blank_lines,
                            lines,
                        };
                    }
                }
                b'\r' => {
                    // `\r\n` is one line end; `\r` alone is one too.
                    if i + 1 < n && input[i + 1] == b'\n' {
                        return Step::Record {
                            consumed: i + 2,
                            blank_lines,
                            lines: lines + 1,
                        };
                    }
                    // A `\r\n` split between two inputs reads the same: the
                    // `\n` starts a blank line, which is skipped.
                    return Step::Record {
                        consumed: i + 1,
                        blank_lines,
                        lines,
                    };
                }
                _ => {
                    // `\n`
                    return Step::Record {
                        consumed: i + 1,
                        blank_lines,
                        lines: lines + 1,
                    };
                }
            }
        }
    }

    /// A quoted field whose content starts at `i`: pushes its span and
    /// returns the index after it (at a delimiter, line end or the end)
    /// and the line ends inside it; `None` if it runs past the input's end
    /// and more may come.
    fn quoted(&mut self, input: &[u8], mut i: usize, last: bool) -> Option<(usize, u64)> {
        let n = input.len();
        let start = i;
        let mut newlines = 0u64;
        // Fast path: no escaped quote and nothing after the closing quote.
        while i < n && input[i] != QUOTE {
            newlines += (input[i] == b'\n') as u64;
            i += 1;
        }
        if i == n {
            if !last {
                return None;
            }
            self.spans.push(Span {
                start,
                end: n,
                scratch: false,
            });
            return Some((n, newlines));
        }
        // input[i] is a quote: closing, or the first of `""`.
        let after = i + 1;
        if after == n && !last {
            return None; // could be `""` split between inputs
        }
        if after == n || self.stop[input[after] as usize] {
            self.spans.push(Span {
                start,
                end: i,
                scratch: false,
            });
            return Some((after, newlines));
        }
        // Slow path: copy the unescaped field into the scratch buffer.
        let s0 = self.scratch.len();
        self.scratch.extend_from_slice(&input[start..i]);
        let mut quoted = true;
        loop {
            if quoted {
                // At a quote inside a quoted part.
                if i + 1 < n && input[i + 1] == QUOTE {
                    self.scratch.push(QUOTE);
                    i += 2;
                } else if i + 1 == n && !last {
                    return None;
                } else {
                    quoted = false; // the closing quote
                    i += 1;
                }
                if quoted {
                    let from = i;
                    while i < n && input[i] != QUOTE {
                        newlines += (input[i] == b'\n') as u64;
                        i += 1;
                    }
                    self.scratch.extend_from_slice(&input[from..i]);
                    if i == n {
                        if !last {
                            return None;
                        }
                        break;
                    }
                }
            } else {
                // After the closing quote: text up to the field's end,
                // taken literally (quotes included).
                let from = i;
                while i < n && !self.stop[input[i] as usize] {
                    i += 1;
                }
                self.scratch.extend_from_slice(&input[from..i]);
                break;
            }
        }
        let s1 = self.scratch.len();
        self.spans.push(Span {
            start: s0,
            end: s1,
            scratch: true,
        });
        Some((i, newlines))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use csv_core::{ReadRecordResult, ReaderBuilder};
    use proptest::prelude::*;

    type Rows = Vec<(u64, Vec<Vec<u8>>)>;

    /// csv_core's records with the line each starts on (the reader this
    /// splitter replaced).
    fn reference(text: &[u8], delimiter: u8) -> Rows {
        let mut rdr = ReaderBuilder::new().delimiter(delimiter).build();
        let (mut out, mut ends) = (vec![0u8; 1 << 16], vec![0usize; 1 << 12]);
        let (mut outlen, mut endlen, mut line, mut rec_line) = (0, 0, 1u64, 1u64);
        let mut input = text;
        let mut rows = Vec::new();
        loop {
            let (res, nin, nout, nend) =
                rdr.read_record(input, &mut out[outlen..], &mut ends[endlen..]);
            if outlen == 0 && endlen == 0 {
                let lead = input[..nin]
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                rec_line = line + input[..lead].iter().filter(|&&b| b == b'\n').count() as u64;
            }
            line += input[..nin].iter().filter(|&&b| b == b'\n').count() as u64;
            input = &input[nin..];
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::Record => {
                    let mut fields = Vec::new();
                    let mut start = 0;
                    for &e in &ends[..endlen] {
                        fields.push(out[start..e].to_vec());
                        start = e;
                    }
                    rows.push((rec_line, fields));
                    outlen = 0;
                    endlen = 0;
                }
                ReadRecordResult::End => break,
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    unreachable!("test buffers are large enough")
                }
            }
        }
        rows
    }

    /// The splitter fed `text` in pieces cut at `cuts`, as the ingest
    /// feeds it.
    fn split(text: &str, delimiter: u8, cuts: &[usize]) -> Rows {
        let mut sp = Splitter::new(delimiter);
        let mut buf = String::new();
        let mut line = 1u64;
        let mut rows = Vec::new();
        // Cut at char boundaries, as the decoder's output grows.
        let mut bounds: Vec<usize> = cuts
            .iter()
            .map(|c| c % (text.len() + 1))
            .map(|mut c| {
                while !text.is_char_boundary(c) {
                    c -= 1;
                }
                c
            })
            .collect();
        bounds.push(text.len());
        bounds.sort_unstable();
        let mut fed = 0;
        for (k, &b) in bounds.iter().enumerate() {
            buf.push_str(&text[fed..b]);
            fed = b;
            let last = k == bounds.len() - 1;
            let mut pos = 0;
            loop {
                let input = &buf[pos..];
                match sp.next(input.as_bytes(), last) {
                    Step::Record {
                        consumed,
                        blank_lines,
                        lines,
                    } => {
                        let rec = sp.record(input);
                        let fields = (0..rec.len())
                            .map(|i| rec.get(i).unwrap_or("\u{0}").as_bytes().to_vec())
                            .collect();
                        rows.push((line + blank_lines, fields));
                        line += lines;
                        pos += consumed;
                    }
                    Step::NeedMore { consumed, lines } => {
                        line += lines;
                        pos += consumed;
                        break;
                    }
                }
            }
            buf.drain(..pos);
        }
        rows
    }

    #[test]
    fn reads_the_awkward_cases_as_csv_core_does() {
        for text in [
            "a,b\r\nc,d\n",
            "\n\r\n\"x\ny\",2\r\r\n3,\"\"\"q\"\"\"\n",
            "\"ab\"c,d\"e\",\"f\n",
            "a,\"b\"\"\n",
            "x,\n,\n",
            "\"unclosed,\nstill",
            "",
            "\r\n\r\n",
            "last,row,no,newline",
        ] {
            for cuts in [
                vec![],
                vec![1],
                vec![2, 5],
                (0..text.len()).collect::<Vec<_>>(),
            ] {
                assert_eq!(
                    split(text, b',', &cuts),
                    reference(text.as_bytes(), b','),
                    "{text:?} cut at {cuts:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn reads_any_text_as_csv_core_does(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("bc"), Just(","), Just(";"), Just("\""),
                    Just("\"\""), Just("\r"), Just("\n"), Just("\r\n"), Just(" "), Just("é"),
                ],
                0..60,
            ),
            cuts in proptest::collection::vec(0usize..400, 0..6),
            semicolon in any::<bool>(),
        ) {
            let text = parts.concat();
            let d = if semicolon { b';' } else { b',' };
            prop_assert_eq!(split(&text, d, &cuts), reference(text.as_bytes(), d));
        }
    }
}
