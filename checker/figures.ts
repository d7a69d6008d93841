/**
 * The two figures minimisation orders shortest traces by: threads involved (distinct threads
 * that take a step) and context switches (adjacent steps taken by different threads). A step
 * of an action with no thread counts as a thread of its own ("env") for switches, but is not
 * a thread involved.
 *
 * @example
 * figuresOf(['T1', 'T2', 'T2', 'T1']) // { threads: 2, switches: 2 }
 */
import type { Model } from '../model/lang/ir.ts';
import type { Instance } from './interpreter.ts';
import type { Trace } from './result.ts';

export interface Figures {
  threads: number;
  switches: number;
}

/** Figures of a sequence of step threads (`undefined`: a step with no thread). */
export function figuresOf(threads: (string | number | undefined)[]): Figures {
  const involved = new Set(threads.filter((t) => t !== undefined));
  let switches = 0;
  for (let i = 1; i < threads.length; i++) if (threads[i] !== threads[i - 1]) switches++;
  return { threads: involved.size, switches };
}

/** Figures of a readable trace. */
export function traceFigures(trace: Trace): Figures {
  return figuresOf(trace.steps.map((s) => s.thread));
}

/** The thread (a value of the thread sort) that takes an instance's step, or -1. */
export function threadOfInstance(model: Model, inst: Instance): number {
  const tp = inst.action.threadParam;
  if (tp === undefined || !model.threadSort) return -1;
  const j = inst.action.params.findIndex((p) => p.name === tp);
  return j < 0 ? -1 : inst.params[j];
}

/** Figures of a path of instance ids. */
export function pathFigures(model: Model, path: number[], all: Instance[]): Figures {
  return figuresOf(path.map((id) => {
    const t = threadOfInstance(model, all[id]);
    return t < 0 ? undefined : t;
  }));
}
