// Turns scenario results into the summary, ratios, target verdicts, a console table and Markdown.
import { round } from './load.mjs';

const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** A job scenario's runs (bench/lib/runner.mjs runJob): time and what each pass checked. */
function summarizeJob(runs) {
  return {
    job: true,
    secondsMean: round(mean(runs.map((r) => r.seconds)), 2),
    secondsWorst: Math.max(...runs.map((r) => r.seconds)),
    ledgerEntriesMin: Math.min(...runs.map((r) => r.ledgerEntries ?? 0)),
    discrepancies: runs.reduce((sum, r) => sum + (r.discrepancies ?? 0), 0),
    serverCpuSecondsWorst: Math.max(...runs.map((r) => r.cpu.serverSeconds)),
    disturbedRuns: runs.filter((r) => r.disturbed).length,
  };
}

export function summarize(runs) {
  if (runs.length === 0) return null;
  if (runs[0].job) return summarizeJob(runs);
  const lags = runs.map((r) => r.outbox).filter(Boolean);
  return {
    rps: round(mean(runs.map((r) => r.rps)), 0),
    rpsMin: Math.min(...runs.map((r) => r.rps)),
    rpsMax: Math.max(...runs.map((r) => r.rps)),
    p50: round(mean(runs.map((r) => r.latencyMs.p50)), 1),
    p99Worst: Math.max(...runs.map((r) => r.latencyMs.p99)),
    serverCpuMsPerRequest: round(mean(runs.map((r) => r.cpu.serverMsPerRequest ?? 0)), 3),
    // What one core could serve if the server got all of it: robust to other load on the machine.
    cpuBoundRps: round(1000 / mean(runs.map((r) => r.cpu.serverMsPerRequest ?? Infinity)), 0),
    unexpected: runs.reduce((sum, r) => sum + r.unexpected, 0),
    disturbedRuns: runs.filter((r) => r.disturbed).length,
    ...(lags.length
      ? {
          lagP99Worst: Math.max(...lags.map((l) => l.lagMs.p99 ?? Infinity)),
          drainWorst: lags.some((l) => l.drainSeconds === null) ? null : Math.max(...lags.map((l) => l.drainSeconds)),
        }
      : {}),
  };
}

const statusOf = (byId, id) => byId.get(id)?.status ?? 'not selected';

export function computeRatios(byId, ratios) {
  return ratios.map(({ label, num, den }) => {
    const a = byId.get(num)?.summary;
    const b = byId.get(den)?.summary;
    const missing = [num, den].filter((id) => !byId.get(id)?.summary).map((id) => `${id} ${statusOf(byId, id)}`);
    return {
      label,
      num,
      den,
      value: a && b ? round(a.rps / b.rps, 2) : null,
      // The same ratio from server CPU per request (b's cost / a's cost): what it would be if
      // both servers had a core to themselves.
      byCpuCost: a?.serverCpuMsPerRequest && b?.serverCpuMsPerRequest ? round(b.serverCpuMsPerRequest / a.serverCpuMsPerRequest, 2) : null,
      missing: missing.join(', ') || null,
    };
  });
}

function disturbance(ids, byId) {
  const n = Object.values(ids).reduce((sum, id) => sum + (byId.get(id)?.summary?.disturbedRuns ?? 0), 0);
  return n > 0 ? `; ${n} disturbed run(s)` : '';
}

