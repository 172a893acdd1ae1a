//! The code editor: CodeMirror 6, bundled from npm by `www/editor/build.mjs`
//! and loaded as `editor.js`, which sets `window.InterleaveEditor`. This
//! module is the Rust side of that small interface.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// One editor instance (see `www/editor/editor.js`).
    pub type EditorHandle;

    #[wasm_bindgen(method, js_name = getText)]
    pub fn get_text(this: &EditorHandle) -> String;
    #[wasm_bindgen(method, js_name = setText)]
    pub fn set_text(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method, js_name = setRunningLine)]
    pub fn set_running_line(this: &EditorHandle, line: Option<u32>);
    #[wasm_bindgen(method, js_name = setError)]
    pub fn set_error(this: &EditorHandle, line: Option<u32>, column: u32, message: &str);
    #[wasm_bindgen(method)]
    pub fn destroy(this: &EditorHandle);
}

fn api() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("InterleaveEditor"))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// Calls `then` with the editor API once `editor.js` has loaded (at once if
/// it has).
pub fn when_ready(then: impl FnOnce() + 'static) {
    if api().is_some() {
        then();
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let callback = Closure::once_into_js(then);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
        "interleave-editor-ready",
        callback.unchecked_ref(),
        &options,
    );
}

/// Creates an editor in `parent` holding `doc`; `on_run` is called on
/// Ctrl/Cmd+Enter. It follows the page's theme by itself.
pub fn create(parent: &web_sys::Element, doc: &str, on_run: impl Fn() + 'static) -> Option<EditorHandle> {
    let api = api()?;
    let create = js_sys::Reflect::get(&api, &JsValue::from_str("create")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let options = js_sys::Object::new();
    let on_run = Closure::<dyn Fn()>::new(on_run).into_js_value();
    js_sys::Reflect::set(&options, &JsValue::from_str("onRun"), &on_run).ok()?;
    let handle = create.call3(&api, parent, &JsValue::from_str(doc), &options).ok()?;
    Some(handle.unchecked_into())
}
