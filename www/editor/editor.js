// The playground's code editor: CodeMirror 6 with Python highlighting, line
// numbers, a highlighted "running line", errors at their line and column,
// and Ctrl/Cmd+Enter to run. Bundled by esbuild (build.mjs) into one file
// that the page loads as a module; the Yew page talks to it through
// `window.InterleaveEditor` (see crates/web/src/editor.rs).

import { EditorView, basicSetup } from 'codemirror';
import { python } from '@codemirror/lang-python';
import { oneDark } from '@codemirror/theme-one-dark';
import { keymap, Decoration } from '@codemirror/view';
import { Compartment, EditorState, Prec, StateEffect, StateField } from '@codemirror/state';
import { setDiagnostics } from '@codemirror/lint';

const setRunningLine = StateEffect.define();
const runningLineMark = Decoration.line({ class: 'cm-running-line' });

// The line the selected thread is about to run, as a line decoration.
const runningLine = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setRunningLine)) {
        const n = e.value;
        if (n == null || n < 1 || n > tr.state.doc.lines) return Decoration.none;
        return Decoration.set([runningLineMark.range(tr.state.doc.line(n).from)]);
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const baseTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '14px' },
  '.cm-scroller': { fontFamily: 'var(--mono, monospace)' },
  '.cm-running-line': { backgroundColor: 'rgba(250, 204, 21, 0.22)', boxShadow: 'inset 3px 0 0 #eab308' },
});

function create(parent, doc, { onRun, onChange, dark = false, readOnly = false } = {}) {
  const theme = new Compartment();
  const editable = new Compartment();
  const runKey = Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onRun?.(); return true; } }]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKey,
        basicSetup,
        python(),
        baseTheme,
        runningLine,
        theme.of(dark ? oneDark : []),
        editable.of(EditorView.editable.of(!readOnly)),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange?.(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    getText: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setRunningLine(line) {
      const effects = [setRunningLine.of(line)];
      if (line != null && line >= 1 && line <= view.state.doc.lines) {
        effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'nearest' }));
      }
      view.dispatch({ effects });
    },
    // line and column are 1-based (column in characters), as in SyntaxError.
    setError(line, column, message) {
      if (line == null) {
        view.dispatch(setDiagnostics(view.state, []));
        return;
      }
      const l = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
      const from = Math.min(l.from + Math.max(column - 1, 0), l.to);
      const to = Math.min(from + 1, l.to);
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(to, from), severity: 'error', message }]));
    },
    setDark(on) { view.dispatch({ effects: theme.reconfigure(on ? oneDark : []) }); },
    setReadOnly(on) { view.dispatch({ effects: editable.reconfigure(EditorView.editable.of(!on)) }); },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}

// Every editor follows the page's theme (the header's button flips
// `data-theme` on <html>).
const editors = new Set();
const isDark = () => document.documentElement.dataset.theme === 'dark';
new MutationObserver(() => editors.forEach((e) => e.setDark(isDark())))
  .observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

function createFollowingTheme(parent, doc, options = {}) {
  const editor = create(parent, doc, { ...options, dark: isDark() });
  editors.add(editor);
  const destroy = editor.destroy;
  editor.destroy = () => { editors.delete(editor); destroy(); };
  return editor;
}

window.InterleaveEditor = { create: createFollowingTheme };
window.dispatchEvent(new Event('interleave-editor-ready'));
