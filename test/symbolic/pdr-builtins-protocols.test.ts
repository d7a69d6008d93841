/** Every passing variant of mm, aref, task, page, drm_mm, fork, binder-rust and vma proves under `--engine pdr` (see pdr-builtins.ts). */
import { provesEveryPassingVariant } from './pdr-builtins.ts';

provesEveryPassingVariant(['mm', 'aref', 'task', 'page', 'drm_mm', 'fork', 'binder-rust', 'vma']);
