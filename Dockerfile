# Airbyte destination image: Node 24 LTS, production dependencies only, run as the `airbyte` user.
FROM node:24-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# The `node` devDependency is only for machines without Node 24; the image already has it.
RUN npm ci --ignore-scripts
COPY src ./src
COPY scripts/build.mjs ./scripts/
# Type-checked, then bundled by esbuild into dist/ (scripts/build.mjs); the AWS SDK stays in node_modules.
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
# tini as PID 1 forwards SIGTERM/SIGINT to Node (whose handlers stop a write gracefully) and reaps children.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
RUN groupadd --system airbyte && useradd --system --gid airbyte --home /airbyte airbyte \
  && mkdir -p /airbyte && chown airbyte:airbyte /airbyte
WORKDIR /airbyte/integration_code
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
COPY package.json ./
COPY spec ./spec
ENV NODE_ENV=production
# The heap bound as Node flags (src/heap.ts, HEAP_FLAGS; a unit test compares): the CLI then runs in the main
# thread. Without them it would start a worker thread to bound its heap, 0.1 s of CPU and 20 MB more.
ENV AIRBYTE_ENTRYPOINT="node --max-semi-space-size=16 --max-old-space-size=256 /airbyte/integration_code/dist/main.js"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=16", "--max-old-space-size=256", "/airbyte/integration_code/dist/main.js"]
USER airbyte
LABEL io.airbyte.name=airbyte/destination-hubspot-ts
LABEL io.airbyte.version=0.1.0
