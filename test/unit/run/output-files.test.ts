import { link, mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { checkDistinctFiles, fileIdentity } from "../../../src/run/output-files.js";

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "output-files-"));
});

const at = (name: string) => join(folder, name);

describe("fileIdentity", () => {
  it.each([
    ["the same existing path", async () => [at("a"), at("a")] as const],
    ["another spelling of an existing path", async () => [at("a"), `${folder}/./sub/../a`] as const],
    [
      "a symlink to an existing file",
      async () => {
        await symlink(at("a"), at("link"));
        return [at("a"), at("link")] as const;
      },
    ],
    [
      "a hard link to an existing file",
      async () => {
        await link(at("a"), at("hard"));
        return [at("a"), at("hard")] as const;
      },
    ],
    ["the same path that does not exist yet", async () => [at("new"), `${folder}/sub/../new`] as const],
    [
      "a path through a symlinked folder that does not exist yet",
      async () => {
        await symlink(folder, at("alias"));
        return [at("new"), join(folder, "alias", "new")] as const;
      },
    ],
    [
      "a dangling symlink and the file it would create",
      async () => {
        await symlink(at("new"), at("dangling"));
        return [at("new"), at("dangling")] as const;
      },
    ],
  ])("is one file for %s", async (_name, names) => {
    await writeFile(at("a"), "x");
    await mkdir(at("sub"));
    const [first, second] = await names();
    expect(await fileIdentity(first)).toBe(await fileIdentity(second));
  });

  it("tells apart two files, existing or not, and a folder's files from another's", async () => {
    await writeFile(at("a"), "x");
    await writeFile(at("b"), "x");
    await mkdir(at("sub"));
    const names = [at("a"), at("b"), at("new"), join(folder, "sub", "new"), join(folder, "sub", "a")];
    const identities = await Promise.all(names.map((name) => fileIdentity(name)));
    expect(new Set(identities).size).toBe(names.length);
  });

  it("ends a loop of symlinks instead of following it for ever", async () => {
    await symlink(at("loop-b"), at("loop-a"));
    await symlink(at("loop-a"), at("loop-b"));
    expect(await fileIdentity(at("loop-a"))).toMatch(/^path /);
  });
});

describe("checkDistinctFiles", () => {
  it("names both options and the file when two of them name one file", async () => {
    await writeFile(at("a"), "x");
    await symlink(at("a"), at("link"));
    const check = checkDistinctFiles([
      { option: "--rejects", path: at("a") },
      { option: "--receipt", path: undefined },
      { option: "--plan", path: at("link") },
    ]);
    await expect(check).rejects.toThrow(UsageError);
    await expect(check).rejects.toThrow(
      `--rejects and --plan name one file (${at("link")}): each output needs a file of its own.`,
    );
  });

  it("lets different files through, and options not given", async () => {
    await expect(
      checkDistinctFiles([
        { option: "--rejects", path: at("a") },
        { option: "--receipt", path: at("b") },
        { option: "--plan", path: undefined },
      ]),
    ).resolves.toBeUndefined();
  });
});
