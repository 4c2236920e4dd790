// Runs the 自测 page in Debian's Firefox ESR (npm puppeteer-core over WebDriver BiDi; no browser
// download, no geckodriver) and prints what the page shows, for tests/test_selfcheck_engines.py.
// Input (stdin, JSON): {url, probe, fragments}: `probe` is the source of an async page function
// taking a share fragment and returning the result text (the same function every engine runs).
// Output (stdout, JSON): {texts: [result text per fragment], reload: {text, timings}, error?}
import puppeteer from "puppeteer-core";

const input = JSON.parse(await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
}));
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: "/usr/bin/firefox-esr",
  headless: true,
  protocolTimeout: 180_000,
});
const out = { texts: [] };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844 });
  const run = (fragment) => page.evaluate(`(${input.probe})(${JSON.stringify(fragment)})`);
  await page.goto(input.url);
  await page.waitForSelector("#hc-selfcheck[data-form=usable]", { timeout: 60_000 });
  for (const fragment of input.fragments) out.texts.push(await run(fragment));
  // A return visit: restored from the memory snapshot the first visit stored, or booted again.
  await page.reload();
  await page.waitForSelector("#hc-selfcheck[data-form=usable]", { timeout: 60_000 });
  const text = await run(input.fragments[0]);
  const timings = await page.evaluate(() => document.getElementById("hc-selfcheck").dataset.bootTimings);
  out.reload = { text, timings: JSON.parse(timings || "{}") };
} catch (error) {
  out.error = String((error && error.stack) || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
