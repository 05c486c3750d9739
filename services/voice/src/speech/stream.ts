// Speech as it is produced (gRPC Voice.Synthesize): the first sentence on its own, so the first
// chunk comes early; each piece's audio is forwarded while it arrives. A voice that fails moves
// the rest of the text to the persona's next voice, re-cut for that engine's request size.
import { Readable } from "node:stream";
import { firstSentenceFirst, splitForSpeech } from "../chunks.js";
import { normalizeForSpeech } from "../normalize.js";
import type { Audio } from "../pcm.js";
import { fallBack, voicePiece } from "./attempt.js";
import { laneOf } from "./pins.js";
import { VoiceChainExhaustedError, type SpeechChunk, type SpeechKit, type SynthesizeOptions } from "./types.js";

export async function* streamSpeech(kit: SpeechKit, text: string, opts: SynthesizeOptions): AsyncGenerator<SpeechChunk> {
  const spoken = normalizeForSpeech(text, opts.language, kit.lexicon);
  if (!spoken) return;
  const chain = kit.chainOf(opts.persona, opts.language);
  const lane = laneOf(opts.persona, chain);
  const maxChars = (index: number) => kit.provider(chain[index].provider).engine.maxChars;
  const failures: { ref: string; error: string }[] = [];
  const abort = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
  const glue = opts.language === "zh" ? "" : " ";
  let index = kit.pins.start(opts.storyKey, lane);
  let pieces = index < chain.length ? firstSentenceFirst(spoken, maxChars(index), opts.language) : [];
  let seq = 0;
  // One chunk is held back so the final one can be marked `last`.
  let held: SpeechChunk | undefined;
  try {
    while (pieces.length) {
      if (held) yield held, (held = undefined); // more follows, so the held chunk is not the last: send it now
      const choice = chain[index];
      if (!choice) throw new VoiceChainExhaustedError(opts.persona, failures, seq);
      const queue = new Readable({ objectMode: true, read() {} });
      const done = voicePiece(kit, choice, pieces[0], { ...opts, signal }, (a) => queue.push(a)).then(
        () => queue.push(null),
        (err: unknown) => queue.destroy(err as Error),
      );
      try {
        for await (const a of queue as AsyncIterable<Audio>) {
          if (held) yield held;
          held = { seq: seq++, pcm: a.pcm, sampleRate: a.sampleRate, provider: choice.provider, voice: choice.voice, last: false };
        }
        await done;
        kit.pins.pin(opts.storyKey, lane, index);
        pieces = pieces.slice(1);
      } catch (err) {
        fallBack(kit, { ...opts, signal }, choice, err, failures);
        index++;
        // The next voice may take longer or shorter requests: re-cut what is left.
        if (index < chain.length) pieces = splitForSpeech(pieces.join(glue), maxChars(index), opts.language);
      }
    }
    if (held) yield { ...held, last: true };
  } finally {
    abort.abort();
  }
}
