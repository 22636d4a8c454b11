/**
 * The files a run writes (`--rejects`, `--receipt`, `--plan`) must be files of their own: two outputs in one file
 * lose what the first wrote (a receipt opened afresh truncates the rejected records before it); an output that is
 * one of the run's inputs (`--config`, `--catalog`, a replay's `--from`, stdin when it is a regular file) destroys
 * it (a receipt over the config loses the token; rejects appended to the stdin file are read back as input, for
 * ever); an output that is the protocol's stdout would mix its lines into the Airbyte messages. So an output
 * naming the same file as another option or stream is a usage error, found before anything is written or sent.
 *
 * One file may have many names: another spelling of the path, a symlink, a hard link. A file that exists is known
 * by its device and inode; one that does not exist yet by the real path of its folder and its name (a dangling
 * symlink by the file it would create).
 */
import { fstat } from "node:fs";
import { readlink, realpath, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.js";

/** A file named on the command line: the option (`--rejects`) and its path. */
export interface NamedFile {
  option: string;
  path: string | undefined;
}

/** Symlinks followed at most, as the OS does (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/** A file the run reads or already writes to, known by its identity (see `fileIdentity`, `streamIdentity`). */
export interface OpenFile {
  /** How a message names it: `--config`, `stdin`, `stdout`. */
  option: string;
  identity: string | undefined;
}

/**
 * Throws a UsageError naming the first two options that name one file among the outputs, or the first output
 * that names one of `taken` (the run's inputs and its stdout); `why` says why two outputs cannot share a file.
 */
export async function checkDistinctFiles(
  files: readonly NamedFile[],
  why: (first: string, second: string) => string = () => "each output needs a file of its own",
  taken: readonly (NamedFile | OpenFile)[] = [],
): Promise<void> {
  const named = files.filter((file): file is { option: string; path: string } => file.path !== undefined);
  if (named.length === 0) return;
  const identities = await Promise.all(named.map((file) => fileIdentity(file.path)));
  const known = await Promise.all(
    taken.map(async (file) =>
      "identity" in file
        ? file
        : {
            option: file.option,
            identity: file.path === undefined ? undefined : await fileIdentity(file.path),
          },
    ),
  );
  for (let second = 0; second < named.length; second += 1) {
    const output = named[second] as { option: string; path: string };
    const input = known.find((file) => file.identity !== undefined && file.identity === identities[second]);
    if (input !== undefined) {
      throw new UsageError(
        `${input.option} and ${output.option} name one file (${resolve(output.path)}): ${takenWhy(input.option)}.`,
      );
    }
    const first = identities.indexOf(identities[second] as string);
    if (first === second) continue;
    const a = named[first] as NamedFile;
    throw new UsageError(
      `${a.option} and ${output.option} name one file (${resolve(output.path)}): ${why(a.option, output.option)}.`,
    );
  }
}

const takenWhy = (option: string) =>
  option === "stdout"
    ? "stdout carries the Airbyte messages and nothing else"
    : option === "--from"
      ? "a replay never writes to its source"
      : "a run never writes over what it reads";

/**
 * What a standard stream's file descriptor names, as `fileIdentity` does for a path; undefined when it has no
 * descriptor (a stream in a test) or, with `regularOnly`, when it is not a regular file (a pipe or a terminal,
 * which no output option can name by accident).
 */
export async function streamIdentity(
  fd: number | undefined,
  regularOnly: boolean,
): Promise<string | undefined> {
  if (fd === undefined) return undefined;
  const found = await promisify(fstat)(fd, { bigint: true }).catch(() => undefined);
  if (found === undefined || (regularOnly && !found.isFile())) return undefined;
  return `file ${found.dev}:${found.ino}`;
}

/** The file descriptor behind a stream, when it has one (`fs.createReadStream("", { fd })`). */
export const descriptorOf = (stream: object): number | undefined => {
  const fd = (stream as { fd?: unknown }).fd;
  return typeof fd === "number" ? fd : undefined;
};

/** What the run's process streams name: stdin when it is a regular file (its input), and stdout (the protocol). */
export async function streamFiles(io: {
  stdin?: object | undefined;
  stdoutFd: number | undefined;
}): Promise<OpenFile[]> {
  return [
    { option: "stdin", identity: await streamIdentity(io.stdin && descriptorOf(io.stdin), true) },
    { option: "stdout", identity: await streamIdentity(io.stdoutFd, false) },
  ];
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
