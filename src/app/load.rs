//! Getting a file in: drop zone, file input, the sample button, the status
//! line with progress, and the messages area.

use super::state::{use_state, Source, Status};
use crate::i18n;
use leptos::prelude::*;

/// The drop zone with its file input and the sample button.
#[component]
pub fn Upload() -> impl IntoView {
    let state = use_state();
    let t = move || state.lang.get().texts();
    let dragging = RwSignal::new(false);
    let input_ref: NodeRef<leptos::html::Input> = NodeRef::new();

    let on_change = move |_ev: web_sys::Event| {
        let Some(input) = input_ref.get() else { return };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            state.open(Source::File(file));
        }
        // Choosing the same file again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            state.open(Source::File(file));
        }
    };
    let on_sample = move |_| state.open(Source::Sample);
    view! {
        <section
            class="drop-zone"
            data-testid="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>{move || t().drop_hint}</p>
            <div class="actions">
                <label class="button primary">
                    {move || t().choose_file}
                    <input
                        type="file"
                        data-testid="file-input"
                        accept=".csv,.tsv,.txt,.xlsx,.xls,.xlsb,.ods,text/csv,text/tab-separated-values"
                        node_ref=input_ref
                        on:change=on_change
                    />
                </label>
                <button type="button" class="button" data-testid="load-sample" on:click=on_sample>
                    {move || t().try_sample}
                </button>
            </div>
        </section>
    }
}

/// The status line: idle, working (with progress), ready or error.
#[component]
pub fn StatusLine() -> impl IntoView {
    let state = use_state();
    let text = move || {
        let lang = state.lang.get();
        let t = lang.texts();
        match state.status.get() {
            Status::Idle => t.status_idle.to_string(),
            Status::Working {
                read,
                total,
                rows,
                seconds,
            } => i18n::progress(lang, read, total, rows, seconds),
            Status::Ready { rows, seconds, .. } => i18n::ready(lang, rows, seconds),
            Status::Error => t.status_error.to_string(),
        }
    };
    // The file's name is the user's text: shown as text, and isolated
    // (<bdi>) so that a right-to-left override in it cannot turn the words
    // after it around.
    let name = move || {
        (!matches!(state.status.get(), Status::Idle))
            .then(|| state.file_name.get())
            .flatten()
            .map(|n| view! { <bdi class="file-name">{n}</bdi>{" — "} })
    };
    let progress = move || match state.status.get() {
        Status::Working { read, total, .. } if total > 0 => Some(view! {
            <progress max=total.to_string() value=read.to_string()></progress>
        }),
        _ => None,
    };
    let cancel = move || {
        matches!(state.status.get(), Status::Working { .. }).then(|| view! {
            <button type="button" class="button" data-testid="cancel" on:click=move |_| state.cancel()>
                {move || state.lang.get().texts().cancel_load}
            </button>
        })
    };
    let phases = move || match state.status.get() {
        Status::Ready {
            phases: Some(p), ..
        } => serde_json::to_string(&p).ok(),
        _ => None,
    };
    view! {
        <div class="status" data-testid="status" data-state=move || state.status.get().name() data-phases=phases role="status" aria-live="polite">
            <span>{name}{text}</span>
            {progress}
            {cancel}
        </div>
    }
}

/// User-facing messages: the fatal error, and the first cells that could
/// not be read (with line and column).
#[component]
pub fn Messages() -> impl IntoView {
    let state = use_state();
    let messages = move || {
        let lang = state.lang.get();
        let mut out: Vec<String> = Vec::new();
        if let Some(e) = state.fatal.get() {
            out.push(e.message(lang));
        }
        state.report.with(|r| match r {
            Some(Err(e)) => out.push(i18n::error(lang, &e.kind)),
            Some(Ok(r)) => {
                let s = &r.summary;
                out.extend(s.problems.iter().take(5).map(|p| i18n::problem(lang, p)));
                let total: u64 = s.problem_counts.iter().map(|c| c.count).sum();
                if total > 5 {
                    out.push(i18n::more_problems(lang, total - 5));
                }
            }
            None => {}
        });
        out
    };
    view! {
        <Show when=move || !messages().is_empty()>
            <div class="messages" data-testid="error" role="alert">
                <ul>{move || messages().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}
