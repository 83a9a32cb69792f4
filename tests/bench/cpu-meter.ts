// Where the CPU goes during a load phase: CPU seconds (user + system, all threads) each process
// consumed, read from /proc/<pid>/stat before and after. On a 2-core machine shared by our server,
// its database, the load generator and the reference server, this says who competes for the cores.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_S = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds a process has used so far (utime + stime); NaN when it is gone or not on Linux. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // fields 14 and 15 of stat(5)
  } catch {
    return NaN;
  }
}

/**
 * Seconds the process's main thread (its event loop, for Node) has spent ready to run but waiting
 * for a core (the second field of /proc/<pid>/task/<pid>/schedstat); NaN when unknown. Every such
 * wait delays whatever the loop was about to do: on a saturated machine it is much of a tail.
 */
export function mainThreadWaitSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return NaN;
  }
}

/** A process to meter: a name and its pid (undefined: not running in this configuration). */
export type Metered = [name: string, pid: number | undefined];

export interface CpuPhase {
  seconds: number;
  /** CPU seconds per process over the phase, and how long its main thread waited for a core. */
  used: { name: string; cpuS: number; waitS: number }[];
  /** Load average (1 min) at the end. */
  load1: number;
}

/** Starts metering `processes`; the returned function ends the phase. */
export function meterCpu(processes: Metered[]): () => CpuPhase {
  const present = processes.filter((p): p is [string, number] => p[1] !== undefined);
  const before = present.map(([, pid]) => cpuSeconds(pid));
  const waitedBefore = present.map(([, pid]) => mainThreadWaitSeconds(pid));
  const t0 = performance.now();
  return () => ({
    seconds: (performance.now() - t0) / 1000,
    used: present.map(([name, pid], i) => ({
      name,
      cpuS: cpuSeconds(pid) - before[i]!,
      waitS: mainThreadWaitSeconds(pid) - waitedBefore[i]!,
    })),
    load1: os.loadavg()[0]!,
  });
}

/**
 * "cpu over 24.1 s (2 cores): ours 20.3 s (84% of a core, main thread waited 2.1 s for a core), ferretdb 9.1 s
 * (38% of a core, ...), ... together 1.70 cores"
 */
export function describeCpu(phase: CpuPhase): string {
  const pct = (s: number) => `${Math.round((s / phase.seconds) * 100)}%`;
  const total = phase.used.reduce((sum, u) => sum + (Number.isFinite(u.cpuS) ? u.cpuS : 0), 0);
  return (
    `cpu over ${phase.seconds.toFixed(1)} s (${os.cpus().length} cores, load average ${phase.load1.toFixed(2)}): ` +
    phase.used
      .map((u) => {
        const waited = Number.isFinite(u.waitS) ? `, main thread waited ${u.waitS.toFixed(1)} s for a core` : '';
        return `${u.name} ${u.cpuS.toFixed(1)} s (${pct(u.cpuS)} of a core${waited})`;
      })
      .join(', ') +
    `; together ${(total / phase.seconds).toFixed(2)} cores`
  );
}
