// config.ts: the kernel configuration and the cost model of one scenario (set by boot()).
// Models: the Kconfig options the datastore tests with IS_ENABLED(); simulated costs from the
// series' cover letter (a user page fault on [vvar] costs on the order of 20 us).

/** CONFIG_* option numbers, as learner/kernel.ts names them. */
// @ts-ignore: decorator
@inline export const CONFIG_GENERIC_GETTIMEOFDAY: u32 = 1;
// @ts-ignore: decorator
@inline export const CONFIG_TIME_NS: u32 = 2;
// @ts-ignore: decorator
@inline export const CONFIG_VDSO_GETRANDOM: u32 = 3;
// @ts-ignore: decorator
@inline export const CONFIG_ARCH_HAS_VDSO_ARCH_DATA: u32 = 4;

export let CONFIG_GENERIC_GETTIMEOFDAY_y: bool = true;
export let CONFIG_TIME_NS_y: bool = true;
export let CONFIG_VDSO_GETRANDOM_y: bool = true;
export let CONFIG_ARCH_HAS_VDSO_ARCH_DATA_y: bool = false;
/** VDSO_ARCH_DATA_PAGES (1 without arch data: the struct is a 1-byte dummy) */
export let VDSO_ARCH_DATA_PAGES: u32 = 1;
/** VDSO_NR_PAGES = VDSO_ARCH_PAGES_START + VDSO_ARCH_DATA_PAGES */
export let VDSO_NR_PAGES: u32 = 4;

/** Simulated costs, in ns. */
export let cost_fault_exception_ns: u64 = 20000;
export let cost_vdso_call_ns: u64 = 25;
export let cost_syscall_ns: u64 = 250;

/** Sets the configuration; called once by boot() before anything else. */
export function set_config(gtod: bool, timens: bool, getrandom: bool, arch: bool, arch_pages: u32): void {
  CONFIG_GENERIC_GETTIMEOFDAY_y = gtod;
  CONFIG_TIME_NS_y = timens;
  CONFIG_VDSO_GETRANDOM_y = getrandom;
  CONFIG_ARCH_HAS_VDSO_ARCH_DATA_y = arch;
  VDSO_ARCH_DATA_PAGES = arch_pages < 1 ? 1 : (arch_pages > 8 ? 8 : arch_pages);
  VDSO_NR_PAGES = 3 + VDSO_ARCH_DATA_PAGES;
}

/** IS_ENABLED(option) for the CONFIG_* numbers above; 0 for an unknown option. */
export function kernel_config_enabled(option: u32): bool {
  if (option == CONFIG_GENERIC_GETTIMEOFDAY) return CONFIG_GENERIC_GETTIMEOFDAY_y;
  if (option == CONFIG_TIME_NS) return CONFIG_TIME_NS_y;
  if (option == CONFIG_VDSO_GETRANDOM) return CONFIG_VDSO_GETRANDOM_y;
  if (option == CONFIG_ARCH_HAS_VDSO_ARCH_DATA) return CONFIG_ARCH_HAS_VDSO_ARCH_DATA_y;
  return false;
}

export function set_costs(fault_ns: u64, vdso_ns: u64, syscall_ns: u64): void {
  cost_fault_exception_ns = fault_ns;
  cost_vdso_call_ns = vdso_ns;
  cost_syscall_ns = syscall_ns;
}
