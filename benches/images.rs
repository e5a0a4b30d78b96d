//! Image benchmark helper (run by benches/images.sh; `harness = false`).
//!
//! - `gen DIR N`: N photo-like 4000×3000 JPEGs (gradients, shapes and sensor-like noise,
//!   quality 92, an EXIF block with orientation 1 and a GPS position), `DIR/pNNN.jpg`.
//! - `sample DIR`: the sample site's photos (content/2025/06/Ảnh triển lãm N.jpg): three
//!   1200×900 phone-like JPEGs with EXIF (GPS included), the third stored on its side with
//!   orientation 6 so the build has to turn it upright.
//! - `run SITE`: processes every `SITE/photos/*.jpg` through `media::Cache` at the default
//!   widths, in parallel; prints wall time, how many came from the cache, output bytes.
//! - `codecs FILE`: one photo through each codec choice: decoders (zune-jpeg full size,
//!   jpeg-decoder full and at 1/2 scale) and encoders (lossy WebP, image's lossless WebP,
//!   JPEG) at full size and at 1680 px, with bytes and times.
//!
//! Set `SCALED=0` to turn off reduced-scale JPEG decoding in `run`, `WEBP_METHOD=N` to
//! change libwebp's effort.

#![allow(clippy::print_stdout, missing_docs)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};
use rayon::prelude::*;
use trangtin::media::{self, Cache, ImageOptions};
use trangtin_test_photos::{phone_photo, photo};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen", dir, n] => generate(Path::new(dir), n.parse().expect("a count")),
        ["sample", dir] => sample(Path::new(dir)),
        ["run", site] => run(Path::new(site)),
        ["codecs", file] => codecs(Path::new(file)),
        _ => {
            eprintln!("usage: images gen DIR N | sample DIR | run SITE | codecs FILE");
            std::process::exit(2);
        }
    }
}

