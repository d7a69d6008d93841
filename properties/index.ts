/**
 * The property layer for model authors: classes, kinds and the kernel property catalogue.
 * Imported as `protocheck/properties`.
 *
 * @example
 * import { KERNEL } from 'protocheck/properties';
 * step('get', requires(KERNEL.refcount.addOnZero, ne(refs, 0)), set(refs, add(refs, 1)));
 */
export { CLASSES, CLASS_DOC, sarifLevel, isPropertyClass, type PropertyClass } from './classes.ts';
export { KINDS, defaultClass, type PropertyKind } from './kinds.ts';
export { KERNEL, CATALOGUE, catalogueEntry, type KernelProperty, type PropertyDecl } from './catalogue/index.ts';
