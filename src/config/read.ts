/** Reading the JSON files named on the command line. A bad file is the user's to fix: always a ConfigError. */
import { readFile } from "node:fs/promises";
import { type Config, parseConfig } from "./schema.js";
import { ConfigError } from "../errors.js";

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new ConfigError(`Cannot read the ${what} file ${path} (${code}).`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // The parser's message quotes file content, which may be a secret: name only the position.
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    throw new ConfigError(
      `The ${what} file ${path} is not valid JSON${position ? ` (at character ${position})` : ""}.`,
    );
  }
}

/** The config file, validated; `warn` hears of unknown keys and trimmed secrets (see `parseConfig`). */
export async function readConfig(path: string, warn?: (message: string) => void): Promise<Config> {
  return parseConfig(await readJsonFile(path, "config"), warn);
}
