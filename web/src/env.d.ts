/// <reference types="vite/client" />

declare module "virtual:prefault-lessons" {
  const data: { lessons: unknown[]; broken: { id: string; message: string }[] };
  export default data;
}

declare module "virtual:prefault-predictions" {
  const data: import("../../engine/probe/predict.js").EraPredictions;
  export default data;
}

declare module "monaco-editor/languages/definitions/typescript/typescript" {
  export const conf: unknown;
  export const language: unknown;
}

declare module "virtual:prefault-stages" {
  const data: { classroom: boolean; stages: { name: string; title: string; solves: string[]; hash: string; url: string }[] };
  export default data;
}

declare module "virtual:prefault-binaryen-wasm" {
  /** the URL of binaryen's Wasm asset (web/plugins/binaryen-wasm.ts); null where binaryen keeps it inline (dev server) */
  const url: string | null;
  export default url;
}