fn sample(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (n, (width, height)) in [(1200, 900), (1200, 900), (900, 1200)]
        .into_iter()
        .enumerate()
    {
        let mut bytes = phone_photo(width, height, 101 + n as u32);
        if height > width {
            // Stored 1200×900 with orientation 6 (turn 90° clockwise): upright 900×1200.
            bytes = phone_photo(height, width, 101 + n as u32);
            // Little-endian TIFF entry: tag 0x0112, type SHORT, count 1, value 1 at +8.
            let entry = [0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0];
            let at = bytes
                .windows(entry.len())
                .position(|w| w == entry)
                .expect("the EXIF block has an orientation entry");
            bytes[at + 8] = 6;
        }
        let path = dir.join(format!("Ảnh triển lãm {}.jpg", n + 1));
        std::fs::write(&path, &bytes).unwrap();
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
}

fn generate(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let sizes: Vec<usize> = (0..n)
        .into_par_iter()
        .map(|i| {
            let bytes = photo(4000, 3000, i as u32);
            std::fs::write(dir.join(format!("p{i:03}.jpg")), &bytes).unwrap();
            bytes.len()
        })
        .collect();
    let total: usize = sizes.iter().sum();
    println!(
        "generated {n} photos, {:.2} MB each on average",
        total as f64 / n.max(1) as f64 / 1e6
    );
}

fn options() -> ImageOptions {
    let default = ImageOptions::default();
    ImageOptions {
        scaled_decode: std::env::var("SCALED").map_or(true, |v| v != "0"),
        webp_method: std::env::var("WEBP_METHOD").map_or(default.webp_method, |v| {
            v.parse().expect("WEBP_METHOD is 0 to 6")
        }),
        ..default
    }
}

fn run(site: &Path) {
    let mut photos: Vec<PathBuf> = std::fs::read_dir(site.join("photos"))
        .unwrap()
        .map(|e| PathBuf::from("photos").join(e.unwrap().file_name()))
        .collect();
    photos.sort();
    let cache = Cache::for_site(site);
    let options = options();
    let start = Instant::now();
    let results: Vec<_> = photos
        .par_iter()
        .map(|p| cache.process_file(site, p, &options).expect("processed"))
        .collect();
    let wall = start.elapsed();
    let cached = results.iter().filter(|r| r.cached).count();
    let bytes: u64 = results
        .iter()
        .flat_map(|r| &r.variants)
        .map(|v| v.webp_bytes + v.fallback_bytes)
        .sum();
    let webp: u64 = results
        .iter()
        .flat_map(|r| &r.variants)
        .map(|v| v.webp_bytes)
        .sum();
    println!(
        "trangtin: {} photos in {:.3} s ({} from cache), outputs {:.1} MB (WebP {:.1} MB)",
        results.len(),
        wall.as_secs_f64(),
        cached,
        bytes as f64 / 1e6,
        webp as f64 / 1e6
    );
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!(
        "  {label:44} {:8.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

fn codecs(file: &Path) {
    let bytes = std::fs::read(file).unwrap();
    println!("{} ({:.2} MB)", file.display(), bytes.len() as f64 / 1e6);
    let full = time("decode full size, image (zune-jpeg)", || {
        image::load_from_memory(&bytes).unwrap().into_rgb8()
    });
    time("decode full size, jpeg-decoder", || {
        jpeg_decoder::Decoder::new(Cursor::new(&bytes))
            .decode()
            .unwrap()
    });
    time("decode at 1/2 scale, jpeg-decoder", || {
        let mut d = jpeg_decoder::Decoder::new(Cursor::new(&bytes));
        d.scale(2000, 1500).unwrap();
        d.decode().unwrap()
    });
    let (w, h) = full.dimensions();
    let small = image::imageops::resize(&full, 1680, 1260, image::imageops::FilterType::Lanczos3);
    for (label, img, iw, ih) in [("4000 px", &full, w, h), ("1680 px", &small, 1680, 1260)] {
        let webp = time(&format!("{label}: WebP lossy q75 (libwebp, m4)"), || {
            webp::Encoder::from_rgb(img.as_raw(), iw, ih)
                .encode(75.0)
                .to_vec()
        });
        println!("  {:44} {:8.0} KB", "  bytes", webp.len() as f64 / 1e3);
        let lossless = time(&format!("{label}: WebP lossless (image crate)"), || {
            let mut out = Vec::new();
            WebPEncoder::new_lossless(&mut out)
                .write_image(img.as_raw(), iw, ih, ExtendedColorType::Rgb8)
                .unwrap();
            out
        });
        println!("  {:44} {:8.0} KB", "  bytes", lossless.len() as f64 / 1e3);
        let jpeg = time(&format!("{label}: JPEG q80 (image crate)"), || {
            let mut out = Vec::new();
            JpegEncoder::new_with_quality(&mut out, 80)
                .write_image(img.as_raw(), iw, ih, ExtendedColorType::Rgb8)
                .unwrap();
            out
        });
        println!("  {:44} {:8.0} KB", "  bytes", jpeg.len() as f64 / 1e3);
        for (name, progressive, optimize) in [
            ("baseline", false, false),
            ("baseline, optimized Huffman", false, true),
            ("progressive", true, true),
        ] {
            let jpeg = time(&format!("{label}: JPEG q80 jpeg-encoder {name}"), || {
                let mut out = Vec::new();
                let mut e = jpeg_encoder::Encoder::new(&mut out, 80);
                e.set_progressive(progressive);
                e.set_optimized_huffman_tables(optimize);
                e.encode(
                    img.as_raw(),
                    iw as u16,
                    ih as u16,
                    jpeg_encoder::ColorType::Rgb,
                )
                .unwrap();
                out
            });
            println!("  {:44} {:8.0} KB", "  bytes", jpeg.len() as f64 / 1e3);
        }
        for method in [2, 3] {
            let webp = time(
                &format!("{label}: WebP lossy q75 (libwebp, m{method})"),
                || {
                    let mut config = webp::WebPConfig::new().unwrap();
                    config.quality = 75.0;
                    config.method = method;
                    webp::Encoder::from_rgb(img.as_raw(), iw, ih)
                        .encode_advanced(&config)
                        .unwrap()
                        .to_vec()
                },
            );
            println!("  {:44} {:8.0} KB", "  bytes", webp.len() as f64 / 1e3);
        }
    }
    // Alternated and repeated: the machine is shared, so compare the fastest of each.
    for widths in [ImageOptions::default().widths, vec![440]] {
        let mut best = [f64::MAX; 2];
        for _ in 0..5 {
            for (i, scaled_decode) in [false, true].into_iter().enumerate() {
                let options = ImageOptions {
                    scaled_decode,
                    widths: widths.clone(),
                    ..ImageOptions::default()
                };
                let start = Instant::now();
                media::process(file, &bytes, &options).unwrap();
                best[i] = best[i].min(start.elapsed().as_secs_f64() * 1e3);
            }
        }
        for (i, scaled) in [false, true].into_iter().enumerate() {
            let label = format!("media::process {widths:?}, scaled_decode={scaled}");
            println!("  {label:44} {:8.1} ms (fastest of 5)", best[i]);
        }
    }
}
