/**
 * A share of rejected records, judged the same way for the `--max-rejects N%` limit and the `max_reject_ratio`
 * guard: not before `minRecords` records were read (one bad record among the first three is no trend).
 */

/**
 * Whether more than `share` of the records read were rejected, judged once `minRecords` were read, and at the end
 * of input for smaller runs when `ended` says the input is all read.
 */
export function sharePassed(
  share: number,
  counts: { read: number; rejected: number },
  minRecords: number,
  ended: boolean,
): boolean {
  const { read, rejected } = counts;
  if (read === 0 || (!ended && read < minRecords)) return false;
  return rejected / read > share;
}
