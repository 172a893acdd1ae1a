//! A Python lesson: the explanation, the editor with the lesson's program,
//! the run controls, and the views of what happened (console, outcome,
//! threads, resources, variables, timeline).
//!
//! The engine never runs here: `engine_run` hands the program to a worker
//! and this component only renders the updates it sends back.

use std::rc::Rc;

use futures_util::StreamExt;
use interleave_engine::{Outcome, SyncView, ThreadView};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::editor::{self, EditorHandle};
use crate::engine_run::{self, Finished, RunRequest, SchedulerChoice, SyntaxProblem, Update};
use crate::explore::{self, ExploreState, Settings};
use crate::explore_run::{self, ExploreRequest, ExploreUpdate};
use crate::lessons::Lesson;
use crate::session::{Session, Snapshot};
use crate::share::{self, Shared};
use crate::{markdown, pool, timeline};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lesson: &'static Lesson,
    /// A shared run to replay (the payload of `#/lesson/<id>/run/<payload>`).
    #[prop_or_default]
    pub share: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Idle,
    Running,
    Done,
}

#[derive(Clone, Debug, PartialEq)]
struct Line {
    stderr: bool,
    text: String,
}

/// Shared between the component and its running task.
#[derive(Default)]
struct Live {
    editor: Option<EditorHandle>,
    /// The run in progress, to stop it.
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Bumped by every Run and Reset; updates of older runs are ignored.
    generation: u64,
    /// The settings as last chosen (read by Ctrl+Enter, whose closure is
    /// made once per editor).
    scheduler: Option<SchedulerChoice>,
    seed: u64,
    /// The machine of a "you are the scheduler" run.
    session: Option<Session>,
    /// The search in progress, to stop it.
    exploring: Option<std::sync::Arc<interleave_explorer::Progress>>,
    /// The generation of the search whose panel is shown. A search that a
    /// Run or a Reset ended still finishes its own panel (it reports what it
    /// found, stopped); one that a newer Explore replaced leaves the panel
    /// alone.
    explore_shown: u64,
    /// The program that search explored, and the standard input it read:
    /// its schedules replay only on them.
    explored: Option<(String, String)>,
    /// The text of the Input box: the program's standard input, one line
    /// per line (read by Run, Step, Explore and the replays).
    stdin: String,
    /// The next finished run opens at its first event (a schedule picked
    /// from the Explore panel is there to be stepped through).
    open_at_start: bool,
    /// The program, seed and standard input (the Input box's text) of the
    /// last run, to rebuild its state at any event when the learner steps
    /// through it.
    last_run: Option<(String, u64, String)>,
    /// Bumped by every request for the views at a replay cursor; answers
    /// to older requests are dropped.
    cursor_request: u64,
}

/// The lines of the Input box's `text`, as the engine reads them.
fn input_lines(text: &str) -> Vec<String> {
    text.lines().map(String::from).collect()
}

impl Live {
    /// Puts `text` in the Input box: in `shown`, the state it renders
    /// from, and in `stdin`, which the closures read.
    fn set_stdin(&mut self, shown: &UseStateHandle<String>, text: &str) {
        shown.set(text.to_string());
        self.stdin = text.to_string();
    }

