//! The Explore panel: every outcome of a program, drawn from the
//! explorer's report.
//!
//! A run shows one schedule; exploring shows all of them (or all within a
//! preemption bound). This module only renders: the search itself runs on
//! the worker pool (`explore_run`) and the lesson component owns the state.
//! What the panel shows, top to bottom:
//! - the search settings (preemption-bound slider, executions budget,
//!   exhaustive or random sampling) and a live readout while it runs;
//! - how the number of schedules grows with the bound (one bar per bound,
//!   on a logarithmic scale, since each extra preemption multiplies them);
//! - the answers to the questions a learner asks (is it the same in every
//!   schedule? can it deadlock? can this output happen? can this condition
//!   be true at the end?), honest about an incomplete search;
//! - an outcome histogram, the deadlocks and the errors, each with a button
//!   that replays its schedule in the stepper.

use interleave_engine::machine::group;
use interleave_explorer::{compile_condition, ConditionAnswer, OutcomeEntry, Report};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::explore_run::{states_budget, BoundCount};

/// The slider's last position means "no bound".
pub const BOUND_NONE: u32 = 6;

/// Budgets offered, in executions per bound (sampling), ten states each
/// for the exhaustive search ([`crate::explore_run::states_budget`]).
pub const BUDGETS: [u64; 4] = [2_000, 20_000, 100_000, 1_000_000];

/// The settings of the next search.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Slider position: 0..BOUND_NONE is a bound, BOUND_NONE none.
    pub bound: u32,
    pub budget: u64,
    /// Random sampling of this many schedules (None: exhaustive).
    pub random: Option<u64>,
    /// With `random`: PCT (priorities and change points, depth 3) instead
    /// of a uniform choice at every point.
    pub pct: bool,
    /// Spread the search over every worker of the pool (else one worker:
    /// the same results, to compare the time).
    pub parallel: bool,
    /// Globals whose final values count as part of the outcome, as typed
    /// (names separated by commas or spaces).
    pub watch: String,
    /// A Python expression asked of each schedule's final state, as typed
    /// (empty: none), e.g. `counter < 4`.
    pub condition: String,
}

impl Default for Settings {
    fn default() -> Settings {
        // Two preemptions find most concurrency bugs (the CHESS finding)
        // and keep tutorial programs within seconds.
        Settings { bound: DEFAULT_BOUND, budget: 20_000, random: None, pct: false, parallel: true, watch: String::new(), condition: String::new() }
    }
}

/// The slider's first position. At it (and only there: a bound the learner
/// moved the slider to is the question asked), a search cut by the bound
/// alone is followed by the search with no bound, which answers instead
/// when it finishes within the budget (see `explore_run`).
pub const DEFAULT_BOUND: u32 = 2;

impl Settings {
    pub fn bound(&self) -> Option<u32> {
        (self.bound < BOUND_NONE).then_some(self.bound)
    }

    /// The condition to check at the end, if one was typed.
    pub fn condition(&self) -> Option<String> {
        let c = self.condition.trim();
        (!c.is_empty()).then(|| c.to_string())
    }

    /// Why the typed condition is not an expression (a syntax error with
    /// its line and column), checked as it is typed so that the message
    /// stands next to the field before any search.
    pub fn condition_error(&self) -> Option<String> {
        self.condition().and_then(|c| compile_condition(&c).err())
    }

    /// The watched global names.
    pub fn watched(&self) -> Vec<String> {
        self.watch.split([',', ' ']).map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect()
    }
}

/// A search: its live counters while it runs, and its results.
#[derive(Clone, Debug, Default)]
pub struct ExploreState {
    pub running: bool,
    pub executions: u64,
    pub states: u64,
    pub elapsed_ms: f64,
    /// The bound being searched now (None: unbounded).
    pub current_bound: Option<u32>,
    pub series: Vec<BoundCount>,
    pub report: Option<std::rc::Rc<Report>>,
    /// The settings the search ran with.
    pub settings: Settings,
    /// A replay was asked for after the program in the editor changed:
    /// the reported schedules are of the program as it was explored.
    pub stale: bool,
    /// After an answer cut by the default bound alone, the search with no
    /// bound ran too and did not finish within the budget (see
    /// `explore_run`).
    pub whole_too_big: bool,
}

pub struct Callbacks {
    pub settings: Callback<Settings>,
    pub explore: Callback<MouseEvent>,
    /// Replays a schedule in the stepper.
    pub replay: Callback<String>,
}

