//! `ltv-lens`: the command-line face of the ltv-lens engine.
//!
//! ```text
//! ltv-lens analyze FILE [--as-of YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]
//!                  [--granularity month|week|quarter] [--horizon MONTHS] [--margin F]
//!                  [--cpa AMOUNT] [--churn-days DAYS] [--tenure-horizon MONTHS]
//!                  [--f2-within DAYS] [--decile-rule F] [--target-baseline X]
//!                  [--target-growth F] [--target-horizon MONTHS]
//!                  [--target-reading compound|linear] [--target-start YYYY-MM]
//! ltv-lens sample [--orders N] [--seed S] [--out FILE]
//! ```
//! Glue only: argument parsing, streaming the file into the engine, printing.

use chrono::NaiveDate;
use ltv_engine::calendar::{parse_month, Granularity};
use ltv_engine::ingest::{split_aim, split_point, Ingest, IngestOptions, Part, SNIFF_BYTES};
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::store::Dataset;
use ltv_engine::targets::Reading;
use ltv_sample::{write_shopify_csv, SampleParams};
use std::fs::File;
use std::io::{self, Read, Write};
use std::io::{Seek, SeekFrom};
use std::process::ExitCode;

const USAGE: &str = "usage:
  ltv-lens analyze FILE [--as-of YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]
                   [--granularity month|week|quarter] [--horizon MONTHS]
                   [--margin FRACTION] [--cpa AMOUNT] [--churn-days DAYS]
                   [--tenure-horizon MONTHS] [--f2-within DAYS] [--decile-rule FRACTION]
                   [--target-baseline X] [--target-growth FRACTION] [--target-horizon MONTHS]
                   [--target-reading compound|linear] [--target-start YYYY-MM]
  ltv-lens sample [--orders N] [--seed S] [--out FILE]

  Fractions are written 0.35 or 35%. Defaults: granularity month, horizon 12,
  no margin, no CPA, churn 240 days, tenure horizon 24, F2 without a limit,
  decile rule 2%, targets 5.13 +7% a month for 4 months (compound).";

/// Bytes read from the file per chunk fed to the engine.
const CHUNK: usize = 1 << 20;

/// Reads an order file, streaming: a large file in two parts on two
/// threads (the engine joins them into exactly what one read gives).
/// With the dataset, whether the two parts were joined.
fn read_orders(path: &str) -> Result<(Dataset, bool), String> {
    let err = |e: &dyn std::fmt::Display| format!("{path}: {e}");
    let mut file = File::open(path).map_err(|e| err(&e))?;
    let len = file.metadata().map_err(|e| err(&e))?.len();
    let opts = IngestOptions::default();
    let mut ingest = Ingest::new(opts.clone());
    let split = second_part_start(&mut file, len)
        .filter(|_| std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2));
    let Some(split) = split else {
        file.seek(SeekFrom::Start(0)).map_err(|e| err(&e))?;
        feed(&mut ingest, &mut file, u64::MAX).map_err(|e| err(&e))?;
        return Ok((ingest.finish().map_err(|e| err(&e))?, false));
    };
    file.seek(SeekFrom::Start(0)).map_err(|e| err(&e))?;
    let part = std::thread::scope(|s| {
        let second = s.spawn(|| read_part(path, split));
        let first = feed(&mut ingest, &mut file, split);
        let part = second.join().ok().flatten();
        first.map(|()| part)
    })
    .map_err(|e| err(&e))?;
    let joined = match part {
        Some(part) if ingest.at_record_boundary() => ingest.join(part).map_err(|e| err(&e))?,
        _ => false,
    };
    if !joined {
        // The split point was inside a quoted field, or an order went on
        // across it in a way only one read reproduces: read on.
        file.seek(SeekFrom::Start(split)).map_err(|e| err(&e))?;
        feed(&mut ingest, &mut file, u64::MAX).map_err(|e| err(&e))?;
    }
    Ok((ingest.finish().map_err(|e| err(&e))?, joined))
}

