// Opens each Chrome JSON export in speedscope (the npm release, served from 127.0.0.1) inside
// headless Chromium, as a user would with "#profileURL=", and reports what the viewer said:
// whether the import succeeded (speedscope renames the page to the profile's name), its
// console warnings (speedscope's Chrome importer warns, for example, about a slice that ends
// after its parent) and any page error (such as "RangeError: Maximum call stack size exceeded").
// Usage: node check-speedscope.mjs PORT FILE.json... (the files are served from the folder
// check-speedscope.sh sets up). Exit code 1 if any file failed to import or raised an error.
import { chromium } from 'playwright-core';

const [port, ...files] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
for (const file of files) {
  const page = await browser.newPage();
  const counts = { warning: 0, error: 0 };
  const samples = [];
  const errors = [];
  page.on('console', (m) => {
    // Chromium's own GPU notes ("[.WebGL-...] GL Driver Message ...") are not speedscope's.
    if (m.text().startsWith('[.WebGL')) return;
    if (m.type() === 'warning' || m.type() === 'error') {
      counts[m.type()]++;
      if (samples.length < 3) samples.push(m.text().slice(0, 160));
    }
  });
  page.on('pageerror', (e) => errors.push(String(e).slice(0, 200)));
  const url = `http://127.0.0.1:${port}/speedscope/index.html#profileURL=` +
    encodeURIComponent(`http://127.0.0.1:${port}/files/${file}`);
  const started = Date.now();
  await page.goto(url);
  let imported = false;
  try {
    // speedscope sets the title to "<profile name> - speedscope" once a profile is shown.
    await page.waitForFunction(() => / - speedscope$/.test(document.title), null,
      { timeout: 120000 });
    imported = true;
  } catch (e) {
    errors.push('not imported within 120 s: ' + (await page.title()));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = imported && errors.length === 0;
  failed ||= !ok;
  console.log(JSON.stringify({ file, imported, seconds: Number(seconds),
    warnings: counts.warning, consoleErrors: counts.error, pageErrors: errors, samples }));
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
