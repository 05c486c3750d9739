// Structured output: how a task's zod schema is asked for (per the provider's mode) and how a
// reply is read back. Weak models wrap JSON in prose or ``` fences, leave trailing commas and
// get key case wrong; those are tolerated, anything else fails validation with messages that
// the repair call sends back to the model.
import { jsonrepair } from "jsonrepair";
import { z } from "zod";
import type { ProviderConfig } from "../config/schema.js";
import { coerceToSchema } from "./coerce.js";
import type { ChatPrompt } from "./types.js";

export type StructuredMode = ProviderConfig["structured_output"];

export type ResponseFormat =
  | { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } }
  | { type: "json_object" };

const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The task's schema as JSON Schema (cached per schema object). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let js = jsonSchemas.get(schema);
  if (!js) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    js = rest;
    jsonSchemas.set(schema, js);
  }
  return js;
}

/** The prompt and response_format for a structured task under a provider's structured-output mode. */
export function structuredRequest(
  mode: StructuredMode,
  name: string,
  schema: z.ZodType,
  prompt: ChatPrompt,
): { prompt: ChatPrompt; responseFormat?: ResponseFormat } {
  const js = jsonSchemaOf(schema);
  if (mode === "json_schema")
    return {
      // strict: false because OpenAI's strict mode rejects optional properties; our own validation is the check.
      prompt: { system: `${prompt.system}\n\nReply with JSON only.`, user: prompt.user },
      responseFormat: { type: "json_schema", json_schema: { name: schemaName(name), schema: js, strict: false } },
    };
  const instructions = `Reply with a single JSON value that matches this JSON Schema, and nothing else${mode === "none" ? " (no prose, no code fences)" : ""}:\n${JSON.stringify(js)}`;
  return {
    prompt: { system: `${prompt.system}\n\n${instructions}`, user: prompt.user },
    responseFormat: mode === "json_object" ? { type: "json_object" } : undefined,
  };
}

export type Parsed<O> = { ok: true; value: O } | { ok: false; errors: string[] };

/** Reads a reply as the schema's type: extract, repair syntax, validate, then coerce carefully and validate again. */
export function parseStructured<O>(text: string, schema: z.ZodType<O>): Parsed<O> {
  let syntaxError = "the reply contains no JSON";
  let lastErrors: string[] | undefined;
  for (const candidate of jsonCandidates(text)) {
    let value: unknown;
    try {
      value = parseLenient(candidate);
    } catch (err) {
      syntaxError = `the reply is not valid JSON (${(err as Error).message.slice(0, 120)})`;
      continue;
    }
    const direct = schema.safeParse(value);
    if (direct.success) return { ok: true, value: direct.data };
    const coerced = schema.safeParse(coerceToSchema(value, jsonSchemaOf(schema)));
    if (coerced.success) return { ok: true, value: coerced.data };
    lastErrors ??= formatIssues(coerced.error.issues);
  }
  return { ok: false, errors: lastErrors ?? [syntaxError] };
}

/** The message asking the model to fix its reply; the validation errors are sent back verbatim. */
export function repairPrompt(errors: string[], schema: z.ZodType): string {
  return `Your reply could not be used:\n${errors.map((e) => `- ${e}`).join("\n")}\nReply again with only the corrected JSON, matching this JSON Schema:\n${JSON.stringify(jsonSchemaOf(schema))}`;
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(jsonrepair(text));
  }
}

/** Places a JSON value may be in a reply, most likely first: fenced blocks, the whole reply, the first balanced {...} or [...]. */
export function jsonCandidates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)) if (m[1].trim()) out.push(m[1].trim());
  const whole = text.trim();
  if (/^[{["]/.test(whole)) out.push(whole);
  const balanced = firstBalanced(whole);
  if (balanced && balanced !== whole) out.push(balanced);
  return [...new Set(out)];
}

/** The first {...} or [...] in the text, matched while skipping strings; to the end if it never closes. */
function firstBalanced(text: string): string | undefined {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if ((c === "}" || c === "]") && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`);
}

function schemaName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "reply";
}
