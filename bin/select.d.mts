// Types of bin/select.mjs, for the tests that import it.
export declare const ROOT: string;
export declare function chooseBuild(env?: Record<string, string | undefined>): { mode: 'dist' | 'source' | 'none'; why?: string };
