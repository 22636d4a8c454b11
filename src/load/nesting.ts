/**
 * How deep a parsed JSON value nests, checked without recursion. JSON.parse accepts far deeper values than
 * JSON.stringify (and any recursive code) can handle, so a record nested deeper than any HubSpot value needs is
 * refused up front, with its raw line kept, instead of crashing the run later.
 */

/** Deeper than any property value needs; far below where JSON.stringify runs out of stack (a few thousand). */
export const MAX_NESTING = 500;

export function nestsDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current !== "object" || current === null) continue;
    if (depth >= limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === "object" && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