fn bound_text(b: Option<u32>) -> String {
    match b {
        Some(k) => k.to_string(),
        None => "none".into(),
    }
}

fn plural(n: u64, word: &str) -> String {
    format!("{} {word}{}", count(n), if n == 1 { "" } else { "s" })
}

/// A count of schedules, digits grouped. The state graph's counts stop at
/// 2^64 - 1 when the true number does not fit 64 bits (six philosophers
/// with no bound have more schedules than that), and printing that as
/// 18,446,744,073,709,551,615 would pass a floor off as an exact figure: it
/// reads "over 1.8 × 10¹⁹" instead, as `interleave explore` says "over
/// 1.8e19".
fn count(n: u64) -> String {
    if n == u64::MAX {
        "over 1.8 × 10¹⁹".to_string()
    } else {
        group(n)
    }
}

pub fn view(state: &ExploreState, settings: &Settings, busy: bool, target: &str, on_target: Callback<String>, cb: &Callbacks) -> Html {
    html! {
        <section class="panel explore" data-testid="explore-panel"
                 data-state={if state.running && state.report.is_some() { "charting" } else if state.running { "running" } else if state.report.is_some() { "done" } else { "idle" }}>
            <div class="panel-head">
                <h2>{ "Explore every interleaving" }</h2>
                <span class="muted">{ "Runs the program under every schedule that can make a difference, on all the page's worker threads." }</span>
            </div>
            { settings_view(settings, busy, cb) }
            if state.running && state.report.is_some() {
                // The answer is in; the chart's smaller bounds are being
                // counted (see `explore_run`).
                <p class="explore-progress" data-testid="explore-chart-progress" aria-live="polite">
                    { match state.current_bound {
                        Some(k) => format!(
                            "Counting the schedules within {} for the chart… (Stop ends the chart; the results below stay.)",
                            plural(u64::from(k), "preemption"),
                        ),
                        // After an answer cut by the bound alone: the same
                        // search with no bound (see `explore_run`).
                        None => format!(
                            "Trying every schedule, with no preemption bound, within the same budget… {} transitions so far. \
                             (Stop ends it; the results below stay.)",
                            group(state.states),
                        ),
                    } }
                </p>
            } else if state.running {
                <p class="explore-progress" data-testid="explore-progress" aria-live="polite">
                    if state.settings.random.is_none() {
                        // The state-graph search: each state once, schedules
                        // counted at the end.
                        { format!(
                            "Exploring every state{}… {} transitions · {} · {:.0} transitions/s",
                            match state.current_bound { Some(k) => format!(" within {}", plural(u64::from(k), "preemption")), None => String::new() },
                            group(state.states),
                            plural(state.executions, "end state"),
                            if state.elapsed_ms > 0.0 { state.states as f64 * 1000.0 / state.elapsed_ms } else { 0.0 },
                        ) }
                    } else {
                        { format!(
                            "Sampling… {} · {} scheduling points · {:.0} executions/s",
                            plural(state.executions, "execution"),
                            group(state.states),
                            if state.elapsed_ms > 0.0 { state.executions as f64 * 1000.0 / state.elapsed_ms } else { 0.0 },
                        ) }
                    }
                </p>
            }
            { growth_view(state) }
            if state.stale {
                <p class="notice warn" role="alert" data-testid="explore-stale">
                    { "The program in the editor is not the one explored, so these schedules would replay something else. \
                       Press Explore to explore the program as it is now." }
                </p>
            }
            if let Some(r) = state.report.as_deref() {
                { results_view(r, state.settings.bound(), state.whole_too_big, target, on_target, cb) }
            }
        </section>
    }
}

