//! The editing area's HTML pages, in Vietnamese: the list of articles, the article form and
//! the trash. Every form carries the CSRF token; every field has a label; errors are linked
//! to their field with `aria-describedby`.

use super::form::{ArticleForm, FieldError, Publish};
use super::store::Trashed;
use crate::html::escape_html as esc;

/// What every page needs to know.
pub struct Frame<'a> {
    /// The editing area's path (`/tin-tuc/_soan-tin`), no trailing slash.
    pub prefix: &'a str,
    /// The site's base path (`/tin-tuc/`).
    pub base: &'a str,
    /// The CSRF token forms carry.
    pub csrf: &'a str,
    /// Who is editing (shown in the header), and whether they may publish.
    pub who: &'a str,
    /// Whether the one editing may publish, schedule and delete.
    pub may_publish: bool,
    /// Whether there is a session to log out of.
    pub logged_in: bool,
}

fn layout(frame: &Frame<'_>, title: &str, main: &str) -> String {
    let p = frame.prefix;
    let logout = if frame.logged_in {
        format!(
            "<form method=\"post\" action=\"{p}/dang-xuat\" class=\"inline\">{}\
             <button type=\"submit\">Đăng xuất</button></form>",
            csrf_input(frame)
        )
    } else {
        String::new()
    };
    let nav = if frame.who.is_empty() {
        String::new()
    } else {
        format!(
            "<nav aria-label=\"Khu soạn tin\"><a href=\"{p}/moi\">Viết bài mới</a> \
             <a href=\"{p}/\">Danh sách bài</a> <a href=\"{p}/thung-rac\">Thùng rác</a> \
             <a href=\"{base}\">Xem trang</a></nav><span class=\"who\">{who}</span>",
            base = esc(frame.base),
            who = esc(frame.who),
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"csrf-token\" content=\"{csrf}\">\
         <title>{title} — Soạn tin</title>\
         <link rel=\"stylesheet\" href=\"{p}/editor.css\"></head>\
         <body data-prefix=\"{p}\"><header class=\"top\"><a class=\"brand\" href=\"{p}/\">Soạn tin</a>\
         {nav}{logout}</header>\
         <main id=\"noi-dung\">{main}</main>\
         <script src=\"{p}/editor.js\" defer></script></body></html>\n",
        csrf = esc(frame.csrf),
        title = esc(title),
    )
}

fn csrf_input(frame: &Frame<'_>) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(frame.csrf)
    )
}

/// One row of the list of articles.
pub struct Row {
    /// Path under `content/`.
    pub path: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: String,
    /// Date as shown (`01/12/2026 08:30`).
    pub date: String,
    /// Its state: `nhap`, `hen-gio` or `da-dang`.
    pub state: &'static str,
    /// Its URL in the preview.
    pub url: String,
}

/// The label of a state value.
pub fn state_label(state: &str) -> &'static str {
    match state {
        "nhap" => "Nháp",
        "hen-gio" => "Hẹn giờ",
        "da-dang" => "Đã đăng",
        _ => "",
    }
}

/// The filters of the list.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    /// Words of the title.
    pub q: String,
    /// A category (empty: all).
    pub category: String,
    /// A state (empty: all).
    pub state: String,
}

