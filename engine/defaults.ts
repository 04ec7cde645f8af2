// engine/defaults.ts: what a scenario gets when it does not say.
//
// The configuration matches an x86-64 v7.2 kernel with the generic vDSO (NR = 4, no arch
// data). Costs are simulated nanoseconds: the series' cover letter measured a [vvar] page fault
// "on the order of 20us"; a vDSO clock_gettime() that hits present pages is a few tens of ns; a
// syscall a few hundred. Scenarios may override any of them (Scenario.config, Scenario.costs).

import type { Costs, ScenarioConfig } from "./types.js";

export const DEFAULT_CONFIG: Required<ScenarioConfig> = {
  GENERIC_GETTIMEOFDAY: true,
  TIME_NS: true,
  VDSO_GETRANDOM: true,
  ARCH_HAS_VDSO_ARCH_DATA: false,
  arch_data_pages: 1,
};

export const DEFAULT_COSTS: Required<Costs> = {
  fault_exception_ns: 20000,
  vdso_call_ns: 25,
  syscall_ns: 250,
};

/** The configuration and costs of `s`, with the defaults filled in. */
export function resolveConfig(config?: ScenarioConfig): Required<ScenarioConfig> {
  return { ...DEFAULT_CONFIG, ...(config ?? {}) };
}
export function resolveCosts(costs?: Costs): Required<Costs> {
  return { ...DEFAULT_COSTS, ...(costs ?? {}) };
}
