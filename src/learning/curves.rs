//! ROC and precision-recall curves: the points, and PNG plots of current vs candidate.
//!
//! Plotters is built without a font backend (no `ttf`/`ab_glyph`: they pull in font-kit or
//! need a font file, and the cold compile matters more than in-image captions), so the images
//! carry no text; `report.md` says what is on each axis and which colour is which model.
//! Plotters draws into an RGB buffer and the small `png` crate encodes it, instead of the
//! `bitmap_encoder` feature, which pulls in the whole `image` crate (JPEG decoder included).

use plotters::prelude::*;
use std::path::Path;

/// Most points kept per curve: plenty for a 480 px image, small enough for report.json.
const MAX_POINTS: usize = 400;

pub type Curve = Vec<(f64, f64)>;

/// Cumulative (true positives, false positives) after each distinct score, highest first.
fn sweep(scores: &[f32], truth: &[bool]) -> Vec<(usize, usize)> {
    crate::training::metrics::sweep(scores, truth)
        .into_iter()
        .map(|(_, tp, fp)| (tp, fp))
        .collect()
}

fn thin(curve: Curve) -> Curve {
    if curve.len() <= MAX_POINTS {
        return curve;
    }
    let step = curve.len() as f64 / MAX_POINTS as f64;
    let last = curve.len() - 1;
    let mut out: Curve = (0..MAX_POINTS)
        .map(|k| curve[((k as f64 * step) as usize).min(last)])
        .collect();
    out.push(curve[last]);
    out
}

/// (false positive rate, true positive rate), from (0,0) to (1,1). Empty when one class is
/// missing (the curve is undefined).
pub fn roc(scores: &[f32], truth: &[bool]) -> Curve {
    let pos = truth.iter().filter(|t| **t).count();
    let neg = truth.len() - pos;
    if pos == 0 || neg == 0 {
        return Vec::new();
    }
    let mut curve = vec![(0.0, 0.0)];
    curve.extend(
        sweep(scores, truth)
            .into_iter()
            .map(|(tp, fp)| (fp as f64 / neg as f64, tp as f64 / pos as f64)),
    );
    thin(curve)
}

/// (recall, precision) as the threshold falls. Empty when there is no positive.
pub fn pr(scores: &[f32], truth: &[bool]) -> Curve {
    let pos = truth.iter().filter(|t| **t).count();
    if pos == 0 {
        return Vec::new();
    }
    thin(
        sweep(scores, truth)
            .into_iter()
            .map(|(tp, fp)| (tp as f64 / pos as f64, tp as f64 / (tp + fp) as f64))
            .collect(),
    )
}

#[derive(Debug, thiserror::Error)]
#[error("drawing {path}: {message}")]
pub struct PlotError {
    path: String,
    message: String,
}

/// Current in blue, candidate in red, on the unit square with a light 0.1 grid; `diagonal`
/// adds the chance line (ROC).
pub fn plot(
    path: &Path,
    current: &Curve,
    candidate: &Curve,
    diagonal: bool,
) -> Result<(), PlotError> {
    let err = |e: &dyn std::fmt::Display| PlotError {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    const SIDE: u32 = 480;
    let mut pixels = vec![0u8; (SIDE * SIDE * 3) as usize];
    draw(&mut pixels, SIDE, current, candidate, diagonal).map_err(|m| err(&m))?;
    let file = std::fs::File::create(path).map_err(|e| err(&e))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), SIDE, SIDE);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| err(&e))?;
    writer.write_image_data(&pixels).map_err(|e| err(&e))?;
    writer.finish().map_err(|e| err(&e))?;
    Ok(())
}

fn draw(
    pixels: &mut [u8],
    side: u32,
    current: &Curve,
    candidate: &Curve,
    diagonal: bool,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let root = BitMapBackend::with_buffer(pixels, (side, side)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .build_cartesian_2d(0f64..1f64, 0f64..1f64)
        .map_err(|e| err(&e))?;
    let grid = RGBColor(225, 225, 225);
    for k in 0..=10 {
        let v = f64::from(k) / 10.0;
        chart
            .draw_series(LineSeries::new([(v, 0.0), (v, 1.0)], grid))
            .map_err(|e| err(&e))?;
        chart
            .draw_series(LineSeries::new([(0.0, v), (1.0, v)], grid))
            .map_err(|e| err(&e))?;
    }
    let frame = RGBColor(120, 120, 120);
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)],
            frame,
        ))
        .map_err(|e| err(&e))?;
    if diagonal {
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], frame))
            .map_err(|e| err(&e))?;
    }
    for (curve, colour) in [(current, BLUE), (candidate, RED)] {
        chart
            .draw_series(LineSeries::new(
                curve.iter().copied(),
                colour.stroke_width(2),
            ))
            .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roc_and_pr_end_where_they_should() {
        let s = [0.1, 0.4, 0.35, 0.8];
        let t = [false, false, true, true];
        let r = roc(&s, &t);
        assert_eq!(r.first(), Some(&(0.0, 0.0)));
        assert_eq!(r.last(), Some(&(1.0, 1.0)));
        let p = pr(&s, &t);
        assert_eq!(p.first(), Some(&(0.5, 1.0)));
        assert_eq!(p.last(), Some(&(1.0, 0.5)));
        assert!(roc(&s, &[true; 4]).is_empty());
    }
}
