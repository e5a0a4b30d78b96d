//! Photos as pages show them. Every content file an article shows as an image (its
//! featured `image:`, images in its body and galleries, `<img>` in raw HTML) is processed by
//! [`crate::media`] into a few widths (WebP plus a JPEG or PNG fallback, upright, without
//! metadata), published beside the original as `name.840.webp` and `name.840.jpg`, and
//! shown through `<picture>` with `srcset`, `sizes`, `width` and `height`.
//!
//! The original of a photo (with its EXIF block, GPS included) is published only when a
//! published article links to it with a plain link, such as `[Tải ảnh gốc](anh.jpg)`, or
//! the config names it (logo, menu, sidebar links); a photo that only a draft shows is not
//! published before the draft. GIF and SVG images are published as they are.

use super::{ArticleId, Site};
use crate::content::article::display_path;
use crate::content::Asset;
use crate::error::Problem;
use crate::html::{self, escape_html, Attribute, Tag};
use crate::media::{Cache, ImageOptions, MediaError, Processed};
use crate::text::slug::slugify;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Extensions of the files that are processed when an article shows them as images; the
/// formats browsers cannot show (HEIC, TIFF, ...) are here so that they are reported.
const PROCESSED: [&str; 12] = [
    "jpg", "jpeg", "jpe", "jfif", "png", "webp", "heic", "heif", "tif", "tiff", "bmp", "avif",
];

/// `sizes` of the photos of a gallery (`<div class="gallery">`: cells of at least 11rem,
/// four across the article column, one a row on a phone).
pub const GALLERY_SIZES: &str = "(max-width: 599px) 100vw, 220px";

/// Whether the content file `source` is processed when shown as an image.
pub fn is_processed_image(source: &str) -> bool {
    let ext = source.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.is_some_and(|ext| PROCESSED.contains(&ext.as_str()))
}

/// One width of a processed photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureWidth {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// URL of the WebP file.
    pub webp: String,
    /// URL of the JPEG (or PNG) file.
    pub fallback: String,
}

/// A processed photo: the files a page points at instead of the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Narrowest first; never empty.
    pub widths: Vec<PictureWidth>,
}

impl Picture {
    /// The `srcset` of the WebP files: `/a.440.webp 440w, /a.840.webp 840w`.
    pub fn webp_srcset(&self) -> String {
        srcset(self.widths.iter().map(|w| (&w.webp, w.width)))
    }

    /// The `srcset` of the fallback files.
    pub fn fallback_srcset(&self) -> String {
        srcset(self.widths.iter().map(|w| (&w.fallback, w.width)))
    }

    /// The fallback file for browsers that read neither `<picture>` nor `srcset`: the
    /// narrowest at least 800 px wide (the article column), else the widest.
    pub fn default_width(&self) -> &PictureWidth {
        self.widths
            .iter()
            .find(|w| w.width >= 800)
            .unwrap_or_else(|| self.largest())
    }

    /// The widest file (for "open the large photo" links and `og:image`).
    pub fn largest(&self) -> &PictureWidth {
        self.widths
            .last()
            .expect("a picture has at least one width")
    }
}

fn srcset<'a>(files: impl Iterator<Item = (&'a String, u32)>) -> String {
    let parts: Vec<String> = files.map(|(url, w)| format!("{url} {w}w")).collect();
    parts.join(", ")
}

/// The processed photos of a site, by the URL the original would have had.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    by_url: HashMap<String, Arc<Picture>>,
    featured: HashMap<ArticleId, Arc<Picture>>,
    sizes: String,
}

impl Pictures {
    /// The processed featured image of article `id`.
    pub fn featured(&self, id: ArticleId) -> Option<&Arc<Picture>> {
        self.featured.get(&id)
    }

