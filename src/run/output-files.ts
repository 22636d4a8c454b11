/**
 * The files a run names on its command line (`--rejects`, `--receipt`, `--plan`, and a replay's `--from`) must be
 * different files: two outputs in one file lose what the first wrote (a receipt opened afresh truncates the
 * rejected records before it), and a replay appending to its own source would read what it writes. So two options
 * naming one file are a usage error, found before anything is written or sent.
 *
 * One file may have many names: another spelling of the path, a symlink, a hard link. A file that exists is known
 * by its device and inode; one that does not exist yet by the real path of its folder and its name (a dangling
 * symlink by the file it would create).
 */
import { readlink, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.js";

/** A file named on the command line: the option (`--rejects`) and its path. */
export interface NamedFile {
  option: string;
  path: string | undefined;
}

/** Symlinks followed at most, as the OS does (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/** Throws a UsageError naming the first two options that name one file; `why` says why that cannot be. */
export async function checkDistinctFiles(
  files: readonly NamedFile[],
  why: (first: string, second: string) => string = () => "each output needs a file of its own",
): Promise<void> {
  const named = files.filter((file): file is { option: string; path: string } => file.path !== undefined);
  if (named.length < 2) return;
  const identities = await Promise.all(named.map((file) => fileIdentity(file.path)));
  for (let second = 1; second < named.length; second += 1) {
    const first = identities.indexOf(identities[second] as string);
    if (first === second) continue;
    const [a, b] = [named[first], named[second]] as [NamedFile, NamedFile];
    throw new UsageError(
      `${a.option} and ${b.option} name one file (${resolve(b.path as string)}): ${why(a.option, b.option)}.`,
    );
  }
}

/** What a path names: an existing file's device and inode, or the real place a file would be created at. */
export async function fileIdentity(path: string, links = 0): Promise<string> {
  try {
    const found = await stat(path, { bigint: true });
    return `file ${found.dev}:${found.ino}`;
  } catch {
    // Not there yet, or a symlink to something that is not there: a write creates the link's target.
  }
  if (links < MAX_LINKS) {
    const target = await readlink(path).catch(() => undefined);
    if (target !== undefined) return fileIdentity(resolve(dirname(path), target), links + 1);
  }
  const folder = await realpath(dirname(resolve(path))).catch(() => dirname(resolve(path)));
  return `path ${join(folder, basename(path))}`;
}

/** The output files of a `write` or `replay`, by option. */
export const outputFiles = (options: { rejects?: string; receipt?: string; plan?: string }): NamedFile[] => [
  { option: "--rejects", path: options.rejects },
  { option: "--receipt", path: options.receipt },
  { option: "--plan", path: options.plan },
];
