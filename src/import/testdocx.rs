//! .docx files made in tests, in the shape Word writes them: `[Content_Types].xml`, the
//! package and document relationships, `word/document.xml` with Word's namespaces,
//! `word/styles.xml` with the ids a Vietnamese Word gives its headings (`u1`, `u2`, `Tiu`),
//! `word/numbering.xml` (list 1 bulleted, list 2 numbered), and media parts.

use std::io::Write;
use zip::write::SimpleFileOptions;

const NAMESPACES: &str = r#"xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" mc:Ignorable="w14""#;

/// `word/styles.xml` as a Vietnamese Word writes it: localized ids, English names.
pub(crate) const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="u1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="u2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Tiu"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="oancuaDanhsach"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="Manh"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>"#;

/// `word/numbering.xml`: list 1 bulleted (two levels), list 2 numbered (two levels).
pub(crate) const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

/// A .docx being put together.
pub(crate) struct Docx {
    body: String,
    rels: Vec<(String, String, String, bool)>,
    parts: Vec<(String, Vec<u8>)>,
}

const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";

/// A document whose `w:body` holds `body` (paragraphs and tables as Word writes them).
pub(crate) fn docx(body: &str) -> Docx {
    Docx {
        body: body.to_string(),
        rels: Vec::new(),
        parts: Vec::new(),
    }
}

impl Docx {
    /// Adds `word/media/{name}` with relationship `id`.
    pub(crate) fn image(mut self, id: &str, name: &str, bytes: Vec<u8>) -> Docx {
        self.rels
            .push((id.into(), IMAGE.into(), format!("media/{name}"), false));
        self.parts.push((format!("word/media/{name}"), bytes));
        self
    }

    /// Adds an external hyperlink relationship `id`.
    pub(crate) fn link(mut self, id: &str, url: &str) -> Docx {
        self.rels
            .push((id.into(), HYPERLINK.into(), url.into(), true));
        self
    }

    /// The .docx bytes.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NAMESPACES}><w:body>{}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>",
            self.body
        );
        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>",
        );
        for (id, kind, target, external) in &self.rels {
            let mode = if *external {
                " TargetMode=\"External\""
            } else {
                ""
            };
            rels.push_str(&format!(
                "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"{mode}/>",
                target.replace('&', "&amp;")
            ));
        }
        rels.push_str("</Relationships>");
        let mut files: Vec<(String, Vec<u8>)> = vec![
            (
                "[Content_Types].xml".into(),
                CONTENT_TYPES.as_bytes().to_vec(),
            ),
            ("_rels/.rels".into(), PACKAGE_RELS.as_bytes().to_vec()),
            ("word/document.xml".into(), document.into_bytes()),
            ("word/_rels/document.xml.rels".into(), rels.into_bytes()),
            ("word/styles.xml".into(), STYLES.as_bytes().to_vec()),
            ("word/numbering.xml".into(), NUMBERING.as_bytes().to_vec()),
        ];
        files.extend(self.parts.iter().cloned());
        zip_of(&files)
    }
}

/// A zip archive of `(name, bytes)`, deflated as Word does.
pub(crate) fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="emf" ContentType="image/x-emf"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A paragraph of plain runs, with paragraph properties `ppr` (may be empty).
pub(crate) fn p(ppr: &str, runs: &str) -> String {
    let ppr = if ppr.is_empty() {
        String::new()
    } else {
        format!("<w:pPr>{ppr}</w:pPr>")
    };
    format!("<w:p w:rsidR=\"00A1B2C3\">{ppr}{runs}</w:p>")
}

/// A run of text with run properties `rpr` (may be empty).
pub(crate) fn r(rpr: &str, text: &str) -> String {
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    format!("<w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

/// A paragraph in style `style` with one run of `text`.
pub(crate) fn styled(style: &str, text: &str) -> String {
    p(&format!("<w:pStyle w:val=\"{style}\"/>"), &r("", text))
}

/// A list item of list `num` at level `level`, as Word writes it (List Paragraph style).
pub(crate) fn item(num: u32, level: u32, text: &str) -> String {
    p(
        &format!("<w:pStyle w:val=\"oancuaDanhsach\"/><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num}\"/></w:numPr>"),
        &r("", text),
    )
}

/// An inline picture (relationship `id`) with alternative text `descr`.
pub(crate) fn picture(id: &str, descr: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="2857500" cy="2143125"/><wp:docPr id="1" name="Hình 1" descr="{descr}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="anh.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    )
}

/// A table of rows of cells, each cell one paragraph of text.
pub(crate) fn table(rows: &[&[&str]]) -> String {
    let mut xml = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"LiBang\"/></w:tblPr>");
    for row in rows {
        xml.push_str("<w:tr>");
        for cell in *row {
            xml.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
                p("", &r("", cell))
            ));
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    xml
}

/// The first bytes of an EMF picture (what Word stores for pasted charts and clip art).
pub(crate) fn emf() -> Vec<u8> {
    let mut bytes = vec![1, 0, 0, 0, 108, 0, 0, 0];
    bytes.resize(40, 0);
    bytes.extend_from_slice(b" EMF");
    bytes.resize(108, 0);
    bytes
}