    /// `html` with every `<img>` of a processed photo turned into a `<picture>` (WebP with
    /// the fallback's `srcset`, `sizes`, `width` and `height`, lazy loading unless written
    /// otherwise), and a link around such an image that points at the same original made to
    /// point at the widest file. Borrowed when there is nothing to change.
    pub fn decorate<'a>(&self, html: &'a str) -> Cow<'a, str> {
        if self.by_url.is_empty() || !html.contains("<img") {
            return Cow::Borrowed(html);
        }
        let tags = html::tags(html);
        let mut out = String::with_capacity(html.len() + 512);
        let mut copied = 0;
        // Depth of `<div>`s inside a gallery, 0 outside one.
        let mut gallery = 0usize;
        for (i, (at, tag)) in tags.iter().enumerate() {
            if tag.name == "div" && (gallery > 0 || is_gallery(tag)) {
                match tag.closing {
                    true => gallery = gallery.saturating_sub(1),
                    false => gallery += 1,
                }
            }
            if tag.closing {
                continue;
            }
            let replacement = match tag.name.as_str() {
                "img" => self
                    .picture_of(tag, gallery > 0)
                    .map(|(picture, _)| picture),
                "a" => tags
                    .get(i + 1)
                    .and_then(|(_, next)| self.link_to_large(tag, next)),
                _ => None,
            };
            if let Some(new) = replacement {
                out.push_str(&html[copied..*at]);
                out.push_str(&new);
                copied = at + tag.len;
            }
        }
        if copied == 0 {
            return Cow::Borrowed(html);
        }
        out.push_str(&html[copied..]);
        Cow::Owned(out)
    }

    /// The `<picture>` for an `<img>` tag of a processed photo (`in_gallery`: shown in a
    /// gallery's grid).
    fn picture_of(&self, img: &Tag, in_gallery: bool) -> Option<(String, &Picture)> {
        let picture = self.by_url.get(&img.attribute("src")?.value)?;
        let sizes = match img.attribute("sizes") {
            Some(written) => written.value.as_str(),
            None if in_gallery => GALLERY_SIZES,
            None => self.sizes.as_str(),
        };
        let shown = picture.largest();
        let mut tag = format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{}\"",
            escape_html(&picture.default_width().fallback),
            escape_html(&picture.fallback_srcset()),
            escape_html(sizes),
        );
        let has = |name: &str| img.attribute(name).is_some();
        if !has("width") && !has("height") {
            tag.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                shown.width, shown.height
            ));
        }
        if !has("loading") {
            tag.push_str(" loading=\"lazy\"");
        }
        if !has("decoding") {
            tag.push_str(" decoding=\"async\"");
        }
        let kept = img.attributes.iter();
        push_attributes(
            &mut tag,
            kept.filter(|a| !matches!(a.name.as_str(), "src" | "srcset" | "sizes")),
        );
        tag.push('>');
        let html = format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">{tag}</picture>",
            escape_html(&picture.webp_srcset()),
            escape_html(sizes),
        );
        Some((html, picture))
    }

    /// `<a href="X">` right before `<img src="X">` of a processed photo ("open the large
    /// photo"), pointing at the widest file instead of the original.
    fn link_to_large(&self, a: &Tag, next: &Tag) -> Option<String> {
        let href = &a.attribute("href")?.value;
        if next.name != "img" || next.closing || next.attribute("src")?.value != *href {
            return None;
        }
        let picture = self.by_url.get(href)?;
        let mut tag = format!("<a href=\"{}\"", escape_html(&picture.largest().fallback));
        push_attributes(&mut tag, a.attributes.iter().filter(|a| a.name != "href"));
        tag.push('>');
        Some(tag)
    }
}

/// Writes `attributes` after a tag's name, each value in double quotes, escaped.
fn push_attributes<'a>(tag: &mut String, attributes: impl Iterator<Item = &'a Attribute>) {
    for attribute in attributes {
        tag.push(' ');
        tag.push_str(&attribute.name);
        if attribute.span.is_some() {
            tag.push_str("=\"");
            tag.push_str(&escape_html(&attribute.value));
            tag.push('"');
        }
    }
}

/// `<div class="gallery">`, as Markdown galleries are written.
fn is_gallery(tag: &Tag) -> bool {
    !tag.closing
        && tag
            .attribute("class")
            .is_some_and(|c| c.value.split_whitespace().any(|c| c == "gallery"))
}

/// Where an article uses an image file first: named in problems about that file.
struct Use {
    article: ArticleId,
    /// The front-matter field, for the featured image.
    field: Option<&'static str>,
    line: Option<usize>,
}

