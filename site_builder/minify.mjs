// Minifies JavaScript with terser, for site_builder/minify.py. Usage: node minify.mjs < jobs.json
// jobs: [{in, out, module, keepNames}] (file paths). One process for every file of a build.
import fs from "node:fs";
import { minify } from "terser";

const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
for (const job of jobs) {
  const result = await minify(fs.readFileSync(job.in, "utf8"), {
    module: job.module,
    compress: true,
    mangle: true,
    keep_fnames: job.keepNames,
    keep_classnames: job.keepNames,
    format: { comments: false },
  });
  fs.writeFileSync(job.out, result.code);
}