/// The list of articles (already filtered and sorted newest first).
pub fn list(
    frame: &Frame<'_>,
    rows: &[Row],
    total: usize,
    filters: &Filters,
    categories: &[String],
) -> String {
    let p = frame.prefix;
    let mut html = format!(
        "<h1>Danh sách bài</h1>\
         <form class=\"filters\" method=\"get\" action=\"{p}/\" role=\"search\">\
         <label>Tìm theo tiêu đề <input type=\"search\" name=\"q\" value=\"{q}\"></label>\
         <label>Chuyên mục <select name=\"chuyen-muc\"><option value=\"\">Tất cả</option>",
        q = esc(&filters.q)
    );
    for c in categories {
        let selected = if *c == filters.category {
            " selected"
        } else {
            ""
        };
        html.push_str(&format!("<option{selected}>{}</option>", esc(c)));
    }
    html.push_str("</select></label><label>Trạng thái <select name=\"trang-thai\"><option value=\"\">Tất cả</option>");
    for state in ["nhap", "hen-gio", "da-dang"] {
        let selected = if state == filters.state {
            " selected"
        } else {
            ""
        };
        html.push_str(&format!(
            "<option value=\"{state}\"{selected}>{}</option>",
            state_label(state)
        ));
    }
    html.push_str(&format!(
        "</select></label><button type=\"submit\">Lọc</button></form>\
         <p class=\"count\" role=\"status\">{} / {total} bài</p>",
        rows.len()
    ));
    html.push_str(
        "<table class=\"articles\"><thead><tr><th scope=\"col\">Tiêu đề</th>\
         <th scope=\"col\">Chuyên mục</th><th scope=\"col\">Ngày</th>\
         <th scope=\"col\">Trạng thái</th></tr></thead><tbody>",
    );
    for row in rows {
        html.push_str(&format!(
            "<tr><td><a href=\"{p}/sua?tep={path}\">{title}</a>{view}</td><td>{cat}</td>\
             <td>{date}</td><td><span class=\"state state-{state}\">{label}</span></td></tr>",
            path = esc(
                &percent_encoding::utf8_percent_encode(&row.path, super::handlers::QUERY)
                    .to_string()
            ),
            title = esc(&row.title),
            view = if row.url.is_empty() {
                String::new()
            } else {
                format!(" <a class=\"view\" href=\"{}\">xem</a>", esc(&row.url))
            },
            cat = esc(&row.category),
            date = esc(&row.date),
            state = row.state,
            label = state_label(row.state),
        ));
    }
    html.push_str("</tbody></table>");
    if rows.is_empty() {
        html.push_str("<p>Không có bài nào khớp.</p>");
    }
    html.push_str(&word_import(frame, categories));
    layout(frame, "Danh sách bài", &html)
}

/// What the form page shows besides the form's values.
pub struct FormPage<'a> {
    /// The form.
    pub form: &'a ArticleForm,
    /// The categories of config.yaml.
    pub categories: &'a [String],
    /// Every tag the site uses (suggestions).
    pub tags: &'a [String],
    /// Errors, each at its field.
    pub errors: &'a [FieldError],
    /// A message at the top (saved, conflict, ...).
    pub notice: Option<&'a str>,
    /// The article's URL in the preview, once saved.
    pub url: Option<&'a str>,
}

fn field_error(errors: &[FieldError], field: &str) -> (String, String) {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    if messages.is_empty() {
        // An empty slot the script fills; not announced while empty.
        return (
            String::new(),
            format!("<p class=\"error\" id=\"loi-{field}\" hidden></p>"),
        );
    }
    (
        format!(" aria-invalid=\"true\" aria-describedby=\"loi-{field}\""),
        format!(
            "<p class=\"error\" id=\"loi-{field}\">{}</p>",
            esc(&messages.join(" "))
        ),
    )
}

