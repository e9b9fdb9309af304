//! `ltv-lens`: the command-line face of the ltv-lens engine.
//!
//! ```text
//! ltv-lens analyze FILE [--as-of YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]
//! ltv-lens sample [--orders N] [--seed S] [--out FILE]
//! ```
//! Glue only: argument parsing, streaming the file into the engine, printing.

use chrono::NaiveDate;
use ltv_engine::ingest::{Ingest, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::sample::{write_shopify_csv, SampleParams};
use std::io::{self, Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  ltv-lens analyze FILE [--as-of YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]
  ltv-lens sample [--orders N] [--seed S] [--out FILE]";

/// Bytes read from the file per chunk fed to the engine.
const CHUNK: usize = 1 << 20;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("ltv-lens: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("analyze") => cmd_analyze(&args[1..]),
        Some("sample") => cmd_sample(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("expected a command\n{USAGE}")),
    }
}

/// Options parsed from `--name value` pairs and flags.
struct Opts<'a> {
    positional: Vec<&'a str>,
    pairs: Vec<(&'a str, &'a str)>,
    flags: Vec<&'a str>,
}

fn parse_opts<'a>(args: &'a [String], valued: &[&str], flags: &[&str]) -> Result<Opts<'a>, String> {
    let mut o = Opts {
        positional: vec![],
        pairs: vec![],
        flags: vec![],
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if valued.contains(&a.as_str()) {
            let v = it
                .next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))?;
            o.pairs.push((a, v));
        } else if flags.contains(&a.as_str()) {
            o.flags.push(a);
        } else if a.starts_with("--") {
            return Err(format!("unknown option {a}\n{USAGE}"));
        } else {
            o.positional.push(a);
        }
    }
    Ok(o)
}

impl Opts<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }
    fn date(&self, name: &str) -> Result<Option<NaiveDate>, String> {
        self.get(name)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| format!("{name}: expected a date YYYY-MM-DD, got {v:?}"))
            })
            .transpose()
    }
    fn number(&self, name: &str) -> Result<Option<u64>, String> {
        self.get(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| format!("{name}: expected a whole number, got {v:?}"))
            })
            .transpose()
    }
}

fn cmd_analyze(args: &[String]) -> Result<(), String> {
    let o = parse_opts(args, &["--as-of", "--from", "--to"], &["--json"])?;
    let [path] = o.positional[..] else {
        return Err(format!("analyze takes one FILE\n{USAGE}"));
    };
    let params = AnalyzeParams {
        as_of: o.date("--as-of")?,
        from: o.date("--from")?,
        to: o.date("--to")?,
    };
    let mut file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut ingest = Ingest::new(IngestOptions::default());
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{path}: {e}")),
        };
        ingest.feed(&buf[..n]).map_err(|e| format!("{path}: {e}"))?;
    }
    let data = ingest.finish().map_err(|e| format!("{path}: {e}"))?;
    let report = analyze(&data, &params).map_err(|e| format!("{path}: {e}"))?;
    for p in &report.summary.problems {
        eprintln!("{path}: {p}");
    }
    let more: u64 = report
        .summary
        .problem_counts
        .iter()
        .map(|c| c.count)
        .sum::<u64>()
        - report.summary.problems.len() as u64;
    if more > 0 {
        eprintln!("{path}: … and {more} more problems");
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if o.flags.contains(&"--json") {
        serde_json::to_writer(&mut out, &report).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        print_text(&mut out, &report).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn print_text(out: &mut impl Write, r: &Report) -> io::Result<()> {
    let s = &r.summary;
    let cur = s.currency.as_deref().unwrap_or("");
    writeln!(
        out,
        "Read {} rows ({}, {}, delimiter {})",
        s.rows,
        s.encoding,
        s.platform.map_or("unknown format", |p| p.label()),
        s.delimiter
    )?;
    writeln!(
        out,
        "Orders {}  customers {}  revenue {} {}",
        s.orders, s.customers, s.revenue, cur
    )?;
    if let (Some(a), Some(b)) = (s.first_order_date, s.last_order_date) {
        writeln!(out, "First order {a}, last order {b}")?;
    }
    for e in &s.exclusions {
        writeln!(
            out,
            "Excluded: {} orders ({} rows): {}",
            e.orders, e.rows, e.description
        )?;
    }
    if s.orders_without_customer > 0 {
        writeln!(
            out,
            "Orders without a customer key (in revenue only): {}",
            s.orders_without_customer
        )?;
    }
    let w = &r.decile_window;
    writeln!(
        out,
        "\nDeciles {} to {} (as of {}): {} customers, revenue {} {}",
        w.from, w.to, w.as_of, w.customers, w.revenue, cur
    )?;
    writeln!(
        out,
        "{:<4} {:>9} {:>14} {:>7} {:>7} {:>12} {:>12} {:>12}",
        "", "customers", "revenue", "share", "cum.", "avg spend", "min", "max"
    )?;
    for d in &r.deciles {
        writeln!(
            out,
            "D{:<3} {:>9} {:>14.2} {:>6.1}% {:>6.1}% {:>12.2} {:>12.2} {:>12.2}",
            d.decile,
            d.customers,
            d.revenue,
            d.share * 100.0,
            d.cumulative_share * 100.0,
            d.avg_spend,
            d.min_spend,
            d.max_spend
        )?;
    }
    Ok(())
}

fn cmd_sample(args: &[String]) -> Result<(), String> {
    let o = parse_opts(args, &["--orders", "--seed", "--out"], &[])?;
    if !o.positional.is_empty() {
        return Err(format!("sample takes no FILE (use --out)\n{USAGE}"));
    }
    let mut params = SampleParams::default();
    if let Some(n) = o.number("--orders")? {
        params.orders = n;
    }
    if let Some(s) = o.number("--seed")? {
        params.seed = s;
    }
    let stats = match o.get("--out") {
        Some(path) => {
            let f = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
            write_shopify_csv(&params, io::BufWriter::with_capacity(1 << 20, f))
        }
        None => write_shopify_csv(
            &params,
            io::BufWriter::with_capacity(1 << 20, io::stdout().lock()),
        ),
    }
    .map_err(|e| e.to_string())?;
    eprintln!(
        "ltv-lens: wrote {} orders, {} line items, {} customers",
        stats.orders, stats.line_items, stats.customers
    );
    Ok(())
}
