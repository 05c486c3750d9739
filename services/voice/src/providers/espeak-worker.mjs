// The local speech engine: espeak-ng compiled to WASM, instantiated once in this worker
// thread and kept warm, so a sentence costs tens of milliseconds instead of the ~0.3 s that
// instantiating the 18 MB module takes. Plain JS so it runs in a worker under any loader.
//
// The package is espeak-ng's command line program. Its main() can be called again on the same
// instance, but getopt's `optind` (a C global) stays where the last call left it, so the next
// call's options would be ignored. At start-up we find that global by watching which word of
// memory moves the way optind must, and reset it before every call; if it cannot be found
// unambiguously we fall back to a fresh instance per call (slower, always right).
//
// Voices are named by file: a name espeak must look up ("cmn", "en-us") makes it read every voice
// file in its data to find the one that speaks it, about 10 ms before a word is said; "sit/cmn"
// is opened at once. A voice file without a `dictionary` line whose language has no dictionary of
// its own (en-US: language en-us, dictionary en) sends espeak on the same search, so such a voice
// is given a copy that names the dictionary espeak would end up with. A short sentence then takes
// ~1-2 ms instead of ~10.
import { readFileSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import ESpeakNg from "espeak-ng";

const IN = "/tmp/in.txt";
const OUT = "/tmp/out.wav";
const wasm = await WebAssembly.compile(readFileSync(new URL("espeak-ng.wasm", import.meta.resolve("espeak-ng"))));

async function instantiate() {
  let exports;
  const module = await ESpeakNg({
    noInitialRun: true,
    print: () => {},
    printErr: () => {},
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(wasm, imports).then((instance) => {
        exports = instance.exports;
        done(instance, wasm);
      });
      return {};
    },
  });
  return { module, exports };
}

function callMain(engine, args) {
  const { module, exports: ex } = engine;
  const enc = new TextEncoder();
  const all = ["espeak-ng", ...args];
  const stack = ex.stackSave();
  const ptrs = all.map((a) => {
    const bytes = enc.encode(a + "\0");
    const p = ex.malloc(bytes.length);
    new Uint8Array(ex.memory.buffer, p, bytes.length).set(bytes);
    return p;
  });
  const argv = ex.malloc((ptrs.length + 1) * 4);
  const view = new Uint32Array(ex.memory.buffer, argv, ptrs.length + 1);
  ptrs.forEach((p, i) => (view[i] = p));
  view[ptrs.length] = 0;
  try {
    return module._main(ptrs.length, argv);
  } catch (err) {
    // exit() inside main surfaces as an ExitStatus throw; the runtime stays usable.
    if (err && err.name === "ExitStatus") return err.status;
    throw err;
  } finally {
    ex.stackRestore(stack);
    for (const p of ptrs) ex.free(p);
    ex.free(argv);
  }
}

function words(engine) {
  return new Int32Array(engine.exports.memory.buffer);
}

/** The address of getopt's optind: 1 before any call, argc after a call whose arguments are all options. */
function findOptind(engine) {
  const first = ["-b", "1", "-v", "en-us", "-w", OUT, "-f", IN];
  const second = ["-b", "1", "-w", OUT, "-f", IN, "-v", "cmn", "-s", "175"];
  engine.module.FS.writeFile(IN, "ready");
  const before = words(engine).slice();
  callMain(engine, first);
  const after = words(engine);
  let candidates = [];
  for (let i = 0; i < before.length; i++) if (before[i] === 1 && after[i] === first.length + 1) candidates.push(i);
  for (const i of candidates) words(engine)[i] = 1;
  callMain(engine, second);
  candidates = candidates.filter((i) => words(engine)[i] === second.length + 1);
  return candidates.length === 1 ? candidates[0] : undefined;
}

const DATA = "/usr/local/share/espeak-ng-data";
const OWN = "newsroom";

/** Voice file name (lower case, as espeak matches it) -> its path under lang/, e.g. cmn -> sit/cmn. */
function voiceFiles(fs) {
  const files = new Map();
  const walk = (dir) => {
    for (const name of fs.readdir(`${DATA}/lang/${dir}`)) {
      if (name === "." || name === "..") continue;
      const rel = dir ? `${dir}/${name}` : name;
      if (fs.isDir(fs.stat(`${DATA}/lang/${rel}`).mode)) walk(rel);
      else if (!files.has(name.toLowerCase())) files.set(name.toLowerCase(), rel);
    }
  };
  if (fs.analyzePath(`${DATA}/lang`).exists) walk("");
  return files;
}

