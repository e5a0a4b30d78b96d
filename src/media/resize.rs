//! Resizing (fast_image_resize's Lanczos3 through `trangtin_resize`): the widest output
//! from the decoded image, each narrower one from the one before it.

use std::path::Path;

use trangtin_resize::Lanczos;

use super::decode::Pixels;
use super::MediaError;

/// The image at each of `widths` (sorted, narrowest first), keeping the aspect ratio of
/// `upright` (the source's full upright size; `image` may be a scaled-down decode of it).
/// Returned narrowest first.
pub(super) fn to_widths(
    source: &Path,
    image: &Pixels,
    widths: &[u32],
    upright: (u32, u32),
) -> Result<Vec<Pixels>, MediaError> {
    let mut resizer = Lanczos::new();
    let mut out: Vec<Pixels> = Vec::with_capacity(widths.len());
    for &width in widths.iter().rev() {
        let height = height_for(width, upright);
        let from = out.last().unwrap_or(image);
        let sized = if (from.width, from.height) == (width, height) {
            from.clone()
        } else {
            resize(&mut resizer, from, width, height).map_err(|message| MediaError::Unreadable {
                file: source.to_path_buf(),
                message,
            })?
        };
        out.push(sized);
    }
    out.reverse();
    Ok(out)
}

/// The height of an image `width` pixels wide with the aspect ratio of `upright`.
fn height_for(width: u32, (w, h): (u32, u32)) -> u32 {
    let height = (u64::from(width) * u64::from(h) + u64::from(w) / 2) / u64::from(w.max(1));
    (height as u32).max(1)
}

/// One resize of `from` to `width`×`height`.
fn resize(resizer: &mut Lanczos, from: &Pixels, width: u32, height: u32) -> Result<Pixels, String> {
    let data = resizer.resize(
        &from.data,
        (from.width, from.height),
        from.alpha,
        (width, height),
    )?;
    Ok(Pixels::new(width, height, from.alpha, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_aspect_ratio_of_the_full_image() {
        assert_eq!(height_for(440, (4000, 3000)), 330);
        assert_eq!(height_for(1680, (3000, 4000)), 2240);
        assert_eq!(height_for(1, (4000, 3)), 1);
    }

    #[test]
    fn makes_each_width_narrowest_first() {
        let image = Pixels::new(100, 50, false, vec![128; 100 * 50 * 3]);
        let sized = to_widths(Path::new("a.jpg"), &image, &[20, 40, 100], (100, 50)).unwrap();
        let sizes: Vec<_> = sized.iter().map(|p| (p.width, p.height)).collect();
        assert_eq!(sizes, [(20, 10), (40, 20), (100, 50)]);
        assert!(sized[0].data.iter().all(|&v| v == 128));
    }
}
