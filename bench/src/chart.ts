import type { ScenarioSummary } from './report.js';

const width = 720;
const rowHeight = 28;
const labelWidth = 250;
const barSpace = width - labelWidth - 90;
const colours = ['#2f6f4f', '#8aa89a', '#c2cfc8', '#b5651d'];

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
      `<rect x="${labelWidth}" y="${y + 2}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${colours[index % colours.length]}"/>`,
      `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 15}">${escape(row.text)}</text>`,
    ].join('');
  });
  return `<text x="0" y="${top + 14}" font-weight="bold">${escape(title)}</text>${bars.join('')}`;
}

/**
 * Two bar charts from one benchmark run: throughput (longer is better) and p99 latency (shorter
 * is better) per scenario. Plain SVG written here: a few rectangles and labels need no charting
 * library, and the file stays readable in a diff.
 */
export function barChart(scenarios: ScenarioSummary[], caption: string): string {
  const panelHeight = 24 + scenarios.length * rowHeight + 16;
  const height = panelHeight * 2 + 30;
  const throughput = scenarios.map((scenario) => ({
    label: scenario.name,
    value: scenario.requestsPerSecond,
    text: `${Math.round(scenario.requestsPerSecond).toLocaleString('en')} req/s`,
  }));
  const latency = scenarios.map((scenario) => ({
    label: scenario.name,
    value: scenario.p99Ms,
    text: `${scenario.p99Ms} ms`,
  }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13" fill="#222">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    panel('Throughput, requests per second (longer is better)', throughput, 0),
    panel('p99 latency, milliseconds (shorter is better)', latency, panelHeight),
    `<text x="0" y="${height - 8}" font-size="11" fill="#555">${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
