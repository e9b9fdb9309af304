//! Texts of the predictive CLV view: fixed texts as fields of [`ClvTexts`],
//! and the sentences with values (the parameters in plain words, a
//! status's meaning).

use super::{pick, Lang};
use crate::format::{decimal, int, percent};
use ltv_engine::clv::{BgNbd, ClvStatus, FitStage, GammaGamma, PurchaseModel};

/// Fixed texts of the CLV tab.
pub struct ClvTexts {
    pub tab: &'static str,
    pub heading: &'static str,
    pub fitting: &'static str,
    pub horizon: &'static str,
    pub discount: &'static str,
    pub reading_heading: &'static str,
    pub params_heading: &'static str,
    pub model: &'static str,
    pub parameters: &'static str,
    pub log_likelihood: &'static str,
    pub converged: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub used: &'static str,
    pub holdout_heading: &'static str,
    pub holdout_none: &'static str,
    pub actual: &'static str,
    pub predicted: &'static str,
    pub mae: &'static str,
    pub repeat_heading: &'static str,
    pub repeat_purchases: &'static str,
    pub customers_actual: &'static str,
    pub customers_expected: &'static str,
    pub p_alive_heading: &'static str,
    pub p_alive_caption: &'static str,
    pub frequency: &'static str,
    pub recency: &'static str,
    pub deciles_heading: &'static str,
    pub top_heading: &'static str,
    pub customer: &'static str,
    pub p_alive: &'static str,
    pub expected_orders: &'static str,
    pub expected_aov: &'static str,
    pub clv: &'static str,
    pub meaning: &'static str,
    pub formula: &'static str,
    pub tracking_heading: &'static str,
    pub tracking_x: &'static str,
    pub tracking_y: &'static str,
    pub tracking_actual: &'static str,
    pub tracking_expected: &'static str,
    pub tracking_table: &'static str,
    pub week_ending: &'static str,
    pub value_y: &'static str,
}

pub static EN: ClvTexts = ClvTexts {
    tab: "Predicted LTV",
    heading: "Predicted customer value (CLV)",
    fitting: "Fitting the models… (a few seconds on a large file; the rest of the page works meanwhile)",
    horizon: "Horizon (months)",
    discount: "Monthly discount rate",
    reading_heading: "In plain words",
    params_heading: "The fitted models",
    model: "Model",
    parameters: "Parameters",
    log_likelihood: "Log-likelihood",
    converged: "Converged",
    yes: "yes",
    no: "no",
    used: "used for the predictions",
    holdout_heading: "Check against the orders after the as-of date",
    holdout_none: "No orders after the as-of date: set an earlier as-of date to hold some back and see which model predicts them better. Pareto/NBD is fitted only then (it takes a few seconds more); until then BG/NBD makes the scores.",
    actual: "Actual repeat purchases",
    predicted: "Predicted",
    mae: "Mean absolute error per customer",
    repeat_heading: "Customers by number of repeat purchases: actual and as the model expects",
    repeat_purchases: "Repeat purchases",
    tracking_heading: "Cumulative repeat purchases: actual and as the model expects",
    tracking_x: "Week ending (calibration up to the as-of date, then the holdout)",
    tracking_y: "Repeat purchases, cumulative",
    tracking_actual: "Actual",
    tracking_expected: "Model",
    tracking_table: "The chart as a table",
    week_ending: "Week ending",
    value_y: "Predicted value per customer",
    customers_actual: "Customers (actual)",
    customers_expected: "Customers (model)",
    p_alive_heading: "Probability a customer is still active, by frequency and recency",
    p_alive_caption: "Rows: repeat purchases. Columns: weeks from the first to the last purchase. For a customer first seen at the start of the calibration period. Under BG/NBD a customer without a repeat purchase counts as active (one can only drop out after a purchase); Pareto/NBD does not assume this.",
    frequency: "Repeat purchases",
    recency: "Weeks first → last",
    deciles_heading: "Predicted value by decile",
    top_heading: "The 100 customers with the highest predicted value",
    customer: "Customer",
    p_alive: "P(active)",
    expected_orders: "Expected orders",
    expected_aov: "Expected order value",
    clv: "Predicted value",
    meaning: "P(active) is a probability (0–100 %) that the customer has not quietly left. Expected orders is an average count over the horizon, not a promise: 0.4 means four in ten such customers order once. Predicted value = expected orders × expected order value, month by month, discounted monthly.",
    formula: "Frequency x = purchase days after the first; recency t_x = weeks from the first to the last purchase; T = weeks from the first purchase to the as-of date. BG/NBD (Fader, Hardie & Lee 2005): while active a customer buys at a rate λ ~ Gamma(r, α) and after each purchase stops with probability p ~ Beta(a, b). Pareto/NBD (Schmittlein et al. 1987): a lifetime ~ Exponential(μ), μ ~ Gamma(s, β). Gamma-Gamma: a customer's average order value ~ Gamma(p, ν), ν ~ Gamma(q, γ), on repeat buyers; valid when q > 1. Fitted by maximum likelihood; orders after the as-of date are never used to fit.",
};

