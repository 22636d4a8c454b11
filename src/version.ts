/**
 * The connector's version, from its package.json: imported, so a bundle carries it (dist/ holds chunks whose
 * place relative to package.json is the bundler's choice).
 */
import packageJson from "../package.json" with { type: "json" };

export function connectorVersion(): string {
  return packageJson.version;
}
