//! Lesson: lost updates on real threads.
//!
//! The computation lives in `interleave-realthreads` (plain Rust, also run
//! natively by the benchmark); this component only collects the learner's
//! choices, hands each run to the pool, and shows what came back.

use interleave_realthreads::{self as realthreads, Report, Variant};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::pool;

const DEFAULT_INCREMENTS: u64 = 5_000_000;
const MAX_INCREMENTS: u64 = 50_000_000;

#[derive(Clone, Debug, PartialEq)]
enum PoolState {
    Starting,
    Ready(usize),
    Unavailable(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Results {
    reference: Option<Report>,
    variants: [Option<Report>; 3],
}

#[function_component(RealThreadsLesson)]
pub fn real_threads_lesson() -> Html {
    let pool_state = use_state(|| PoolState::Starting);
    let workers = use_state(|| 0usize);
    let increments = use_state(|| DEFAULT_INCREMENTS);
    let results = use_state(Results::default);
    let running = use_state(|| false);
    let error = use_state(|| None::<String>);

    {
        let pool_state = pool_state.clone();
        let workers = workers.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match pool::ensure_pool().await {
                    Ok(n) => {
                        workers.set(n);
                        pool_state.set(PoolState::Ready(n));
                    }
                    Err(message) => pool_state.set(PoolState::Unavailable(message)),
                }
            });
        });
    }

    let on_workers = {
        let workers = workers.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = select.value().parse::<usize>() {
                workers.set(n);
            }
        })
    };
    let on_increments = {
        let increments = increments.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(m) = input.value().trim().replace(['_', ','], "").parse::<u64>() {
                increments.set(m.clamp(1, MAX_INCREMENTS));
            }
        })
    };

    let on_run = {
        let (workers, increments, results, running, error) =
            (workers.clone(), increments.clone(), results.clone(), running.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            if *running {
                return;
            }
            let (n, m) = (*workers, *increments);
            let (results, running, error) = (results.clone(), running.clone(), error.clone());
            running.set(true);
            error.set(None);
            results.set(Results::default());
            wasm_bindgen_futures::spawn_local(async move {
                // The variants run one after another, so they do not compete
                // for the cores; each one uses all `n` workers at once.
                let mut done = Results::default();
                match pool::on_pool(move || realthreads::single_thread(m, &pool::now_ms)).await {
                    Ok(report) => done.reference = Some(report),
                    Err(e) => error.set(Some(e)),
                }
                results.set(done.clone());
                for (i, variant) in Variant::ALL.into_iter().enumerate() {
                    match pool::on_pool(move || realthreads::run(variant, n, m, &pool::now_ms)).await {
                        Ok(report) => done.variants[i] = Some(report),
                        Err(e) => error.set(Some(e)),
                    }
                    results.set(done.clone());
                }
                running.set(false);
            });
        })
    };

    let state_attr = if *running {
        "running"
    } else if results.variants.iter().all(Option::is_some) {
        "done"
    } else {
        "idle"
    };
    let ready = matches!(*pool_state, PoolState::Ready(_));

    html! {
        <article class="real-threads" data-state={state_attr}>
            <h1>{ "Lost updates on real threads" }</h1>
            <p class="lede">
                { "Every other lesson runs Python on virtual threads that Interleave schedules one step at a time. \
                   This one does not: it starts real threads on your computer's cores (Web Workers that share \
                   one block of memory) and lets them race on a single counter. Each worker adds 1 to the counter \
                   M times. With N workers the counter should end at N × M. Does it?" }
            </p>

            { pool_banner(&pool_state) }

            <section class="controls" aria-label="Run settings">
                <label>
                    { "Workers (N)" }
                    <select data-testid="workers" onchange={on_workers} disabled={!ready || *running}>
                        { for (1..=pool_size(&pool_state)).map(|k| html! {
                            <option value={k.to_string()} selected={k == *workers}>{ k }</option>
                        }) }
                    </select>
                </label>
                <label>
                    { "Increments per worker (M)" }
                    <input data-testid="increments" type="number" min="1" max={MAX_INCREMENTS.to_string()}
                           step="1" value={increments.to_string()} onchange={on_increments}
                           disabled={*running} />
                </label>
                <button class="primary" data-testid="run" onclick={on_run} disabled={!ready || *running}>
                    { if *running { "Running…" } else { "Run all three" } }
                </button>
                <span class="expected">{ format!("Expected total: {}", group(*workers as u64 * *increments)) }</span>
            </section>

            if let Some(message) = (*error).clone() {
                <p class="notice error" role="alert">{ message }</p>
            }

            <section class="variants">
                { for Variant::ALL.into_iter().enumerate().map(|(i, v)| variant_card(v, results.variants[i], results.reference)) }
            </section>

            <p class="reference" data-testid="reference"
               data-rate={results.reference.map(|r| format!("{:.0}", r.increments_per_second())).unwrap_or_default()}>
                { match results.reference {
                    Some(r) => format!("Reference: one thread alone, no sharing, does {} increments in {:.1} ms ({}/s). \
                                        The “vs one thread” figures compare each variant's throughput with it.",
                                       group(r.expected), r.elapsed_ms, rate(r.increments_per_second())),
                    None => "Reference: one thread alone runs first, to compare against.".to_string(),
                } }
            </p>

            <section class="explain">
                <h2>{ "Why updates get lost" }</h2>
                <p>
                    { "“Add 1” is three steps for a processor: read the counter, add one, write it back. \
                       In the unsynchronized variant two workers can read the same value, say 41; both \
                       write 42, and one increment vanishes. The more workers and the tighter the loop, the \
                       more often their steps interleave this way. Run it twice: the loss changes every time, \
                       because it depends on the timing of the hardware, not on the program." }
                </p>
                <h2>{ "What each fix costs" }</h2>
                <ul>
                    <li><strong>{ "Atomic fetch_add" }</strong>{ " makes the three steps one indivisible instruction. \
                        Nothing is lost, but the cores must pass the counter's cache line back and forth on \
                        every increment, so it is slower than a lone thread." }</li>
                    <li><strong>{ "Mutex" }</strong>{ " lets one worker at a time into the critical section. \
                        Nothing is lost either; every increment now also pays for taking and releasing the lock, \
                        and a waiting worker may be put to sleep and woken again. It is usually the slowest." }</li>
                    <li>{ "Neither fix makes the program faster than one thread: when all the work is on one \
                        shared variable, more threads only add contention. Real speedups come from giving each \
                        thread its own data and combining the results at the end." }</li>
                </ul>
                <h2>{ "Try this" }</h2>
                <ul>
                    <li>{ "Set N to 1: the unsynchronized variant is suddenly exact. A race needs two racers." }</li>
                    <li>{ "Lower M to 1,000: the workers barely overlap, and often nothing is lost. Rare races are the dangerous ones." }</li>
                    <li>{ "Compare the throughputs: what does correctness cost here?" }</li>
                </ul>
            </section>
        </article>
    }
}

