//! The page's frame: header, lesson catalog, and the selected lesson.
//!
//! Routing is the URL fragment (`#/lesson/<id>`), so a lesson can be linked
//! to and the browser's back button works, with no server involved.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::lessons::{self, python::PythonLesson, real_threads::RealThreadsLesson, Kind};

/// The lesson a URL fragment names (`#/lesson/<id>`), and the share payload
/// of a shared run (`#/lesson/<id>/run/<payload>`), if any.
fn route() -> (&'static lessons::Lesson, Option<String>) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let rest = hash.strip_prefix("#/lesson/").unwrap_or_default();
    let (id, share) = match rest.split_once("/run/") {
        Some((id, payload)) => (id, Some(payload.to_string())),
        None => (rest, None),
    };
    match lessons::find(id) {
        Some(lesson) => (lesson, share),
        None => (&lessons::all()[0], None),
    }
}

/// Flips the page between light and dark, and remembers the choice.
fn toggle_theme() {
    let Some(window) = web_sys::window() else { return };
    let Some(root) = window.document().and_then(|d| d.document_element()) else { return };
    let next = if root.get_attribute("data-theme").as_deref() == Some("dark") { "light" } else { "dark" };
    let _ = root.set_attribute("data-theme", next);
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item("interleave-theme", next);
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let current = use_state(route);

    {
        let current = current.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || current.set(route()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }

    let (lesson, share) = (*current).clone();
    let body = match lesson.kind {
        Kind::RealThreads => html! { <RealThreadsLesson /> },
        Kind::Python => {
            // A new share link (or lesson) is a new component: fresh editor, fresh run.
            let key = format!("{}/{}", lesson.id, share.as_deref().unwrap_or(""));
            html! { <PythonLesson {key} lesson={lesson} share={share} /> }
        }
    };

    html! {
        <div class="app">
            // The first stop of Tab: past the theme button and the whole
            // lesson list, straight to the lesson (its controls, the editor).
            <a class="skip-link" data-testid="skip" href="#main" onclick={Callback::from(|e: MouseEvent| {
                // (The URL fragment is the page's route: leave it alone.)
                e.prevent_default();
                let main = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main"));
                if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = main.focus();
                }
            })}>{ "Skip to the lesson" }</a>
            <header class="topbar">
                <a class="brand" href="#/">
                    <svg class="brand-mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                        <path d="M4 5h7v4H4zM13 9h7v4h-7zM4 13h7v4H4zM13 17h7v3h-7z" fill="currentColor" />
                    </svg>
                    { "Interleave" }
                </a>
                <span class="tagline">{ "See threads, locks and interleavings happen." }</span>
                <button class="theme-toggle" data-testid="theme" onclick={Callback::from(|_: MouseEvent| toggle_theme())}
                        aria-label="Switch between light and dark theme">{ "◐ Theme" }</button>
            </header>
            <div class="layout">
                <nav class="catalog" aria-label="Lessons">
                    { for lessons::chapters().into_iter().map(|(chapter, list)| html! {
                        <section class="chapter">
                            <h2>{ chapter }</h2>
                            <ul>
                                { for list.into_iter().map(|lesson| {
                                    let selected = lesson.id == current.0.id;
                                    html! {
                                        <li>
                                            <a href={format!("#/lesson/{}", lesson.id)}
                                               class={classes!("lesson-link", selected.then_some("selected"))}
                                               aria-current={selected.then_some("page")}
                                               data-lesson={lesson.id}>
                                                <span class="lesson-title">{ lesson.title }</span>
                                                <span class="lesson-summary">{ lesson.summary.clone() }</span>
                                            </a>
                                        </li>
                                    }
                                }) }
                            </ul>
                        </section>
                    }) }
                </nav>
                <main class="lesson" id="main" tabindex="-1">{ body }</main>
            </div>
        </div>
    }
}
