//! Colours of the theme settings: `#rrggbb`/`#rgb` parsing, WCAG 2.x relative luminance and
//! contrast ratio, and the darker shades the theme uses for hover states.

use std::fmt;

/// An sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

/// White, the colour of the text the theme puts on its primary and accent colours.
pub const WHITE: Rgb = Rgb::new(0xff, 0xff, 0xff);

/// The contrast WCAG 2.x level AA asks of normal text (success criterion 1.4.3).
pub const AA_NORMAL_TEXT: f64 = 4.5;

impl Rgb {
    /// A colour from its three channels.
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Reads `#rrggbb` or `#rgb` (either case, surrounding spaces ignored); anything else is
    /// `None`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        match hex.len() {
            3 => {
                let (r, g, b) = (digit(0)?, digit(1)?, digit(2)?);
                Some(Rgb::new(r * 17, g * 17, b * 17))
            }
            6 => {
                let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
                Some(Rgb::new(pair(0)?, pair(2)?, pair(4)?))
            }
            _ => None,
        }
    }

    /// Relative luminance as WCAG 2.x defines it: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        fn linear(channel: u8) -> f64 {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// The contrast ratio of two colours, from 1 (the same) to 21 (black and white); the
    /// order does not matter.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a >= b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// A darker shade: each channel times `factor` (0 to 1), as the theme's `--blue-dark`
    /// is to `--blue`. A darker colour never has less contrast with white.
    pub fn darken(self, factor: f64) -> Rgb {
        let scale = |c: u8| (f64::from(c) * factor.clamp(0.0, 1.0)).round() as u8;
        Rgb::new(scale(self.r), scale(self.g), scale(self.b))
    }

    /// This colour laid over `under` with `opacity` (0 to 1), blended per channel as
    /// browsers blend sRGB colours.
    pub fn over(self, under: Rgb, opacity: f64) -> Rgb {
        let a = opacity.clamp(0.0, 1.0);
        let mix = |top: u8, bottom: u8| {
            (f64::from(top) * a + f64::from(bottom) * (1.0 - a)).round() as u8
        };
        Rgb::new(
            mix(self.r, under.r),
            mix(self.g, under.g),
            mix(self.b, under.b),
        )
    }
}

/// `#rrggbb`, lower case.
impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// A contrast ratio as people read it, cut (not rounded) to two decimals, so that a ratio
/// just under 4.5 never shows as `4.5:1`: `4.54:1`, `2.3:1`.
pub fn ratio_text(ratio: f64) -> String {
    // The tiny addition keeps 2.3 (229.999… hundredths in binary) from showing as 2.29.
    let cut = (ratio * 100.0 + 1e-9).floor() / 100.0;
    format!("{cut}:1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.005
    }

    #[test]
    fn reads_long_and_short_hex_colours_and_refuses_the_rest() {
        assert_eq!(Rgb::parse("#0B3A82"), Some(Rgb::new(0x0b, 0x3a, 0x82)));
        assert_eq!(Rgb::parse(" #fa0 "), Some(Rgb::new(0xff, 0xaa, 0x00)));
        for bad in [
            "0b3a82",
            "#0b3a8",
            "#0b3a82ff",
            "#ggg",
            "blue",
            "",
            "#",
            "#+1+2+3",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb::new(0x0b, 0x3a, 0x82).to_string(), "#0b3a82");
    }

    #[test]
    fn contrast_matches_known_wcag_values() {
        // Values given by WebAIM's contrast checker and the WCAG understanding documents.
        assert!(close(WHITE.contrast(Rgb::new(0, 0, 0)), 21.0));
        assert!(close(WHITE.contrast(WHITE), 1.0));
        assert!(close(Rgb::new(0x76, 0x76, 0x76).contrast(WHITE), 4.54));
        assert!(close(Rgb::new(0x77, 0x77, 0x77).contrast(WHITE), 4.48));
        assert!(close(Rgb::new(0xff, 0x00, 0x00).contrast(WHITE), 4.0));
        assert!(close(Rgb::new(0x00, 0x00, 0xff).contrast(WHITE), 8.59));
        assert!(close(Rgb::new(0x7f, 0xb2, 0xe5).contrast(WHITE), 2.23));
        // The order of the two colours does not matter.
        let a = Rgb::new(0x0b, 0x3a, 0x82);
        assert_eq!(a.contrast(WHITE), WHITE.contrast(a));
    }

    #[test]
    fn ratios_are_cut_not_rounded_up_to_the_threshold() {
        assert_eq!(ratio_text(4.4999), "4.49:1");
        assert_eq!(ratio_text(4.546), "4.54:1");
        assert_eq!(ratio_text(2.3), "2.3:1");
        assert_eq!(ratio_text(21.0), "21:1");
    }

    #[test]
    fn the_theme_s_dark_shades_are_about_three_quarters_of_its_colours() {
        assert_eq!(
            Rgb::parse("#0b3a82").unwrap().darken(0.75).to_string(),
            "#082c62"
        );
        let light = Rgb::parse("#5b8fd0").unwrap();
        assert!(light.darken(0.75).contrast(WHITE) > light.contrast(WHITE));
    }

    #[test]
    fn a_colour_over_white_is_lighter_and_opacity_one_hides_what_is_under() {
        let blue = Rgb::parse("#0b3a82").unwrap();
        assert_eq!(blue.over(WHITE, 1.0), blue);
        assert_eq!(blue.over(WHITE, 0.0), WHITE);
        assert_eq!(Rgb::new(0, 0, 0).over(WHITE, 0.5), Rgb::new(128, 128, 128));
        assert!(blue.over(WHITE, 0.8).contrast(WHITE) < blue.contrast(WHITE));
    }
}
