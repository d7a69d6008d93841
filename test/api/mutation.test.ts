import { describe, it, expect } from 'vitest';
import { buildApiTask } from '../../model/api-task.ts';
import { runCheck } from '../../checker/check.ts';
import { buildApiDrmMm } from '../../model/api-drm-mm.ts';
import { isolate } from '../../properties/isolate.ts';
import { withoutForget } from '../../model/api/index.ts';


// Removing a generated type rule must change a verdict of a passing API model: the rules are
// not vacuous. (api-task/current-only passes with every rule in place.)
describe('mutation: each generated type rule matters', () => {
  it('with every rule, api-task/current-only passes', () => {
    expect(runCheck(buildApiTask('current-only', 2, 3)).verdict).toBe('pass');
  });

  it('without !Send, CurrentTask travels and the leader is used after it was freed (6 steps)', () => {
    const r = runCheck(buildApiTask('current-only', 2, 3, ['not-send']));
    expect(r.property).toMatchObject({ class: 'unsound' });
    expect(r.trace!.steps[0].action).toBe('send(CurrentTask(t))');
    expect(r.trace!.steps).toHaveLength(6);
  });

  it('without scope-end drops, a client that left its scope still holds an ARef: t never exits (deadlock)', () => {
    const r = runCheck(buildApiTask('current-only', 2, 3, ['scope-end-drop']));
    expect(r.property?.id).toBe('deadlock');
  });

  it('without the lender check, a borrowed Node<\'a> no longer keeps its Allocator alive: the takedown WARN needs no forget', () => {
    const warn = (without: Parameters<typeof buildApiDrmMm>[5]) => runCheck(isolate(withoutForget(buildApiDrmMm('borrowed', 2, 3, 1, 2, without)), ['drm_mm.takedown-not-clean']));
    expect(warn([]).verdict).toBe('pass');
    const r = warn(['lender-check']);
    expect(r.property?.id).toBe('drm_mm.takedown-not-clean');
    expect(r.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['C1 Allocator::insert_node(&Allocator(A1)) -> Node(N1)', 'C1 drop(Allocator(A1))']);
  });
});
