import { describe, it, expect } from 'vitest';
import * as lib from '../../model/primitives/index.ts';
import * as context from '../../model/primitives/context.ts';
import * as mm from '../../model/primitives/mm.ts';
import * as refcount from '../../model/primitives/refcount.ts';
import * as aref from '../../model/primitives/aref.ts';
import * as locks from '../../model/primitives/locks.ts';
import * as lockorder from '../../model/primitives/lockorder.ts';

describe('primitives index', () => {
  it('re-exports every primitive module', () => {
    for (const mod of [context, mm, refcount, aref, locks, lockorder]) {
      for (const [name, value] of Object.entries(mod)) expect((lib as Record<string, unknown>)[name]).toBe(value);
    }
  });
});
