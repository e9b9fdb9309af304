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
use ltv_engine::ingest::{Ingest, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::sample::{write_shopify_csv, SampleParams};
use ltv_engine::targets::Reading;
use std::io::{self, Read, Write};
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
