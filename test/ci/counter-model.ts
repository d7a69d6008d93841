// The racy/locked counter of models.ts as a model file, for CLI tests that load models by path.
import { counterDef } from './models.ts';
export default counterDef;
