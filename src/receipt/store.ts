/**
 * Where a run's receipt goes: the `--receipt FILE` (opened when the run starts, so a path that cannot be written
 * fails it before anything is sent) and, when S3 is configured, beside the rejected records. Storing is best
 * effort once the run has ended: a receipt that cannot be stored is a warning, never a failed sync.
 */
import type { S3StorageConfig } from "../config/storage.js";
import { ConfigError, TransientError } from "../errors.js";
import { LineFile } from "../rejects/line-file.js";

/** How long storing the receipt in S3 may take at the end of a run. @default 20 s */
export const RECEIPT_STORE_TIMEOUT_MS = 20_000;

export function openReceiptFile(path: string): Promise<LineFile> {
  return LineFile.open(path, {
    flags: "w",
    sync: true,
    openError: (location, code) =>
      new ConfigError(`Cannot open the receipt file ${location} for writing (${code}).`),
    writeError: (location, reason, cause) =>
      new TransientError(`Could not write the receipt file ${location} (${reason}).`, { cause }),
  });
}

export interface ReceiptTargets {
  file?: LineFile | undefined;
  /** `timeoutMs` bounds the upload. @default RECEIPT_STORE_TIMEOUT_MS */
  s3?: { config: S3StorageConfig; syncId: number | undefined; timeoutMs?: number } | undefined;
}

/** Stores the receipt everywhere asked; answers where it went, and warns about where it could not go. */
export async function storeReceipt(
  receipt: unknown,
  targets: ReceiptTargets,
  warn: (message: string) => void,
): Promise<string[]> {
  const stored: string[] = [];
  if (targets.file) {
    try {
      targets.file.add(`${JSON.stringify(receipt, null, 2)}\n`, () => undefined);
      await targets.file.close();
      stored.push(targets.file.location);
    } catch (error) {
      warn(`The run receipt could not be written: ${(error as Error).message}`);
    }
  }
  if (targets.s3) {
    const timeoutMs = targets.s3.timeoutMs ?? RECEIPT_STORE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      stored.push(await Promise.race([putInS3(targets.s3.config, targets.s3.syncId, receipt), timeout]));
    } catch (error) {
      warn(`The run receipt could not be stored in S3: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return stored;
}

/** The AWS SDK is loaded only when S3 is configured (rejects/create-sink.ts says why). */
async function putInS3(
  config: S3StorageConfig,
  syncId: number | undefined,
  receipt: unknown,
): Promise<string> {
  const { putReceiptDocument } = await import("../rejects/s3-document.js");
  return putReceiptDocument(config, syncId, receipt);
}
