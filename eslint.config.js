// Lint rules: typescript-eslint's recommended set, plus the habits STYLE.md asks for
// (stdout belongs to the protocol, so no console.* in src/; node: imports).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "bench/results/", "spec/spec.json", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "no-console": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex:
                "^(fs|path|os|http|https|net|stream|crypto|zlib|events|url|util|readline|child_process|timers)(/.*)?$",
              message: "Use the node: prefix.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  { files: ["scripts/**", "bench/**", "test/**"], rules: { "no-console": "off" } },
);
