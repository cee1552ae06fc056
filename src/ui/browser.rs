//! The few browser services the page uses beyond drawing: local and session storage, a file to
//! download, the clipboard, the text of a file the learner opened, the real-time clock. Each may be missing or refused
//! (storage in a sandboxed frame, the clipboard without permission): every helper says so instead
//! of failing, and the page goes on without it.

use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Real time in ms since the page loaded, for pacing work (0 where there is no clock).
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Which storage: kept across visits, or for this tab until it closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Local,
    Session,
}

fn storage(store: Store) -> Option<web_sys::Storage> {
    let window = window();
    match store {
        Store::Local => window.local_storage(),
        Store::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// The text stored under `key`, if storage works and holds it.
pub fn load(store: Store, key: &str) -> Option<String> {
    storage(store)?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; false when storage is unavailable or full.
pub fn save(store: Store, key: &str, value: &str) -> bool {
    storage(store).is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn forget(store: Store, key: &str) {
    if let Some(s) = storage(store) {
        let _ = s.remove_item(key);
    }
}

/// Offers `text` as a file called `name` to download.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let failed = |_| "the browser refused to make the file".to_owned();
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let link = document()
        .create_element("a")
        .map_err(failed)?
        .unchecked_into::<web_sys::HtmlAnchorElement>();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Some browsers read the file after the click returns: the address lives a while longer.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Copies `text` to the clipboard; false when the browser does not allow it here (an embed
/// without permission, a page not served securely), so that the caller shows it to copy.
pub async fn copy(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// The text of a file the learner opened or dropped, at most `max` bytes.
pub async fn read_file(file: &web_sys::File, max: usize) -> Result<String, String> {
    // Whole bytes as an integer: printing a float would bring float formatting into the bundle.
    let size = file.size() as u64;
    if size > max as u64 {
        return Err(format!(
            "{}: {size} bytes, more than the {max} the playground opens",
            kafka_sim::sim::error::cut(&file.name())
        ));
    }
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| format!("{}: the browser could not read it", file.name()))
}

/// The `format` and `link` fields of a JSON file, parsed by the browser's own JSON parser (so
/// that no JSON parser is in the bundle); `None` for a field that is missing or not text.
pub fn json_fields(text: &str) -> Result<(Option<String>, Option<String>), String> {
    let value = js_sys::JSON::parse(text)
        .map_err(|_| "file: not a Kafka Playground file (it is not JSON)".to_owned())?;
    if !value.is_object() {
        return Err("file: not a Kafka Playground file (not a JSON object)".to_owned());
    }
    let field = |name: &str| {
        js_sys::Reflect::get(&value, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    Ok((field("format"), field("link")))
}

/// The page's address without its query and fragment: where a shared link points.
pub fn page_base() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}
