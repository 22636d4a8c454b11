/**
 * A count with its noun in the right number, for what people read: "1 rejected record", "2 rejected records",
 * "1 state echoed". English only; the plural is the noun with an `s` unless given.
 */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
