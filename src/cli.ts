/**
 * The commander program. Each command builds its parts and runs them; this file only maps how they end to the
 * protocol's TRACE ERROR and an exit code (the table is in exit-codes.ts and the README):
 * 0 success (and `check` whatever its answer), 1 a failure reported as TRACE ERROR, 2 a usage error, 3 raw pipe
 * mode with rejected records, 130/143 stopped by SIGINT/SIGTERM, 141 stdout closed in Airbyte mode.
 * Help and usage text go to stderr: stdout carries nothing but Airbyte messages (and `--version`'s one line).
 * Outside Airbyte mode (raw pipe mode, `replay`, `sandbox`) and for usage errors, a failure is also one `error: …`
 * line on stderr, for the person at the terminal.
 */
import type { Readable, Writable } from "node:stream";
import { Command, CommanderError, Option } from "commander";
import type { ReplayOptions } from "./commands/replay.js";
import { EXIT } from "./exit-codes.js";
import { exitCodeFor, graceMsFrom, Shutdown, type SignalSource } from "./run/shutdown.js";
import type { WriteOptions } from "./commands/write.js";
import type { WriteResult } from "./run/types.js";
import { WRITE_MODES } from "./contract.js";
import { ConfigError, isUsageError, toConnectorError } from "./errors.js";
import { HumanOutput } from "./protocol/human-output.js";
import { MessageWriter } from "./protocol/writer.js";
import { connectorVersion } from "./version.js";

export { EXIT };

export interface CliStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Where SIGTERM and SIGINT come from (`process`); without it no signal stops a run. */
  signals?: SignalSource;
  /** Ends the process at once (a second signal, the grace period over). @default process.exit */
  exit?: (code: number) => void;
  /** @default process.env */
  env?: Record<string, string | undefined>;
}

/** The environment variable for the grace period of a stopped `write`, in seconds (`--grace-seconds` wins). */
export const GRACE_SECONDS_ENV = "DESTINATION_HUBSPOT_GRACE_SECONDS";

const NO_SIGNALS: SignalSource = { on: () => undefined, off: () => undefined };

interface RunContext {
  writer: MessageWriter;
  stderr: HumanOutput;
  streams: CliStreams;
  /** Set by a command that talks to a person rather than a platform (raw pipe mode, `sandbox`). */
  humanFacing: boolean;
  code: number;
}

export async function runCli(argv: string[], streams: CliStreams): Promise<number> {
  const context: RunContext = {
    writer: new MessageWriter(streams.stdout),
    stderr: new HumanOutput(streams.stderr),
    streams,
    humanFacing: false,
    code: EXIT.ok,
  };
  const { writer, stderr } = context;
  const program = buildProgram(context);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    streams.stdout.write(`${connectorVersion()}\n`);
    return EXIT.ok;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    await writer.flush();
    return context.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help
      // commander has already said what is wrong on stderr.
      await writer.traceError(
        new ConfigError(`Invalid command line: ${error.message.replace(/^error: /, "")}`),
      );
      await writer.flush();
      return EXIT.usage;
    }
    const failure = toConnectorError(error);
    await writer.traceError(failure);
    await writer.flush();
    if (isUsageError(failure)) {
      stderr.write(`error: ${writer.mask.apply(failure.message)}\n(run with --help for the options)\n`);
      return EXIT.usage;
    }
    if (context.humanFacing) stderr.write(`error: ${writer.mask.apply(failure.message)}\n`);
    return EXIT.failure;
  }
}

