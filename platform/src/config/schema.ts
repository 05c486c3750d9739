// The newsroom's config file, as one zod schema: the only place its shape is declared.
import { z } from "zod";

export const CAMPS = ["us", "cn", "local"] as const;
export type Camp = (typeof CAMPS)[number];

/** Roles that call a model. `scout` and `curator` are deterministic (clustering and the freshness
 * window go by timestamps, never by a model's opinion) and have no chain. */
export const MODEL_ROLES = [
  "editor_in_chief",
  "deputy_editor",
  "writer",
  "translator",
  "headline_editor",
  "fact_checker",
  "cross_reviewer",
  "freshness_judge",
  "arbiter",
] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** Review roles and the role whose output each of them reviews. */
export const REVIEWS: Record<string, ModelRole> = {
  deputy_editor: "editor_in_chief",
  fact_checker: "writer",
  cross_reviewer: "writer",
  freshness_judge: "writer",
};

export const PERSONAS = ["anchor_a", "anchor_b"] as const;
export type Persona = (typeof PERSONAS)[number];

// Each field's own message says what it expects (load.ts adds the path and what was found);
// explain.ts phrases the generic ones (types, enums, ranges, unknown keys).

/** Text matching `pattern`; anything else, of any type, is told `expected`. */
const patterned = (pattern: RegExp, expected: string) => z.string({ error: expected }).regex(pattern, { error: expected });

const ENV_NAME = "expected an environment variable name such as DEEPSEEK_API_KEY";
/** Names the variable holding a secret; a value that is not a name may be the secret itself, so it is never shown. */
const envName = z.string({ error: ENV_NAME }).refine((v) => /^[A-Z_][A-Z0-9_]*$/.test(v), { error: ENV_NAME, params: { secret: true } });
/** A key naming a provider, chosen by the operator and used in "provider/model" references. */
const providerName = patterned(/^[A-Za-z0-9_.-]+$/, "expected a name of letters, digits, _ . or -");

/** Requests in flight per provider when the config sets no `max_concurrency`. */
export const DEFAULT_MAX_CONCURRENCY = 16;