/** How to name `base` so espeak opens it directly: a path, and a copy to write when the file needs a dictionary line. */
function directVoice(fs, files, base) {
  const rel = files.get(base.toLowerCase());
  if (!rel) return { name: base };
  const text = fs.readFile(`${DATA}/lang/${rel}`, { encoding: "utf8" });
  if (/^dictionary\s/m.test(text)) return { name: rel };
  const language = /^language\s+(\S+)/m.exec(text)?.[1]?.toLowerCase();
  const parts = language ? language.split("-") : [];
  for (let n = parts.length; n > 0; n--) {
    const dict = parts.slice(0, n).join("-");
    if (!fs.analyzePath(`${DATA}/${dict}_dict`).exists) continue;
    if (n === parts.length) return { name: rel };
    return { name: `${OWN}/${base.toLowerCase()}`, copy: `${text}\ndictionary ${dict}\n` };
  }
  return { name: rel };
}

const resolved = new Map();

/** "cmn+f3" -> "sit/cmn+f3", with any copy it needs written into this engine's file system. */
function voiceName(target, voice) {
  const [base, variant] = voice.split("+");
  if (!base || base.includes("/")) return voice;
  const fs = target.module.FS;
  target.files ??= voiceFiles(fs);
  let direct = resolved.get(base);
  if (!direct) resolved.set(base, (direct = directVoice(fs, target.files, base)));
  if (direct.copy && !fs.analyzePath(`${DATA}/lang/${direct.name}`).exists) {
    if (!fs.analyzePath(`${DATA}/lang/${OWN}`).exists) fs.mkdir(`${DATA}/lang/${OWN}`);
    fs.writeFile(`${DATA}/lang/${direct.name}`, direct.copy);
  }
  return variant ? `${direct.name}+${variant}` : direct.name;
}

let engine = await instantiate();
let optind = findOptind(engine);

function synthesize({ voice, text, speed }) {
  if (optind === undefined) return synthesizeFresh({ voice, text, speed });
  words(engine)[optind] = 1;
  const fs = engine.module.FS;
  voice = voiceName(engine, voice);
  fs.writeFile(IN, text);
  const rc = callMain(engine, ["-b", "1", "-v", voice, "-s", String(speed), "-w", OUT, "-f", IN]);
  if (rc !== 0) throw new Error(`espeak-ng exited with status ${rc} for voice ${voice}`);
  const wav = fs.readFile(OUT);
  fs.unlink(OUT);
  return wav;
}

async function synthesizeFresh({ voice, text, speed }) {
  const fresh = await instantiate();
  voice = voiceName(fresh, voice);
  fresh.module.FS.writeFile(IN, text);
  const rc = callMain(fresh, ["-b", "1", "-v", voice, "-s", String(speed), "-w", OUT, "-f", IN]);
  if (rc !== 0) throw new Error(`espeak-ng exited with status ${rc} for voice ${voice}`);
  return fresh.module.FS.readFile(OUT);
}

/**
 * The WAV as an array that owns its whole buffer, so it can be moved to the caller. FS.readFile
 * already returns a fresh array: moving it instead of copying it matters, because every copy left
 * behind is an ArrayBuffer this thread's V8 frees only on a GC, which a worker with a few MB of
 * heap seldom runs: the copies of every sentence spoken piled up as resident memory (the soak saw
 * the voice process grow by ~50 MB over 30 editions).
 */
function transferable(wav) {
  return wav.byteOffset === 0 && wav.byteLength === wav.buffer.byteLength ? wav : wav.slice();
}

const now = () => performance.timeOrigin + performance.now();

parentPort.on("message", async (msg) => {
  try {
    // When this thread worked on it (epoch ms), so the pool can show syntheses really overlap.
    const started = now();
    const wav = transferable(await synthesize(msg));
    parentPort.postMessage({ id: msg.id, wav, reused: optind !== undefined, ran: [started, now()] }, [wav.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err?.message ?? err) });
    // A trapped WASM instance may be left in a bad state: start over with a new one.
    engine = await instantiate();
    optind = findOptind(engine);
  }
});
parentPort.postMessage({ ready: true, reused: optind !== undefined });