fn settings_view(s: &Settings, busy: bool, cb: &Callbacks) -> Html {
    let on_bound = {
        let (cb, s) = (cb.settings.clone(), s.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let bound = input.value().parse().unwrap_or(BOUND_NONE).min(BOUND_NONE);
            cb.emit(Settings { bound, ..s.clone() });
        })
    };
    let on_budget = {
        let (cb, s) = (cb.settings.clone(), s.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(Settings { budget: select.value().parse().unwrap_or(20_000), ..s.clone() });
        })
    };
    let on_mode = {
        let (cb, s) = (cb.settings.clone(), s.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let pct = value.starts_with("pct");
            let random = value.trim_start_matches("pct").parse::<u64>().ok().filter(|n| *n > 0);
            cb.emit(Settings { random, pct, ..s.clone() });
        })
    };
    let on_watch = {
        let (cb, s) = (cb.settings.clone(), s.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(Settings { watch: input.value(), ..s.clone() });
        })
    };
    let on_condition = {
        let (cb, s) = (cb.settings.clone(), s.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(Settings { condition: input.value(), ..s.clone() });
        })
    };
    let condition_error = s.condition_error();
    let on_workers = {
        let (cb, s) = (cb.settings.clone(), s.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(Settings { parallel: select.value() != "1", ..s.clone() });
        })
    };
    html! {
        <div class="explore-settings">
            <label class="bound">
                <span>{ "Preemption bound: " }<strong data-testid="explore-bound-value">{ bound_text(s.bound()) }</strong></span>
                <input type="range" min="0" max={BOUND_NONE.to_string()} value={s.bound.to_string()} data-testid="explore-bound"
                       oninput={on_bound} disabled={busy || s.random.is_some()}
                       aria-label="Preemption bound: the most times a schedule may switch away from a thread that could go on" />
            </label>
            <label>
                { "Budget" }
                <select data-testid="explore-budget" onchange={on_budget} disabled={busy} aria-label="Budget per bound: states stored, or executions sampled">
                    // The exhaustive search stores states (see
                    // `explore_run::options`); sampling runs executions. Two
                    // budgets that come to the same number of states (the
                    // page's cap) are offered once, as the larger.
                    { for BUDGETS.iter().enumerate().filter(|&(i, &b)| {
                        s.random.is_some() || b == s.budget || BUDGETS.get(i + 1).is_none_or(|&next| states_budget(next) != states_budget(b))
                    }).map(|(_, &b)| html! {
                        <option value={b.to_string()} selected={b == s.budget}>{
                            if s.random.is_some() { format!("{} executions", group(b)) } else { format!("{} states", group(states_budget(b))) }
                        }</option>
                    }) }
                </select>
            </label>
            <label>
                { "Search" }
                <select data-testid="explore-mode" onchange={on_mode} disabled={busy} aria-label="Exhaustive search or random sampling">
                    <option value="0" selected={s.random.is_none()}>{ "every schedule (each state once)" }</option>
                    { for [200u64, 2_000].into_iter().map(|n| html! {
                        <option value={n.to_string()} selected={s.random == Some(n) && !s.pct}>{ format!("{} random schedules", group(n)) }</option>
                    }) }
                    { for [200u64, 2_000].into_iter().map(|n| html! {
                        <option value={format!("pct{n}")} selected={s.random == Some(n) && s.pct}>{ format!("{} PCT schedules (depth 3)", group(n)) }</option>
                    }) }
                </select>
            </label>
            <label>
                { "Workers" }
                <select data-testid="explore-workers" onchange={on_workers} disabled={busy}
                        aria-label="Search on one worker or on all of them">
                    <option value="all" selected={s.parallel}>{ format!("all ({})", crate::pool::hardware_concurrency()) }</option>
                    <option value="1" selected={!s.parallel}>{ "1" }</option>
                </select>
            </label>
            <label>
                { "Globals to compare" }
                <input data-testid="explore-watch" value={s.watch.clone()} oninput={on_watch} disabled={busy}
                       placeholder="e.g. counter" aria-label="Globals whose final values are part of the outcome" />
            </label>
            <label class="condition">
                { "Condition to check at the end" }
                <input data-testid="explore-condition" value={s.condition.clone()} oninput={on_condition} disabled={busy}
                       class={classes!(condition_error.is_some().then_some("invalid"))} aria-invalid={condition_error.is_some().to_string()}
                       placeholder="e.g. counter < 4" spellcheck="false"
                       aria-label="A Python expression over the program's globals, asked at the end of every schedule" />
                if let Some(e) = &condition_error {
                    <span class="field-error" role="alert" data-testid="explore-condition-error">{ e }</span>
                }
            </label>
            <button class="primary" data-testid="explore-again" onclick={cb.explore.clone()} disabled={busy || condition_error.is_some()}
                    title={condition_error.as_ref().map(|_| "Fix the condition first (or empty it)".to_string())}>{ "Explore" }</button>
        </div>
    }
}