    /// Ends whatever is in progress (a run on a worker, or a "you are the
    /// scheduler" session) and starts a new generation, so that late updates
    /// of the old run are ignored. Returns the new generation.
    fn cancel(&mut self) -> u64 {
        if let Some(stop) = self.stop.take() {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if let Some(progress) = self.exploring.take() {
            progress.request_stop();
        }
        self.session = None;
        self.generation += 1;
        self.generation
    }
}

#[function_component(PythonLesson)]
pub fn python_lesson(props: &Props) -> Html {
    let lesson = props.lesson;
    let live = use_mut_ref(|| Live { seed: 1, stdin: lesson.stdin_of(0).to_string(), ..Live::default() });
    let editor_ref = use_node_ref();
    let program = use_state(|| 0usize);
    let scheduler = use_state(|| SchedulerChoice::from_key(lesson.scheduler));
    let seed = use_state(|| 1u64);
    let status = use_state(|| Status::Idle);
    let console = use_state(Vec::<Line>::new);
    let finished = use_state(|| None::<Rc<Finished>>);
    let syntax = use_state(|| None::<SyntaxProblem>);
    let zoom = use_state(|| 1u32);
    let pool_error = use_state(|| None::<String>);
    // The Input box's text (`Live::stdin` holds the same for the closures).
    let stdin_text = use_state(|| lesson.stdin_of(0).to_string());

    // Start the worker pool early, so the first Run does not wait for it.
    {
        let pool_error = pool_error.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = pool::ensure_pool().await {
                    pool_error.set(Some(e));
                }
            });
        });
    }

    let snapshot = use_state(|| None::<Rc<Snapshot>>);
    let selected = use_state(|| None::<u32>);
    // Replaying a finished run event by event: `cursor` is the event shown
    // (None: the end), `playing` animates it at `speed` events per tick.
    let cursor = use_state(|| None::<usize>);
    let playing = use_state(|| false);
    let speed = use_state(|| 1usize);
    {
        let (cursor, playing) = (cursor.clone(), playing.clone());
        let events = finished.as_ref().map(|f| f.trace.events.len()).unwrap_or(0);
        let start = cursor.unwrap_or(0);
        use_effect_with((*playing, *speed, events), move |(on, speed, events)| {
            let mut interval = None;
            if *on && *events > 0 {
                let (speed, events) = (*speed, *events);
                let position = Rc::new(std::cell::Cell::new(start));
                let tick = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                    let next = position.get() + speed;
                    if next >= events {
                        cursor.set(None);
                        playing.set(false);
                    } else {
                        position.set(next);
                        cursor.set(Some(next));
                    }
                });
                let window = web_sys::window();
                let id = window.as_ref().and_then(|w| {
                    w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 80).ok()
                });
                interval = Some((tick, id));
            }
            move || {
                if let Some((_tick, Some(id))) = interval {
                    if let Some(w) = web_sys::window() {
                        w.clear_interval_with_handle(id);
                    }
                }
            }
        });
    }
    // A new run starts at its end, not replaying.
    {
        let (cursor, playing) = (cursor.clone(), playing.clone());
        let run_id = finished.as_ref().map(|f| f.schedule.clone());
        let live = live.clone();
        use_effect_with(run_id, move |run_id| {
            let at_start = run_id.is_some() && std::mem::take(&mut live.borrow_mut().open_at_start);
            cursor.set(at_start.then_some(0));
            playing.set(false);
            if at_start {
                // Bring the stepper into view: the learner came from the
                // Explore panel further down.
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector("[data-testid=replay]").ok().flatten())
                {
                    el.scroll_into_view();
                }
            }
        });
    }
    // Stepping through a finished run: the views (threads, resources,
    // variables, wait-for graph) and the editor's running line follow the
    // cursor. The state at an event is rebuilt on a worker by replaying the
    // run up to it; while the replay animates, only the console and the
    // timeline follow, and the views catch up when it pauses.
    let at_cursor = use_state(|| None::<(usize, Rc<Snapshot>)>);
    {
        let (live, at_cursor) = (live.clone(), at_cursor.clone());
        let schedule = finished.as_ref().map(|f| f.schedule.clone());
        use_effect_with((*cursor, *playing, schedule), move |(cursor, playing, schedule)| {
            let request = {
                let mut l = live.borrow_mut();
                l.cursor_request += 1;
                l.cursor_request
            };
            let last_run = live.borrow().last_run.clone();
            match (cursor, schedule, last_run) {
                (Some(k), Some(schedule), Some((source, seed, stdin))) if !*playing => {
                    let (k, schedule, live) = (*k, schedule.clone(), live.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let Ok(Some(snap)) = crate::session::snapshot_at(source, seed, input_lines(&stdin), schedule, k).await else { return };
                        if live.borrow().cursor_request != request {
                            return;
                        }
                        if let Some(e) = &live.borrow().editor {
                            e.set_running_line(snap.line);
                        }
                        at_cursor.set(Some((k, Rc::new(snap))));
                    });
                }
                (None, ..) => {
                    if live.borrow().session.is_none() {
                        if let Some(e) = &live.borrow().editor {
                            e.set_running_line(None);
                        }
                    }
                    at_cursor.set(None);
                }
                _ => {}
            }
        });
    }
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |tid: u32| selected.set(Some(tid)))
    };
    let share_link = use_state(|| None::<String>);
    // Exploring: the panel's state (None until the first Explore), the
    // settings of the next search, and the "can it print this?" text.
    let explore_state = use_state(|| None::<ExploreState>);
    let explore_settings = use_state(Settings::default);
    let explore_target = use_state(String::new);

    // Run (button, Ctrl+Enter, or a share link). With `replay`, the shared
    // program runs under the shared schedule.
    let run: Rc<dyn Fn(Option<Shared>)> = {
        let (live, status, console, finished, syntax, pool_error, snapshot, share_link, stdin_text) = (
            live.clone(),
            status.clone(),
            console.clone(),
            finished.clone(),
            syntax.clone(),
            pool_error.clone(),
            snapshot.clone(),
            share_link.clone(),
            stdin_text.clone(),
        );
        Rc::new(move |replay: Option<Shared>| {
            let (source, choice, seed, generation, stdin) = {
                let mut l = live.borrow_mut();
                let Some(editor) = l.editor.as_ref() else { return };
                if let Some(shared) = &replay {
                    editor.set_text(&shared.program);
                }
                editor.set_error(None, 0, "");
                editor.set_running_line(None);
                let source = editor.get_text();
                if let Some(shared) = &replay {
                    // The shared run read this input: the box shows it.
                    l.set_stdin(&stdin_text, &shared.stdin);
                }
                let generation = l.cancel();
                let choice = l.scheduler.unwrap_or_else(|| SchedulerChoice::from_key(lesson.scheduler));
                (source, choice, l.seed, generation, l.stdin.clone())
            };
            status.set(Status::Running);
            console.set(Vec::new());
            finished.set(None);
            syntax.set(None);
            snapshot.set(None);
            share_link.set(None);
            let (live, status, console, finished, syntax, pool_error, snapshot) = (
                live.clone(),
                status.clone(),
                console.clone(),
                finished.clone(),
                syntax.clone(),
                pool_error.clone(),
                snapshot.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = pool::ensure_pool().await {
                    pool_error.set(Some(e));
                    status.set(Status::Idle);
                    return;
                }
                let show_syntax = |problem: SyntaxProblem| {
                    // Nothing ran, so there is no run to open at its start.
                    live.borrow_mut().open_at_start = false;
                    if let Some(e) = &live.borrow().editor {
                        e.set_error(Some(problem.line), problem.col, &problem.message);
                    }
                    console.set(vec![Line { stderr: true, text: problem.rendered.clone() }]);
                    syntax.set(Some(problem));
                };
                live.borrow_mut().last_run = Some((source.clone(), replay.as_ref().map(|r| r.seed).unwrap_or(seed), stdin.clone()));
                let stdin = input_lines(&stdin);
                if choice == SchedulerChoice::Manual && replay.is_none() {
                    // "You are the scheduler": boot the machine and wait for clicks.
                    match Session::start(source, seed, stdin).await {
                        Ok(Ok((session, first))) if live.borrow().generation == generation => {
                            live.borrow_mut().session = Some(session);
                            snapshot.set(Some(Rc::new(first)));
                        }
                        Ok(Err(problem)) => {
                            show_syntax(problem);
                            status.set(Status::Done);
                        }
                        Err(e) => pool_error.set(Some(e)),
                        Ok(Ok(_)) => {}
                    }
                    return;
                }
                let request = RunRequest {
                    source,
                    scheduler: replay.as_ref().map(|r| SchedulerChoice::from_key(&r.scheduler)).unwrap_or(choice),
                    seed: replay.as_ref().map(|r| r.seed).unwrap_or(seed),
                    quantum: 3,
                    stdin,
                    replay: replay.map(|r| r.schedule),
                };
                let mut running = engine_run::start(request);
                live.borrow_mut().stop = Some(running.stop.clone());
                let mut lines: Vec<Line> = Vec::new();
                while let Some(update) = running.updates.next().await {
                    if live.borrow().generation != generation {
                        running.stop();
                        return;
                    }
                    match update {
                        Update::Stdout(text) => push(&mut lines, false, text),
                        Update::Stderr(text) => push(&mut lines, true, text),
                        Update::SyntaxError(problem) => {
                            show_syntax(problem);
                            continue;
                        }
                        Update::Done(done) => finished.set(Some(Rc::from(done))),
                    }
                    console.set(lines.clone());
                }
                live.borrow_mut().stop = None;
                status.set(Status::Done);
            });
        })
    };

    // "You are the scheduler": run the picked thread for one line.
    let pick = {
        let (live, status, console, finished, snapshot, pool_error) =
            (live.clone(), status.clone(), console.clone(), finished.clone(), snapshot.clone(), pool_error.clone());
        Callback::from(move |tid: u32| {
            let Some(session) = live.borrow().session.clone() else { return };
            let generation = live.borrow().generation;
            let (live, status, console, finished, snapshot, pool_error) =
                (live.clone(), status.clone(), console.clone(), finished.clone(), snapshot.clone(), pool_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let snap = match session.run_line(tid).await {
                    Ok(s) => s,
                    Err(e) => return pool_error.set(Some(e)),
                };
                if live.borrow().generation != generation {
                    return;
                }
                if let Some(e) = &live.borrow().editor {
                    e.set_running_line(snap.line);
                }
                let mut lines = Vec::new();
                if !snap.stdout.is_empty() {
                    lines.push(Line { stderr: false, text: snap.stdout.clone() });
                }
                if !snap.stderr.is_empty() {
                    lines.push(Line { stderr: true, text: snap.stderr.clone() });
                }
                console.set(lines);
                if let Some(done) = snap.finished() {
                    finished.set(Some(Rc::new(done)));
                    status.set(Status::Done);
                    live.borrow_mut().session = None;
                    if let Some(e) = &live.borrow().editor {
                        e.set_running_line(None);
                    }
                }
                snapshot.set(Some(Rc::new(snap)));
            });
        })
    };

    // The editor is created once per lesson (and re-created when the lesson
    // changes), holding the lesson's first program.
    {
        let (live, editor_ref, run, program) = (live.clone(), editor_ref.clone(), run.clone(), program.clone());
        let shared = props.share.as_deref().and_then(share::decode);
        use_effect_with(lesson.id, move |_| {
            program.set(0);
            let source = lesson.programs.first().map(|p| p.1).unwrap_or_default();
            let (live2, editor_ref2) = (live.clone(), editor_ref.clone());
            editor::when_ready(move || {
                let Some(parent) = editor_ref2.cast::<web_sys::Element>() else { return };
                parent.set_inner_html("");
                let on_key = run.clone();
                let handle = editor::create(&parent, source, move || on_key(None));
                live2.borrow_mut().editor = handle;
                if shared.is_some() {
                    run(shared);
                }
            });
            move || {
                let mut l = live.borrow_mut();
                l.cancel();
                if let Some(e) = l.editor.take() {
                    e.destroy();
                }
            }
        });
    }

    let on_run = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run(None))
    };
    // Step: the run is deterministic, so running it to its end on the
    // worker and opening it at its first event shows exactly what stepping
    // it live would; the replay controls then go forward event by event,
    // back, or play it at the chosen speed.
    let on_step = {
        let (run, live) = (run.clone(), live.clone());
        Callback::from(move |_: MouseEvent| {
            live.borrow_mut().open_at_start = true;
            run(None)
        })
    };

    // Explore: search the schedules of the editor's program on the pool,
    // polling the live counters until the report arrives.
    let on_explore = {
        let (live, explore_state, explore_settings, syntax, console, pool_error) =
            (live.clone(), explore_state.clone(), explore_settings.clone(), syntax.clone(), console.clone(), pool_error.clone());
        Callback::from(move |_: MouseEvent| {
            let settings = (*explore_settings).clone();
            // A condition that does not compile has its message next to
            // the field (and Explore is disabled): no search to start.
            if settings.condition_error().is_some() {
                return;
            }
            let (source, generation, seed, stdin) = {
                let mut l = live.borrow_mut();
                let Some(editor) = l.editor.as_ref() else { return };
                editor.set_error(None, 0, "");
                let source = editor.get_text();
                let generation = l.cancel();
                l.explore_shown = generation;
                l.explored = Some((source.clone(), l.stdin.clone()));
                let stdin = input_lines(&l.stdin);
                (source, generation, l.seed, stdin)
            };
            syntax.set(None);
            let request = ExploreRequest {
                source,
                bound: settings.bound(),
                max_executions: settings.budget,
                random: settings.random,
                pct: settings.pct,
                seed,
                stdin,
                parallel: settings.parallel,
                globals: settings.watched(),
                condition: settings.condition(),
                whole_if_it_fits: settings.bound == crate::explore::DEFAULT_BOUND,
            };
            let state = std::rc::Rc::new(std::cell::RefCell::new(ExploreState { running: true, settings, ..ExploreState::default() }));
            explore_state.set(Some(state.borrow().clone()));
            let (live, explore_state, syntax, console, pool_error) =
                (live.clone(), explore_state.clone(), syntax.clone(), console.clone(), pool_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = pool::ensure_pool().await {
                    pool_error.set(Some(e));
                    state.borrow_mut().running = false;
                    explore_state.set(Some(state.borrow().clone()));
                    return;
                }
                let t0 = pool::now_ms();
                let mut exploring = explore_run::start(request.clone());
                live.borrow_mut().exploring = Some(exploring.progress.clone());
                // The readout: every 150 ms while this search is the current one.
                {
                    let (live, state, explore_state) = (live.clone(), state.clone(), explore_state.clone());
                    let (progress, current) = (exploring.progress.clone(), exploring.current_bound.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        loop {
                            pool::sleep_ms(150).await;
                            if live.borrow().generation != generation || !state.borrow().running {
                                return;
                            }
                            let mut s = state.borrow_mut();
                            s.executions = progress.executions();
                            s.states = progress.states();
                            s.elapsed_ms = pool::now_ms() - t0;
                            s.current_bound = current.get();
                            explore_state.set(Some(s.clone()));
                        }
                    });
                }
                // The updates belong to this search's panel even after a Run
                // or a Reset ended it (it then reports what it found,
                // stopped); only a newer Explore's panel is left alone.
                let shown = |live: &std::rc::Rc<std::cell::RefCell<Live>>| live.borrow().explore_shown == generation;
                let current = exploring.current_bound.clone();
                while let Some(update) = exploring.updates.next().await {
                    // The search that runs now, read at once rather than at
                    // the next tick of the readout: an answer or a bar
                    // arriving means the search before it has ended.
                    state.borrow_mut().current_bound = current.get();
                    match update {
                        ExploreUpdate::SyntaxError(problem) => {
                            if live.borrow().generation == generation {
                                if let Some(e) = &live.borrow().editor {
                                    e.set_error(Some(problem.line), problem.col, &problem.message);
                                }
                                console.set(vec![Line { stderr: true, text: problem.rendered.clone() }]);
                                syntax.set(Some(problem));
                            }
                        }
                        ExploreUpdate::Done(report) => state.borrow_mut().report = Some(std::rc::Rc::from(report)),
                        ExploreUpdate::Bound(b) => state.borrow_mut().series.push(b),
                        ExploreUpdate::WholeTooBig => state.borrow_mut().whole_too_big = true,
                    }
                    if shown(&live) {
                        explore_state.set(Some(state.borrow().clone()));
                    }
                }
                if live.borrow().generation == generation {
                    live.borrow_mut().exploring = None;
                }
                state.borrow_mut().running = false;
                if shown(&live) {
                    explore_state.set(Some(state.borrow().clone()));
                }
            });
        })
    };
    let explore_callbacks = {
        let (explore_settings, explore_state, live, run) = (explore_settings.clone(), explore_state.clone(), live.clone(), run.clone());
        explore::Callbacks {
            settings: Callback::from(move |s: Settings| explore_settings.set(s)),
            explore: on_explore.clone(),
            // A schedule from the panel: replay the explored program under
            // it and open the run at its first event, ready to step.
            replay: {
                Callback::from(move |schedule: String| {
                    let Some(program) = live.borrow().editor.as_ref().map(|e| e.get_text()) else { return };
                    // A schedule is a list of choices of that program's
                    // steps: on an edited program (or another of the
                    // lesson's) it would replay something else, or nothing.
                    let explored = live.borrow().explored.clone();
                    let Some((_, stdin)) = explored.filter(|(p, _)| *p == program) else {
                        if let Some(s) = (*explore_state).clone() {
                            explore_state.set(Some(ExploreState { stale: true, ..s }));
                        }
                        return;
                    };
                    // (The program is the explored one again, if it was not.)
                    if let Some(s) = (*explore_state).clone().filter(|s| s.stale) {
                        explore_state.set(Some(ExploreState { stale: false, ..s }));
                    }
                    let seed = live.borrow().seed;
                    live.borrow_mut().open_at_start = true;
                    // The search read the input the box had then: the
                    // replay reads it too (and the box shows it again).
                    run(Some(Shared { program, scheduler: "cpython".into(), seed, schedule, stdin }));
                })
            },
        }
    };
    let on_explore_target = {
        let explore_target = explore_target.clone();
        Callback::from(move |t: String| explore_target.set(t))
    };
    let on_share = {
        let (live, finished, share_link) = (live.clone(), finished.clone(), share_link.clone());
        Callback::from(move |_: MouseEvent| {
            let (Some(f), Some(editor)) = (finished.as_ref(), live.borrow().editor.as_ref().map(|e| e.get_text())) else {
                return;
            };
            let l = live.borrow();
            let shared = Shared {
                program: editor,
                scheduler: l.scheduler.unwrap_or_else(|| SchedulerChoice::from_key(lesson.scheduler)).key().into(),
                seed: l.seed,
                schedule: f.schedule.clone(),
                stdin: l.last_run.as_ref().map(|r| r.2.clone()).unwrap_or_default(),
            };
            let base = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
            let base = base.split('#').next().unwrap_or_default().to_string();
            share_link.set(Some(format!("{base}#/lesson/{}/run/{}", lesson.id, share::encode(&shared))));
        })
    };
    let on_stop = {
        let (live, status) = (live.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let mut l = live.borrow_mut();
            if let Some(stop) = l.stop.as_ref() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            if let Some(progress) = l.exploring.as_ref() {
                // The search ends within one execution per worker and
                // reports what it found so far.
                progress.request_stop();
            }
            if l.session.take().is_some() {
                // A manual run has nothing running; ending it is immediate.
                l.generation += 1;
                status.set(Status::Done);
            }
        })
    };
    let on_reset = {
        let (live, status, console, finished, syntax, program, snapshot, stdin_text) =
            (live.clone(), status.clone(), console.clone(), finished.clone(), syntax.clone(), program.clone(), snapshot.clone(), stdin_text.clone());
        Callback::from(move |_: MouseEvent| {
            snapshot.set(None);
            let mut l = live.borrow_mut();
            l.cancel();
            l.set_stdin(&stdin_text, lesson.stdin_of(*program));
            if let Some(e) = &l.editor {
                e.set_text(lesson.programs.get(*program).map(|p| p.1).unwrap_or_default());
                e.set_error(None, 0, "");
                e.set_running_line(None);
            }
            status.set(Status::Idle);
            console.set(Vec::new());
            finished.set(None);
            syntax.set(None);
        })
    };
    let on_program = {
        let (live, program, finished, console, status, stdin_text) =
            (live.clone(), program.clone(), finished.clone(), console.clone(), status.clone(), stdin_text.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let Ok(i) = select.value().parse::<usize>() else { return };
            program.set(i);
            // Each program comes with its own input (most with none).
            live.borrow_mut().set_stdin(&stdin_text, lesson.stdin_of(i));
            let l = live.borrow();
            if let Some(e) = &l.editor {
                e.set_text(lesson.programs.get(i).map(|p| p.1).unwrap_or_default());
                e.set_error(None, 0, "");
            }
            finished.set(None);
            console.set(Vec::new());
            status.set(Status::Idle);
        })
    };
    let on_stdin = {
        let (live, stdin_text) = (live.clone(), stdin_text.clone());
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            live.borrow_mut().set_stdin(&stdin_text, &area.value());
        })
    };
    let on_scheduler = {
        let (scheduler, live) = (scheduler.clone(), live.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let choice = SchedulerChoice::from_key(&select.value());
            live.borrow_mut().scheduler = Some(choice);
            scheduler.set(choice);
        })
    };
    let on_seed = {
        let (seed, live) = (seed.clone(), live.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(s) = input.value().trim().parse::<u64>() {
                live.borrow_mut().seed = s;
                seed.set(s);
            }
        })
    };
    let on_zoom = {
        let zoom = zoom.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            zoom.set(select.value().parse().unwrap_or(1));
        })
    };
    let on_scrub = {
        let (cursor, playing, finished) = (cursor.clone(), playing.clone(), finished.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let len = finished.as_ref().map(|f| f.trace.events.len()).unwrap_or(0);
            let k = input.value().parse::<usize>().unwrap_or(0);
            playing.set(false);
            cursor.set(if k + 1 >= len { None } else { Some(k) });
        })
    };
    let on_play = {
        let (cursor, playing) = (cursor.clone(), playing.clone());
        Callback::from(move |_: MouseEvent| {
            if !*playing && cursor.is_none() {
                cursor.set(Some(0));
            }
            playing.set(!*playing);
        })
    };
    // "Run to next event" / "step back": move the replay cursor by one event.
    let step_event = {
        let (cursor, playing, finished) = (cursor.clone(), playing.clone(), finished.clone());
        Callback::from(move |delta: i64| {
            let len = finished.as_ref().map(|f| f.trace.events.len()).unwrap_or(0) as i64;
            if len == 0 {
                return;
            }
            playing.set(false);
            let at = cursor.map(|c| c as i64).unwrap_or(len - 1);
            let next = (at + delta).clamp(0, len - 1);
            cursor.set(if next == len - 1 { None } else { Some(next as usize) });
        })
    };
    // "Run to the next event": past the scheduling steps (each `Run`
    // stretch) to the next thing a thread does that others can see
    // (acquire, release, put, get, set, wait, notify, print, start, end).
    let next_visible = {
        let (cursor, playing, finished) = (cursor.clone(), playing.clone(), finished.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(f) = finished.as_ref() else { return };
            let len = f.trace.events.len();
            if len == 0 {
                return;
            }
            playing.set(false);
            let at = cursor.unwrap_or(len - 1);
            let next = (at + 1..len)
                .find(|&j| !matches!(f.trace.events[j].kind, interleave_engine::trace::EventKind::Run { .. }))
                .unwrap_or(len - 1);
            cursor.set(if next == len - 1 { None } else { Some(next) });
        })
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let k = input.value().parse::<usize>().unwrap_or(0).min(SPEEDS.len() - 1);
            speed.set(SPEEDS[k]);
        })
    };
    let on_export = {
        let finished = finished.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(f) = finished.as_ref() {
                download("interleave-trace.json", "application/json", &f.trace.to_chrome_json());
            }
        })
    };
    // The output as the console shows it (stdout and stderr in order).
    let on_export_output = {
        let console = console.clone();
        Callback::from(move |_: MouseEvent| {
            let text: String = console.iter().map(|l| l.text.as_str()).collect();
            download("interleave-output.txt", "text/plain", &text);
        })
    };

    // The explanation before the first `##` heading goes above the
    // playground; "What to look at" and "Try this" go below it.
    let (intro, rest) = match lesson.body.find("\n## ") {
        Some(i) => lesson.body.split_at(i),
        None => (lesson.body, ""),
    };
    let running = *status == Status::Running;
    let exploring = explore_state.as_ref().is_some_and(|e| e.running);
    // Once the answer is in, a search only counts the chart's smaller
    // bounds: Explore may start another search (which ends that one).
    let explore_busy = explore_state.as_ref().is_some_and(|e| e.running && e.report.is_none());
    let state_attr = match *status {
        Status::Idle => "idle",
        Status::Running => "running",
        Status::Done => "done",
    };

    html! {
        <article class="python-lesson" data-state={state_attr} data-lesson={lesson.id}>
            <h1>{ lesson.title }</h1>
            <div class="explain">{ markdown::render(intro) }</div>

            if let Some(message) = (*pool_error).clone() {
                <p class="notice error" role="alert">{ format!("The engine cannot start: {message}") }</p>
            }

            <section class="toolbar" aria-label="Run controls">
                if lesson.programs.len() > 1 {
                    <label>
                        { "Program" }
                        <select data-testid="program" onchange={on_program} disabled={running}>
                            { for lesson.programs.iter().enumerate().map(|(i, (path, _))| html! {
                                <option value={i.to_string()} selected={i == *program}>{ file_name(path) }</option>
                            }) }
                        </select>
                    </label>
                }
                <label>
                    { "Scheduler" }
                    <select data-testid="scheduler" onchange={on_scheduler} disabled={running}>
                        { for [SchedulerChoice::Cpython, SchedulerChoice::Random, SchedulerChoice::RoundRobin, SchedulerChoice::Manual].into_iter().map(|s| html! {
                            <option value={s.key()} selected={s == *scheduler}>{ scheduler_title(s) }</option>
                        }) }
                    </select>
                </label>
                if *scheduler == SchedulerChoice::Random {
                    <label>
                        { "Seed" }
                        <input data-testid="seed" type="number" min="0" value={seed.to_string()} onchange={on_seed} disabled={running} />
                    </label>
                }
                <div class="buttons">
                    <button class="primary" data-testid="run" onclick={on_run} title="Run (Ctrl+Enter)">{ "Run" }</button>
                    if *scheduler != SchedulerChoice::Manual {
                        <button data-testid="step" onclick={on_step}
                                title="Run, then go through the run one event at a time from its start">{ "Step" }</button>
                    }
                    <button data-testid="explore" onclick={on_explore.clone()} disabled={explore_busy}
                            title="Run every schedule that can make a difference and list the outcomes">{ "Explore" }</button>
                    <button data-testid="stop" onclick={on_stop} disabled={!running && !exploring}>{ "Stop" }</button>
                    <button data-testid="reset" onclick={on_reset} title="Restore the lesson's program">{ "Reset" }</button>
                </div>
                <span class="status" data-testid="status">{ status_text(*status, finished.as_deref()) }</span>
            </section>

            <section class="workbench">
                <div class="editor-pane">
                    <div class="pane-title">{ lesson.programs.get(*program).map(|p| file_name(p.0)).unwrap_or("main.py") }</div>
                    <div class="editor" ref={editor_ref} data-testid="editor"></div>
                    // Standard input: open by itself for a program that
                    // comes with some (every `input()` then has a line).
                    <details class="stdin" data-testid="stdin-box" open={!lesson.stdin_of(*program).is_empty()}>
                        <summary data-testid="stdin-toggle">
                            { "Input" }
                            <span class="hint">{ if stdin_text.is_empty() {
                                " (empty: input() raises EOFError)".to_string()
                            } else {
                                let n = stdin_text.lines().count();
                                format!(" ({n} line{} for input() and sys.stdin)", if n == 1 { "" } else { "s" })
                            } }</span>
                        </summary>
                        <textarea data-testid="stdin" rows="4" spellcheck="false" value={(*stdin_text).clone()} oninput={on_stdin}
                                  disabled={running} aria-label="Standard input: one line for each input() call"
                                  placeholder="One line for each input() call" />
                    </details>
                </div>
                <div class="console-pane">
                    <div class="pane-title">{ "Output" }</div>
                    <pre class="console" data-testid="console" aria-live="polite">
                        if let (Some(k), Some(f)) = (*cursor, finished.as_ref()) {
                            <span class="stdout">{ timeline::printed_until(&f.trace, k) }</span>
                        } else {
                            { for console.iter().map(|l| html! {
                                <span class={if l.stderr { "stderr" } else { "stdout" }}>{ l.text.clone() }</span>
                            }) }
                        }
                    </pre>
                </div>
            </section>

            if let Some(snap) = snapshot.as_ref().filter(|s| s.outcome.is_none() && *status == Status::Running) {
                { pick_view(snap, pick.clone()) }
            }
            if let Some(state) = explore_state.as_ref() {
                { explore::view(state, &explore_settings, explore_busy, &explore_target, on_explore_target.clone(), &explore_callbacks) }
            }
            if let Some(f) = finished.as_ref() {
                { outcome_view(f, on_export.clone(), on_export_output.clone(), on_share.clone(), (*share_link).clone()) }
            }
            if let Some((threads, (sync, files), globals, locals, graph, trace, end)) = finished
                .as_ref()
                .map(|f| match at_cursor.as_ref().filter(|(k, _)| Some(*k) == *cursor) {
                    // The views as of the cursor; the timeline stays the whole run's.
                    Some((_, s)) => (&s.threads, (&s.sync, &s.files), &s.globals, &s.locals, &s.wait_graph, &f.trace, f.virtual_ns),
                    None => (&f.threads, (&f.sync, &f.files), &f.globals, &f.locals, &f.wait_graph, &f.trace, f.virtual_ns),
                })
                .or_else(|| snapshot.as_ref().map(|s| (&s.threads, (&s.sync, &s.files), &s.globals, &s.locals, &s.wait_graph, &s.trace, s.virtual_ns)))
            {
                if !graph.edges.is_empty() || !graph.cycle.is_empty() {
                    <section class="panel">
                        <h2>{ "Wait-for graph" }</h2>
                        { crate::waitfor::view(graph) }
                    </section>
                }
                { state_views(threads, sync, files, globals, locals, *selected, on_select.clone()) }
                <section class="panel timeline">
                    <div class="panel-head">
                        <h2>{ "Timeline" }</h2>
                        <span class="legend">
                            <i class="key running"></i>{ "running" }
                            <i class="key ready"></i>{ "ready" }
                            <i class="key blocked"></i>{ "blocked" }
                            <i class="key sleeping"></i>{ "sleeping" }
                        </span>
                        <label class="zoom">
                            { "Zoom" }
                            <select data-testid="zoom" onchange={on_zoom}>
                                { for [1u32, 2, 4, 8, 16].into_iter().map(|z| html! {
                                    <option value={z.to_string()} selected={z == *zoom}>{ format!("{z}×") }</option>
                                }) }
                            </select>
                        </label>
                    </div>
                    if let Some(f) = finished.as_ref().filter(|f| !f.trace.events.is_empty()) {
                        <div class="replay" data-testid="replay">
                            <button data-testid="play" onclick={on_play.clone()}
                                    aria-label={if *playing { "Pause the replay" } else { "Replay the run event by event" }}>
                                { if *playing { "⏸ Pause" } else { "▶ Replay" } }
                            </button>
                            <button data-testid="prev-event" onclick={{ let s = step_event.clone(); Callback::from(move |_: MouseEvent| s.emit(-1)) }}
                                    aria-label="Step back one event" title="Step back one event">{ "◀" }</button>
                            <button data-testid="next-event" onclick={{ let s = step_event.clone(); Callback::from(move |_: MouseEvent| s.emit(1)) }}
                                    aria-label="One scheduling step"
                                    title="One step: the next event, including each time the scheduler lets a thread run">{ "Step ▸" }</button>
                            <button data-testid="next-visible" onclick={next_visible.clone()}
                                    aria-label="Run to the next event"
                                    title="Run to the next event a thread does (acquire, release, put, get, print...), past the scheduling steps">{ "▶|" }</button>
                            <input type="range" data-testid="scrub" min="0" max={(f.trace.events.len() - 1).to_string()}
                                   value={cursor.unwrap_or(f.trace.events.len() - 1).to_string()} oninput={on_scrub.clone()}
                                   aria-label="Step through the run's events" />
                            <label class="speed">
                                { "Speed" }
                                <input type="range" data-testid="speed" min="0" max={(SPEEDS.len() - 1).to_string()}
                                       value={SPEEDS.iter().position(|v| *v == *speed).unwrap_or(0).to_string()}
                                       oninput={on_speed.clone()} aria-label="Replay speed: events per tick" />
                                <span>{ format!("{} event{}/tick", *speed, if *speed == 1 { "" } else { "s" }) }</span>
                            </label>
                            <span class="event" data-testid="event">
                                { match *cursor {
                                    Some(k) => format!("Event {} of {}: {}", k + 1, f.trace.events.len(), timeline::describe(&f.trace, k)),
                                    None => format!("{} events; drag or press Replay to go through them", f.trace.events.len()),
                                } }
                            </span>
                        </div>
                    }
                    <div class="timeline-scroll" data-testid="timeline">
                        { timeline::view(&timeline::lanes(trace, sync, end), end, *zoom,
                            cursor.and_then(|k| finished.as_ref().and_then(|f| f.trace.events.get(k)).map(|e| e.t))) }
                    </div>
                </section>
            }
            if let Some(problem) = (*syntax).clone() {
                <p class="notice error" data-testid="syntax-error">
                    { format!("{} (line {}, column {})", problem.message, problem.line, problem.col) }
                </p>
            }

            <div class="explain">{ markdown::render(rest) }</div>
        </article>
    }
}