export const providerSchema = z
  .object({
    kind: z.enum(["openai", "offline"]).default("openai"),
    camp: z.enum(CAMPS),
    /** Who made the models; reviews are never done by the author's vendor. Defaults to the provider's name. */
    vendor: z.string().optional(),
    base_url: z.url().optional(),
    api_key_env: envName.optional(),
    structured_output: z.enum(["json_schema", "json_object", "none"]).default("json_object"),
    stream: z.boolean().default(false),
    /** How the reply's token limit is sent: newer OpenAI models, GLM and MiniMax want max_completion_tokens. */
    max_tokens_param: z.enum(["max_tokens", "max_completion_tokens"]).default("max_tokens"),
    prices: z
      .object({ input_per_mtok: z.number().nonnegative(), output_per_mtok: z.number().nonnegative() })
      .default({ input_per_mtok: 0, output_per_mtok: 0 }),
    timeout_ms: z.number().int().positive().default(60_000),
    /** Requests to this provider in flight at once, across every story and role of this process. */
    max_concurrency: z.number().int().positive().default(DEFAULT_MAX_CONCURRENCY),
    /** Requests started in any rolling minute; unset: no limit beyond max_concurrency (a 429 is still honoured). */
    requests_per_minute: z.number().int().positive().optional(),
    max_retries: z.number().int().nonnegative().default(2),
    /** Context window of its models in tokens (prompt + reply); every prompt is fitted to it. */
    context_tokens: z.number().int().min(1024).default(16_000),
    /** Per-model settings that differ from the provider's, e.g. {"gpt-4o-mini": {context_tokens: 128000}}. */
    models: z.record(z.string(), z.object({ context_tokens: z.number().int().min(1024).optional() }).strict()).default({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind === "openai" && !p.base_url)
      ctx.addIssue({ code: "custom", path: ["base_url"], input: p.base_url, message: "expected the URL of an OpenAI-compatible endpoint (required for kind openai)" });
  });

/** "provider/model": the model part may itself contain slashes (OpenRouter). */
const modelRef = patterned(/^[A-Za-z0-9_.-]+\/.+$/, 'expected a "provider/model" reference such as openai/gpt-4.1-mini');
const ANCHOR_NAME = "expected a name of 1 to 40 characters";
const anchorName = z.string({ error: ANCHOR_NAME }).trim().min(1, { error: ANCHOR_NAME }).max(40, { error: ANCHOR_NAME });
const anchorSchema = z
  .object({
    name: z
      .union([anchorName, z.object({ zh: anchorName.optional(), en: anchorName.optional() }).strict()], {
        error: "expected a name or {zh, en} names",
      })
      .optional(),
    role: z.enum(["lead", "co-host"]).optional(),
  })
  .strict();
const voiceRef = patterned(/^[A-Za-z0-9_.-]+\/.+$/, 'expected a "tts_provider/voice" reference such as minimax/female-shaonv');
const voiceChainSchema = z.array(voiceRef, { error: 'expected a list of "tts_provider/voice" references' }).min(1, { error: "expected at least one voice" });
/**
 * A persona's voices: one ordered chain for every language, or a chain per language
 * ({zh: [...], en: [...]}; a language without its own chain uses the other one's).
 */
const personaVoicesSchema = z.union([
  voiceChainSchema,
  z
    .object({ zh: voiceChainSchema.optional(), en: voiceChainSchema.optional() })
    .strict()
    // Only for a mapping otherwise fine: {fr: [...]} is told about its unknown key, not about "{}".
    .refine((v) => v.zh || v.en, { message: "expected a chain of voices for zh, en or both", when: (payload) => payload.issues.length === 0 }),
], { error: 'expected a list of "tts_provider/voice" or one per language, {zh: [...], en: [...]}' });

export const ttsProviderSchema = z
  .object({
    kind: z.enum(["minimax", "elevenlabs", "openai", "local"]),
    base_url: z.url().optional(),
    api_key_env: envName.optional(),
    /** MiniMax GroupId and similar account ids, read from the environment. */
    group_id_env: envName.optional(),
    model: z.string().optional(),
    timeout_ms: z.number().int().positive().default(30_000),
    max_retries: z.number().int().nonnegative().default(2),
    /** Longest text one request may carry; longer text is split at sentence boundaries. */
    max_chars: z.number().int().positive().optional(),
    price_per_mchar: z.number().nonnegative().default(0),
    /** kind local: worker threads synthesising at once (default: one per CPU core, at most 4). */
    workers: z.number().int().min(1).max(32).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind !== "local" && !p.base_url)
      ctx.addIssue({ code: "custom", path: ["base_url"], input: p.base_url, message: `expected the vendor's URL (required for kind ${p.kind})` });
    if (p.kind !== "local" && p.workers !== undefined)
      ctx.addIssue({ code: "custom", path: ["workers"], input: p.workers, message: `expected no workers: only kind local has them (the ${p.kind} vendor does the work)` });
  });

const TIMEZONE = "expected an IANA time zone such as Asia/Shanghai";
const timezone = z.string({ error: TIMEZONE }).refine(isTimeZone, { error: TIMEZONE });

const FILE = "expected the path of a file";
const filePath = z.string({ error: FILE }).min(1, { error: FILE });

/** A feed is told apart by its key (url, file or opml): a bad value under it is reported as such. */
export const feedSchema = z.union(
  [
    z.object({ url: z.url({ error: "expected the feed's http(s) URL" }), timezone: timezone.optional(), name: z.string().optional() }).strict(),
    z.object({ file: filePath, timezone: timezone.optional(), name: z.string().optional() }).strict(),
    z.object({ opml: filePath }).strict(),
  ],
  { error: "expected a feed {url}, {file} or {opml} (url and file may add name and timezone)" },
);