/** Runs a write-like command with the signals wired to its stop, and sets the exit code from how it ended. */
async function withShutdown(
  context: RunContext,
  graceSeconds: string | undefined,
  run: (shutdown: Shutdown, env: Record<string, string | undefined>) => Promise<WriteResult>,
): Promise<void> {
  const { streams, writer } = context;
  const env = streams.env ?? process.env;
  const graceMs = graceMsFrom(graceSeconds, env[GRACE_SECONDS_ENV]);
  const shutdown = new Shutdown({
    signals: streams.signals ?? NO_SIGNALS,
    exit: streams.exit ?? ((code) => process.exit(code)),
    ...(graceMs === undefined ? {} : { graceMs }),
  });
  try {
    const result = await run(shutdown, env);
    await writer.flush();
    context.code = writeExitCode(result);
  } finally {
    shutdown.dispose();
  }
}

/** The exit code of a `write` that ended without a failure. */
function writeExitCode(result: WriteResult): number {
  if (result.stopReason) return exitCodeFor(result.stopReason);
  return result.raw && result.stats.all.rejected > 0 ? EXIT.rejected : EXIT.ok;
}

type WriteCommandOptions = WriteOptions & { graceSeconds?: string };

/**
 * Options a command cannot run without. Commander checks its own mandatory options before unknown ones, so
 * `write --frobnicate` would be told "required option --config"; these are checked after (`checkRequired`).
 */
const REQUIRED_OPTIONS = new WeakSet<Option>();

function requiredOption(flags: string, description: string): Option {
  const option = new Option(flags, description);
  REQUIRED_OPTIONS.add(option);
  return option;
}

/** Before a command's action, once commander has refused unknown options: a missing required one is a usage error. */
function checkRequired(_program: Command, command: Command): void {
  for (const option of command.options) {
    if (REQUIRED_OPTIONS.has(option) && command.getOptionValue(option.attributeName()) === undefined) {
      command.error(`error: required option '${option.flags}' not specified`, {
        code: "commander.missingMandatoryOptionValue",
      });
    }
  }
}

