//! `ltv-lens`: the command-line face of the ltv-lens engine.
//!
//! ```text
//! ltv-lens analyze FILE [--json] [--clv] [--map FIELD=HEADER…] [--as-of YYYY-MM-DD] [SETTINGS…]
//! ltv-lens customers FILE [--segment ID] [--encoding utf-8|shift_jis] [--csv] [--clv] [--map FIELD=HEADER…] [SETTINGS…]
//! ltv-lens sample [--orders N] [--seed S] [--out FILE]
//! ltv-lens help [COMMAND]
//! ```
//! The arguments are parsed by clap; the analysis settings, their names
//! and help come from the engine's table ([`ltv_engine::settings`]), the
//! one the web app's URL uses. Glue only: arguments, streaming the file
//! into the engine, printing.

use clap::{Arg, ArgMatches, Args, FromArgMatches, Parser, Subcommand};
use ltv_engine::customers::{list, list_with_clv, write_csv, ListId};
use ltv_engine::error::ErrorKind;
use ltv_engine::export::ExportEncoding;
use ltv_engine::ingest::{
    preview, split_aim, split_point, Ingest, IngestOptions, Part, SNIFF_BYTES,
};
use ltv_engine::mapping::Field;
use ltv_engine::report::{analyze, analyze_with_clv, summary, AnalyzeParams, Report, Summary};
use ltv_engine::settings::{Setting, SETTINGS};
use ltv_engine::store::Dataset;
use ltv_sample::{write_shopify_csv, SampleParams};
use std::fs::File;
use std::io::{self, Read, Write};
use std::io::{Seek, SeekFrom};
use std::process::ExitCode;

/// Customer analytics for an online shop's order export: deciles, cohorts,
/// LTV, targets, repeat rates.
#[derive(Parser)]
#[command(name = "ltv-lens", version, args_override_self = true)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Analyze an order export (CSV, TSV or a workbook) and print the
    /// figures.
    Analyze {
        /// The order export.
        #[arg(value_name = "FILE")]
        path: String,
        /// Print the whole report as JSON.
        #[arg(long)]
        json: bool,
        /// Also fit the predictive CLV models (BG/NBD, Pareto/NBD,
        /// Gamma-Gamma): seconds on a large file; `clv` is null without it.
        #[arg(long)]
        clv: bool,
        #[command(flatten)]
        reading: Reading,
        #[command(flatten)]
        settings: Settings,
    },
    /// Write a customer list as CSV to standard output: one row per
    /// customer (orders, revenue, RFM, CPM segment, rank, churn risk).
    Customers {
        /// The order export.
        #[arg(value_name = "FILE")]
        path: String,
        /// The list: all, a CPM segment (yuryo, yuryo_churned…), an RFM
        /// segment (champions…), a rank (high_ltv, potential_ltv, general)
        /// or churn_risk.
        #[arg(long, value_name = "ID", default_value = "all")]
        segment: String,
        /// The CSV's encoding: utf-8 (with a BOM) or shift_jis.
        #[arg(long, value_name = "ENCODING", default_value = "utf-8")]
        encoding: String,
        /// Write CSV (the default, and for now the only format).
        #[arg(long)]
        csv: bool,
        /// Add the predicted LTV columns: p_alive, expected_orders,
        /// expected_avg_order_value, clv (fits the CLV models; horizon and
        /// discount from --clv-horizon and --clv-discount).
        #[arg(long)]
        clv: bool,
        #[command(flatten)]
        reading: Reading,
        #[command(flatten)]
        settings: Settings,
    },
    /// Write the orders of a sample shop as a Shopify order export.
    Sample {
        /// Orders to write (default: 20000).
        #[arg(long, value_name = "N")]
        orders: Option<u64>,
        /// Random seed: the same seed writes the same file (default: 42).
        #[arg(long, value_name = "S")]
        seed: Option<u64>,
        /// Where to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<String>,
    },
}

/// How to read the file, where the auto-mapping needs help.
#[derive(Args)]
struct Reading {
    /// The column holding a field, by its header: `--map order_total=金額`
    /// (repeatable; an empty header leaves the field unmapped). Fields:
    /// order_id, order_date, order_total, line_price, line_quantity, email,
    /// customer_id, phone, status, cancelled_at, refunded_amount, currency,
    /// product, category. Naming e-mail, customer_id or phone makes it the
    /// customer key.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    map: Vec<String>,
}