/// The article form (new or edit).
pub fn form(frame: &Frame<'_>, page: &FormPage<'_>) -> String {
    let p = frame.prefix;
    let f = page.form;
    let is_new = f.path.is_empty();
    let heading = if is_new {
        "Viết bài mới"
    } else {
        "Sửa bài"
    };
    let text_input = |name: &str, label: &str, value: &str, extra: &str| {
        let (aria, error) = field_error(page.errors, name);
        format!(
            "<div class=\"field\"><label for=\"f-{name}\">{label}</label>\
             <input id=\"f-{name}\" name=\"{name}\" value=\"{}\"{extra}{aria}>{error}</div>",
            esc(value)
        )
    };
    let mut html = format!("<h1>{heading}</h1>");
    html.push_str(&format!(
        "<div id=\"trang-thai-luu\" class=\"notice\" role=\"status\" aria-live=\"polite\">{}</div>",
        page.notice.map(esc).unwrap_or_default()
    ));
    let general: Vec<&FieldError> = page.errors.iter().filter(|e| e.field.is_empty()).collect();
    html.push_str("<div id=\"loi-chung\" class=\"errors\" role=\"alert\">");
    for e in general {
        html.push_str(&format!("<p>{}</p>", esc(&e.message)));
    }
    html.push_str("</div>");
    html.push_str(&format!(
        "<form id=\"bai-viet\" method=\"post\" action=\"{p}/luu\" novalidate>{}\
         <input type=\"hidden\" name=\"path\" value=\"{}\">\
         <input type=\"hidden\" name=\"hash\" value=\"{}\">",
        csrf_input(frame),
        esc(&f.path),
        esc(&f.hash)
    ));
    html.push_str("<div class=\"columns\"><div class=\"main-col\">");
    html.push_str(&text_input("title", "Tiêu đề", &f.title, " required"));
    html.push_str(&text_input("summary", "Tóm tắt (sapo)", &f.summary, ""));
    let (aria, error) = field_error(page.errors, "body");
    html.push_str(&format!(
        "<div class=\"field body-field\"><label for=\"f-body\">Nội dung</label>\
         <div class=\"toolbar\" role=\"toolbar\" aria-label=\"Định dạng nội dung\" aria-controls=\"f-body\">\
         <button type=\"button\" data-cmd=\"heading\" title=\"Tiêu đề mục (Ctrl+Alt+2)\">Tiêu đề mục</button>\
         <button type=\"button\" data-cmd=\"bold\" title=\"Đậm (Ctrl+B)\"><b>Đậm</b></button>\
         <button type=\"button\" data-cmd=\"italic\" title=\"Nghiêng (Ctrl+I)\"><i>Nghiêng</i></button>\
         <button type=\"button\" data-cmd=\"list\" title=\"Danh sách (Ctrl+Shift+8)\">• Danh sách</button>\
         <button type=\"button\" data-cmd=\"numbered\" title=\"Danh sách số (Ctrl+Shift+7)\">1. Đánh số</button>\
         <button type=\"button\" data-cmd=\"link\" title=\"Liên kết (Ctrl+K)\">Liên kết</button>\
         <button type=\"button\" data-cmd=\"table\" title=\"Bảng\">Bảng</button>\
         <button type=\"button\" data-cmd=\"image\" title=\"Chèn ảnh\">Ảnh</button>\
         <button type=\"button\" data-cmd=\"video\" title=\"Chèn video\">Video</button>\
         <button type=\"button\" data-cmd=\"attachment\" title=\"Đính kèm tệp\">Tệp đính kèm</button>\
         </div>\
         <textarea id=\"f-body\" name=\"body\" rows=\"20\"{aria}>{}</textarea>{error}\
         <p class=\"hint\" id=\"goi-y-body\">Có thể dán từ Word hoặc trang web, kéo thả ảnh và tệp vào ô này.</p>\
         <input type=\"file\" id=\"chon-tep\" hidden multiple \
          accept=\"image/jpeg,image/png,image/webp,image/gif,.pdf,.docx,.xlsx\"></div>",
        esc(&f.body)
    ));
    html.push_str(
        "<section class=\"preview\" aria-labelledby=\"xem-truoc-h\"><h2 id=\"xem-truoc-h\">Xem trước</h2>\
         <div id=\"xem-truoc\" class=\"preview-body\"></div></section>",
    );
    html.push_str("</div><div class=\"side-col\">");
    // Category select.
    let (aria, error) = field_error(page.errors, "category");
    html.push_str(&format!(
        "<div class=\"field\"><label for=\"f-category\">Chuyên mục</label>\
         <select id=\"f-category\" name=\"category\"{aria}>"
    ));
    for c in page.categories {
        let selected = if c.to_lowercase() == f.category.to_lowercase() {
            " selected"
        } else {
            ""
        };
        html.push_str(&format!("<option{selected}>{}</option>", esc(c)));
    }
    html.push_str(&format!("</select>{error}</div>"));
    let (aria, error) = field_error(page.errors, "date");
    html.push_str(&format!(
        "<div class=\"field\"><span class=\"label\" id=\"nhan-ngay\">Ngày giờ đăng (giờ Việt Nam)</span>\
         <div class=\"row\"><label class=\"sr\" for=\"f-date\">Ngày</label>\
         <input type=\"date\" id=\"f-date\" name=\"date\" value=\"{}\"{aria}>\
         <label class=\"sr\" for=\"f-time\">Giờ</label>\
         <input type=\"time\" id=\"f-time\" name=\"time\" value=\"{}\"></div>{error}</div>",
        esc(&f.date),
        esc(&f.time)
    ));
    // Publish state.
    let (aria, error) = field_error(page.errors, "publish");
    html.push_str(&format!(
        "<fieldset class=\"field\"{aria}><legend>Trạng thái</legend>"
    ));
    for (publish, label) in [
        (Publish::Draft, "Lưu nháp"),
        (Publish::Now, "Đăng ngay"),
        (Publish::Scheduled, "Hẹn giờ (đăng vào ngày giờ ở trên)"),
    ] {
        let checked = if f.publish == publish.value() {
            " checked"
        } else {
            ""
        };
        let disabled = if publish != Publish::Draft && !frame.may_publish {
            " disabled"
        } else {
            ""
        };
        html.push_str(&format!(
            "<label class=\"choice\"><input type=\"radio\" name=\"publish\" value=\"{}\"{checked}{disabled}> {label}</label>",
            publish.value()
        ));
    }
    if !frame.may_publish {
        html.push_str("<p class=\"hint\">Biên tập viên lưu nháp; người duyệt sẽ đăng bài.</p>");
    }
    html.push_str(&format!("{error}</fieldset>"));
    html.push_str(&text_input("author", "Tác giả", &f.author, ""));
    html.push_str(&text_input(
        "author_title",
        "Chức danh tác giả",
        &f.author_title,
        "",
    ));
    html.push_str(&text_input(
        "tags",
        "Thẻ (cách nhau bằng dấu phẩy)",
        &f.tags,
        " list=\"the-co-san\" autocomplete=\"off\"",
    ));
    html.push_str("<datalist id=\"the-co-san\">");
    for tag in page.tags {
        html.push_str(&format!("<option value=\"{}\">", esc(tag)));
    }
    html.push_str("</datalist>");
    html.push_str(&text_input("image", "Ảnh đại diện (tên tệp)", &f.image, ""));
    html.push_str(
        "<div class=\"field\"><label for=\"tai-anh-dai-dien\">Tải ảnh đại diện lên</label>\
         <input type=\"file\" id=\"tai-anh-dai-dien\" accept=\"image/jpeg,image/png,image/webp,image/gif\"></div>",
    );
    html.push_str(&text_input(
        "image_caption",
        "Chú thích ảnh đại diện",
        &f.image_caption,
        "",
    ));
    html.push_str(&format!(
        "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" name=\"featured\" value=\"1\"{}> Tin nổi bật</label></div>",
        if f.featured { " checked" } else { "" }
    ));
    html.push_str("<div class=\"actions\"><button type=\"submit\" class=\"primary\">Lưu</button>");
    if let Some(url) = page.url {
        html.push_str(&format!(
            " <a id=\"xem-bai\" href=\"{}\" target=\"_blank\">Xem bài trên trang</a>",
            esc(url)
        ));
    } else {
        html.push_str(" <a id=\"xem-bai\" hidden target=\"_blank\">Xem bài trên trang</a>");
    }
    html.push_str("</div></div></div></form>");
    if !is_new && frame.may_publish {
        html.push_str(&format!(
            "<form method=\"post\" action=\"{p}/xoa\" class=\"delete\">{}\
             <input type=\"hidden\" name=\"path\" value=\"{}\">\
             <button type=\"submit\" class=\"danger\">Xoá bài (chuyển vào thùng rác)</button></form>",
            csrf_input(frame),
            esc(&f.path)
        ));
    }
    if is_new {
        html.push_str(&word_import(frame, page.categories));
    }
    layout(frame, heading, &html)
}