/** Repeatable options (`--code A --code B`) collect into a list. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function buildProgram(context: RunContext): Command {
  const { stderr } = context;
  const program = new Command("destination-hubspot")
    .description("Airbyte destination for HubSpot: CRM upserts and custom behavioral events")
    .option("-V, --version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stderr.write(text),
      writeErr: (text) => stderr.write(text),
      // commander's defaults would open process.stdout and process.stderr to ask for a width and colours (and a
      // stdio stream opened on a pipe makes it non-blocking): help is 80 columns, plain, as it always was.
      getOutHelpWidth: () => 80,
      getErrHelpWidth: () => 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError(false)
    .hook("preAction", checkRequired);
  addSpec(program, context);
  addCheck(program, context);
  addDiscover(program, context);
  addWrite(program, context);
  addReplay(program, context);
  addSandbox(program, context);
  return program;
}

function addSpec(program: Command, context: RunContext): void {
  const { writer } = context;
  program
    .command("spec")
    .description("print the connector specification (a SPEC message)")
    .action(async () => (await import("./commands/spec.js")).runSpec(writer));
}

function addCheck(program: Command, context: RunContext): void {
  const { writer } = context;
  program
    .command("check")
    .description("verify the credentials, scopes and rejected-records store; prints a CONNECTION_STATUS")
    .addOption(requiredOption("--config <path>", "config JSON file"))
    .action(async (options: { config: string }) =>
      (await import("./commands/check.js")).runCheck(options.config, writer),
    );
}

function addDiscover(program: Command, context: RunContext): void {
  const { writer } = context;
  program
    .command("discover")
    .description("list the HubSpot objects that can be written (a DESTINATION_CATALOG message)")
    .addOption(requiredOption("--config <path>", "config JSON file"))
    .action(async (options: { config: string }) =>
      (await import("./commands/discover.js")).runDiscover(options.config, writer),
    );
}

function addWrite(program: Command, context: RunContext): void {
  const { writer, stderr, streams } = context;
  program
    .command("write")
    .description(
      "write Airbyte RECORD messages from stdin into HubSpot; or, with --object instead of --catalog, plain JSON records",
    )
    .addOption(requiredOption("--config <path>", "config JSON file"))
    .option("--catalog <path>", "configured catalog JSON file (Airbyte mode)")
    .option(
      "--object <name>",
      "raw pipe mode: CONTACT, COMPANY, DEAL, PRODUCT, a custom object's name, EVENTS, event:<name> or list:<name>",
    )
    .option("--key <property>", "raw pipe mode: the matching key property (default email for CONTACT)")
    .addOption(new Option("--mode <mode>", "raw pipe mode: what to do with each record").choices(WRITE_MODES))
    .option(
      "--schema <path>",
      "raw pipe mode: JSON schema file of the records' fields, typing the properties create_missing_properties creates",
    )
    .option("--rejects <file>", "also append every rejected record, with its reason, to this JSONL file")
    .option(
      "--max-rejects <limit>",
      "stop early past this many rejected records (10) or share of those read (5%)",
    )
    .option("--plan <file>", "write nothing: put what the write would do to each record in this JSONL file")
    .option(
      "--receipt <file>",
      "also write the run's receipt (counts, requests, latency, cost) to this JSON file",
    )
    .option(
      "--grace-seconds <seconds>",
      `after SIGTERM/SIGINT, how long requests in flight may finish (default 20, or $${GRACE_SECONDS_ENV})`,
    )
    .action(async (options: WriteCommandOptions) => {
      context.humanFacing = options.catalog === undefined;
      await withShutdown(context, options.graceSeconds, async (shutdown, env) =>
        import("./commands/write.js").then(({ runWriteCommand }) =>
          runWriteCommand(options, { writer, stdin: streams.stdin, stderr, shutdown, env }),
        ),
      );
    });
}

function addReplay(program: Command, context: RunContext): void {
  const { writer, stderr, streams } = context;
  program
    .command("replay")
    .description(
      "send rejected records again, once fixed, through the write path (from S3 or a --rejects file)",
    )
    .addOption(requiredOption("--config <path>", "config JSON file"))
    .addOption(
      requiredOption(
        "--from <source>",
        "s3://bucket/prefix of this connector's rejects, or a local rejects file",
      ),
    )
    .option(
      "--code <code>",
      "replay only records rejected with this code (repeatable, or comma-separated)",
      collect,
    )
    .option(
      "--stream <stream>",
      "replay only records of this stream, name or namespace.name (repeatable)",
      collect,
    )
    .option(
      "--key <property>",
      "matching key for records stored without one, when their object has no default",
    )
    .option("--rejects <file>", "also append records rejected again to this JSONL file")
    .option("--max-rejects <limit>", "stop early past this many records rejected again (10) or share (5%)")
    .option("--plan <file>", "write nothing: plan the replay into this JSONL file")
    .option("--receipt <file>", "also write the run's receipt to this JSON file")
    .option("--grace-seconds <seconds>", "after SIGTERM/SIGINT, how long requests in flight may finish")
    .action(async (options: ReplayOptions & { graceSeconds?: string }) => {
      context.humanFacing = true;
      await withShutdown(context, options.graceSeconds, async (shutdown, env) =>
        import("./commands/replay.js").then(({ runReplay }) =>
          runReplay(options, { writer, stdin: streams.stdin, stderr, shutdown, env }),
        ),
      );
    });
}

function addSandbox(program: Command, context: RunContext): void {
  const { stderr, streams } = context;
  program
    .command("sandbox")
    .description("run the HubSpot-compatible sandbox server on loopback until interrupted")
    .option("--host <host>", "loopback address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", "8080")
    .option("--options <path>", "JSON file of sandbox options (tier, rate limits, latency, tokens)")
    .option("--openapi-dir <dir>", "check every request against HubSpot's OpenAPI files in this directory")
    .action(async (options: { host: string; port: string; options?: string; openapiDir?: string }) => {
      context.humanFacing = true;
      const { runSandbox } = await import("./commands/sandbox.js");
      await runSandbox(options, stderr, streams.signals ?? NO_SIGNALS);
    });
}
