/**
 * The built-in models, in the order `list` and `npm start` show them.
 * Each protocol module default-exports a ModelDef; add new ones here.
 */
import type { ModelDef } from './lang/define.ts';
import mm from './mm.ts';
import drmMm from './drm-mm.ts';
import page from './page.ts';
import task from './task.ts';
import aref from './aref.ts';
import binder from './binder.ts';
import binderRust from './binder-rust.ts';
import vma from './vma.ts';
import fork from './fork.ts';
import apiTask from './api-task.ts';
import apiDrmMm from './api-drm-mm.ts';
import apiMmap from './api-mmap.ts';
import apiMm from './api-mm.ts';

export const builtinModels: ModelDef[] = [mm, drmMm, page, task, aref, binder, binderRust, vma, fork, apiTask, apiDrmMm, apiMmap, apiMm];

export function findBuiltin(name: string): ModelDef | undefined {
  return builtinModels.find((m) => m.name === name);
}
