// The editor service: editor_in_chief, deputy_editor, writer, translator, headline_editor.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { editorHandlers } from "./handlers.js";

export const editor: ServiceSpec<"editor"> = {
  name: "editor",
  handlers: (deps) => editorHandlers(deps),
};
