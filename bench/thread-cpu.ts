import { readFileSync } from "node:fs";

/** Linux's clock ticks per second for /proc times (USER_HZ), 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) the process's main thread has used so far, from `/proc/self/task/<pid>/stat`; undefined
 * where there is no /proc (macOS, Windows). `process.cpuUsage()` counts every thread, worker threads included.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