/// "Nhập từ tệp Word (.docx)": a plain form (a file input, a category select defaulting to
/// the first, a button) that posts the file as `multipart/form-data`, so it works without
/// the script (which sends the file itself and shows a refusal in the form's status line);
/// the answer is the new draft's edit page.
pub fn word_import(frame: &Frame<'_>, categories: &[String]) -> String {
    let mut options = String::new();
    for (i, c) in categories.iter().enumerate() {
        let selected = if i == 0 { " selected" } else { "" };
        options.push_str(&format!("<option{selected}>{}</option>", esc(c)));
    }
    format!(
        "<section class=\"word-import\" aria-labelledby=\"nhap-word-h\">\
         <h2 id=\"nhap-word-h\">Nhập từ tệp Word (.docx)</h2>\
         <form method=\"post\" action=\"{p}/nhap-word\" enctype=\"multipart/form-data\" id=\"nhap-word\">{csrf}\
         <div class=\"field\"><label for=\"nhap-word-tep\">Tệp Word (.docx)</label>\
         <input type=\"file\" id=\"nhap-word-tep\" name=\"tep\" required \
          accept=\".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document\" \
          aria-describedby=\"nhap-word-goi-y\"></div>\
         <div class=\"field\"><label for=\"nhap-word-chuyen-muc\">Chuyên mục của bài nhập từ Word</label>\
         <select id=\"nhap-word-chuyen-muc\" name=\"chuyen-muc\">{options}</select></div>\
         <p class=\"hint\" id=\"nhap-word-goi-y\">Chữ, đề mục, danh sách, bảng và ảnh trong tệp \
         thành một bài nháp, ảnh lưu cạnh bài; tối đa 20 MB. Tệp .doc cũ: mở bằng Word và lưu \
         thành .docx trước.</p>\
         <div id=\"nhap-word-trang-thai\" class=\"notice\" role=\"status\" aria-live=\"polite\"></div>\
         <button type=\"submit\">Nhập từ tệp Word</button></form></section>",
        p = frame.prefix,
        csrf = csrf_input(frame),
    )
}

