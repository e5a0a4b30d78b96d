//! Delete (to the trash) and restore.

use super::*;

pub(super) fn delete(editor: &Editor, who: &Who, pairs: &[(String, String)], json: bool) -> Reply {
    if !who.may_publish {
        return Reply::refused(403, "Chỉ người duyệt mới xoá được bài.", json);
    }
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let path = field(pairs, "path").unwrap_or_default();
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let file = match store::article_file(&editor.root, path) {
        Ok(f) => f,
        Err(e) => return Reply::refused(404, &e.message(), json),
    };
    match store::trash(&editor.root, &file, now(&config)) {
        Ok(trashed) => {
            editor.record(who, "xoá bài (vào thùng rác)", &trashed.path);
            Reply::redirect(format!("{}/", editor.prefix))
        }
        Err(e) => Reply::refused(500, &e.message(), json),
    }
}

pub(super) fn restore(editor: &Editor, who: &Who, pairs: &[(String, String)], json: bool) -> Reply {
    if !who.may_publish {
        return Reply::refused(403, "Chỉ người duyệt mới khôi phục được bài.", json);
    }
    let stamp = field(pairs, "stamp").unwrap_or_default();
    let path = field(pairs, "path").unwrap_or_default();
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    match store::restore(&editor.root, stamp, path) {
        Ok(_) => {
            editor.record(who, "khôi phục bài", path);
            trash_page(editor, who, Some(&format!("Đã khôi phục {path}.")))
        }
        Err(e) => {
            let status = match e {
                store::StoreError::Exists => 409,
                store::StoreError::Missing => 404,
                _ => 400,
            };
            Reply::refused(status, &e.message(), json)
        }
    }
}

pub(super) fn trash_page(editor: &Editor, who: &Who, notice: Option<&str>) -> Reply {
    let items = store::trashed(&editor.root);
    Reply::html(200, pages::trash(&frame(editor, who), &items, notice))
}