/// Replay speeds offered by the speed slider, in events per tick (80 ms).
const SPEEDS: [usize; 5] = [1, 2, 4, 8, 16];

fn push(lines: &mut Vec<Line>, stderr: bool, text: String) {
    match lines.last_mut() {
        Some(last) if last.stderr == stderr => last.text.push_str(&text),
        _ => lines.push(Line { stderr, text }),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn scheduler_title(s: SchedulerChoice) -> &'static str {
    match s {
        SchedulerChoice::Cpython => "Like CPython",
        SchedulerChoice::Random => "Random (seeded)",
        SchedulerChoice::RoundRobin => "Round robin (3 steps)",
        SchedulerChoice::Manual => "You are the scheduler",
    }
}

fn status_text(status: Status, finished: Option<&Finished>) -> String {
    match (status, finished) {
        (Status::Idle, _) => "Ready to run.".into(),
        (Status::Running, _) => "Running…".into(),
        (Status::Done, Some(f)) => match &f.outcome {
            Outcome::Finished { exit_code } => format!("Finished with exit status {exit_code}."),
            Outcome::Deadlock { .. } => "Deadlock.".into(),
            Outcome::Budget { .. } => "Stopped at a budget.".into(),
            Outcome::Stopped { .. } => "Stopped.".into(),
        },
        (Status::Done, None) => "Did not run.".into(),
    }
}

/// A thread's line of the program, or "—" when it has none (a pool's
/// worker between tasks, a thread not started yet).
fn line_text(t: &ThreadView) -> String {
    if t.line > 0 { t.line.to_string() } else { "—".into() }
}

/// Where a runnable thread is, on its scheduler button: `line 19`, and
/// the library module it is inside, if any (`line 19 (in
/// concurrent.futures)`; `— (in concurrent.futures)` without a line).
fn place_text(t: &ThreadView) -> String {
    let at = if t.line > 0 { format!("line {}", t.line) } else { line_text(t) };
    match &t.in_module {
        Some(m) => format!("{at} (in {m})"),
        None => at,
    }
}

/// "You are the scheduler": one button per thread that can run now.
fn pick_view(snap: &Snapshot, pick: Callback<u32>) -> Html {
    html! {
        <section class="panel pick" data-testid="pick-panel" data-steps={snap.steps.to_string()}>
            <h2>{ "You are the scheduler: who runs next?" }</h2>
            <p class="muted">{ "Each click runs that thread until it reaches another line, blocks or ends." }</p>
            <div class="pick-buttons">
                { for snap.threads.iter().filter(|t| t.state != "finished").map(|t| {
                    let runnable = snap.runnable.contains(&t.tid);
                    let tid = t.tid;
                    let pick = pick.clone();
                    html! {
                        <button data-testid="pick" data-thread={t.name.clone()} data-line={t.line.to_string()}
                                disabled={!runnable} onclick={Callback::from(move |_: MouseEvent| pick.emit(tid))}>
                            <strong>{ &t.name }</strong>
                            <span>{ if runnable { place_text(t) } else { t.waiting_on.clone().unwrap_or_else(|| t.state.clone()) } }</span>
                        </button>
                    }
                }) }
            </div>
        </section>
    }
}

fn outcome_view(
    f: &Finished,
    on_export: Callback<MouseEvent>,
    on_export_output: Callback<MouseEvent>,
    on_share: Callback<MouseEvent>,
    link: Option<String>,
) -> Html {
    let (class, headline, detail) = match &f.outcome {
        Outcome::Finished { exit_code: 0 } => ("ok", "The program finished.".to_string(), None),
        Outcome::Finished { exit_code } => ("error", format!("The program ended with exit status {exit_code}."), None),
        Outcome::Deadlock { report } => ("error", "Deadlock: no thread can ever run again.".to_string(), Some(report.clone())),
        Outcome::Budget { message } => ("warn", message.clone(), None),
        Outcome::Stopped { message } => ("warn", message.clone(), None),
    };
    let kind = match &f.outcome {
        Outcome::Finished { .. } => "finished",
        Outcome::Deadlock { .. } => "deadlock",
        Outcome::Budget { .. } => "budget",
        Outcome::Stopped { .. } => "stopped",
    };
    html! {
        <section class={classes!("panel", "outcome", class)} data-testid="outcome" data-outcome={kind}
                 data-exit={f.exit_status.to_string()}>
            <p class="headline">{ headline }</p>
            if let Some(report) = detail {
                <pre class="report" data-testid="deadlock-report">{ report }</pre>
            }
            <p class="facts">
                { format!("{} steps · {} of virtual time", interleave_engine::machine::group(f.steps), timeline::format_ns(f.virtual_ns)) }
            </p>
            <p class="schedule">
                { "Schedule (replays this run exactly): " }
                <code data-testid="schedule">{ f.schedule.clone() }</code>
            </p>
            <div class="actions">
                <button data-testid="share" onclick={on_share}>{ "Share this run" }</button>
                <button data-testid="export-trace" onclick={on_export}>{ "Export trace (Perfetto JSON)" }</button>
                <button data-testid="export-output" onclick={on_export_output}>{ "Export output (text)" }</button>
            </div>
            if let Some(link) = link {
                <label class="share-link">
                    { "Link that replays this run exactly:" }
                    <input data-testid="share-link" readonly=true value={link} />
                </label>
            }
        </section>
    }
}

fn state_views(
    threads: &[ThreadView],
    sync: &[SyncView],
    files: &[(String, String)],
    globals: &[(String, String)],
    locals: &[(u32, Vec<(String, String)>)],
    selected: Option<u32>,
    on_select: Callback<u32>,
) -> Html {
    // The thread whose frame the variables panel shows: the one picked, or
    // else the first unfinished thread that is not the main thread.
    let shown = selected
        .filter(|t| locals.iter().any(|(l, _)| l == t))
        .or_else(|| locals.iter().map(|(t, _)| *t).find(|t| *t != 0))
        .or_else(|| locals.first().map(|(t, _)| *t));
    let shown_name = shown.and_then(|s| threads.iter().find(|t| t.tid == s)).map(|t| t.name.clone());
    let shown_locals = shown.and_then(|s| locals.iter().find(|(t, _)| *t == s)).map(|(_, l)| l.clone()).unwrap_or_default();
    html! {
        <section class="state-grid">
            <div class="panel">
                <h2>{ "Threads" }</h2>
                <table class="grid" data-testid="threads">
                    <thead><tr><th>{ "Thread" }</th><th>{ "State" }</th><th>{ "Line" }</th><th>{ "Waiting for" }</th><th>{ "Holds" }</th></tr></thead>
                    <tbody>
                        { for threads.iter().map(|t| {
                            let tid = t.tid;
                            let on_select = on_select.clone();
                            let is_shown = Some(t.tid) == shown;
                            html! {
                            <tr data-thread={t.name.clone()} class={classes!(t.state.clone(), is_shown.then_some("selected"))}
                                title="Show this thread's variables" onclick={Callback::from(move |_: MouseEvent| on_select.emit(tid))}>
                                <td>
                                    { &t.name }{ if t.daemon { " (daemon)" } else { "" } }
                                    // Inside a library module written in Python (a pool's
                                    // code): the line is the program's that called it.
                                    if let Some(m) = &t.in_module {
                                        <small class="in-module muted" title={format!("Running the code of {m}; the line is the program's line that called it")}>{ format!("in {m}") }</small>
                                    }
                                </td>
                                <td>{ &t.state }</td>
                                <td>{ line_text(t) }</td>
                                <td>{ t.waiting_on.clone().unwrap_or_else(|| "—".into()) }</td>
                                <td>{ if t.holds.is_empty() { "—".into() } else { t.holds.join(", ") } }</td>
                            </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            <div class="panel">
                <h2>{ "Resources" }</h2>
                if sync.is_empty() && files.is_empty() {
                    <p class="muted">{ "No locks, semaphores, events, conditions, queues, sockets or files." }</p>
                }
                if !files.is_empty() {
                    <table class="grid" data-testid="files">
                        <thead><tr><th>{ "File" }</th><th>{ "Contents" }</th></tr></thead>
                        <tbody>
                            { for files.iter().map(|(name, text)| html! {
                                <tr><td>{ name }</td><td><code>{ text }</code></td></tr>
                            }) }
                        </tbody>
                    </table>
                }
                if !sync.is_empty() {
                    <table class="grid" data-testid="resources">
                        <thead><tr><th>{ "Name" }</th><th>{ "Kind" }</th><th>{ "State" }</th></tr></thead>
                        <tbody>
                            { for sync.iter().map(|s| html! {
                                <tr><td>{ &s.name }</td><td>{ &s.kind }</td><td>{ &s.detail }</td></tr>
                            }) }
                        </tbody>
                    </table>
                }
            </div>
            <div class="panel">
                <h2>{ "Variables" }</h2>
                if globals.is_empty() {
                    <p class="muted">{ "No global variables." }</p>
                } else {
                    <table class="grid" data-testid="globals">
                        <thead><tr><th>{ "Global" }</th><th>{ "Value" }</th></tr></thead>
                        <tbody>
                            { for globals.iter().map(|(k, v)| html! { <tr><td>{ k }</td><td><code>{ v }</code></td></tr> }) }
                        </tbody>
                    </table>
                }
                if let Some(name) = shown_name {
                    <table class="grid locals" data-testid="locals">
                        <thead><tr><th colspan="2">{ format!("Locals of {name}") }</th></tr></thead>
                        <tbody>
                            if shown_locals.is_empty() {
                                <tr><td colspan="2" class="muted">{ "none in its current frame" }</td></tr>
                            }
                            { for shown_locals.iter().map(|(k, v)| html! { <tr><td>{ k }</td><td><code>{ v }</code></td></tr> }) }
                        </tbody>
                    </table>
                }
            </div>
        </section>
    }
}

/// Offers `text` as a file download (no server involved).
fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(a) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
