// anchor_a and anchor_b at work: an approved script becomes one audio segment per line. All
// of a script's segments, the story's "voiced" status and the segment.voiced event commit
// together, once: a redelivered or duplicated event finds the segments and does nothing.
import { PERSONAS, type Persona } from "@newsroom/platform/config/schema";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { PermanentError } from "@newsroom/platform/bus/types";
import { consume, type HandlerContext, type Registration } from "@newsroom/platform/handler";
import type { EventOf } from "@newsroom/platform/events";
import type { Logger } from "@newsroom/platform/log";
import { detectLanguage } from "@newsroom/platform/text/language";
import type { SpeechLanguage } from "../lexicon.js";
import { pcmToBuffer } from "../pcm.js";
import type { Synthesis, Synthesizer } from "../speech/synthesizer.js";

export interface VoiceDeps {
  config: LoadedConfig;
  tts: Synthesizer;
  log?: Logger;
  /** Scripts voiced at once by one worker. */
  concurrency?: number;
}

interface Line {
  speaker: Persona;
  text: string;
}

/** Another worker stored this script's segments first. */
class AlreadyVoicedError extends Error {
  override name = "AlreadyVoicedError";
}

export function voiceHandlers(deps: VoiceDeps): Registration<any>[] {
  return [consume("voice", "script.approved", (event, ctx) => voiceScript(deps, event, ctx), { concurrency: deps.concurrency ?? 2, ackWaitMs: 60_000 })];
}

async function voiceScript(deps: VoiceDeps, event: EventOf<"script.approved">, ctx: HandlerContext): Promise<void> {
  const { tts, log } = deps;
  const script = await ctx.db.selectFrom("scripts").selectAll().where("id", "=", event.scriptId).executeTakeFirst();
  if (!script) throw new PermanentError(`script ${event.scriptId} does not exist`);
  const stored = await ctx.db.selectFrom("segments").select("id").where("script_id", "=", script.id).limit(1).executeTakeFirst();
  if (stored) {
    log?.info(`script ${script.id} is already voiced; nothing to do`);
    return;
  }

  const lines: Line[] = (script.lines as Line[])
    .filter((l) => l.text?.trim())
    .map((l) => ({ speaker: PERSONAS.includes(l.speaker) ? l.speaker : "anchor_a", text: l.text }));
  if (!lines.length) throw new PermanentError(`script ${script.id} has no lines to voice`);

  const storyId = script.story_id ?? undefined;
  // One script is one story: each persona keeps one voice across all its lines.
  const storyKey = script.id;
  const opts = (line: Line) => ({
    persona: line.speaker,
    language: speechLanguage(script.language, line.text),
    storyKey,
    editionId: script.edition_id,
    storyId,
    working: ctx.working,
  });
  const voiced: Synthesis[] = [];
  try {
    for (const line of lines) {
      ctx.working();
      voiced.push(await tts.synthesize(line.text, opts(line)));
      await keepOneVoicePerPersona(tts, storyKey, lines, voiced, opts, log);
    }
  } finally {
    tts.forgetStory(storyKey);
  }

  const durationMs = voiced.reduce((n, v) => n + v.durationMs, 0);
  try {
    await ctx.commit(async (tx, emit) => {
      const rows = voiced.map((v, seq) => ({
        id: `${script.id}:${seq}`,
        edition_id: script.edition_id,
        story_id: script.story_id,
        script_id: script.id,
        seq,
        speaker: lines[seq].speaker,
        text: lines[seq].text,
        provider: v.provider,
        voice: v.voice,
        sample_rate: v.sampleRate,
        pcm: pcmToBuffer(v.pcm),
        duration_ms: v.durationMs,
        expected_ms: v.expectedMs,
        attempts: v.attempts,
      }));
      const inserted = await tx.insertInto("segments").values(rows).onConflict((oc) => oc.doNothing()).returning("id").execute();
      if (inserted.length !== rows.length) throw new AlreadyVoicedError(`script ${script.id} was voiced by another worker`);
      if (script.kind === "story" && storyId)
        await tx.updateTable("stories").set({ status: "voiced" }).where("id", "=", storyId).where("status", "!=", "dropped").execute();
      await emit("segment.voiced", { scriptId: script.id, segmentCount: rows.length, durationMs }, { editionId: script.edition_id, storyId, key: `voiced:${script.id}` });
    });
  } catch (err) {
    if (err instanceof AlreadyVoicedError) {
      log?.info(err.message);
      return;
    }
    throw err;
  }
  const voices = [...new Set(voiced.map((v) => `${v.provider}/${v.voice}`))].join(", ");
  await ctx.progress("voice", `voiced ${script.kind} (${voiced.length} segment(s), ${(durationMs / 1000).toFixed(1)} s) with ${voices}`, storyId);
}

/**
 * A persona whose voice failed mid-story moved to its next voice; its earlier lines in this
 * story are voiced again on that voice, so the listener never hears it change within a story.
 */
async function keepOneVoicePerPersona(
  tts: Synthesizer,
  storyKey: string,
  lines: Line[],
  voiced: Synthesis[],
  opts: (line: Line) => Parameters<Synthesizer["synthesize"]>[1],
  log?: Logger,
): Promise<void> {
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < voiced.length; i++) {
      const { persona, language } = opts(lines[i]);
      const target = tts.storyVoice(storyKey, persona, language);
      if (!target || `${voiced[i].provider}/${voiced[i].voice}` === target) continue;
      log?.info(`${lines[i].speaker}: re-voicing line ${i} on ${target} so the story keeps one voice`);
      const redone = await tts.synthesize(lines[i].text, opts(lines[i]));
      voiced[i] = { ...redone, attempts: voiced[i].attempts + redone.attempts };
      changed = true;
    }
  }
}

/** The script's language when it is zh or en; otherwise (bilingual editions) the line's own. */
export function speechLanguage(scriptLanguage: string, text: string): SpeechLanguage {
  if (scriptLanguage === "zh" || scriptLanguage === "en") return scriptLanguage;
  return detectLanguage(text) === "zh" ? "zh" : "en";
}
