import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCheck } from '../../checker/check.ts';
import { renderText } from '../../counterexamples/render-text.ts';
import { toMermaid } from '../../counterexamples/sequence.ts';
import { traceToDot, stateGraphToDot, GraphTooLargeError } from '../../counterexamples/dot.ts';
import { toChromeTrace } from '../../counterexamples/chrome.ts';
import { toHtml } from '../../counterexamples/html.ts';
import { writeAllFormats, formatResult, OutputError, FILE_OF } from '../../counterexamples/write-all.ts';
import { bugModels, handOverHand, racyCounter } from './models.ts';

const check = (variant: string) => {
  const model = bugModels.build(variant, {});
  return { model, result: runCheck(model, { variant }) };
};

describe('text', () => {
  it('one column per thread involved, only changed cells, the property and its location', () => {
    const { model, result } = check('kref-racy');
    const lines = renderText(result, model).split('\n');
    expect(lines[3]).toMatch(/^ {2}states: 7, transitions: 11, depth: 3, \d+\.\d{3} s, \d+ states\/s$/);
    lines[3] = '';
    expect(lines).toEqual([
      'VIOLATION kref/kref-racy: kref.uaf: kref_get on a freed object',
      '  property kref.uaf (requires, unsound) defined at test/counterexamples/models.ts:46:22, violated by action kref_get at step 3',
      '  bounds: none',
      '',
      '  shortest: 3 steps; threads involved: 2 of 2; context switches: 1',
      '',
      '  step  T1            T2          changes',
      '  ----  ------------  ----------  -------',
      '     0                            initial: lock_owner=none refcount=1 freed=false',
      '     1  mutex_lock                lock_owner: none→T1',
      '     2  put.kref_put              refcount: 1→0, freed: false→true',
      '     3                kref_get ✗  refcount: 0→1',
      '',
      '  ✗ at step 3: kref.uaf: kref_get on a freed object (test/counterexamples/models.ts:46:22)',
    ]);
  });
  it('after minimisation: the figures say what changed; only the threads involved get a column', () => {
    const { model, result } = check('split');
    const text = renderText(result, model);
    expect(text).toContain('  shortest: 3 steps; threads involved: 2 of 3; context switches: 1 (minimised from 3 threads, 2 switches)');
    expect(text).toContain('  step  T1    T3  changes');
    expect(text).not.toContain('T2 ');
    expect(text).toContain('  ✗ after step 3: x.below-3: x reached 3');
  });
  it('--full prints the whole state after every step', () => {
    const { model, result } = check('split');
    const lines = renderText(result, model, { full: true }).split('\n');
    expect(lines).toContain('     0            initial: pc[T1]=inc1 pc[T2]=inc2 pc[T3]=p x=0');
    expect(lines).toContain('        pc[T1]=inc1 pc[T2]=inc2 pc[T3]=q x=1');
    expect(lines).toContain('        pc[T1]=done pc[T2]=inc2 pc[T3]=done x=3');
  });
  it('a deadlock names every thread that has not finished and the step it waits at', async () => {
    const mm = (await import('../../model/mm.ts')).default;
    const model = mm.build('mmput-in-sender-context', { senders: 2 });
    const lines = renderText(runCheck(model), model).split('\n');
    expect(lines.slice(-2)).toEqual([
      '  ✗ after step 9: deadlock: no step is possible, yet not every thread has finished (model/mm.ts:35:13)',
      '    not finished: T1 at wait_for_reply, T2 at wait_for_reply',
    ]);
  });
  it('an unminimised trace says so; a pass has no trace section', () => {
    const model = racyCounter(2);
    expect(renderText(runCheck(model, { minimise: false }), model)).toContain('  shortest: 5 steps; threads involved: 2 of 2; context switches: 4 (not minimised)');
    const pass = runCheck(bugModels.build('kref-locked', {}), { variant: 'kref-locked' });
    const text = renderText(pass);
    expect(text.split('\n')[0]).toBe('PASS kref/kref-locked: no violation in any reachable state (exhaustive within the bounds)');
    expect(text).not.toContain('shortest');
  });
});

describe('Mermaid', () => {
  it('threads and shared objects as participants, operations as messages, the violation as a note', () => {
    expect(toMermaid(check('kref-racy').result)).toBe([
      'sequenceDiagram',
      '    title kref/kref-racy: violation of kref.uaf',
      '    participant t0 as T1',
      '    participant t1 as T2',
      '    participant o0 as lock_owner (lock)',
      '    participant o1 as refcount (counter)',
      '    participant o2 as freed (object)',
      '    t0->>o0: 1. mutex_lock (none→T1)',
      '    t0->>o1: 2. put.kref_put (1→0)',
      '    t0->>o2: 2. put.kref_put (false→true)',
      '    t1->>o1: 3. kref_get (0→1)',
      '    Note over t1: ✗ kref.uaf: kref_get on a freed object',
      '',
    ].join('\n'));
  });
  it('a step touching only its own state is a note over the thread', () => {
    const text = toMermaid(check('leak').result);
    expect(text).toContain('    t0->>o0: 1. get (1→2)\n    Note over t0: 2. put\n    t1->>o0: 3. get (2→3)\n    Note over t1: 4. put\n');
  });
});

