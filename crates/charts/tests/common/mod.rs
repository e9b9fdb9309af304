//! Helpers shared by the chart tests: a tiny SVG reader (plotters writes one
//! element per tag, attributes in double quotes, text content escaped) and a
//! backend that cannot measure text.

// Each test crate compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

#[derive(Debug)]
pub struct Element {
    pub attrs: HashMap<String, String>,
    pub content: String,
}

impl Element {
    pub fn num(&self, key: &str) -> f64 {
        self.attrs
            .get(key)
            .unwrap_or_else(|| panic!("no {key} in {:?}", self.attrs))
            .parse()
            .unwrap_or_else(|_| panic!("{key} is not a number in {:?}", self.attrs))
    }
    pub fn attr(&self, key: &str) -> &str {
        self.attrs.get(key).map(String::as_str).unwrap_or("")
    }
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.attr("points")
            .split_whitespace()
            .map(|xy| {
                let (x, y) = xy.split_once(',').expect("x,y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect()
    }
}

pub fn elements(svg: &str, tag: &str) -> Vec<Element> {
    let open = format!("<{tag} ");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find('>').expect("tag closes");
        let head = after[..end].trim_end_matches('/');
        let mut attrs = HashMap::new();
        let mut h = head;
        while let Some(eq) = h.find("=\"") {
            let key = h[..eq].trim().to_string();
            let v = &h[eq + 2..];
            let close = v.find('"').expect("attribute closes");
            attrs.insert(key, v[..close].to_string());
            h = &v[close + 1..];
        }
        let body = &after[end + 1..];
        let content = if after[..end].ends_with('/') {
            String::new()
        } else {
            let close = format!("</{tag}>");
            body.find(&close)
                .map(|c| body[..c].trim().to_string())
                .unwrap_or_default()
        };
        out.push(Element { attrs, content });
        rest = body;
    }
    out
}

pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

pub fn text_element<'a>(texts: &'a [Element], content: &str) -> &'a Element {
    let found: Vec<_> = texts.iter().filter(|t| t.content == content).collect();
    assert_eq!(found.len(), 1, "exactly one text {content:?}");
    found[0]
}

/// An SVG backend whose text measurement always fails and counts calls,
/// like plotters' `ab_glyph` font path with no font registered.
pub struct NoFonts<'a> {
    pub svg: SVGBackend<'a>,
    pub measured: Rc<Cell<u32>>,
}

impl DrawingBackend for NoFonts<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.svg.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.present()
    }
    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.draw_rect(a, b, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.draw_circle(c, r, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.svg.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        _text: &str,
        _style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.measured.set(self.measured.get() + 1);
        Err(DrawingErrorKind::FontError("no font available".into()))
    }
}

/// Draws with `draw` on a [`NoFonts`] backend of `size` and returns the SVG,
/// asserting that plotters was never asked to measure text.
pub fn svg_drawn_without_fonts(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<NoFonts<'_>, Shift>),
) -> String {
    let measured = Rc::new(Cell::new(0));
    let mut svg = String::new();
    {
        let backend = NoFonts {
            svg: SVGBackend::with_string(&mut svg, size),
            measured: measured.clone(),
        };
        let area = backend.into_drawing_area();
        draw(&area);
        area.present().expect("presents");
    }
    assert_eq!(
        measured.get(),
        0,
        "plotters was never asked to measure text"
    );
    svg
}