pub static JA: ClvTexts = ClvTexts {
    tab: "予測LTV",
    heading: "予測顧客生涯価値（CLV）",
    fitting: "モデルを推定しています…（大きなファイルでは数秒かかります。その間もページは使えます）",
    horizon: "予測期間（か月）",
    discount: "月次割引率",
    reading_heading: "わかりやすく言うと",
    params_heading: "推定したモデル",
    model: "モデル",
    parameters: "パラメータ",
    log_likelihood: "対数尤度",
    converged: "収束",
    yes: "はい",
    no: "いいえ",
    used: "予測に使用",
    holdout_heading: "基準日より後の注文との照合",
    holdout_none: "基準日より後の注文がありません。基準日を前にずらすと、その後の注文をどちらのモデルがよく予測するかを確かめられます。Pareto/NBD はその場合にだけ推定します（数秒多くかかります）。それまでは BG/NBD でスコアを計算します。",
    actual: "実際のリピート購入",
    predicted: "予測",
    mae: "顧客あたり平均絶対誤差",
    repeat_heading: "リピート購入回数別の顧客数：実際とモデルの予測",
    repeat_purchases: "リピート購入回数",
    tracking_heading: "リピート購入の累計: 実際とモデルの予測",
    tracking_x: "週（基準日までが推定期間、その後が検証期間）",
    tracking_y: "リピート購入の累計",
    tracking_actual: "実際",
    tracking_expected: "モデル",
    tracking_table: "グラフの数値（表）",
    week_ending: "週の最終日",
    value_y: "顧客1人あたりの予測価値",
    customers_actual: "顧客数（実際）",
    customers_expected: "顧客数（モデル）",
    p_alive_heading: "購入回数と最終購入時期別の、顧客がまだ離脱していない確率",
    p_alive_caption: "行: リピート購入回数。列: 初回から最終購入までの週数。推定期間の初めに初回購入した顧客の場合。BG/NBDでは、離脱は購入の直後にしか起きないため、リピート購入のない顧客は現役とみなされます（Pareto/NBDにはこの仮定はありません）。",
    frequency: "リピート購入回数",
    recency: "初回→最終の週数",
    deciles_heading: "予測価値のデシル",
    top_heading: "予測価値の上位100人",
    customer: "顧客",
    p_alive: "生存確率",
    expected_orders: "予測注文回数",
    expected_aov: "予測注文単価",
    clv: "予測価値",
    meaning: "生存確率は、その顧客が黙って離れていない確率（0〜100%）です。予測注文回数は期間中の平均回数で、約束ではありません（0.4なら、同じような顧客10人のうち4人が1回注文する見込み）。予測価値 = 予測注文回数 × 予測注文単価を月ごとに求め、月次で割り引いた合計です。",
    formula: "頻度 x = 初回より後に購入した日数、最新性 t_x = 初回から最終購入までの週数、T = 初回購入から基準日までの週数。BG/NBD（Fader, Hardie & Lee 2005）: 現役の間は購買率 λ ~ Gamma(r, α) で購入し、購入のたびに確率 p ~ Beta(a, b) で離脱。Pareto/NBD（Schmittlein ほか 1987）: 生存期間 ~ 指数分布(μ)、μ ~ Gamma(s, β)。Gamma-Gamma: リピート顧客の平均注文単価 ~ Gamma(p, ν)、ν ~ Gamma(q, γ)。q > 1 のときのみ有効。最尤推定で、基準日より後の注文は推定に使いません。",
};

/// A purchase model's name.
pub fn model_name(m: PurchaseModel) -> &'static str {
    match m {
        PurchaseModel::BgNbd => "BG/NBD",
        PurchaseModel::ParetoNbd => "Pareto/NBD",
    }
}