describe('Graphviz DOT', () => {
  it('the trace: one node per state, one edge per step, the violating state in red', () => {
    const dot = traceToDot(check('pair').result);
    expect(dot).toContain('s0 [label="initial\\lpc [A]=raise [B]=raise\\lflag [A]=false [B]=false\\ln=0\\l"];');
    expect(dot).toContain('s0 -> s1 [label="1. A raise"];');
    expect(dot).toContain('s2 [label="after step 2\\lpc[B]: raise→done\\lflag[B]: false→true\\ln: 1→2\\l", color=red, penwidth=2];');
    expect(dot.match(/ -> /g)).toHaveLength(3); // two steps and the violation note
  });
  it('a failed requirement colours the last edge', () => {
    expect(traceToDot(check('kref-racy').result)).toContain('s2 -> s3 [label="3. T2 kref_get", color=red, fontcolor=red, penwidth=2];');
  });
  it('the whole state graph of a small model: 4 states, 4 edges, the trace in red', () => {
    const { model, result } = check('pair');
    const dot = stateGraphToDot(model, result);
    // init; A raised; B raised; both (n=2, violates the invariant, final, not expanded).
    expect(dot.match(/^ {2}n\d+ \[/gm)).toHaveLength(4);
    expect(dot.match(/^ {2}n\d+ -> n\d+/gm)).toHaveLength(4);
    expect(dot).toContain('n3 [label="pc [A]=done [B]=done\\lflag [A]=true [B]=true\\ln=2\\l", color=red, fontcolor=red, peripheries=2, penwidth=2];');
    expect(dot).toContain('n0 -> n1 [label="A raise", color=red, fontcolor=red, penwidth=2];');
    expect(dot).toContain('n0 -> n2 [label="B raise"];');
  });
  it('failed requirements and dead ends are drawn; above the limit the graph is refused', () => {
    const kref = check('kref-racy');
    expect(stateGraphToDot(kref.model, kref.result)).toContain('"kref.uaf" [shape=note, color=red, fontcolor=red, label="✗ kref.uaf: kref_get on a freed object"];');
    const abba = check('abba');
    const ab = stateGraphToDot(abba.model, abba.result);
    // 13 states: both start; one lock each way (2); T1 holds a with T2 holding b (the deadlock);
    // one thread holds both (2); one done (2); one done and the other holds one or both (4); both done.
    expect(ab).toContain('label="abba: 13 reachable states"');
    expect(ab.match(/shape=octagon/g)).toHaveLength(1);
    expect(ab).toContain('n4 [label="pc [T1]=lock_b [T2]=lock_a\\llock_a=T1\\llock_b=T2\\l", shape=octagon, color=red, penwidth=2];');
    const big = racyCounter(3);
    expect(() => stateGraphToDot(big, undefined, { limit: 10 })).toThrow(GraphTooLargeError);
    expect(() => stateGraphToDot(big, undefined, { limit: 10 })).toThrow('the state graph of racy has more than 10 states; it is drawn only up to 10 (lower the bounds, raise the limit, or use trace.dot)');
  });
});

describe('Chrome trace-event JSON', () => {
  it('one track per thread, a 1 ms slice per step, lock holds as spans, counters, the violation', () => {
    const tr = toChromeTrace(check('kref-racy').result);
    expect(tr.displayTimeUnit).toBe('ms');
    const meta = tr.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.map((e) => [e.name, e.tid, e.args])).toEqual([
      ['process_name', 0, { name: 'kref/kref-racy' }],
      ['thread_name', 1, { name: 'T1' }], ['thread_sort_index', 1, { sort_index: 100 }],
      ['thread_name', 2, { name: 'T2' }], ['thread_sort_index', 2, { sort_index: 200 }],
    ]);
    const rest = tr.traceEvents.filter((e) => e.ph !== 'M').map((e) => [e.name, e.ph, e.tid, e.ts, e.dur ?? null]);
    expect(rest).toEqual([
      ['mutex_lock', 'X', 1, 0, 1000], ['put.kref_put', 'X', 1, 1000, 1000], ['kref_get', 'X', 2, 2000, 1000],
      // T1 takes the lock in step 1 and still holds it when the trace ends after step 3.
      ['holds lock_owner', 'X', 1, 0, 3000],
      ['refcount', 'C', 0, 0, null], ['refcount', 'C', 0, 2000, null], ['refcount', 'C', 0, 3000, null],
      ['✗ kref.uaf', 'i', 2, 3000, null],
    ]);
    const steps = tr.traceEvents.filter((e) => e.cat === 'step');
    expect(steps[1].args).toEqual({ step: 2, params: { self: 'T1' }, changes: ['pc[T1]: kref_put→mutex_unlock', 'refcount: 1→0', 'freed: false→true'] });
    expect(steps[2].args!.violation).toBe('kref.uaf: kref_get on a freed object');
    expect(tr.traceEvents.filter((e) => e.ph === 'C').map((e) => e.args)).toEqual([{ refcount: 1 }, { refcount: 0 }, { refcount: 1 }]);
    expect(tr.traceEvents.find((e) => e.ph === 'i')!.s).toBe('g');
  });
  it('holds that overlap without nesting go on a track per lock', () => {
    const model = handOverHand();
    const tr = toChromeTrace(runCheck(model));
    const holds = tr.traceEvents.filter((e) => e.cat === 'lock').map((e) => [e.name, e.tid, e.ts, e.dur]);
    expect(holds).toEqual([['holds lock_a', 1001, 0, 3000], ['holds lock_b', 1002, 1000, 3000]]);
    expect(tr.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name])).toEqual([[1, 'T1'], [1001, 'T1: lock_a'], [1002, 'T1: lock_b']]);
    // abba: each thread holds one lock, nested trivially: on its own track.
    const ab = toChromeTrace(check('abba').result).traceEvents.filter((e) => e.cat === 'lock').map((e) => [e.name, e.tid, e.ts, e.dur]);
    expect(ab).toEqual([['holds lock_a', 1, 0, 2000], ['holds lock_b', 2, 1000, 1000]]);
  });
});

