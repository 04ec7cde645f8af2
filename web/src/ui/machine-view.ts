// machine-view.ts: the learner's own machine in the sandbox.
//   - the fault-cost field at the top of the results pane: the model's 20 µs (the series' test
//     machine) or the figure the learner pastes from `prefault probe` (a figure, the probe's
//     line, or the costs file's JSON), checked by the engine's costs parser; the next Run's
//     timelines use it (core/costs.ts keeps it);
//   - the lesson pane's "On your machine" section: the two commands that run the probe, and what
//     the model predicts it shows for the kernel era the learner picks (computed from the eras'
//     stage runs at build time: virtual:prefault-predictions).
import "./machine.css";
import { DEFAULT_COSTS } from "../../../engine/defaults.js";
import { fmtCost } from "../../../engine/costs.js";
import { ERAS, lessonRows, type EraPredictions } from "../../../engine/probe/predict.js";
import type { Era } from "../../../engine/probe/record.js";
import { clearCosts, loadCosts, loadEra, saveCostsText, saveEra, type SavedCosts } from "../core/costs.js";
import type { KeyValueStore } from "../core/storage.js";
import { h } from "./dom.js";

/** The commands the section shows, as a learner types them in a fresh folder. */
export const PROBE_COMMANDS = ["npx prefault probe", "npx prefault probe --save-costs costs.json"];

/** Draws the fault-cost field into `host`; `changed` hears of every new cost (null: the default). */
export function renderCostField(host: HTMLElement, store: KeyValueStore, changed: (c: SavedCosts | null) => void): { current(): SavedCosts | null } {
  let saved = loadCosts(store);
  const input = h("input", { id: "cost-input", type: "text", autocomplete: "off", spellcheck: "false",
    placeholder: "1.4 µs, 1400 ns or costs.json", "aria-describedby": "cost-msg" });
  const msg = h("p", { id: "cost-msg", class: "cost-msg", role: "status", "aria-live": "polite" });
  const now = h("span", { id: "cost-now" });
  const reset = h("button", { type: "button", id: "cost-reset" }, "Use 20 µs");
  const show = (note: string, bad = false) => {
    now.replaceChildren(saved
      ? h("span", {}, "fault cost: ", h("b", {}, fmtCost(saved.costs.fault_exception_ns!)), " (yours) | the model's default: 20 µs (the series' test machine)")
      : h("span", {}, "fault cost: ", h("b", {}, fmtCost(DEFAULT_COSTS.fault_exception_ns)), " (the series' test machine) | yours: paste the figure"));
    reset.hidden = !saved;
    msg.textContent = note;
    msg.classList.toggle("bad", bad);
    if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  };
  const form = h("form", { class: "cost-field", "aria-label": "Fault cost" },
    h("p", { class: "cost-now" }, now),
    h("div", { class: "cost-row" }, h("label", { for: "cost-input" }, "yours:"), input,
      h("button", { type: "submit", id: "cost-use" }, "Use"), reset),
    msg);
  form.addEventListener("submit", e => {
    e.preventDefault();
    const r = saveCostsText(store, input.value, Date.now());
    if (!r.ok) { show(r.message, true); input.focus(); return; }
    saved = r.saved;
    input.value = "";
    show(`The next Run's timelines use ${fmtCost(saved.costs.fault_exception_ns!)} per fault; the checks keep the lesson's costs.` +
         (r.stored ? "" : " (This browser's storage refused it: it lasts until you close the page.)"));
    changed(saved);
  });
  reset.addEventListener("click", () => {
    clearCosts(store);
    saved = null;
    show("Back to the model's 20 µs for the next Run.");
    changed(null);
    input.focus();
  });
  show("");
  host.replaceChildren(form);
  return { current: () => saved };
}

/** Draws the "On your machine" section of `lesson` into `host`. */
export function renderMachineSection(host: HTMLElement, lesson: string, predictions: EraPredictions, store: KeyValueStore): void {
  let era: Era = loadEra(store) ?? "v6.18";
  const table = h("div", { class: "machine-table", id: "machine-predictions" });
  const picker = h("fieldset", { class: "era-picker" }, h("legend", {}, "Your kernel's era"),
    ...ERAS.map(e => {
      const radio = h("input", { type: "radio", name: "machine-era", id: `era-${e.era}`, value: e.era, checked: e.era === era });
      radio.addEventListener("change", () => { if (radio.checked) { era = e.era; saveEra(store, era); draw(); } });
      return h("label", { for: `era-${e.era}`, title: e.detail }, radio, ` ${e.label}`);
    }));
  const draw = () => {
    const rows = lessonRows(lesson).map(id => predictions[era]?.[id]).filter(p => p !== undefined);
    const detail = ERAS.find(e => e.era === era)!.detail;
    table.replaceChildren(h("table", { "aria-label": `What the model predicts on ${ERAS.find(e => e.era === era)!.label}` },
      h("caption", {}, `The model on ${detail}:`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "observation"), h("th", { scope: "col" }, "the model predicts"))),
      h("tbody", {}, ...rows.map(p => h("tr", { "data-observation": p.id },
        h("th", { scope: "row" }, h("code", {}, p.id), h("span", { class: "obs-title" }, p.title)),
        h("td", {}, h("ul", {}, ...p.facts.map(([k, v]) => h("li", {}, `${k}: `, h("b", {}, v))))))))));
  };
  const commands = h("pre", { class: "machine-commands", tabindex: "0", "aria-label": "Commands" },
    h("code", {}, PROBE_COMMANDS.join("\n")));
  host.replaceChildren(
    h("h3", { id: "machine-title" }, "On your machine"),
    h("p", {}, "Every Linux machine you own is an oracle for this handler. In a terminal (Linux, with a C compiler), from any folder, run:"),
    commands,
    h("p", { class: "small" }, "The first sets your kernel beside the model, observation by observation (exit 0 when they all agree). " +
      "The second also saves what one [vvar] fault costs on your machine: paste the figure or the file into the fault-cost field of the Results pane, and the next Run's timelines use it."),
    h("p", { class: "small" }, "Your era is in the VmFlags of [vvar] (grep -A30 vvar /proc/self/smaps): pf io is Linux up to 6.18, io without pf is 7.0 to 7.1, no io means the series is merged."),
    picker,
    table);
  draw();
}
