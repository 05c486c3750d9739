# syntax=docker/dockerfile:1
# One image for every newsroom service. The Deployment chooses the role:
#   node --import tsx cli/src/main.ts serve <ingest|editor|factcheck|voice|publisher>
# TypeScript runs through tsx (a runtime dependency), so there is no build step: the image holds
# the sources and the production dependencies, nothing else.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- dependencies: production only, from the lockfile, no install scripts ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false
# Only the manifests, so this layer is reused until dependencies change.
COPY package.json package-lock.json ./
COPY proto/package.json proto/
COPY platform/package.json platform/
COPY services/ingest/package.json services/ingest/
COPY services/editor/package.json services/editor/
COPY services/factcheck/package.json services/factcheck/
COPY services/voice/package.json services/voice/
COPY services/publisher/package.json services/publisher/
COPY services/site/package.json services/site/
COPY cli/package.json cli/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: node, the dependencies and the sources; no package manager ----
FROM ${NODE_IMAGE} AS runtime
# Fonts for the generated cover art (Latin and Chinese titles; sharp renders SVG text with them).
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends fonts-dejavu-core fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && groupadd --gid 10001 newsroom \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin newsroom \
 && mkdir -p /var/lib/newsroom/output \
 && chown 10001:10001 /var/lib/newsroom/output
WORKDIR /app
ENV NODE_ENV=production \
    GRPC_PORT=50051 \
    OUTPUT_DIR=/var/lib/newsroom/output
# Root owns the code: the process can read it, not change it. (The pods also mount the root
# filesystem read-only; tsx's cache goes to /tmp, which they mount writable.)
COPY --from=deps /app ./
COPY proto ./proto
COPY platform ./platform
COPY services ./services
COPY cli ./cli
USER 10001:10001
EXPOSE 50051
ENTRYPOINT ["node", "--import", "tsx", "cli/src/main.ts"]
CMD ["--help"]
