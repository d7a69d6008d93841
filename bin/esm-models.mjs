// Node loader hooks: a model file is ESM TypeScript even where no package.json says "type": "module"
// (a kernel tree has none); without this, tsx would load it as CommonJS and it could not import protocheck.
export async function load(url, context, nextLoad) {
  if (url.startsWith('file://') && /\.ts($|\?)/.test(url) && !url.includes('/node_modules/')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
export async function resolve(spec, context, nextResolve) {
  const r = await nextResolve(spec, context);
  if (r.url.startsWith('file://') && /\.ts($|\?)/.test(r.url) && !r.url.includes('/node_modules/') && r.format === 'commonjs') return { ...r, format: 'module' };
  return r;
}
