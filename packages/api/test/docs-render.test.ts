import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '@sqltrace/api';
import { FsBlobStore, openRepository } from '@sqltrace/stores';

/** Debian's Chromium (apt-get install chromium); `.ci/run` installs it. */
const CHROMIUM = process.env.STB_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  const message = `\n!!! ${CHROMIUM} is missing: the /docs browser test is SKIPPED (apt-get install chromium) !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
  console.warn(message);
}

describe('/docs', () => {
  (HAVE_CHROMIUM ? it : it.skip)(
    'renders the API in headless Chromium without console errors, every route listed',
    async () => {
      const { chromium } = await import('playwright-core');
      const dir = mkdtempSync(join(tmpdir(), 'stb-docs-'));
      const { repository } = await openRepository(`sqlite:${join(dir, 'stb.db')}`);
      const server = await createApiServer({ repository, blobs: new FsBlobStore(join(dir, 'blobs')) });
      await server.listen({ host: '127.0.0.1', port: 0 });
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        await page.goto(`http://127.0.0.1:${(server.server.address() as { port: number }).port}/docs/`);
        await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
        expect(await page.locator('.opblock').count()).toBe(22);
        expect(await page.locator('.info .title').innerText()).toContain('SQL Trace Bench API');
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
        await server.close();
        await repository.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
