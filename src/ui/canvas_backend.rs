//! A plotters backend drawing on a canvas 2D context, in place of the `plotters-canvas` crate.
//!
//! That crate writes every colour's alpha and every font size with `f64`'s `Display`, which
//! brings Rust's float printing into the bundle (about 4 KB of the gzipped wasm) for values
//! the page only ever needs as whole numbers: alpha as a whole percentage, font size in whole
//! device pixels. And it leaves text measuring to plotters, which on the web adds a `<span>`
//! to the page and reads its size: a forced layout for every legend entry at every redraw.
//! This backend measures with the canvas's own `measureText`. It draws only what the charts
//! use (lines, paths, rectangles, text); other shapes fall back to plotters' pixel-by-pixel
//! defaults.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas and its 2D context.
pub struct CanvasBackend {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
}

/// The canvas refused a drawing call (it has no 2D context, or the context threw).
#[derive(Debug)]
pub struct CanvasError;

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the canvas refused to draw")
    }
}

impl std::error::Error for CanvasError {}

type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

impl CanvasBackend {
    /// The backend for `canvas`, if it gives a 2D context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Self { canvas, context })
    }

    fn use_font(&self, style: &impl BackendTextStyle) {
        self.context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size().round() as u32,
            style.family().as_str()
        ));
    }

    fn stroke_with(&self, style: &impl BackendStyle) {
        self.context
            .set_stroke_style_str(&css_colour(style.color()));
        self.context.set_line_width(f64::from(style.stroke_width()));
    }
}

/// `rgb(r g b / a%)`, alpha rounded to a whole percent.
fn css_colour(colour: BackendColor) -> String {
    let (r, g, b) = colour.rgb;
    let percent = (colour.alpha.clamp(0.0, 1.0) * 100.0).round() as u8;
    format!("rgb({r} {g} {b} / {percent}%)")
}

fn invisible(colour: BackendColor) -> bool {
    colour.alpha == 0.0
}

/// Moves a horizontal or vertical one-pixel line onto the pixel grid, so it is drawn crisp
/// instead of smeared over two pixels (as plotters-canvas does).
fn on_pixel_grid(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let (mut from, mut to) = (
        (f64::from(from.0), f64::from(from.1)),
        (f64::from(to.0), f64::from(to.1)),
    );
    if from.0 == to.0 {
        from.0 -= 0.5;
        to.0 -= 0.5;
    }
    if from.1 == to.1 {
        from.1 -= 0.5;
        to.1 -= 0.5;
    }
    (from, to)
}

impl DrawingBackend for CanvasBackend {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn {
        if !invisible(colour) {
            self.context.set_fill_style_str(&css_colour(colour));
            self.context
                .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        if !invisible(style.color()) {
            let (from, to) = on_pixel_grid(from, to);
            self.stroke_with(style);
            self.context.begin_path();
            self.context.move_to(from.0, from.1);
            self.context.line_to(to.0, to.1);
            self.context.stroke();
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if invisible(style.color()) {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        if fill {
            self.context.set_fill_style_str(&css_colour(style.color()));
            self.context.fill_rect(x, y, w, h);
        } else {
            self.stroke_with(style);
            self.context.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if invisible(style.color()) {
            return Ok(());
        }
        let mut path = path.into_iter();
        if let Some(start) = path.next() {
            self.stroke_with(style);
            self.context.begin_path();
            self.context.move_to(f64::from(start.0), f64::from(start.1));
            for point in path {
                self.context.line_to(f64::from(point.0), f64::from(point.1));
            }
            self.context.stroke();
        }
        Ok(())
    }

    /// Text upright (the charts rotate none), anchored as plotters asks.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        if invisible(style.color()) {
            return Ok(());
        }
        self.context.set_text_baseline(match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        self.context.set_text_align(match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        self.context.set_fill_style_str(&css_colour(style.color()));
        self.use_font(style);
        self.context
            .fill_text(text, f64::from(pos.0), f64::from(pos.1))
            .map_err(|_| DrawingErrorKind::DrawingError(CanvasError))
    }

    /// The text's width as the canvas measures it in `style`'s font; its height, the font size.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.use_font(style);
        let metrics = self
            .context
            .measure_text(text)
            .map_err(|_| DrawingErrorKind::DrawingError(CanvasError))?;
        Ok((metrics.width().ceil() as u32, style.size().round() as u32))
    }
}
