// One piece of text on one voice: requests through the provider's policy (timeout, retries,
// breaker) until its audio passes the silence and cut-off checks. Every request is a span and
// a ledger row. A voice that fails is noted, and the caller moves down the persona's chain.
import { BrokenCircuitError } from "cockatiel";
import type { CallOutcome } from "@newsroom/platform/db/schema";
import { recordSpeechCall } from "@newsroom/platform/ledger/speech";
import { checkAudio } from "../completeness.js";
import { concatPcm, type Audio } from "../pcm.js";
import { TTS_CAMP, TtsError } from "../providers/types.js";
import { currentSpanEvent, endTtsSpan, startTtsSpan } from "../telemetry.js";
import type { VoiceChoice } from "../voices.js";
import type { SpeechKit, SynthesizeOptions } from "./types.js";

/** A piece that failed on one voice after its retries; carries how many requests were made. */
export class PieceFailed extends Error {
  constructor(
    override readonly cause: Error,
    readonly tries: number,
  ) {
    super(cause.message);
  }
}

/** Voices `piece`; with `forward`, hands on audio as it arrives (the whole piece is still checked). */
export async function voicePiece(kit: SpeechKit, choice: VoiceChoice, piece: string, opts: SynthesizeOptions, forward?: (a: Audio) => void) {
  const p = kit.provider(choice.provider);
  let tries = 0;
  try {
    const result = await p.policy.execute(async () => {
      tries++;
      const started = performance.now();
      const span = startTtsSpan(p.engine, choice.voice, opts.persona, [...piece].length);
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(p.config.timeout_ms)]) : AbortSignal.timeout(p.config.timeout_ms);
      let outcome: CallOutcome = "ok";
      let error: Error | undefined;
      let note: string | undefined;
      try {
        const req = { text: piece, voice: choice.voice, language: opts.language, signal };
        let audio: Audio;
        if (forward && p.engine.stream) {
          // Streamed audio goes out as it arrives; the whole piece is still checked at its end.
          const parts: Int16Array[] = [];
          let rate = 0;
          for await (const a of p.engine.stream(req)) {
            parts.push(a.pcm);
            rate = a.sampleRate;
            forward(a);
          }
          audio = { pcm: concatPcm(parts), sampleRate: rate };
        } else audio = await p.engine.synthesize(req);
        const verdict = checkAudio(audio, piece, p.engine.kind);
        if (!verdict.ok) {
          note = verdict.message;
          throw new TtsError(`${choice.provider}: ${verdict.message}`, true, verdict.reason === "cut_off" ? "truncated" : "invalid");
        }
        if (forward && !p.engine.stream) forward(audio);
        return { audio, expectedMs: verdict.expectedMs };
      } catch (err) {
        error = err as Error;
        outcome = err instanceof TtsError ? err.outcome : signal.aborted && !opts.signal?.aborted ? "timeout" : "error";
        throw err;
      } finally {
        endTtsSpan(span, outcome, error);
        recordSpeechCall(kit.db, {
          editionId: opts.editionId,
          storyId: opts.storyId,
          persona: opts.persona,
          provider: p.engine.name,
          model: p.engine.model,
          camp: TTS_CAMP[p.engine.kind],
          voice: choice.voice,
          characters: [...piece].length,
          pricePerMchar: p.config.price_per_mchar,
          latencyMs: performance.now() - started,
          outcome,
          errorClass: error ? (error instanceof TtsError && error.status ? `http_${error.status}` : error.name) : undefined,
          note: note ?? (error ? error.message.slice(0, 200) : undefined),
        });
        opts.working?.();
      }
    }, opts.signal);
    return { ...result, tries };
  } catch (err) {
    const cause = err instanceof BrokenCircuitError ? new Error(`${choice.provider}: circuit open (provider failing)`) : (err as Error);
    throw new PieceFailed(cause, tries);
  }
}

/** A voice failed: say so (log, span event, `failures`); a cancelled request is rethrown instead. */
export function fallBack(kit: SpeechKit, opts: SynthesizeOptions, choice: VoiceChoice, err: unknown, failures: { ref: string; error: string }[]) {
  if (opts.signal?.aborted) throw opts.signal.reason ?? err;
  const message = (err as Error).message;
  failures.push({ ref: choice.ref, error: message });
  kit.log?.warn(`${opts.persona}: voice ${choice.ref} failed; trying the next voice`, { error: message });
  currentSpanEvent("fallback", { "newsroom.persona": opts.persona, "newsroom.from": choice.ref, "newsroom.reason": message });
}
