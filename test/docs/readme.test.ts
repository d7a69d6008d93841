import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sessions, renderSession, normalise } from '../../bench/readme.ts';

// The README's sessions are real: each block is what the command prints today (timings aside).
// When this fails, run `npm run docs` and read the diff.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm start/);
    expect(firstBlock).toMatch(/\nnpm test/);
  });
  const list = sessions(readme);
  it('has sessions', () => expect(list.length).toBeGreaterThanOrEqual(8));
  for (const s of list) {
    // An API diff runs dozens of searches (about 20 s alone); under a loaded CI it needs room.
    it(`session "protocheck ${s.args}" is what the command prints`, () => {
      expect(normalise(s.current)).toBe(normalise(renderSession(s.args)));
    }, 180_000);
  }
});