describe('HTML report', () => {
  it('self-contained: inline style, script, data and SVG; no external URL', () => {
    const html = toHtml(check('kref-racy').result);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<link /);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" id="sequence"');
    expect(html.match(/class="msg op"/g)).toHaveLength(4);
    expect(html.match(/class="msg violation"/g)).toHaveLength(1);
    expect(html.match(/<tr data-step="\d+"/g)).toHaveLength(4);
    const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)![1]);
    expect(data.positions).toHaveLength(4);
    expect(data.positions[2]).toMatchObject({ title: 'after step 2: T1 put.kref_put', changed: ['pc[T1]', 'refcount', 'freed'] });
  });
  it('text is escaped, and a pass is a report without a trace', () => {
    const { result } = check('kref-racy');
    const evil = { ...result, property: { ...result.property!, message: '</script><b>x</b>' } };
    const html = toHtml(evil);
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;');
    const pass = toHtml(check('kref-locked').result);
    expect(pass).toContain('<span class="word">PASS</span>');
    expect(pass).not.toContain('<svg');
  });
});

describe('writing every format', () => {
  it('writes each file once, refuses to overwrite without force, replaces with force', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pc-out-')), 'out');
    const { model, result } = check('kref-racy');
    const written = writeAllFormats(result, model, dir);
    expect(written.filter((w) => w.skipped)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(Object.values(FILE_OF).sort());
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
    expect(readFileSync(join(dir, 'trace.mmd'), 'utf8')).toBe(toMermaid(result));
    writeFileSync(join(dir, 'trace.txt'), 'mine');
    expect(() => writeAllFormats(result, model, dir)).toThrow(OutputError);
    expect(() => writeAllFormats(result, model, dir)).toThrow(/refusing to overwrite .*result\.json.*add --force/);
    expect(readFileSync(join(dir, 'trace.txt'), 'utf8')).toBe('mine');
    writeAllFormats(result, model, dir, { force: true });
    expect(readFileSync(join(dir, 'trace.txt'), 'utf8')).toBe(renderText(result, model, { full: true }) + '\n');
  });
  it('a pass writes the result and the report; trace formats are skipped with the reason', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pc-out-')), 'out');
    const { model, result } = check('kref-locked');
    const written = writeAllFormats(result, model, dir);
    expect(written.filter((w) => !w.skipped).map((w) => w.format)).toEqual(['json', 'text', 'states-dot', 'html']);
    expect(written.find((w) => w.format === 'itf')!.skipped).toBe('format itf needs a counterexample trace, and this result (pass) has none');
    expect(existsSync(join(dir, 'trace.itf.json'))).toBe(false);
    expect(() => formatResult(result, 'states-dot')).toThrow(/needs the model/);
  });
});
