/** Every passing variant of binder (fixed, shrinker-write-trylock, install-write-lock) proves under `--engine pdr` (see pdr-builtins.ts); a file of its own so the two halves run side by side. */
import { provesEveryPassingVariant } from './pdr-builtins.ts';

provesEveryPassingVariant(['binder']);