/// The trash.
pub fn trash(frame: &Frame<'_>, items: &[Trashed], notice: Option<&str>) -> String {
    let p = frame.prefix;
    let mut html = String::from("<h1>Thùng rác</h1>");
    html.push_str(&format!(
        "<div class=\"notice\" role=\"status\" aria-live=\"polite\">{}</div>",
        notice.map(esc).unwrap_or_default()
    ));
    if items.is_empty() {
        html.push_str("<p>Thùng rác trống.</p>");
    } else {
        html.push_str(
            "<table class=\"articles\"><thead><tr><th scope=\"col\">Tệp</th>\
             <th scope=\"col\">Xoá lúc</th><th scope=\"col\"><span class=\"sr\">Khôi phục</span></th></tr></thead><tbody>",
        );
        for t in items {
            html.push_str(&format!(
                "<tr><td>{path}</td><td>{stamp}</td><td><form method=\"post\" action=\"{p}/khoi-phuc\">{csrf}\
                 <input type=\"hidden\" name=\"stamp\" value=\"{stamp}\">\
                 <input type=\"hidden\" name=\"path\" value=\"{path}\">\
                 <button type=\"submit\"{disabled}>Khôi phục</button></form></td></tr>",
                path = esc(&t.path),
                stamp = esc(&t.stamp),
                csrf = csrf_input(frame),
                disabled = if frame.may_publish { "" } else { " disabled" },
            ));
        }
        html.push_str("</tbody></table>");
    }
    layout(frame, "Thùng rác", &html)
}

/// A page with one message (errors that are not about a field).
pub fn message(frame: &Frame<'_>, title: &str, text: &str) -> String {
    layout(
        frame,
        title,
        &format!(
            "<h1>{}</h1><p role=\"alert\">{}</p><p><a href=\"{}/\">Về danh sách bài</a></p>",
            esc(title),
            esc(text),
            frame.prefix
        ),
    )
}

/// The login page (no CSRF token yet: the form carries the login token of the page).
pub fn login(prefix: &str, token: &str, error: Option<&str>, name: &str) -> String {
    let frame = Frame {
        prefix,
        base: "/",
        csrf: token,
        who: "",
        may_publish: false,
        logged_in: false,
    };
    let error_html = error
        .map(|e| {
            format!(
                "<p class=\"error\" id=\"loi-dang-nhap\" role=\"alert\">{}</p>",
                esc(e)
            )
        })
        .unwrap_or_default();
    let described = if error.is_some() {
        " aria-describedby=\"loi-dang-nhap\" aria-invalid=\"true\""
    } else {
        ""
    };
    layout(
        &frame,
        "Đăng nhập",
        &format!(
            "<h1>Đăng nhập khu soạn tin</h1>{error_html}\
             <form method=\"post\" action=\"{prefix}/dang-nhap\" class=\"login\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
             <div class=\"field\"><label for=\"ten\">Tên đăng nhập</label>\
             <input id=\"ten\" name=\"name\" autocomplete=\"username\" value=\"{name}\" required{described}></div>\
             <div class=\"field\"><label for=\"mat-khau\">Mật khẩu</label>\
             <input id=\"mat-khau\" type=\"password\" name=\"password\" autocomplete=\"current-password\" required></div>\
             <button type=\"submit\" class=\"primary\">Đăng nhập</button></form>",
            token = esc(token),
            name = esc(name),
        ),
    )
}