/// One bar per bound: how many schedules each bound allows. Unfinished
/// bounds (cut by the budget) are marked "≥". Every bound's search counts
/// its schedules through the state graph; a count of schedules run one by
/// one (a tree search) says so, since the two are not the same measure.
fn growth_view(state: &ExploreState) -> Html {
    let mut rows: Vec<BoundCount> = state.series.clone();
    if let Some(r) = state.report.as_deref() {
        if r.mode == "exhaustive" {
            rows.push(BoundCount {
                bound: r.preemption_bound,
                executions: r.executions,
                exhausted: !r.cut_by_budget() && !r.stopped_by.iter().any(|s| s == "stopped"),
                counted: r.schedules_counted,
            });
        }
    }
    // The chosen bound's bar may have come before the smaller bounds' (when
    // the search with no bound replaced the answer): in order of bound,
    // no bound last.
    rows.sort_by_key(|r| r.bound.unwrap_or(u32::MAX));
    if rows.len() < 2 {
        return html! {};
    }
    let max = rows.iter().map(|r| r.executions).max().unwrap_or(1).max(1) as f64;
    let width = |n: u64| if n == 0 { 0.0 } else { 4.0 + 96.0 * ((n as f64).ln_1p() / max.ln_1p()) };
    html! {
        <div class="growth" data-testid="growth">
            <h3>{ "Schedules explored, by preemption bound" }</h3>
            { for rows.iter().map(|r| {
                // Which measure the bar is: its unit, the words after the
                // count, and the tooltip that explains them.
                let (unit, words, title) = if r.counted {
                    ("counted", "counted", "every schedule, counted through the graph of distinct states (not run one by one)")
                } else {
                    let words = if r.executions == 1 { "run" } else { "runs" };
                    ("run", words, "schedules run, one for each set of schedules that differ only in the order of independent steps")
                };
                html! {
                    <div class="growth-row" data-testid="growth-bar" data-bound={bound_text(r.bound)} data-executions={r.executions.to_string()} data-unit={unit}>
                        <span class="label">{ format!("bound {}", bound_text(r.bound)) }</span>
                        <span class="bar"><i class={if r.counted { "counted" } else { "" }} style={format!("width: {:.1}%", width(r.executions))}></i></span>
                        <span class="count" title={title}>{ format!("{}{} {words}", if r.exhausted || r.executions == u64::MAX { "" } else { "≥ " }, count(r.executions)) }</span>
                    </div>
                }
            }) }
            <p class="muted">{ "Logarithmic scale: each extra preemption multiplies the schedules. Most bugs need only one or two. \
                Each bar counts every schedule within its bound through the graph of the program's distinct states, \
                each state explored once (\"counted\"), so a bar can be far longer than any search could run one by one." }</p>
        </div>
    }
}

/// Why a search is incomplete, in words.
fn incomplete_reasons(r: &Report) -> Vec<String> {
    r.stopped_by
        .iter()
        .map(|s| match s.as_str() {
            "preemption_bound" => format!(
                "the preemption bound ({}): schedules that switch away from a running thread more often were not tried",
                bound_text(r.preemption_bound)
            ),
            "max_executions" => format!(
                "the budget of {} executions: a depth-first search cut short has covered only the first part of the tree; \
                 a smaller bound or random sampling looks more widely",
                group(r.max_executions.unwrap_or(0))
            ),
            "max_states" => format!(
                "the budget of {} distinct states: the counts are of the schedules through the states explored; \
                 every thread and every loop iteration multiplies the states, so try the program with fewer or smaller ones, \
                 or a preemption bound or random sampling, which look more widely",
                group(r.max_states.unwrap_or(0))
            ),
            "max_depth" => format!(
                "the depth budget: some schedules were more than {} scheduling points deep and were cut",
                group(r.max_depth.unwrap_or(0))
            ),
            "random_sampling" if r.mode.starts_with("pct") => {
                format!("sampling: {} PCT schedules ({}), not all of them", group(r.random_runs.unwrap_or(0)), r.mode)
            }
            "random_sampling" => format!("sampling: {} random schedules, not all of them", group(r.random_runs.unwrap_or(0))),
            "max_steps" => format!("the step budget: some schedules ran more than {} steps and were cut", group(r.max_steps)),
            "stopped" => "you stopped it".into(),
            other => other.to_string(),
        })
        .collect()
}

