# syntax=docker/dockerfile:1
# One image for every newsroom service. The Deployment chooses the role:
#   node --import tsx cli/src/main.ts serve <ingest|editor|factcheck|voice|publisher|site>
# The pipeline services answer gRPC on GRPC_PORT (50051); the listener site answers HTTP on
# SITE_PORT (8080), e.g. `docker run -p 8080:8080 -v "$PWD/editions:/var/lib/newsroom/output:ro" newsroom serve site`.
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
 && mkdir -p /var/lib/newsroom/output /var/lib/newsroom/data /var/lib/newsroom/ledger \
 && chown 10001:10001 /var/lib/newsroom/output /var/lib/newsroom/data /var/lib/newsroom/ledger
WORKDIR /app
# Without DATABASE_URL (the embedded default, e.g. `serve site` alone) PGlite and the ledger's
# journal need folders the unprivileged user can write: /app belongs to root.
ENV NODE_ENV=production \
    GRPC_PORT=50051 \
    SITE_PORT=8080 \
    OUTPUT_DIR=/var/lib/newsroom/output \
    DATA_DIR=/var/lib/newsroom/data \
    LEDGER_DIR=/var/lib/newsroom/ledger
# Root owns the code: the process can read it, not change it. (The pods also mount the root
# filesystem read-only; tsx's cache goes to /tmp, which they mount writable.)
COPY --from=deps /app ./
COPY proto ./proto
COPY platform ./platform
COPY services ./services
COPY cli ./cli
USER 10001:10001
EXPOSE 50051 8080
ENTRYPOINT ["node", "--import", "tsx", "cli/src/main.ts"]
CMD ["--help"]
