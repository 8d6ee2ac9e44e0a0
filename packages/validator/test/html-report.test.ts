import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEvent } from '@sqltrace/core';
import { WorkloadValidator, escapeHtml, renderHtmlReport } from '@sqltrace/validator';

/** Debian's Chromium (apt-get install chromium); `.ci/run` installs it. */
const CHROMIUM = process.env.STB_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  const message = `\n!!! ${CHROMIUM} is missing: the HTML report browser test is SKIPPED (apt-get install chromium) !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
  console.warn(message);
}

const HOSTILE = "SELECT '<script>alert(\"x\")</script>' FROM t WHERE a = $1 AND b = '&amp;'";

function trace(seed: number, hostileShare: number): TraceEvent[] {
  let x = seed;
  const next = () => (x = (48271 * x) % 2147483647) / 2147483647;
  const events: TraceEvent[] = [];
  for (let s = 0; s < 300; s++) {
    let ts = 1_700_000_000_000_000 + s * 10_000;
    for (let i = 0; i < 4; i++) {
      const hostile = next() < hostileShare;
      events.push({
        ts,
        session: `s${s}`,
        sql: hostile ? HOSTILE : 'SELECT 1 FROM t WHERE id = $1',
        params: [Math.floor(next() * 1000)],
        durationUs: 100,
        templateId: hostile ? 'hostile' : 'plain',
      });
      ts += 100 + Math.floor(next() * 5_000);
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

describe('HTML report', () => {
  let html: string;
  beforeAll(async () => {
    const report = await new WorkloadValidator().compare(trace(1, 0.3), trace(2, 0.5));
    html = renderHtmlReport(report);
  });

  it('is one self-contained page: no script, no external resource, SQL escaped', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/FAIL/);
    // The open sessions over time of both traces, on one chart.
    expect(html).toContain('<h2>Open sessions over time</h2>');
    expect(html).toMatch(/aria-label="open sessions over time">[\s\S]*?<polyline class="original"[^>]*points="([\d.]+,[\d.]+ ){19}[\d.]+,[\d.]+"/);
  });

  (HAVE_CHROMIUM ? it : it.skip)('renders in headless Chromium without console errors, showing the query text as text', async () => {
    const { chromium } = await import('playwright-core');
    const file = join(mkdtempSync(join(tmpdir(), 'stb-html-')), 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`file://${file}`);
      expect(await page.evaluate('document.scripts.length')).toBe(0);
      expect(await page.locator('body').innerText()).toContain('<script>alert("x")</script>');
      expect(await page.locator('svg').count()).toBeGreaterThan(3);
      expect(await page.locator('polyline').count()).toBeGreaterThan(0);
      expect(await page.locator('svg[aria-label="open sessions over time"] polyline').count()).toBe(2);
      const screenshot = await page.screenshot({ fullPage: true });
      expect(screenshot.length).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
