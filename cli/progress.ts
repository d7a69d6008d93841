/**
 * Progress on stderr for long runs: one self-overwriting line (states, depth, states/s), shown
 * only when stderr is a terminal; the engine calls `update` about once a second, so nothing
 * appears for runs under a second.
 */
export interface Progress {
  update: (p: { states: number; depth: number; statesPerSecond: number; seconds: number }) => void;
  done: () => void;
}

export function progressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }): Progress {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update: (p) => {
      shown = true;
      stream.write(`\r\x1b[K${p.states.toLocaleString('en-US')} states, depth ${p.depth}, ${Math.round(p.statesPerSecond).toLocaleString('en-US')} states/s, ${p.seconds.toFixed(0)} s`);
    },
    done: () => {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
