//! The decile chart on a canvas, drawn by the shared plotters code.

use super::state::use_state;
use leptos::prelude::*;
use ltv_charts::{draw_deciles, DecileChartText};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

#[component]
pub fn DecileChart() -> impl IntoView {
    let state = use_state();
    let canvas_ref: NodeRef<leptos::html::Canvas> = NodeRef::new();
    // Redraw when the canvas is mounted, the report or the language changes.
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let lang = state.lang.get();
        let t = lang.texts();
        state.report.with(|r| {
            let Some(Ok(r)) = r else { return };
            let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
                return;
            };
            let root = backend.into_drawing_area();
            let _ = root.fill(&WHITE);
            let text = DecileChartText {
                share_label: t.chart_share,
                cumulative_label: t.chart_cumulative,
                y_axis: t.chart_y,
                x_axis: t.chart_x,
            };
            let _ = draw_deciles(&root, &r.decile_table, &text);
            let _ = root.present();
        });
    });
    view! {
        <canvas
            class="chart"
            data-testid="decile-chart"
            width="1440"
            height="720"
            node_ref=canvas_ref
            role="img"
            aria-label=move || state.lang.get().texts().chart_share
        ></canvas>
    }
}
