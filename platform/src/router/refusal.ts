// Did the model decline instead of doing the task? An explicit refusal field or a content
// filter stop says so; otherwise only a short reply that opens with a refusal formula counts,
// so a news script that happens to contain "cannot" is never mistaken for one.
import type { ChatReply } from "./client.js";

const EN = /^\s*(?:I['’]m sorry|I am sorry|Sorry|Unfortunately|As an AI)\b[^.!?]*\b(?:can(?:no|')t|can not|unable|not able|won['’]t|will not)\b|^\s*I (?:can(?:no|')t|can not|won['’]t|will not|am unable to|['’]m unable to|am not able to) (?:help|assist|comply|do that|provide|write|complete)/i;
const ZH = /^\s*(?:抱歉|对不起|很抱歉|非常抱歉|不好意思)?[，,。\s]*(?:我)?(?:无法|不能|不可以|没办法)(?:帮助|协助|提供|完成|回答|处理|满足)/;
const MAX_REFUSAL_CHARS = 300;

export function refusalOf(reply: ChatReply): string | undefined {
  if (reply.refusal) return reply.refusal;
  if (reply.finishReason === "content_filter") return "stopped by the provider's content filter";
  const text = reply.content.trim();
  if (text.length <= MAX_REFUSAL_CHARS && (EN.test(text) || ZH.test(text))) return text;
  return undefined;
}