/// Where a second thread should start reading, if the file is worth it.
fn second_part_start(file: &mut File, len: u64) -> Option<u64> {
    file.seek(SeekFrom::Start(split_aim(len))).ok()?;
    let mut window = Vec::with_capacity(1 << 20);
    file.take(1 << 20).read_to_end(&mut window).ok()?;
    split_point(len, &window)
}

/// The file from `split` to its end, read as a part; `None` if it cannot
/// be (the first part then reads on).
fn read_part(path: &str, split: u64) -> Option<Part> {
    let mut file = File::open(path).ok()?;
    let mut head = vec![0u8; SNIFF_BYTES];
    file.read_exact(&mut head).ok()?;
    let mut part = Ingest::part(&head, IngestOptions::default()).ok()??;
    file.seek(SeekFrom::Start(split)).ok()?;
    feed(&mut part, &mut file, u64::MAX).ok()?;
    part.into_part().ok()
}

/// Feeds up to `limit` bytes of `file` from where it is.
fn feed(ingest: &mut Ingest, file: &mut File, limit: u64) -> Result<(), String> {
    let mut buf = vec![0u8; CHUNK];
    let mut left = limit;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.to_string()),
        };
        left -= n as u64;
        ingest.feed(&buf[..n]).map_err(|e| e.to_string())?;
    }
    Ok(())
}

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
    /// A whole number that fits a `u32`.
    fn count(&self, name: &str) -> Result<Option<u32>, String> {
        self.number(name)?
            .map(|n| u32::try_from(n).map_err(|_| format!("{name}: {n} is too large")))
            .transpose()
    }
    /// A decimal number (`5000`, `12.5`).
    fn decimal(&self, name: &str) -> Result<Option<f64>, String> {
        self.get(name)
            .map(|v| match v.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(format!("{name}: expected a number, got {v:?}")),
            })
            .transpose()
    }
    /// A fraction written `0.35` or `35%`.
    fn fraction(&self, name: &str) -> Result<Option<f64>, String> {
        self.get(name)
            .map(|v| {
                let t = v.trim();
                let (num, scale) = match t.strip_suffix('%') {
                    Some(p) => (p.trim(), 100.0),
                    None => (t, 1.0),
                };
                match num.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(x / scale),
                    _ => Err(format!(
                        "{name}: expected a fraction such as 0.35 or 35%, got {v:?}"
                    )),
                }
            })
            .transpose()
    }
    /// One of a few names.
    fn choice<T>(
        &self,
        name: &str,
        read: impl Fn(&str) -> Option<T>,
        names: &str,
    ) -> Result<Option<T>, String> {
        self.get(name)
            .map(|v| read(v.trim()).ok_or_else(|| format!("{name}: expected {names}, got {v:?}")))
            .transpose()
    }
}

/// The analysis settings given on the command line, checked.
fn analyze_params(o: &Opts) -> Result<AnalyzeParams, String> {
    let mut p = AnalyzeParams {
        as_of: o.date("--as-of")?,
        from: o.date("--from")?,
        to: o.date("--to")?,
        ..AnalyzeParams::default()
    };
    if let Some(g) = o.choice(
        "--granularity",
        Granularity::from_name,
        "month, week or quarter",
    )? {
        p.granularity = g;
    }
    if let Some(h) = o.count("--horizon")? {
        p.horizon_months = h;
    }
    p.gross_margin = o.fraction("--margin")?;
    p.cpa = o.decimal("--cpa")?;
    if let Some(d) = o.count("--churn-days")? {
        p.churn_days = d;
    }
    if let Some(h) = o.count("--tenure-horizon")? {
        p.tenure_horizon_months = h;
    }
    p.f2_within_days = o.count("--f2-within")?;
    if let Some(r) = o.fraction("--decile-rule")? {
        p.decile_growth_rule = r;
    }
    let t = &mut p.targets;
    if let Some(b) = o.decimal("--target-baseline")? {
        t.baseline = b;
    }
    if let Some(g) = o.fraction("--target-growth")? {
        t.growth = g;
    }
    if let Some(h) = o.count("--target-horizon")? {
        t.horizon = h;
    }
    if let Some(r) = o.choice("--target-reading", Reading::from_name, "compound or linear")? {
        t.reading = r;
    }
    t.start = o.choice("--target-start", parse_month, "a month YYYY-MM")?;
    p.validate().map_err(|e| e.to_string())?;
    Ok(p)
}

