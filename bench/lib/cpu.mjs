// CPU accounting from /proc: utime + stime (clock ticks) of a process tree, and core pinning.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces).
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Seconds of CPU (user + system) used so far by one process, or 0 if it is gone. */
export function processCpuSeconds(pid) {
  const fields = statFields(pid);
  if (fields === null) return 0;
  // fields[0] is state (field 3); utime is field 14 and stime field 15 → indices 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** The pid and every descendant (workerd is Miniflare's child). */
export function processTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === null) continue;
    const ppid = Number(fields[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const tree = [];
  const queue = [rootPid];
  while (queue.length > 0 && tree.length < 1000) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export function treeCpuSeconds(pids) {
  return pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}

export const hasProcStat = existsSync('/proc/self/stat');

let tasksetPath;
/** `taskset` if util-linux provides it and this machine has ≥ 2 cores, else null. */
export function taskset() {
  if (tasksetPath !== undefined) return tasksetPath;
  tasksetPath = null;
  for (const candidate of ['/usr/bin/taskset', '/bin/taskset', '/usr/local/bin/taskset']) {
    if (existsSync(candidate)) tasksetPath = candidate;
  }
  return tasksetPath;
}

/** Pins every thread of this process (the load generator) to `core`; true on success. */
export function pinSelf(core) {
  const bin = taskset();
  if (bin === null) return false;
  try {
    execFileSync(bin, ['-a', '-c', '-p', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Machine-wide CPU seconds from /proc/stat: busy (user+nice+system+irq+softirq), iowait, steal. */
export function machineCpuSeconds() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return {
      busy: (user + nice + system + irq + softirq) / CLOCK_TICKS_PER_SECOND,
      iowait: iowait / CLOCK_TICKS_PER_SECOND,
      steal: (steal ?? 0) / CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return { busy: 0, iowait: 0, steal: 0 };
  }
}
