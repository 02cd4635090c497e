import { ratioNames, scenarioNames, type BenchReport } from './report.js';

const width = 800;
const rowHeight = 28;
const labelWidth = 320;
const barSpace = width - labelWidth - 110;
const headline = 44;

/** The Store dark, its floors in shades from (a) to (d), the Express peer apart. */
const colours: Record<string, string> = {
  [scenarioNames.store]: '#2f6f4f',
  [scenarioNames.bare]: '#d3ddd7',
  [scenarioNames.redis]: '#b6c8be',
  [scenarioNames.session]: '#9bb3a6',
  [scenarioNames.floor]: '#6f927f',
  [scenarioNames.express]: '#b5651d',
};

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function panel(title: string, rows: Array<{ label: string; value: number; text: string }>, top: number): string {
  const largest = Math.max(...rows.map((row) => row.value), 1);
  const bars = rows.map((row, index) => {
    const y = top + 24 + index * rowHeight;
    const length = Math.max(1, (row.value / largest) * barSpace);
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(row.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 2}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${colours[row.label] ?? '#8aa89a'}"/>`,
      `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 15}">${escape(row.text)}</text>`,
    ].join('');
  });
  return `<text x="0" y="${top + 14}" font-weight="bold">${escape(title)}</text>${bars.join('')}`;
}

/**
 * Three bar charts from one benchmark run: throughput (longer is better), the server's CPU time
 * per request and p99 latency (shorter is better) per scenario, under the Store's ratios to the
 * floor. Plain SVG written here: a few rectangles and labels need no charting library, and the
 * file stays readable in a diff.
 */
export function barChart(report: BenchReport): string {
  const { scenarios } = report;
  const panelHeight = 24 + scenarios.length * rowHeight + 16;
  const height = headline + panelHeight * 3 + 30;
  const throughput = scenarios.map((scenario) => ({
    label: scenario.name,
    value: scenario.requestsPerSecond,
    text: `${Math.round(scenario.requestsPerSecond).toLocaleString('en')} req/s`,
  }));
  const cpu = scenarios.map((scenario) => ({
    label: scenario.name,
    value: scenario.cpuMicrosPerRequest,
    text: `${Math.round(scenario.cpuMicrosPerRequest)} µs`,
  }));
  const latency = scenarios.map((scenario) => ({
    label: scenario.name,
    value: scenario.p99Ms,
    text: `${scenario.p99Ms} ms`,
  }));
  const ratio = (name: string) => report.ratios[name]?.median.toFixed(2) ?? '?';
  const summary = `The Store over the floor (d): ${ratio(ratioNames.floorThroughput)}× its throughput, ${ratio(ratioNames.floorCpu)}× its CPU per request`;
  const note =
    "Medians of the rounds' ratios. The floor does the Store's Redis round trips, cookie check, hashing, decoding and headers, and nothing else.";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13" fill="#222">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="0" y="16" font-weight="bold">${escape(summary)}</text>`,
    `<text x="0" y="32" font-size="11" fill="#555">${escape(note)}</text>`,
    panel('Throughput, requests per second (longer is better)', throughput, headline),
    panel('Server CPU time per request, microseconds (shorter is better)', cpu, headline + panelHeight),
    panel('p99 latency, milliseconds (shorter is better)', latency, headline + panelHeight * 2),
    `<text x="0" y="${height - 8}" font-size="11" fill="#555">${escape(report.machine)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
