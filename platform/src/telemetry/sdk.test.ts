import { describe, expect, it } from "vitest";
import { startTelemetry, telemetryPlan } from "./sdk.js";

describe("telemetryPlan", () => {
  it("is off when nothing is configured", () => {
    expect(telemetryPlan("editor", {})).toMatchObject({ enabled: false });
  });

  it("is on with an OTLP endpoint (general or traces-only)", () => {
    expect(telemetryPlan("editor", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toMatchObject({ enabled: true, serviceName: "editor" });
    expect(telemetryPlan("editor", { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }).enabled).toBe(true);
  });

  it("is on when an exporter is asked for by name, off for none or when disabled", () => {
    expect(telemetryPlan("x", { OTEL_TRACES_EXPORTER: "console" }).enabled).toBe(true);
    expect(telemetryPlan("x", { OTEL_TRACES_EXPORTER: "otlp" }).enabled).toBe(true);
    expect(telemetryPlan("x", { OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }).enabled).toBe(false);
    expect(telemetryPlan("x", { OTEL_SDK_DISABLED: "TRUE", OTEL_TRACES_EXPORTER: "console" })).toMatchObject({ enabled: false, reason: "OTEL_SDK_DISABLED=true" });
  });

  it("takes the service name from OTEL_SERVICE_NAME, or leaves it to OTEL_RESOURCE_ATTRIBUTES", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" };
    expect(telemetryPlan("editor", { ...endpoint, OTEL_SERVICE_NAME: "editor-eu" }).serviceName).toBe("editor-eu");
    expect(telemetryPlan("editor", { ...endpoint, OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod,service.name=ed" }).serviceName).toBeUndefined();
    expect(telemetryPlan("editor", { ...endpoint, OTEL_RESOURCE_ATTRIBUTES: "my.service.name=ed" }).serviceName).toBe("editor");
  });

  it("startTelemetry with nothing configured returns a shutdown that does nothing", async () => {
    const t = await startTelemetry("editor", {});
    expect(t.plan.enabled).toBe(false);
    await expect(t.shutdown()).resolves.toBeUndefined();
  });
});