fn cmd_analyze(args: &[String]) -> Result<(), String> {
    let o = parse_opts(
        args,
        &[
            "--as-of",
            "--from",
            "--to",
            "--granularity",
            "--horizon",
            "--margin",
            "--cpa",
            "--churn-days",
            "--tenure-horizon",
            "--f2-within",
            "--decile-rule",
            "--target-baseline",
            "--target-growth",
            "--target-horizon",
            "--target-reading",
            "--target-start",
        ],
        &["--json"],
    )?;
    let [path] = o.positional[..] else {
        return Err(format!("analyze takes one FILE\n{USAGE}"));
    };
    let params = analyze_params(&o)?;
    let (data, _) = read_orders(path)?;
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
    print_ltv(out, r, cur)
}

/// The LTV line: LTV = AOV × orders per customer, and the CPA figures.
fn print_ltv(out: &mut impl Write, r: &Report, cur: &str) -> io::Result<()> {
    let l = &r.ltv;
    let h = l.horizon_months;
    writeln!(out)?;
    let (Some(ltv), Some(aov), Some(opc)) = (l.ltv, l.aov, l.orders_per_customer) else {
        return writeln!(
            out,
            "{h}-month LTV: no monthly cohort has been observed for {h} months yet"
        );
    };
    writeln!(
        out,
        "{h}-month LTV {ltv:.2} {cur} = AOV {aov:.2} x {opc:.3} orders per customer ({} cohorts {} to {}, {} customers)",
        l.cohorts_used,
        l.first_cohort.as_deref().unwrap_or("?"),
        l.last_cohort.as_deref().unwrap_or("?"),
        l.customers_used
    )?;
    if let (Some(m), Some(p)) = (l.gross_margin, l.profit_ltv) {
        write!(out, "Profit LTV {p:.2} {cur} (margin {:.1}%)", m * 100.0)?;
        if let (Some(cpa), Some(x)) = (l.cpa, l.ltv_to_cpa) {
            write!(out, "; CPA {cpa:.2}: LTV/CPA {x:.2}, ")?;
            match l.payback_month {
                Some(k) => write!(out, "paid back in month {k} after the first order")?,
                None => write!(out, "not paid back within the observed months")?,
            }
        }
        writeln!(out)?;
    } else if let (Some(cpa), Some(x)) = (l.cpa, l.ltv_to_cpa) {
        writeln!(
            out,
            "CPA {cpa:.2}: LTV/CPA {x:.2} (give --margin for profit LTV and the payback month)"
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

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_engine::ingest::{read_all, PARTS_FROM_BYTES};

    #[test]
    fn a_large_file_read_on_two_threads_equals_one_read() {
        let (text, _) = ltv_sample::shopify_csv(&SampleParams {
            orders: 45_000,
            ..SampleParams::default()
        });
        assert!(
            text.len() as u64 >= PARTS_FROM_BYTES,
            "{} bytes",
            text.len()
        );
        let dir = std::env::temp_dir().join(format!("ltv-lens-cli-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("large.csv");
        std::fs::write(&path, &text).expect("write sample");
        let path = path.to_string_lossy().to_string();
        let mut file = File::open(&path).expect("open");
        assert!(second_part_start(&mut file, text.len() as u64).is_some());
        let (two, joined) = read_orders(&path).expect("read in two parts");
        assert!(joined);
        let one = read_all(text.as_bytes(), IngestOptions::default()).expect("read whole");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(two.info, one.info);
        assert_eq!(two.customer_keys, one.customer_keys);
        assert!(two.orders == one.orders);
    }
}