function verdict(target, ids, byId) {
  const s = (id) => byId.get(id)?.summary ?? null;
  if (target.kind === 'ratio') {
    const a = s(ids.num);
    const b = s(ids.den);
    if (!a?.rps || !b?.rps) return null;
    const value = round(a.rps / b.rps, 2);
    const byCpuCost = a.serverCpuMsPerRequest && b.serverCpuMsPerRequest ? round(b.serverCpuMsPerRequest / a.serverCpuMsPerRequest, 2) : null;
    return { value, byCpuCost, met: value >= target.min, shortBy: value >= target.min ? null : `${round((1 - value / target.min) * 100, 0)}% below ${target.min}×` };
  }
  const summary = s(ids.scenario);
  if (!summary) return null;
  if (target.kind === 'reconciliation') {
    const value = summary.serverCpuSecondsWorst;
    const short = [
      summary.ledgerEntriesMin < target.entriesMin ? `only ${summary.ledgerEntriesMin} ledger entries` : null,
      summary.discrepancies > 0 ? `${summary.discrepancies} discrepancies on a clean store` : null,
      value > target.max ? `the whole run took ${value} s server CPU: no per-step bound shown` : null,
    ].filter(Boolean);
    return { value, met: short.length === 0, shortBy: short.join(', ') || null };
  }
  const field = { p99: 'p99Worst', lag: 'lagP99Worst', drain: 'drainWorst' }[target.kind];
  const value = summary[field];
  if (value === undefined) return null;
  if (value === null) return { value: 'never', met: false, shortBy: 'did not drain within the timeout' };
  return { value, met: value <= target.max, shortBy: value <= target.max ? null : `${round(value - target.max, 2)} over (${round(value / target.max, 1)}×)` };
}

export function evaluateTargets(byId, targets) {
  return targets.map((target) => {
    const ids = target.kind === 'ratio' ? { num: target.num, den: target.den } : { scenario: target.scenario };
    const real = verdict(target, ids, byId);
    if (real) return { label: target.label, basis: Object.values(ids).join(' / ') + disturbance(ids, byId), standIn: false, ...real };
    const standIn = target.standIn ? verdict(target, target.standIn, byId) : null;
    if (standIn) {
      const missing = Object.values(ids).map((id) => `${id}: ${byId.get(id)?.status ?? 'not selected'}`).join(', ');
      const basis = `${Object.values(target.standIn).join(' / ')} (STAND-IN, ${missing})${disturbance(target.standIn, byId)}`;
      return { label: target.label, basis, standIn: true, ...standIn };
    }
    return { label: target.label, basis: 'not measured', standIn: false, value: null, met: null, shortBy: null };
  });
}

/** What a reconciliation pass checked, in one line. */
function jobLine(r) {
  const found = r.discrepancies === 0 ? 'no discrepancies' : `${r.discrepancies} discrepancies ${JSON.stringify(r.discrepancyCounts)}`;
  return `pass ${r.passes} of window ${r.window}: ${r.ledgerEntries} ledger entries, ${r.moneyObjects} money objects, ${r.movements} movements vs ${r.settlementLines} settlement lines in ${r.messages} queue messages (mean ${r.serverCpuSecondsPerMessage} s server CPU per message); ${found}`;
}

const pad = (text, width) => String(text).padEnd(width);
const padl = (text, width) => String(text).padStart(width);