const hhmm = patterned(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time "HH:MM" such as "07:00"');

const temperature = z.number().min(0).max(2);

export const configSchema = z
  .object({
    edition: z
      .object({
        language: z.enum(["zh", "en", "bilingual"]).default("zh"),
        stories: z.number().int().min(1).max(50).default(6),
        window_hours: z.number().positive().max(24 * 14).default(24),
        timezone: timezone.default("Asia/Shanghai"),
        anchors: z.literal([1, 2]).default(1),
        deadline_minutes: z.number().positive().default(20),
        budget_usd: z.number().nonnegative().default(1),
        /** Revise rounds before a story whose script keeps failing review is dropped. */
        max_revise_rounds: z.number().int().min(0).max(5).default(2),
        /** Local times (in `timezone`) at which `newsroom serve` starts each slot's edition; none by default. */
        schedule: z
          .object({ morning: hhmm.optional(), evening: hhmm.optional() })
          .strict()
          .default({}),
        /** Who the show is for, in a sentence: the editors rank stories by their impact on and proximity to this audience. Unset: a default for the edition's language (editorial/audience.ts). */
        audience: z.string().trim().min(3).max(300).optional(),
        /** Target length of one story's script, in words (en) or characters / 2 (zh). */
        target_words: z.number().int().min(30).max(1000).default(120),
      })
      .strict()
      .prefault({}),
    feeds: z.array(feedSchema, { error: "expected a list of feeds" }).min(1, { error: "expected at least one feed" }),
    fetch: z
      .object({
        timeout_ms: z.number().int().positive().default(15_000),
        max_bytes: z.number().int().positive().default(5_000_000),
        max_redirects: z.number().int().min(0).max(10).default(5),
        /** Feed URLs resolving to private, loopback or link-local addresses are refused unless allowed. */
        allow_private: z.boolean().default(false),
        allow_loopback: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    providers: z.record(providerName, providerSchema, { error: "expected a mapping of provider names to providers" }),
    /** role -> ordered chain; `default` serves every model role not listed. */
    roles: z
      .partialRecord(z.enum([...MODEL_ROLES, "default"]), z.array(modelRef, { error: 'expected a list of "provider/model" references' }).min(1, { error: "expected at least one model" }))
      .prefault({}),
    /** Sampling temperature per role: 0 where a verdict must be repeatable (reviews, arbiter, deputy). */
    temperature: z
      .object({
        editor_in_chief: temperature.default(0.2),
        deputy_editor: temperature.default(0),
        writer: temperature.default(0.5),
        translator: temperature.default(0.2),
        headline_editor: temperature.default(0.5),
        fact_checker: temperature.default(0),
        cross_reviewer: temperature.default(0),
        freshness_judge: temperature.default(0),
        arbiter: temperature.default(0),
      })
      .strict()
      .prefault({}),
    /** Run with every model in one camp (warned at every start). */
    allow_single_camp: z.boolean().default(false),
    tts_providers: z.record(providerName, ttsProviderSchema).prefault({}),
    voices: z.partialRecord(z.enum(PERSONAS), personaVoicesSchema).prefault({}),
    /** Who the personas are on air: a name (one, or one per language) and a role. Defaults in editorial/anchors.ts. */
    anchors: z
      .partialRecord(z.enum(PERSONAS), anchorSchema)
      .prefault({})
      .superRefine((a, ctx) => {
        const role = a.anchor_a?.role;
        if (role && role === a.anchor_b?.role)
          ctx.addIssue({ code: "custom", path: ["anchor_b", "role"], input: role, message: `expected ${role === "lead" ? '"co-host"' : '"lead"'} (anchor_a is the ${role}; one leads, one co-hosts)` });
      }),
    podcast: z
      .object({
        title: z.string().default("Newsroom Briefing"),
        /** What identifies the show: its feed (feeds/<slug>.xml), podcast:guid and cover. Default: from the title. */
        slug: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected lowercase letters, digits and dashes (a file and URL name)")
          .optional(),
        /** itunes:owner: who directories contact about the show (Apple requires an email). */
        owner: z.object({ name: z.string().min(1), email: z.email() }).strict().optional(),
        author: z.string().default("Newsroom"),
        description: z.string().default("A spoken morning and evening news briefing made by AI roles."),
        /** Public URL where the output folder is served; links in feed.xml are built from it. */
        base_url: z.url().default("http://localhost:8080/"),
        /** Cover art (JPEG or PNG, 1400-3000 px square). Unset: a cover is generated from the title and language. */
        image: z.url().optional(),
        category: z.string().default("News"),
        explicit: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type NewsroomConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type TtsProviderConfig = z.infer<typeof ttsProviderSchema>;
export type PersonaVoices = z.infer<typeof personaVoicesSchema>;
export type FeedConfig = z.infer<typeof feedSchema>;
export type EditionConfig = NewsroomConfig["edition"];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