/// The BG/NBD fit (time in weeks) and the spend model in plain words:
/// "a typical customer buys about once every N days while active; after
/// each purchase X % stop buying; a typical order is worth Y".
pub fn reading(
    lang: Lang,
    bg: &BgNbd,
    gg: Option<&GammaGamma>,
    money: impl Fn(f64) -> String,
) -> String {
    // Mean purchase rate r/α per week: once every 7α/r days.
    let every_days = if bg.r > 0.0 {
        7.0 * bg.alpha / bg.r
    } else {
        f64::INFINITY
    };
    let stop = bg.a / (bg.a + bg.b);
    let days = if every_days.is_finite() {
        decimal(every_days, 0)
    } else {
        "∞".into()
    };
    // Mean of the average order value: p·γ / (q − 1), when q > 1.
    let aov = gg
        .filter(|g| g.q > 1.0)
        .map(|g| money(g.p * g.gamma / (g.q - 1.0)));
    match lang {
        Lang::En => {
            let mut s = format!(
                "A typical customer buys about once every {days} days while active; after each purchase about {} stop buying for good.",
                percent(stop)
            );
            if let Some(aov) = aov {
                s.push_str(&format!(
                    " A typical repeat customer's orders are worth about {aov} each."
                ));
            }
            s
        }
        Lang::Ja => {
            let mut s = format!(
                "平均的な顧客は、現役の間はおよそ{days}日に1回購入し、購入のたびに約{}が購入をやめます。",
                percent(stop)
            );
            if let Some(aov) = aov {
                s.push_str(&format!("リピート顧客の1回の注文はおよそ{aov}です。"));
            }
            s
        }
    }
}

/// What a status means and what to do (for every status but `ok`).
pub fn status(lang: Lang, s: ClvStatus) -> &'static str {
    let (en, ja) = match s {
        ClvStatus::Ok => ("", ""),
        ClvStatus::NoCustomers => (
            "No customer with a key bought on or before the as-of date.",
            "基準日までに購入した（顧客キーのある）顧客がいません。",
        ),
        ClvStatus::NoRepeatBuyers => (
            "No customer bought on two different days, so there is no repeat rate to learn from.",
            "2日以上に購入した顧客がいないため、リピートの傾向を推定できません。",
        ),
        ClvStatus::TooFewCustomers => (
            "Too few customers to fit the models (at least 30 customers and 5 repeat buyers are needed).",
            "顧客が少なすぎてモデルを推定できません（30人以上、うちリピート顧客5人以上が必要です）。",
        ),
        ClvStatus::NotConverged => (
            "Neither purchase model converged. Try an as-of date with more history, or check for test orders.",
            "どちらの購買モデルも収束しませんでした。履歴の長い基準日にするか、テスト注文がないか確認してください。",
        ),
        ClvStatus::NoSpendModel => (
            "Purchases are predicted, but not spend (too few repeat buyers with a positive order value): no value in money.",
            "購入回数は予測できましたが、注文単価は推定できません（金額のあるリピート顧客が少なすぎます）。金額での予測はありません。",
        ),
        ClvStatus::SpendModelInvalid => (
            "The spend model's q is 1 or less (its mean order value would be infinite), so no value in money is given.",
            "注文単価モデルの q が1以下（平均注文単価が無限大）になるため、金額での予測は出しません。",
        ),
    };
    pick(lang, en, ja)
}

/// "31,000 customers, 8,700 of them repeat buyers (9,800 distinct
/// histories), calibration to 2026-09-30; fitted in 1.2 s."
pub fn fitted_line(
    lang: Lang,
    customers: u64,
    repeat: u64,
    cells: u64,
    end: chrono::NaiveDate,
    seconds: f64,
) -> String {
    let (c, r, n) = (int(customers as i64), int(repeat as i64), int(cells as i64));
    let s = decimal(seconds, 1);
    let end = super::overview::date(lang, end);
    match lang {
        Lang::En => format!(
            "{c} customers, {r} of them repeat buyers ({n} distinct histories), orders up to {end}; fitted in {s} s."
        ),
        Lang::Ja => format!(
            "顧客{c}人（うちリピート顧客{r}人、異なる購買履歴{n}通り）、{end}までの注文で推定。所要{s}秒。"
        ),
    }
}

/// "Step 2 of 6: fitting BG/NBD".
pub fn fit_step(lang: Lang, stage: FitStage) -> String {
    let n = FitStage::ALL.len();
    let k = stage.number();
    let (en, ja) = match stage {
        FitStage::Summaries => (
            "summarising each customer's purchases",
            "顧客ごとの購入を集計中",
        ),
        FitStage::BgNbd => ("fitting BG/NBD", "BG/NBD を推定中"),
        FitStage::ParetoNbd => ("fitting Pareto/NBD", "Pareto/NBD を推定中"),
        FitStage::GammaGamma => (
            "fitting Gamma-Gamma (spend per order)",
            "Gamma-Gamma（購入単価）を推定中",
        ),
        FitStage::Forecast => (
            "forecasting purchases and checking the holdout",
            "購入回数を予測し、検証期間と照合中",
        ),
        FitStage::Report => (
            "scoring customers and drawing the diagnostics",
            "顧客ごとのスコアと診断グラフを作成中",
        ),
    };
    match lang {
        Lang::En => format!("Step {k} of {n}: {en}"),
        Lang::Ja => format!("{n}段階中{k}: {ja}"),
    }
}