export function renderText(report) {
  const lines = [];
  lines.push(`edgepay bench ${report.startedAt} — ${report.machine.summary}`);
  lines.push(`${report.config.connections} connections, ${report.config.duration}s per run, ${report.config.runs} runs, warm-up ${report.config.warmup} s${report.config.quick ? ' (QUICK)' : ''}`);
  lines.push('');
  lines.push(`${pad('scenario', 36)} ${padl('run', 3)} ${padl('req/s', 7)} ${padl('p50', 5)} ${padl('p90', 5)} ${padl('p99', 5)} ${padl('err', 5)} ${padl('non2xx', 7)} ${padl('srv%', 5)} ${padl('gen%', 5)} ${padl('other%', 6)} ${padl('ms/req', 7)}`);
  for (const s of report.scenarios) {
    if (s.status !== 'ok') {
      lines.push(`${pad(s.id, 36)} ${s.status.toUpperCase()}: ${s.reason}`);
      continue;
    }
    if (s.summary?.job) continue;
    s.runs.forEach((r, i) => {
      const l = r.latencyMs;
      lines.push(
        `${pad(i === 0 ? s.id : '', 36)} ${padl(`${r.disturbed ? '*' : ''}${i + 1}`, 3)} ${padl(r.rps, 7)} ${padl(l.p50, 5)} ${padl(l.p90, 5)} ${padl(l.p99, 5)} ${padl(r.errors, 5)} ${padl(r.non2xx, 7)} ${padl(r.cpu.server, 5)} ${padl(r.cpu.loadgen, 5)} ${padl(r.cpu.foreign ?? '-', 6)} ${padl(r.cpu.serverMsPerRequest ?? '-', 7)}`,
      );
    });
  }
  lines.push('', 'latency in ms; srv% / gen% / other% = CPU of server tree / load generator / every other process (100 = one core); ms/req = server CPU per request');
  lines.push('* = disturbed run: other processes used more than a quarter of a core meanwhile');
  lines.push('', 'ratios (mean req/s, same run):');
  for (const r of report.ratios) {
    lines.push(`  ${pad(r.label, 48)} ${r.value === null ? `n/a (${r.missing})` : `${pad(`${r.value}×`, 7)} by CPU cost ${r.byCpuCost ?? '-'}×`}`);
  }
  for (const s of report.scenarios.filter((x) => x.status === 'ok' && x.summary?.job)) {
    lines.push('', `${s.id} — ${s.title}:`);
    s.runs.forEach((r, i) => lines.push(`  run ${i + 1}${r.disturbed ? '*' : ''}: ${r.seconds} s wall, server CPU ${r.cpu.serverSeconds} s; ${jobLine(r)}`));
  }
  lines.push('', 'outbox → D1:');
  for (const s of report.scenarios.filter((x) => x.runs?.some((r) => r.outbox))) {
    s.runs.forEach((r, i) => {
      const o = r.outbox;
      lines.push(`  ${s.id} run ${i + 1}: lag p50 ${o.lagMs.p50} ms, p90 ${o.lagMs.p90} ms, p99 ${o.lagMs.p99} ms, max ${o.lagMs.max} ms (${o.landed}/${o.measured} writes); backlog at stop ${o.backlogAtStop}; drained ${o.drainSeconds ?? `> ${o.drainTimeoutSeconds}`} s after the stop`);
    });
  }
  for (const s of report.scenarios.filter((x) => x.profile?.modules)) {
    const p = s.profile;
    lines.push('', `CPU profile of ${s.id} (extra run at ${p.rpsWhileProfiling} req/s, ${p.sampledMs} ms sampled; self time):`);
    lines.push(`  modules:   ${p.modules.slice(0, 10).map((m) => `${m.name} ${m.percent}%`).join(', ')}`);
    lines.push(`  functions: ${p.functions.slice(0, 12).map((m) => `${m.name} ${m.percent}%`).join(', ')}`);
  }
  lines.push('', 'targets:');
  for (const t of report.targets) {
    const state = t.met === null ? 'NOT MEASURED' : t.met ? 'MET' : `MISSED (${t.shortBy})`;
    const cost = t.byCpuCost ? ` (by CPU cost ${t.byCpuCost}×)` : '';
    lines.push(`  ${pad(t.label, 52)} ${pad(t.value ?? '-', 7)} ${state}${cost}  [${t.basis}]`);
  }
  const problems = report.scenarios.flatMap((s) => (s.runs ?? []).flatMap((r, i) => (r.setupProblems ?? []).map((p) => `${s.id} run ${i + 1}: ${p}`)));
  if (problems.length) lines.push('', 'failures outside the measured windows (not in the numbers):', ...problems.map((p) => `  ${p}`));
  for (const [kind, entries] of Object.entries(report.serverLogs ?? {})) {
    lines.push('', `${kind} server log (bench/results/<stamp>.${kind}.log), most frequent warnings/errors:`);
    for (const e of entries) lines.push(`  ${String(e.count).padStart(5)} × ${e.message}`);
  }
  if (report.seeding.length) {
    lines.push('', 'seeding (not measured):');
    for (const s of report.seeding) lines.push(`  ${s.what}: ${s.seconds} s (${s.rps}/s)${s.d1DrainAfterSeconds !== undefined ? `, D1 caught up ${s.d1DrainAfterSeconds ?? 'never (timeout)'} s later` : ''}`);
  }
  return lines.join('\n');
}

