import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["platform/src/**/*.test.ts", "services/*/src/**/*.test.ts", "cli/src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: integration tests start processes, PGlite and NATS consumers.
    maxWorkers: 2,
  },
});
