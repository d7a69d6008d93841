/**
 * The API layer: declare a kernel API in Rust terms and generate its most general client.
 *
 * @example
 * import { api } from 'protocheck/api';
 */
export { api, Api, type ApiOptions, type CallCtx, type OwnedType, type BorrowType, type ContextType, type HandleType, type OwnedSpec, type ContextSpec, type MethodSpec } from './builder.ts';