export function renderMarkdown(report) {
  const lines = [];
  lines.push(`Run ${report.startedAt} on ${report.machine.summary}.${report.complete ? '' : ' INCOMPLETE (stopped early).'}`, '');
  lines.push(`${report.config.connections} connections · ${report.config.duration} s per run · ${report.config.runs} runs · warm-up ${report.config.warmup} s per run${report.config.quick ? ' · QUICK' : ''} · N = ${report.config.seedLarge}, M = ${report.config.seedMedium}, reconciliation store ${report.config.reconPayments} payments`, '');
  lines.push('| scenario | req/s (runs) | p50 ms | p90 ms | p99 ms | err | non-2xx | server CPU % | loadgen CPU % | other CPU % | server CPU ms/req |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of report.scenarios) {
    if (s.status !== 'ok') {
      lines.push(`| \`${s.id}\` | ${s.status}: ${s.reason} | | | | | | | | | |`);
      continue;
    }
    if (s.summary?.job) continue;
    const runs = s.runs;
    const join = (f) => runs.map(f).join(' / ');
    const rpsCell = runs.map((r) => `${r.rps}${r.disturbed ? '*' : ''}`).join(' / ');
    lines.push(
      `| \`${s.id}\` | ${rpsCell} | ${join((r) => r.latencyMs.p50)} | ${join((r) => r.latencyMs.p90)} | ${join((r) => r.latencyMs.p99)} | ${join((r) => r.errors)} | ${join((r) => r.non2xx)} | ${join((r) => r.cpu.server)} | ${join((r) => r.cpu.loadgen)} | ${join((r) => r.cpu.foreign)} | ${join((r) => r.cpu.serverMsPerRequest)} |`,
    );
  }
  lines.push('', '\\* disturbed run: other processes on the machine used more than a quarter of a core during it.');
  for (const s of report.scenarios.filter((x) => x.status === 'ok' && x.summary?.job)) {
    lines.push('', `\`${s.id}\` (${s.title}):`, '');
    s.runs.forEach((r, i) => lines.push(`- run ${i + 1}${r.disturbed ? '\\*' : ''}: ${r.seconds} s wall, server CPU ${r.cpu.serverSeconds} s; ${jobLine(r)}`));
  }
  lines.push('', '| ratio | req/s | by server CPU per request |', '|---|---|---|');
  for (const r of report.ratios) {
    lines.push(r.value === null ? `| ${r.label} | n/a (${r.missing}) | |` : `| ${r.label} | ${r.value}× | ${r.byCpuCost ?? '–'}× |`);
  }
  for (const s of report.scenarios.filter((x) => x.profile?.modules)) {
    const p = s.profile;
    lines.push('', `CPU profile of \`${s.id}\` (extra run at ${p.rpsWhileProfiling} req/s; self time): ${p.modules.slice(0, 10).map((m) => `${m.name} ${m.percent}%`).join(', ')}`);
  }
  lines.push('', '| target | measured | verdict | by server CPU per request | basis |', '|---|---|---|---|---|');
  for (const t of report.targets) {
    lines.push(`| ${t.label} | ${t.value ?? '–'} | ${t.met === null ? 'not measured' : t.met ? 'met' : `**missed** (${t.shortBy})`} | ${t.byCpuCost ? `${t.byCpuCost}×` : '–'} | ${t.basis} |`);
  }
  return lines.join('\n');
}
