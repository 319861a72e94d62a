//! The signature pad of a `signature` question: draw with a mouse, pen or finger on a canvas
//! (pointer events), or type your name, which is written on the canvas (the keyboard way to
//! sign). Continue posts the canvas as a PNG data URL, as docassemble does (`_the_image`).

use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;

/// Canvas size in pixels (the CSS scales it to the width of the screen).
const WIDTH: u32 = 600;
const HEIGHT: u32 = 220;

fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
}

/// A pointer position in canvas pixels.
fn point(canvas: &web_sys::HtmlCanvasElement, ev: &web_sys::PointerEvent) -> (f64, f64) {
    let w = f64::from(canvas.client_width().max(1));
    let h = f64::from(canvas.client_height().max(1));
    (
        f64::from(ev.offset_x()) * f64::from(WIDTH) / w,
        f64::from(ev.offset_y()) * f64::from(HEIGHT) / h,
    )
}

fn clear(canvas: &web_sys::HtmlCanvasElement) {
    if let Some(cx) = context(canvas) {
        cx.set_fill_style_str("#fff");
        cx.fill_rect(0.0, 0.0, f64::from(WIDTH), f64::from(HEIGHT));
    }
}

fn pen(cx: &web_sys::CanvasRenderingContext2d) {
    cx.set_stroke_style_str("#000");
    cx.set_fill_style_str("#000");
    cx.set_line_width(3.0);
    cx.set_line_cap("round");
    cx.set_line_join("round");
}

/// Writes a typed name on the canvas, in a handwriting-like font.
fn write_name(canvas: &web_sys::HtmlCanvasElement, name: &str) {
    clear(canvas);
    if let Some(cx) = context(canvas) {
        pen(&cx);
        cx.set_font("italic 48px 'Brush Script MT', 'Segoe Script', cursive");
        cx.set_text_baseline("middle");
        let _ = cx.fill_text(name, 24.0, f64::from(HEIGHT) / 2.0);
    }
}

/// The pad. `on_sign` gets the PNG data URL, or `None` when nothing was drawn or typed.
#[component]
pub fn SignaturePad(
    on_sign: Callback<Option<String>>,
    busy: Signal<bool>,
    continue_label: String,
    /// An error to show (no signature on a required pad).
    error: Signal<Option<String>>,
) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    let drawing = StoredValue::new(None::<(f64, f64)>);
    let inked = RwSignal::new(false);
    let typed = RwSignal::new(String::new());

    canvas.on_load(move |c| clear(&c));

    let down = move |ev: web_sys::PointerEvent| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        ev.prevent_default();
        let _ = c.set_pointer_capture(ev.pointer_id());
        if !typed.get_untracked().is_empty() {
            typed.set(String::new());
            clear(&c);
        }
        let (x, y) = point(&c, &ev);
        if let Some(cx) = context(&c) {
            pen(&cx);
            cx.begin_path();
            let _ = cx.arc(x, y, 1.5, 0.0, std::f64::consts::TAU);
            cx.fill();
        }
        drawing.set_value(Some((x, y)));
        inked.set(true);
    };
    let moved = move |ev: web_sys::PointerEvent| {
        let (Some(c), Some((x0, y0))) = (canvas.get_untracked(), drawing.get_value()) else {
            return;
        };
        let (x, y) = point(&c, &ev);
        if let Some(cx) = context(&c) {
            pen(&cx);
            cx.begin_path();
            cx.move_to(x0, y0);
            cx.line_to(x, y);
            cx.stroke();
        }
        drawing.set_value(Some((x, y)));
    };
    let up = move |_ev: web_sys::PointerEvent| drawing.set_value(None);

    let on_clear = move |_| {
        if let Some(c) = canvas.get_untracked() {
            clear(&c);
        }
        typed.set(String::new());
        inked.set(false);
    };
    let on_type = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(c) = canvas.get_untracked() {
            if name.trim().is_empty() {
                clear(&c);
            } else {
                write_name(&c, &name);
            }
        }
        inked.set(!name.trim().is_empty());
        typed.set(name);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let image = canvas
            .get_untracked()
            .filter(|_| inked.get_untracked())
            .and_then(|c| c.to_data_url_with_type("image/png").ok());
        on_sign.run(image);
    };

    view! {
        <form novalidate class="form signature" on:submit=submit>
            <div class="signature-pad">
                <canvas
                    node_ref=canvas
                    id="signature-canvas"
                    class="signature-canvas"
                    width=WIDTH.to_string()
                    height=HEIGHT.to_string()
                    role="img"
                    aria-label="Signature area: draw your signature here, or type your name below"
                    on:pointerdown=down
                    on:pointermove=moved
                    on:pointerup=up
                    on:pointercancel=up
                ></canvas>
            </div>
            <div class="field">
                <div class="label-row">
                    <label for="signature-typed">"Or type your name to sign"</label>
                </div>
                <input
                    type="text"
                    id="signature-typed"
                    class="input"
                    autocomplete="name"
                    prop:value=move || typed.get()
                    aria-describedby="signature-error"
                    on:input=on_type
                />
                <p class="field-error" id="signature-error" role="alert">{move || error.get()}</p>
            </div>
            <div class="buttons">
                <button type="submit" class="btn btn-primary" aria-disabled=move || busy.get().then_some("true")>
                    {continue_label}
                </button>
                <button type="button" class="btn btn-secondary" on:click=on_clear>"Clear"</button>
            </div>
        </form>
    }
}
