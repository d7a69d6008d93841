import { describe, it, expect } from 'vitest';
import { buildApiTask } from '../../model/api-task.ts';
import { runCheck } from '../../checker/check.ts';

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
});
