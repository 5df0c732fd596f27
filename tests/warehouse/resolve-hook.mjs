// A module resolution hook for dt-sql-parser, which is published for bundlers: its own imports
// name files without ".js" and folders without "/index.js", which Node's resolver refuses.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!specifier.startsWith('.') || !context.parentURL?.includes('/dt-sql-parser/')) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await next(specifier + suffix, context);
      } catch {
        // the next spelling
      }
    }
    throw error;
  }
}