/// Processes every photo the published articles show (through the cache at `root`),
/// publishes their widths instead of the originals, and points featured images at the
/// processed files. Returns the warnings (oversized photos) or every problem found.
pub(super) fn process(
    site: &mut Site,
    root: &Path,
) -> std::result::Result<Vec<Problem>, Vec<Problem>> {
    let candidates: HashMap<String, usize> = site
        .assets
        .iter()
        .enumerate()
        .filter(|(_, a)| is_processed_image(&a.source))
        .map(|(i, a)| (site.links.url_of_asset(&a.source), i))
        .collect();
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let (uses, linked) = find_uses(site, &candidates);
    let cache = Cache::for_site(root);
    let options: ImageOptions = site.config.images.options();
    let mut used: Vec<(&usize, &Use)> = uses.iter().collect();
    used.sort_by_key(|(asset, _)| **asset);
    let results: Vec<(usize, Result<Processed, MediaError>)> = used
        .par_iter()
        .map(|(&asset, _)| {
            let path = &site.assets[asset].path;
            let relative = path.strip_prefix(root).unwrap_or(path);
            (asset, cache.process_file(root, relative, &options))
        })
        .collect();

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut processed = Vec::new();
    for (asset, result) in results {
        let at = &uses[&asset];
        let about = |problem: Problem| about_article(site, &site.assets[asset], at, problem);
        match result {
            Ok(done) => {
                warnings.extend(done.warnings.iter().cloned().map(about));
                processed.push((asset, done));
            }
            Err(err) => errors.push(about(err.to_problem())),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unlinked: HashSet<usize> = candidates
        .values()
        .copied()
        .filter(|asset| !linked.contains(asset))
        .collect();
    publish(site, processed, &unlinked);
    Ok(warnings)
}

/// A problem about an image file, said about the article that uses it (at its line).
fn about_article(site: &Site, asset: &Asset, at: &Use, problem: Problem) -> Problem {
    let article = &site.articles[at.article];
    let message = format!("image {}: {}", display_path(&asset.source), problem.message);
    let mut said = Problem {
        file: article.display_path().into(),
        message,
        ..problem
    };
    said.line = at.line;
    said.field = at.field.map(str::to_string);
    said
}

/// The candidates one article shows (asset, where) and links to some other way.
type ArticleImages = (Vec<(usize, Use)>, Vec<usize>);

/// The candidate images each published article shows (first use of each), and the ones
/// linked some other way (a plain link, a video poster, the config's logo), whose
/// originals stay published.
fn find_uses(
    site: &Site,
    candidates: &HashMap<String, usize>,
) -> (HashMap<usize, Use>, HashSet<usize>) {
    // A body is read tag by tag only when it holds one of the candidates' file endings.
    let mut endings: Vec<String> = candidates
        .keys()
        .filter_map(|url| url.rsplit_once('.').map(|(_, ext)| format!(".{ext}")))
        .collect();
    endings.sort_unstable();
    endings.dedup();
    let per_article: Vec<ArticleImages> = ArticleId::all(site.articles.len())
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&id| {
            let mut shown = Vec::new();
            let mut linked = Vec::new();
            if let Some(&asset) = site.images[id].as_ref().and_then(|u| candidates.get(u)) {
                let line = site.articles[id].line_of("image");
                let field = Some("image");
                shown.push((
                    asset,
                    Use {
                        article: id,
                        field,
                        line,
                    },
                ));
            }
            let Some(body) = site.bodies[id]
                .as_ref()
                .filter(|body| endings.iter().any(|e| body.html.contains(e.as_str())))
            else {
                return (shown, linked);
            };
            let body_line = site.articles[id].body_line;
            let tags = html::tags(&body.html);
            for (i, (_, tag)) in tags.iter().enumerate() {
                for attribute in tag.attributes.iter().filter(|a| a.span.is_some()) {
                    let Some(&asset) = candidates.get(&attribute.value) else {
                        continue;
                    };
                    let is_shown = tag.name == "img" && attribute.name == "src";
                    let opens_shown = tag.name == "a"
                        && attribute.name == "href"
                        && tags.get(i + 1).is_some_and(|(_, next)| {
                            next.name == "img"
                                && next.attribute("src").map(|s| &s.value) == Some(&attribute.value)
                        });
                    if is_shown {
                        let line = body
                            .images
                            .iter()
                            .find(|(url, _)| *url == attribute.value)
                            .map(|(_, line)| body_line + line - 1);
                        shown.push((
                            asset,
                            Use {
                                article: id,
                                field: None,
                                line,
                            },
                        ));
                    } else if !opens_shown {
                        linked.push(asset);
                    }
                }
            }
            (shown, linked)
        })
        .collect();
    let mut uses = HashMap::new();
    let mut linked: HashSet<usize> = HashSet::new();
    for (shown, links) in per_article {
        for (asset, at) in shown {
            uses.entry(asset).or_insert(at);
        }
        linked.extend(links);
    }
    let config = &site.config;
    // The banner of `theme_settings` is linked from the stylesheet of every page.
    let banner = config
        .theme_settings
        .banner
        .as_ref()
        .map(|b| site.links.url_of_asset(&b.source));
    let logo = config.organization.logo.iter().chain(banner.as_ref());
    let menu = config.menu.iter().map(|m| &m.url);
    let children = config.menu.iter().flat_map(|m| &m.children).map(|l| &l.url);
    let blocks = config
        .sidebar_blocks
        .iter()
        .chain(&config.home_blocks)
        .flat_map(|b| b.urls());
    for url in logo.chain(menu).chain(children).chain(blocks) {
        linked.extend(candidates.get(url.as_str()));
    }
    (uses, linked)
}

/// Adds the processed files to the site's files (each width beside its original, as
/// `name.440.webp` and `name.440.jpg`), removes the `unlinked` originals, and makes
/// featured images point at the processed files.
fn publish(site: &mut Site, processed: Vec<(usize, Processed)>, unlinked: &HashSet<usize>) {
    let taken = numbered_stems(&site.assets);
    let mut stems: HashMap<String, usize> = HashMap::new();
    let mut added = Vec::new();
    let mut by_url = HashMap::new();
    let hidden: HashSet<String> = unlinked
        .iter()
        .map(|&asset| site.assets[asset].source.clone())
        .collect();
    for (asset, done) in processed {
        let source = site.assets[asset].source.clone();
        let stem = output_stem(&source, asset, &mut stems, &taken);
        let mut widths = Vec::new();
        for variant in &done.variants {
            let mut file = |path: &Path, size: u64, ext: &str| {
                let output = format!("{stem}.{}.{ext}", variant.width);
                let url = site.links.url_of_asset(&output);
                added.push(Asset {
                    source: output,
                    path: path.to_path_buf(),
                    size,
                });
                url
            };
            let webp = file(&variant.webp_path, variant.webp_bytes, "webp");
            let fallback = file(
                &variant.fallback_path,
                variant.fallback_bytes,
                done.fallback.extension(),
            );
            widths.push(PictureWidth {
                width: variant.width,
                height: variant.height,
                webp,
                fallback,
            });
        }
        by_url.insert(
            site.links.url_of_asset(&source),
            Arc::new(Picture { widths }),
        );
    }
    site.assets.retain(|a| !hidden.contains(&a.source));
    site.assets.extend(added);
    let mut featured = HashMap::new();
    for (index, image) in site.images.iter_mut().enumerate() {
        if let Some(picture) = image.as_ref().and_then(|url| by_url.get(url)) {
            featured.insert(ArticleId::new(index), picture.clone());
            *image = Some(picture.default_width().fallback.clone());
        }
    }
    site.pictures = Pictures {
        by_url,
        featured,
        sizes: site.config.images.sizes.clone(),
    };
}

/// The stems of content files named like processed widths (`2024/anh.440.webp` gives
/// `2024/anh`), which processed files must not take.
fn numbered_stems(assets: &[Asset]) -> HashSet<String> {
    assets
        .iter()
        .filter_map(|a| {
            let (rest, _ext) = a.source.rsplit_once('.')?;
            let (stem, number) = rest.rsplit_once('.')?;
            (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
                .then(|| stem.to_string())
        })
        .collect()
}

/// `2024/05/anh-hoi-nghi-01` for `2024/05/Ảnh hội nghị 01.jpg`: the folder kept, the name
/// slugged (file names from phones and Word have spaces and capitals), made unique when two
/// files of one folder slug alike or a content file is already named like a width of it
/// (`taken`, from [`numbered_stems`]).
fn output_stem(
    source: &str,
    asset: usize,
    stems: &mut HashMap<String, usize>,
    taken: &HashSet<String>,
) -> String {
    let (folder, name) = match source.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), source),
    };
    let base = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let slug = match slugify(base) {
        s if s.is_empty() => "anh".to_string(),
        s => s,
    };
    let mut stem = format!("{folder}{slug}");
    let mut n = 1;
    while stems.get(&stem).is_some_and(|&other| other != asset) || taken.contains(&stem) {
        n += 1;
        stem = format!("{folder}{slug}-{n}");
    }
    stems.insert(stem.clone(), asset);
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture() -> Picture {
        let width = |w: u32, h: u32| PictureWidth {
            width: w,
            height: h,
            webp: format!("/t/a.{w}.webp"),
            fallback: format!("/t/a.{w}.jpg"),
        };
        Picture {
            widths: vec![width(440, 330), width(840, 630), width(1680, 1260)],
        }
    }

    fn pictures() -> Pictures {
        Pictures {
            by_url: HashMap::from([("/t/%E1%BA%A2nh%201.jpg".to_string(), Arc::new(picture()))]),
            featured: HashMap::new(),
            sizes: "836px".into(),
        }
    }

    #[test]
    fn only_photo_formats_are_processed() {
        for name in [
            "a.jpg",
            "b/Ảnh 1.JPEG",
            "c.png",
            "d.webp",
            "e.HEIC",
            "f.tif",
        ] {
            assert!(is_processed_image(name), "{name}");
        }
        for name in ["a.gif", "b.svg", "c.pdf", "jpg"] {
            assert!(!is_processed_image(name), "{name}");
        }
    }

    #[test]
    fn an_image_becomes_a_picture_with_every_width() {
        let html = "<p><img src=\"/t/%E1%BA%A2nh%201.jpg\" alt=\"Hội nghị &quot;A&quot;\"></p>";
        assert_eq!(
            pictures().decorate(html),
            "<p><picture><source type=\"image/webp\" srcset=\"/t/a.440.webp 440w, \
             /t/a.840.webp 840w, /t/a.1680.webp 1680w\" sizes=\"836px\"><img \
             src=\"/t/a.840.jpg\" srcset=\"/t/a.440.jpg 440w, /t/a.840.jpg 840w, \
             /t/a.1680.jpg 1680w\" sizes=\"836px\" width=\"1680\" height=\"1260\" \
             loading=\"lazy\" decoding=\"async\" alt=\"Hội nghị &quot;A&quot;\"></picture></p>"
        );
    }

    #[test]
    fn written_sizes_and_loading_are_kept() {
        let html = "<img src=\"/t/%E1%BA%A2nh%201.jpg\" sizes=\"220px\" loading=\"eager\" \
                    width=\"300\">";
        let out = pictures().decorate(html);
        assert!(out.contains("sizes=\"220px\"><img"), "{out}");
        assert!(out.contains(" loading=\"eager\""), "{out}");
        assert!(!out.contains("loading=\"lazy\""), "{out}");
        assert!(
            out.contains(" width=\"300\"") && !out.contains("height"),
            "{out}"
        );
    }

    #[test]
    fn a_link_around_the_photo_opens_the_widest_file_and_other_links_stay() {
        let html =
            "<a href=\"/t/%E1%BA%A2nh%201.jpg\" class=g><img src=\"/t/%E1%BA%A2nh%201.jpg\" \
                    alt=\"\"></a> <a href=\"/t/%E1%BA%A2nh%201.jpg\">Tải ảnh gốc</a>";
        let out = pictures().decorate(html);
        assert!(
            out.starts_with("<a href=\"/t/a.1680.jpg\" class=\"g\"><picture>"),
            "{out}"
        );
        assert!(
            out.ends_with("<a href=\"/t/%E1%BA%A2nh%201.jpg\">Tải ảnh gốc</a>"),
            "{out}"
        );
    }

    #[test]
    fn photos_in_a_gallery_are_sized_for_its_grid() {
        let img = "<img src=\"/t/%E1%BA%A2nh%201.jpg\" alt=\"\">";
        let html =
            format!("<div class=\"gallery\">\n<figure>{img}</figure><div></div>\n</div>{img}");
        let out = pictures().decorate(&html);
        let sizes: Vec<&str> = out
            .split("sizes=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert_eq!(
            sizes,
            [GALLERY_SIZES, GALLERY_SIZES, "836px", "836px"],
            "{out}"
        );
    }

    #[test]
    fn other_images_and_bodies_without_images_are_borrowed() {
        let p = pictures();
        assert!(matches!(p.decorate("<p>x</p>"), Cow::Borrowed(_)));
        assert!(matches!(
            p.decorate("<img src=\"/t/other.gif\">"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn output_names_are_slugs_made_unique() {
        let assets: Vec<Asset> = ["2024/Ảnh 1.jpg", "2024/anh-1.jpg", "2024/anh-1.440.webp"]
            .map(|source| Asset {
                source: source.into(),
                path: source.into(),
                size: 0,
            })
            .into();
        let taken = numbered_stems(&assets);
        assert_eq!(taken, HashSet::from(["2024/anh-1".to_string()]));
        let mut stems = HashMap::new();
        assert_eq!(
            output_stem("2024/Ảnh 1.jpg", 0, &mut stems, &taken),
            "2024/anh-1-2"
        );
        assert_eq!(
            output_stem("2024/anh-1.jpg", 1, &mut stems, &taken),
            "2024/anh-1-3"
        );
        assert_eq!(
            output_stem("2024/Ảnh 1.jpg", 0, &mut stems, &taken),
            "2024/anh-1-2"
        );
        assert_eq!(output_stem("x.png", 2, &mut stems, &taken), "x");
        assert_eq!(
            output_stem("2024/!!.png", 3, &mut stems, &taken),
            "2024/anh"
        );
    }
}