fn pool_size(state: &PoolState) -> usize {
    match state {
        PoolState::Ready(n) => *n,
        _ => 1,
    }
}

fn pool_banner(state: &PoolState) -> Html {
    match state {
        PoolState::Starting => html! {
            <p class="notice" data-testid="pool-status" data-threads="0">{ "Starting the worker threads…" }</p>
        },
        PoolState::Ready(n) => html! {
            <p class="notice ok" data-testid="pool-status" data-threads={n.to_string()}>
                { format!("{n} worker threads are ready: {n} Web Workers running this page's WebAssembly on one shared memory.") }
            </p>
        },
        PoolState::Unavailable(message) => html! {
            <div class="notice error" data-testid="pool-status" data-threads="0" role="alert">
                <p><strong>{ "Real threads are not available on this page." }</strong>{ " " }{ message }</p>
                <p>
                    { "Browsers share memory between workers only on a page served with the headers \
                       Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp. \
                       Start the playground with " }<code>{ "cargo xtask serve" }</code>
                    { " (it serves the page with both headers on http://127.0.0.1:8080), or configure your own \
                       server to send them." }
                </p>
            </div>
        },
    }
}

fn variant_card(variant: Variant, report: Option<Report>, reference: Option<Report>) -> Html {
    let key = variant.key();
    let cell = |f: &dyn Fn(&Report) -> String| report.as_ref().map(f).unwrap_or_else(|| "—".into());
    let lost_class = match report {
        Some(r) if r.lost() > 0 => "bad",
        Some(_) => "good",
        None => "",
    };
    let ratio = match (report, reference) {
        (Some(r), Some(base)) if base.increments_per_second() > 0.0 => {
            format!("{:.2}×", r.increments_per_second() / base.increments_per_second())
        }
        _ => "—".into(),
    };
    html! {
        <div class={classes!("variant", key)} data-testid={format!("variant-{key}")}
             data-done={report.is_some().to_string()}
             data-expected={report.map(|r| r.expected.to_string()).unwrap_or_default()}
             data-actual={report.map(|r| r.actual.to_string()).unwrap_or_default()}
             data-lost={report.map(|r| r.lost().to_string()).unwrap_or_default()}
             data-ms={report.map(|r| format!("{:.3}", r.elapsed_ms)).unwrap_or_default()}
             data-rate={report.map(|r| format!("{:.0}", r.increments_per_second())).unwrap_or_default()}>
            <h3>{ variant.title() }</h3>
            <dl class="figures">
                <dt>{ "Expected" }</dt><dd>{ cell(&|r| group(r.expected)) }</dd>
                <dt>{ "Actual" }</dt><dd>{ cell(&|r| group(r.actual)) }</dd>
                <dt>{ "Lost" }</dt><dd class={lost_class}>{ cell(&|r| {
                    let pct = if r.expected == 0 { 0.0 } else { 100.0 * r.lost() as f64 / r.expected as f64 };
                    format!("{} ({pct:.1}%)", group(r.lost()))
                }) }</dd>
                <dt>{ "Time" }</dt><dd>{ cell(&|r| format!("{:.1} ms", r.elapsed_ms)) }</dd>
                <dt>{ "Throughput" }</dt><dd>{ cell(&|r| format!("{}/s", rate(r.increments_per_second()))) }</dd>
                <dt>{ "vs one thread" }</dt><dd>{ ratio }</dd>
            </dl>
            if variant == Variant::Unsynchronized && report.is_some_and(|r| r.lost() == 0 && r.workers > 1) {
                <p class="hint" data-testid="no-loss-hint">
                    { "Nothing lost this time: the workers did not overlap. On a busy machine the system may run \
                       them in turns on one core. Run again, or raise M." }
                </p>
            }
            <pre class="code" aria-label={format!("Rust code of the {} variant", variant.title())}><code>{ variant.source() }</code></pre>
        </div>
    }
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate in increments per second, in millions when large.
fn rate(per_second: f64) -> String {
    if !per_second.is_finite() {
        "∞".into()
    } else if per_second >= 1e6 {
        format!("{:.1} M", per_second / 1e6)
    } else {
        format!("{:.0}", per_second)
    }
}