/// `chosen`: the preemption bound the learner chose, which the report's
/// own bound differs from when the search with no bound replaced the
/// answer; `whole_too_big`: that search ran and did not finish (see
/// `explore_run`).
fn results_view(r: &Report, chosen: Option<u32>, whole_too_big: bool, target: &str, on_target: Callback<String>, cb: &Callbacks) -> Html {
    let deadlocked: u64 = r.deadlocks.iter().fold(0u64, |n, d| n.saturating_add(d.count));
    // Deadlocks and errors are outcomes too (kinds `deadlock` and a
    // non-zero exit status), so one outcome means one way to end.
    let same = if r.outcomes.len() == 1 {
        if r.complete { "Yes: every schedule gives the same output and ending.".to_string() } else { "Yes, as far as explored: every schedule tried gives the same output and ending.".to_string() }
    } else {
        format!("No: {} end in {} different ways.", if r.complete { "the schedules" } else { "the schedules explored" }, r.outcomes.len())
    };
    let deadlock = if deadlocked > 0 {
        format!("Yes: {} of {} deadlock.", count(deadlocked), plural(r.executions, "schedule"))
    } else if r.complete {
        "No: no schedule deadlocks.".to_string()
    } else {
        "Not in the schedules explored (the search was incomplete).".to_string()
    };
    let on_input = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_target.emit(input.value());
    });
    let hits: u64 = if target.trim().is_empty() { 0 } else { r.outcomes.iter().filter(|o| o.stdout.contains(target.trim())).map(|o| o.count).sum() };
    let first_hit = r.outcomes.iter().find(|o| !target.trim().is_empty() && o.stdout.contains(target.trim())).map(|o| o.schedule.clone());
    let max = r.outcomes.iter().map(|o| o.count).max().unwrap_or(1).max(1) as f64;
    let by_count = r.outcomes_by_count();
    let (shown, folded) = by_count.split_at(by_count.len().min(OUTCOMES_SHOWN));
    html! {
        <div class="explore-results" data-testid="explore-results" data-complete={r.complete.to_string()}
             data-executions={r.executions.to_string()} data-states={r.states.to_string()} data-distinct-states={r.distinct_states.map(|d| d.to_string()).unwrap_or_default()} data-elapsed-ms={format!("{:.1}", r.elapsed_ms.unwrap_or(0.0))} data-outcomes={r.outcomes.len().to_string()} data-deadlocks={r.deadlocks.len().to_string()}>
            <p class={classes!("summary", if r.complete { "ok" } else { "warn" })} data-testid="explore-summary">
                if r.schedules_counted {
                    <strong>{ format!("{} in {}", plural(r.outcomes.len() as u64, "outcome"), plural(r.executions, "schedule")) }</strong>
                    { r.elapsed_ms.map(|ms| format!(" · {:.1} s", ms / 1000.0)).unwrap_or_default() }
                    { format!(
                        " · {} distinct states, each explored once ({} transitions)",
                        group(r.distinct_states.unwrap_or(0)),
                        group(r.states)
                    ) }
                } else {
                    <strong>{ format!("{} in {}", plural(r.outcomes.len() as u64, "outcome"), plural(r.executions, "execution")) }</strong>
                    { r.elapsed_ms.map(|ms| format!(" · {:.1} s · {:.0} executions/s", ms / 1000.0, r.executions as f64 * 1000.0 / ms.max(1.0))).unwrap_or_default() }
                    { match r.distinct_states {
                        Some(d) => format!(" · {} distinct states ({} scheduling points)", group(d), group(r.states)),
                        None => format!(" · {} scheduling points", group(r.states)),
                    } }
                }
                <br />
                if r.complete && r.schedules_counted {
                    { "Complete: every state the program can reach was explored, and every schedule is counted (a schedule is an order of the threads' visible steps)." }
                } else if r.complete {
                    { "Complete: every schedule that can make a difference was run." }
                } else {
                    { format!("Incomplete, limited by {}.", incomplete_reasons(r).join("; and by ")) }
                }
                if let (Some(k), None, "exhaustive") = (chosen, r.preemption_bound, r.mode.as_str()) {
                    <br />
                    <span data-testid="explore-whole">{ format!(
                        "The search within {} (the default bound) was cut by the bound alone, so the same search ran with no bound, \
                         and it finished within the budget: these answers are for every schedule, and the chart's bar for {k} is the \
                         bounded search's count. Move the bound to search within it alone.",
                        plural(u64::from(k), "preemption"),
                    ) }</span>
                }
                if whole_too_big {
                    <br />
                    <span data-testid="explore-whole">{ format!(
                        "The same search with no bound ran too, and did not finish within the budget of {} states: this answer is for the schedules within the bound.",
                        group(r.max_states.unwrap_or(0)),
                    ) }</span>
                }
                if r.max_steps_fitted {
                    <br />
                    <span class="muted" data-testid="explore-fitted">{ format!(
                        "This program is long: each schedule was given up to {} steps, four times its plain run, instead of {}.",
                        group(r.max_steps),
                        group(crate::explore_run::EXPLORE_MAX_STEPS)
                    ) }</span>
                }
            </p>
            <dl class="answers">
                <dt>{ "Is it the same in every schedule?" }</dt>
                <dd data-testid="explore-same">{ same }</dd>
                <dt>{ "Can it deadlock?" }</dt>
                <dd data-testid="explore-can-deadlock">{ deadlock }</dd>
                <dt><label for="explore-target">{ "Can it print this?" }</label></dt>
                <dd>
                    <input id="explore-target" data-testid="explore-target" value={target.to_string()} oninput={on_input}
                           placeholder="text of the output, e.g. counter = 3" />
                    if !target.trim().is_empty() {
                        <span data-testid="explore-target-answer">
                            if let Some(schedule) = first_hit {
                                { format!(" Yes: {} print it. ", plural(hits, "schedule")) }
                                <button data-testid="explore-replay" onclick={replay(cb, schedule)}>{ "Replay one" }</button>
                            } else {
                                { if r.complete { " No schedule prints it." } else { " Not in the schedules explored." } }
                            }
                        </span>
                    }
                </dd>
                if let Some(c) = &r.condition {
                    { condition_answer(c, r.executions, cb) }
                }
            </dl>
            <h3>{ "Outcomes" }</h3>
            // The most frequent first (ties in the report's order); past
            // the first few, the rest fold away: a racy counter can end in
            // hundreds of ways.
            <ol class="histogram" data-testid="explore-outcomes">
                { for shown.iter().map(|o| outcome_row(r, o, max, cb)) }
            </ol>
            if !folded.is_empty() {
                <details class="more-outcomes" data-testid="explore-more-outcomes">
                    <summary>{ format!("The other {} outcomes", group(folded.len() as u64)) }</summary>
                    <ol class="histogram">
                        { for folded.iter().map(|o| outcome_row(r, o, max, cb)) }
                    </ol>
                </details>
            }
            if r.schedules_counted {
                <p class="muted">{ format!("Counts are of all the schedules{} (every order of the threads' visible steps), added up over the graph of states: not how often each outcome happens on a real machine, where some schedules are far likelier than others.",
                    r.preemption_bound.map(|k| format!(" with at most {}", plural(u64::from(k), "preemption"))).unwrap_or_default()) }</p>
            } else {
                <p class="muted">{ "Counts are of the schedules the search ran (it runs equivalent interleavings once), not of how often each outcome happens on a real machine." }</p>
            }
            if !r.deadlocks.is_empty() {
                <h3>{ "Deadlocks" }</h3>
                <ul class="findings" data-testid="explore-deadlocks">
                    { for r.deadlocks.iter().map(|d| html! {
                        <li data-testid="explore-deadlock" data-threads={d.threads.join(",")} data-schedule={d.schedule.clone()}>
                            <span>{ &d.cycle }</span>
                            <span class="meta">{ format!(" · {} of {}", count(d.count), count(r.executions)) }</span>
                            <button data-testid="explore-replay" onclick={replay(cb, d.schedule.clone())}
                                    title="Load this schedule into the stepper">{ "Replay" }</button>
                        </li>
                    }) }
                </ul>
            }
            if !r.errors.is_empty() {
                <h3>{ "Errors" }</h3>
                <ul class="findings" data-testid="explore-errors">
                    { for r.errors.iter().map(|e| html! {
                        <li data-testid="explore-error" data-schedule={e.schedule.clone()}>
                            <code>{ &e.message }</code>
                            <span class="meta">{ format!(" · {} of {}", count(e.count), count(r.executions)) }</span>
                            <button data-testid="explore-replay" onclick={replay(cb, e.schedule.clone())}
                                    title="Load this schedule into the stepper">{ "Replay" }</button>
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// The answer row of the condition: "Can `EXPR` be true at the end?" with
/// Yes (how many schedules, and one to replay), No (a proof only when the
/// search was complete), or why it could not be asked.
fn condition_answer(c: &ConditionAnswer, executions: u64, cb: &Callbacks) -> Html {
    let verdict = c.verdict();
    let raised = c.first_error.as_ref().map(|(e, schedule)| {
        html! {
            <span class="condition-raised" data-testid="explore-condition-raised">
                { format!(" In {} it raised ", plural(c.raised, "schedule")) }<code>{ e }</code>{ ". " }
                <button data-testid="explore-replay" onclick={replay(cb, schedule.clone())}
                        title="Load a schedule where the condition raised into the stepper">{ "Replay" }</button>
            </span>
        }
    });
    let not_asked = (c.not_evaluated > 0).then(|| {
        format!(
            " {} cut by the step budget did not end, so the condition was not asked there.",
            if c.not_evaluated == 1 { "1 schedule".to_string() } else { format!("{} schedules", count(c.not_evaluated)) }
        )
    });
    html! {
        <>
            <dt>{ "Can " }<code data-testid="explore-condition-expr">{ &c.expression }</code>{ " be true at the end?" }</dt>
            <dd data-testid="explore-condition-answer" data-verdict={verdict} data-held={c.held.to_string()}
                data-failed={c.failed.to_string()} data-raised={c.raised.to_string()}
                data-schedule={c.first_held.clone().unwrap_or_default()}>
                if let Some(e) = &c.error {
                    { "The condition is not an expression: " }<code>{ e }</code>
                } else if let Some(schedule) = &c.first_held {
                    { format!("Yes: {} of {} end with it true. ", count(c.held), plural(executions, "schedule")) }
                    <button data-testid="explore-replay" onclick={replay(cb, schedule.clone())}
                            title="Load the first schedule where it holds into the stepper">{ "Replay one" }</button>
                } else if c.complete {
                    { "No: in all schedules it is not true at the end (the search was complete)." }
                } else {
                    { "Not found: in every explored schedule it is not true at the end, but the search was incomplete, so this is no proof." }
                }
                { for raised }
                { for not_asked }
            </dd>
        </>
    }
}

fn replay(cb: &Callbacks, schedule: String) -> Callback<MouseEvent> {
    let replay = cb.replay.clone();
    Callback::from(move |_: MouseEvent| replay.emit(schedule.clone()))
}

/// `part` of `whole` as a percentage, one decimal; a share too small to
/// show there reads "<0.1%", never "0.0%" for schedules that exist.
fn share(part: u64, whole: u64) -> String {
    let pct = 100.0 * part as f64 / whole.max(1) as f64;
    if part > 0 && pct < 0.05 {
        "<0.1%".to_string()
    } else {
        format!("{pct:.1}%")
    }
}

/// Outcomes listed before the rest fold away.
const OUTCOMES_SHOWN: usize = 12;

/// One bar of the outcome histogram.
fn outcome_row(r: &Report, o: &OutcomeEntry, max: f64, cb: &Callbacks) -> Html {
    let mut label = if o.stdout.is_empty() { "(no output)".to_string() } else { o.stdout.trim_end().to_string() };
    let globals: Vec<String> = o.globals.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    if !globals.is_empty() {
        label.push_str(&format!("\n[at the end: {}]", globals.join(", ")));
    }
    let ending = match o.kind.as_str() {
        "finished" if o.exit_status == 0 => "finished".to_string(),
        "finished" => format!("exit status {}", o.exit_status),
        k => k.to_string(),
    };
    html! {
        <li class={classes!("outcome-bar", o.kind.clone())} data-testid="explore-outcome" data-kind={o.kind.clone()}
            data-stdout={o.stdout.clone()} data-globals={globals.join(", ")} data-count={o.count.to_string()} data-schedule={o.schedule.clone()}>
            <div class="bar"><i style={format!("width: {:.1}%", 100.0 * o.count as f64 / max)}></i></div>
            <pre>{ label }</pre>
            <span class="meta">
                { format!("{ending} · {} of {}", count(o.count), count(r.executions)) }
                // (No share of a total that is only a floor.)
                if r.executions != u64::MAX { { format!(" ({})", share(o.count, r.executions)) } }
                if let Some(e) = &o.error { { format!(" · {e}") } }
            </span>
            <button data-testid="explore-replay" onclick={replay(cb, o.schedule.clone())}
                    title="Load this schedule into the stepper">{ "Replay" }</button>
        </li>
    }
}
