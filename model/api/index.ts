/**
 * The API layer: declare a kernel API in Rust terms and generate its most general client.
 *
 * @example
 * import { api } from 'protocheck/api';
 */
export { api, Api, FORGET_TAG, withoutForget, type ApiOptions, type CallCtx, type OwnedType, type ResourceType, type BorrowType, type ContextType, type HandleType, type OwnedSpec, type ResourceSpec, type ContextSpec, type MethodSpec, type Returns, type ApiRule } from './builder.ts';