impl Reading {
    fn options(&self) -> Result<IngestOptions, String> {
        let mut opts = IngestOptions::default();
        for m in &self.map {
            let (name, header) = m
                .split_once('=')
                .ok_or_else(|| format!("--map {m:?}: expected FIELD=HEADER"))?;
            let field = Field::from_name(name.trim()).ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "--map {m:?}: unknown field {:?}; expected one of: {}",
                    name.trim(),
                    names.join(", ")
                )
            })?;
            opts.map.push((field, header.to_string()));
        }
        Ok(opts)
    }
}

/// The analysis settings given, in the engine's table's order: one
/// `--name VALUE` option per [`Setting`].
struct Settings(Vec<(&'static Setting, String)>);

impl FromArgMatches for Settings {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(Settings(
            SETTINGS
                .iter()
                .filter_map(|s| Some((s, m.get_one::<String>(s.name)?.clone())))
                .collect(),
        ))
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Settings::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for Settings {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        SETTINGS.iter().fold(cmd, |cmd, s| {
            cmd.arg(
                Arg::new(s.name)
                    .long(s.name)
                    .value_name(s.value)
                    .help(s.help),
            )
        })
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Settings::augment_args(cmd)
    }
}

impl Settings {
    /// The settings, checked.
    fn params(&self) -> Result<AnalyzeParams, String> {
        let mut p = AnalyzeParams::default();
        for (setting, value) in &self.0 {
            setting
                .apply(&mut p, value)
                .map_err(|e| format!("--{}: {e}", setting.name))?;
        }
        p.validate().map_err(|e| e.to_string())?;
        Ok(p)
    }
}

/// Bytes read from the file per chunk fed to the engine.
const CHUNK: usize = 1 << 20;

/// Reads an order file, streaming: a large file in two parts on two
/// threads (the engine joins them into exactly what one read gives).
/// With the dataset, whether the two parts were joined.
fn read_orders(path: &str, opts: &IngestOptions) -> Result<(Dataset, bool), String> {
    read_orders_inner(path, opts).map_err(|e| match e {
        Failure::Engine(e) if matches!(e.kind, ErrorKind::MappingNeeded { .. }) => {
            format!("{path}: {e}{}", mapping_help(path, opts))
        }
        Failure::Engine(e) => format!("{path}: {e}"),
        Failure::Io(e) => format!("{path}: {e}"),
    })
}

/// Why a read failed.
enum Failure {
    Engine(ltv_engine::error::Error),
    Io(String),
}

impl From<ltv_engine::error::Error> for Failure {
    fn from(e: ltv_engine::error::Error) -> Self {
        Failure::Engine(e)
    }
}

/// For a file whose columns must be named: its headers, the column the
/// content suggests for each missing field, and how to name them.
fn mapping_help(path: &str, opts: &IngestOptions) -> String {
    let Ok(bytes) = std::fs::read(path) else {
        return String::new();
    };
    let Ok(p) = preview(&bytes, opts) else {
        return String::new();
    };
    let mut out = format!("\n  the file's columns: {}", p.headers.join(", "));
    for f in &p.guess.missing {
        let suggested = match f {
            Field::OrderTotal => p
                .guess
                .mapping
                .get(Field::OrderTotal)
                .or(p.guess.mapping.get(Field::LinePrice)),
            Field::Email => p.guess.mapping.key_column(),
            f => p.guess.mapping.get(*f),
        };
        let hint = match suggested.and_then(|c| p.headers.get(c)) {
            Some(h) => format!("by its content, perhaps \"{h}\" (--map {}={h})", f.name()),
            None => format!("name it with --map {}=HEADER", f.name()),
        };
        out.push_str(&format!("\n  {}: {hint}", f.name()));
    }
    out
}

fn read_orders_inner(path: &str, opts: &IngestOptions) -> Result<(Dataset, bool), Failure> {
    let err = |e: &dyn std::fmt::Display| Failure::Io(e.to_string());
    let mut file = File::open(path).map_err(|e| err(&e))?;
    let len = file.metadata().map_err(|e| err(&e))?.len();
    let mut ingest = Ingest::new(opts.clone());
    let split = second_part_start(&mut file, len)
        .filter(|_| std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2));
    let Some(split) = split else {
        file.seek(SeekFrom::Start(0)).map_err(|e| err(&e))?;
        feed(&mut ingest, &mut file, u64::MAX)?;
        return Ok((ingest.finish()?, false));
    };
    file.seek(SeekFrom::Start(0)).map_err(|e| err(&e))?;
    let part = std::thread::scope(|s| {
        let second = s.spawn(|| read_part(path, split, opts));
        let first = feed(&mut ingest, &mut file, split);
        let part = second.join().ok().flatten();
        first.map(|()| part)
    })?;
    let joined = match part {
        Some(part) if ingest.at_record_boundary() => ingest.join(part)?,
        _ => false,
    };
    if !joined {
        // The split point was inside a quoted field, or an order went on
        // across it in a way only one read reproduces: read on.
        file.seek(SeekFrom::Start(split)).map_err(|e| err(&e))?;
        feed(&mut ingest, &mut file, u64::MAX)?;
    }
    Ok((ingest.finish()?, joined))
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
fn read_part(path: &str, split: u64, opts: &IngestOptions) -> Option<Part> {
    let mut file = File::open(path).ok()?;
    let mut head = vec![0u8; SNIFF_BYTES];
    file.read_exact(&mut head).ok()?;
    let mut part = Ingest::part(&head, opts.clone()).ok()??;
    file.seek(SeekFrom::Start(split)).ok()?;
    feed(&mut part, &mut file, u64::MAX).ok()?;
    part.into_part().ok()
}

/// Feeds up to `limit` bytes of `file` from where it is.
fn feed(ingest: &mut Ingest, file: &mut File, limit: u64) -> Result<(), Failure> {
    let mut buf = vec![0u8; CHUNK];
    let mut left = limit;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::Io(e.to_string())),
        };
        left -= n as u64;
        ingest.feed(&buf[..n])?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Cmd::Analyze {
            path,
            json,
            clv,
            reading,
            settings,
        } => reading
            .options()
            .and_then(|o| cmd_analyze(&path, json, clv, &o, &settings)),
        Cmd::Customers {
            path,
            segment,
            encoding,
            csv: _,
            clv,
            reading,
            settings,
        } => reading
            .options()
            .and_then(|o| cmd_customers(&path, &segment, &encoding, clv, &o, &settings)),
        Cmd::Sample { orders, seed, out } => cmd_sample(orders, seed, out.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("ltv-lens: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn cmd_analyze(
    path: &str,
    json: bool,
    clv: bool,
    opts: &IngestOptions,
    settings: &Settings,
) -> Result<(), String> {
    let params = settings.params()?;
    let (data, _) = read_orders(path, opts)?;
    let report = if clv {
        analyze_with_clv(&data, &params)
    } else {
        analyze(&data, &params)
    }
    .map_err(|e| format!("{path}: {e}"))?;
    print_problems(path, &report.summary);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer(&mut out, &report).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        print_text(&mut out, &report).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The cells that could not be read, on standard error.
fn print_problems(path: &str, s: &Summary) {
    for p in &s.problems {
        eprintln!("{path}: {p}");
    }
    let more: u64 = s.problem_counts.iter().map(|c| c.count).sum::<u64>() - s.problems.len() as u64;
    if more > 0 {
        eprintln!("{path}: … and {more} more problems");
    }
}

/// The list called `id`, or an error naming every list.
fn list_id(id: &str) -> Result<ListId, String> {
    ListId::parse(id.trim()).ok_or_else(|| {
        let ids: Vec<&str> = ListId::ALL.iter().map(|l| l.id()).collect();
        format!(
            "unknown segment {id:?}; expected one of: {}",
            ids.join(", ")
        )
    })
}

fn cmd_customers(
    path: &str,
    segment: &str,
    encoding: &str,
    clv: bool,
    opts: &IngestOptions,
    settings: &Settings,
) -> Result<(), String> {
    let params = settings.params()?;
    let id = list_id(segment)?;
    let enc: ExportEncoding = encoding.parse().map_err(|e| format!("--encoding: {e}"))?;
    let (data, _) = read_orders(path, opts)?;
    let customers = if clv {
        list_with_clv(&data, &params)
    } else {
        list(&data, &params)
    }
    .map_err(|e| format!("{path}: {e}"))?;
    print_problems(path, &summary(&data));
    let csv = write_csv(&customers, id, enc).map_err(|e| e.to_string())?;
    if csv.unrepresentable_chars > 0 {
        eprintln!(
            "{path}: {} characters Shift_JIS cannot hold were written as ? ({} cells)",
            csv.unrepresentable_chars, csv.cells_with_unrepresentable
        );
    }
    let mut out = io::stdout().lock();
    out.write_all(&csv.bytes)
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())
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
    print_overview(out, r, cur)?;
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

/// The overview: each KPI of the window, the previous period's value and
/// the change, or why not.
fn print_overview(out: &mut impl Write, r: &Report, cur: &str) -> io::Result<()> {
    use ltv_engine::overview::KpiUnit;
    let o = &r.overview;
    writeln!(
        out,
        "\nOverview {} to {} against {} to {}",
        o.from, o.to, o.previous_from, o.previous_to
    )?;
    let show = |unit: KpiUnit, v: f64| match unit {
        KpiUnit::Money => format!("{v:.2} {cur}"),
        KpiUnit::Count => format!("{v}"),
        KpiUnit::Ratio => format!("{v:.3}"),
        KpiUnit::Rate => format!("{:.1}%", v * 100.0),
    };
    for k in &o.kpis {
        let now = match (k.value, k.missing) {
            (Some(v), _) => show(k.unit, v),
            (None, m) => format!("n/a: {}", m.map_or("", |m| m.describe())),
        };
        let change = match (k.previous, k.change, k.change_missing) {
            (Some(p), Some(c), _) if k.unit == KpiUnit::Rate => {
                format!("before {}, {:+.1} pt", show(k.unit, p), c * 100.0)
            }
            (Some(p), Some(c), _) => format!("before {}, {:+.1}%", show(k.unit, p), c * 100.0),
            (_, _, Some(m)) if k.value.is_some() => format!("no change: {}", m.describe()),
            _ => String::new(),
        };
        writeln!(out, "  {:<20} {now:>18}  {change}", k.kpi.name())?;
    }
    Ok(())
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

fn cmd_sample(orders: Option<u64>, seed: Option<u64>, out: Option<&str>) -> Result<(), String> {
    let mut params = SampleParams::default();
    if let Some(n) = orders {
        params.orders = n;
    }
    if let Some(s) = seed {
        params.seed = s;
    }
    let stats = match out {
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
    fn the_arguments_are_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn settings_are_read_by_the_codecs_names() {
        let cli = Cli::try_parse_from([
            "ltv-lens",
            "analyze",
            "--target-horizon",
            "6",
            "orders.csv",
            "--margin",
            "35%",
            "--json",
            "--horizon",
            "3",
            "--horizon",
            "9",
        ])
        .expect("parses");
        let Cmd::Analyze {
            path,
            json,
            settings,
            ..
        } = cli.command
        else {
            panic!("not analyze");
        };
        assert_eq!((path.as_str(), json), ("orders.csv", true));
        let p = settings.params().expect("valid settings");
        assert_eq!(p.targets.horizon, 6);
        assert_eq!(p.gross_margin, Some(0.35));
        assert_eq!(p.horizon_months, 9, "the last of a repeated option");
        let bad = Cli::try_parse_from(["ltv-lens", "analyze", "f.csv", "--as-of", "2024-13-01"])
            .expect("parses");
        let Cmd::Analyze { settings, .. } = bad.command else {
            panic!("not analyze");
        };
        assert_eq!(
            settings.params().unwrap_err(),
            "--as-of: expected a date YYYY-MM-DD, got \"2024-13-01\""
        );
        assert!(Cli::try_parse_from(["ltv-lens", "analyze", "f.csv", "--nope", "1"]).is_err());
    }

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
        let (two, joined) =
            read_orders(&path, &IngestOptions::default()).expect("read in two parts");
        assert!(joined);
        let one = read_all(text.as_bytes(), IngestOptions::default()).expect("read whole");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(two.info, one.info);
        assert_eq!(two.customer_keys, one.customer_keys);
        assert!(two.orders == one.orders);
    }
}
