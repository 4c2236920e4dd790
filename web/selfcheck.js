// The 自测 page: skip logic for the build-time form, the Pyodide worker, and the result.
// Loaded on every page (Material extra_javascript, type module); does nothing where the
// #hc-selfcheck element is absent, so text pages never load Pyodide.
// Result data is only ever inserted as text (textContent / createElement), never as HTML.

import { storeOffline } from "./offline.js"; // also runs the 离线使用 buttons of any page
import { ROOT_ID, SITE_ROOT, megabytes, onEveryPage } from "./page.js";
import { startWorker } from "./preload.js";

const SHARE_KEY = "a";

let checker = null; // one worker for the whole visit, kept across Material's instant navigation

const STAGE_TEXT = {
  runtime: "正在下载测算工具（仅首次需要）",
  python: "正在启动测算工具",
  checker: "正在载入自测规则",
  ready: "测算工具已就绪。",
};
const STAGES = ["runtime", "python", "checker"];

// Progress in words a person reads: bytes when the worker reports them ({type: "progress",
// loaded, total}), else the step of the boot.
function progressText(state) {
  if (state.status === "ready") return STAGE_TEXT.ready;
  if (state.total) return `正在准备测算工具 ${megabytes(state.loaded || 0)}/${megabytes(state.total)} MB`;
  const step = Math.max(0, STAGES.indexOf(state.stage)) + 1;
  return `正在准备测算工具（第 ${step} 步，共 ${STAGES.length} 步：${STAGE_TEXT[state.stage] || STAGE_TEXT.runtime}）`;
}

function startChecker(root) {
  const listeners = new Set();
  const state = { status: "loading", stage: "runtime", error: null, pending: new Map(), nextId: 1 };
  const emit = () => listeners.forEach((fn) => fn(state));
  const fail = (message) => {
    state.status = "error";
    state.error = message;
    emit();
  };
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fail("nowasm");
    return { state, listeners, check: () => {} };
  }
  const onMessage = ({ data }) => {
    if (data.type === "stage") {
      state.stage = data.stage;
    } else if (data.type === "progress") {
      state.loaded = data.loaded;
      state.total = data.total;
    } else if (data.type === "ready") {
      state.timings = data.timings;
      state.status = "ready";
      state.stage = "ready";
    } else if (data.type === "result") {
      const resolve = state.pending.get(data.id);
      state.pending.delete(data.id);
      if (resolve) resolve(JSON.parse(data.response));
      return;
    } else if (data.type === "error") {
      console.warn("自测程序出错:", data.stage, data.message);
      if (data.id !== undefined) state.pending.delete(data.id);
      fail(data.stage === "download" ? "download" : "python");
      return;
    }
    emit();
  };
  const onError = (event) => {
    event.preventDefault(); // reported on the page instead of as an uncaught error
    fail("download");
  };
  let worker;
  try {
    worker = startWorker(root, { message: onMessage, error: onError }); // web/preload.js
  } catch (error) {
    fail("worker");
    return { state, listeners, check: () => {} };
  }
  const check = (request) =>
    new Promise((resolve) => {
      const id = state.nextId++;
      state.pending.set(id, resolve);
      worker.postMessage({ type: "check", id, request: JSON.stringify(request) });
    });
  return { state, listeners, check };
}

// ---- the form -------------------------------------------------------------------------

function questionsOf(form) {
  return [...form.querySelectorAll(".hc-q")];
}

function rawValue(form, q) {
  const qid = q.dataset.qid;
  const type = q.dataset.type;
  if (type === "multi") {
    // 以上都没有 → [] ("answered, none"); nothing ticked → not answered.
    if (q.querySelector("input[data-none]:checked")) return [];
    const ticked = [...q.querySelectorAll(`input[name="${CSS.escape(qid)}"]:checked`)].map((i) => i.value);
    return ticked.length ? ticked : null;
  }
  if (type === "choice" || type === "bool") {
    const checked = q.querySelector(`input[name="${CSS.escape(qid)}"]:checked`);
    return checked ? checked.value : null;
  }
  const input = q.querySelector("input");
  return input.value.trim() === "" ? null : input.value.trim();
}

function typedValue(type, raw) {
  if (raw === null) return null;
  if (type === "bool") return raw === "true";
  if (type === "int") return /^-?\d+$/.test(raw) ? Number(raw) : raw; // the checker reports bad input
  return raw;
}

function conditionHolds(values, condition) {
  const value = values[condition.field];
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => condition.in.includes(v));
  return condition.in.includes(value);
}

// A question the rules use on none of the chosen path's programmes cannot change a verdict:
// it is not asked (data-used-on lists "measure:situation" pairs; absent: always asked).
function usedOnPath(q, values) {
  if (!q.dataset.usedOn || !values.measure || !values.situation) return true;
  return JSON.parse(q.dataset.usedOn).includes(`${values.measure}:${values.situation}`);
}

// Show exactly the questions whose show_if holds and that matter on the chosen path, in form
// order: a hidden question's answer does not count, so questions that depend on it hide too.
function applySkipLogic(form) {
  const values = {};
  for (const q of questionsOf(form)) {
    const showIf = JSON.parse(q.dataset.showIf || "[]");
    const visible = showIf.every((c) => conditionHolds(values, c)) && usedOnPath(q, values);
    q.hidden = !visible;
    q.querySelectorAll("input").forEach((input) => (input.disabled = !visible));
    if (visible) {
      const value = typedValue(q.dataset.type, rawValue(form, q));
      if (value !== null) values[q.dataset.qid] = value;
    }
  }
  // "(选填)" where the answer only splits the money between employer and fund.
  const pair = `${values.measure}:${values.situation}`;
  form.querySelectorAll("[data-optional-on]").forEach((note) => (note.hidden = !JSON.parse(note.dataset.optionalOn).includes(pair)));
  for (const group of form.querySelectorAll(".hc-group")) {
    group.hidden = !group.querySelector(".hc-q:not([hidden])");
  }
  return values;
}

// Returns how many answers it could not place: a question or a choice this form does not have
// (a link made by an earlier version of the form, or edited by hand).
function setAnswers(form, profile) {
  const placed = new Set();
  let lost = 0;
  for (const q of questionsOf(form)) {
    const qid = q.dataset.qid;
    if (!(qid in profile)) continue;
    placed.add(qid);
    const value = profile[qid];
    if (["choice", "multi", "bool"].includes(q.dataset.type)) {
      const wanted = (Array.isArray(value) ? value : [value]).map(String);
      const inputs = [...q.querySelectorAll("input")].filter((input) => !input.dataset.none);
      lost += wanted.filter((v) => !inputs.some((input) => input.value === v)).length;
      inputs.forEach((input) => (input.checked = wanted.includes(input.value)));
      const none = q.querySelector("input[data-none]");
      if (none) none.checked = Array.isArray(value) && value.length === 0;
    } else {
      q.querySelector("input").value = String(value);
    }
  }
  return lost + Object.keys(profile).filter((qid) => !placed.has(qid)).length;
}

// What the person answered, as the form words it (for the printout): label and chosen text.
function answersShown(form, profile) {
  const out = [];
  for (const q of questionsOf(form)) {
    const qid = q.dataset.qid;
    if (q.hidden || !(qid in profile)) continue;
    const label = (q.querySelector("legend, label") || {}).textContent || "";
    let value;
    if (["choice", "multi", "bool"].includes(q.dataset.type)) {
      const ticked = [...q.querySelectorAll("input:checked")].map((i) => i.closest("label").textContent.trim());
      value = ticked.join("、");
    } else {
      value = String(profile[qid]);
    }
    out.push({ label, value });
  }
  return out;
}

// ---- share links: the answers travel in the URL fragment, which is never sent to a server ----

function encodeAnswers(profile) {
  const bytes = new TextEncoder().encode(JSON.stringify(profile));
  let binary = "";
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeAnswers(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const profile = JSON.parse(new TextDecoder().decode(bytes));
  if (!profile || typeof profile !== "object" || Array.isArray(profile)) throw new Error("bad answers");
  return profile;
}

// null: no share link; false: a share link that cannot be read (cut short, mistyped).
function sharedAnswers() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const encoded = fragment.get(SHARE_KEY);
  if (!location.hash.slice(1)) return null;
  if (!encoded) return false;
  try {
    return decodeAnswers(encoded);
  } catch {
    return false;
  }
}

function showLinkProblem(root, text) {
  const box = root.querySelector(".hc-error");
  const p = document.createElement("p");
  p.className = "hc-bad-link";
  p.textContent = text;
  box.replaceChildren(p);
  box.hidden = false;
}

const showBadLink = (root) =>
  showLinkProblem(root, "这个分享链接无法读取（可能复制不完整或已损坏），没能恢复回答。请向分享人重新获取链接，或直接在下面重新填写。");

// Not submitted for the person: the result would differ from the one that was shared.
const showPartLink = (root, lost) =>
  showLinkProblem(root, `这个分享链接中有 ${lost} 项回答无法恢复（链接可能来自旧版自测），结果可能与分享人看到的不同。` +
    "请核对并补全下面的回答，再点“查看结果”。");

function shareURL(profile) {
  const url = new URL(location.href);
  url.search = ""; // a preset such as ?path=graduate is already part of the answers
  url.hash = `${SHARE_KEY}=${encodeAnswers(profile)}`;
  return url.href;
}

// ---- status, errors ---------------------------------------------------------------------

const FAILURE_TEXT = {
  nowasm: "您的浏览器版本较旧，无法在本机运行测算工具。",
  worker: "您的浏览器无法启动测算工具。",
  download: "测算工具下载失败，可能是网络不稳定。请稍后刷新页面重试。",
  python: "测算工具运行出错。",
};

function showFailure(root, reason) {
  const box = root.querySelector(".hc-error");
  const p = document.createElement("p");
  p.textContent = `${FAILURE_TEXT[reason] || FAILURE_TEXT.python}您填写的内容仍保留在表格中。`;
  // The static pages say the same as the checker: tiers, benefits and the full texts.
  const links = document.createElement("p");
  links.append("您也可以直接阅读各层次人才的条件和待遇：");
  // [path from the site root, title] of each, from the measures' descriptions (site_builder/selfcheck.py).
  const pages = JSON.parse(root.dataset.fallback || "[]");
  pages.forEach(([path, label], n) => {
    if (n) links.append("、");
    const a = document.createElement("a");
    a.href = new URL(path, SITE_ROOT).href;
    a.textContent = label;
    links.append(a);
  });
  links.append("。");
  box.replaceChildren(p, links);
  box.hidden = false;
}

// ---- wiring -----------------------------------------------------------------------------

function attach(root) {
  if (root.dataset.attached) return;
  root.dataset.attached = "1";
  const form = root.querySelector(".hc-form");
  const submit = form.querySelector(".hc-submit");
  const submitLabel = submit.textContent;
  const queued = root.querySelector(".hc-queued");
  const statusText = root.querySelector(".hc-status-text");
  const resultArea = root.querySelector(".hc-result");
  checker = checker || startChecker(root);

  // Presets (?path=graduate) and share links fill the form before anything else.
  const presets = JSON.parse(root.dataset.presets || "{}");
  const path = new URLSearchParams(location.search).get("path");
  if (path && presets[path]) setAnswers(form, presets[path]);
  const shared = sharedAnswers();
  const lost = shared ? setAnswers(form, shared) : 0;
  if (shared === false) showBadLink(root);
  else if (lost) showPartLink(root, lost);
  applySkipLogic(form);

  // 以上都没有 excludes every other box of its list, and the other way round.
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox" || !box.checked) return;
    const q = box.closest(".hc-q");
    q.querySelectorAll("input[type=checkbox]").forEach((other) => {
      if (other !== box && Boolean(other.dataset.none) !== Boolean(box.dataset.none)) other.checked = false;
    });
  });

  // A result on screen no longer matches the answers once one changes: say so.
  const markStale = () => {
    if (resultArea.dataset.state !== "done") return;
    resultArea.dataset.stale = "";
    resultArea.querySelector(".hc-stale")?.removeAttribute("hidden");
  };
  form.addEventListener("input", () => {
    applySkipLogic(form);
    markStale();
  });
  form.addEventListener("change", () => {
    applySkipLogic(form);
    markStale();
  });

  let waiting = null; // a submission made before the checker was ready

  // Text pages never need the renderer: it loads with the 自测 page, while the tool boots.
  const renderer = import("./selfcheck-result.js");

  // Timings for benchmarks and monitoring, as data-* attributes (ms since navigation start, or
  // for data-paint-ms since the submission was answered).
  const run = async (profile) => {
    const started = performance.now();
    const response = await checker.check({ profile });
    const { renderResult, renderErrors } = await renderer;
    if (!root.isConnected) return;
    delete resultArea.dataset.stale;
    if (response.ok) {
      renderResult(resultArea, response.result, {
        siteRoot: SITE_ROOT,
        shareURL: shareURL(profile),
        procedures: JSON.parse(root.dataset.procedures || "{}"),
        answers: answersShown(form, profile),
        withQR: "qr" in root.dataset,
        // Material's header names the site (mkdocs.yml site_name).
        siteName: root.dataset.siteName || document.querySelector(".md-header__topic .md-ellipsis")?.textContent.trim(),
      });
    } else {
      renderErrors(resultArea, response.errors, form);
    }
    resultArea.hidden = false;
    resultArea.dataset.state = "done";
    resultArea.scrollIntoView({ block: "start" });
    // After the next frame has been painted.
    requestAnimationFrame(() =>
      setTimeout(() => (resultArea.dataset.paintMs = (performance.now() - started).toFixed(1))),
    );
  };

  // A submission made while the tool loads waits at the button, which says so and shows the
  // progress, then runs by itself.
  const showQueued = (state) => {
    if (!waiting) {
      submit.textContent = submitLabel;
      delete submit.dataset.queued;
      queued.hidden = true;
      return;
    }
    submit.textContent = "工具就绪后将自动给出结果";
    submit.dataset.queued = "";
    queued.textContent = `${progressText(state)}。请稍候，无需再次点击。`;
    queued.hidden = false;
  };

  const onState = (state) => {
    if (!root.isConnected) {
      checker.listeners.delete(onState);
      return;
    }
    root.dataset.state = state.status;
    statusText.textContent = state.status === "error" ? "测算工具无法运行。" : `${progressText(state)}${state.status === "ready" ? "" : "……表格可以先填写。"}`;
    if (state.status === "error") {
      // The message stands by the status at the top: someone who pressed submit is down by the button.
      if (waiting) requestAnimationFrame(() => root.querySelector(".hc-error").scrollIntoView({ block: "center" }));
      waiting = null;
      showFailure(root, state.error);
    }
    if (state.status === "ready") {
      root.dataset.readyMs ||= performance.now().toFixed(0);
      root.dataset.bootTimings = JSON.stringify(state.timings || {});
      registerServiceWorker(root);
      if (waiting) {
        const profile = waiting;
        waiting = null;
        run(profile);
      }
    }
    showQueued(state);
  };
  checker.listeners.add(onState);
  onState(checker.state);

  form.addEventListener("submit", (event) => {
    event.preventDefault(); // never a request: the answers stay on this device
    const profile = applySkipLogic(form);
    resultArea.dataset.state = "pending";
    delete resultArea.dataset.paintMs;
    if (checker.state.status === "ready") {
      run(profile);
    } else if (checker.state.status === "loading") {
      waiting = profile;
      showQueued(checker.state);
    }
  });
  submit.disabled = false; // submission is now intercepted: safe to enable
  root.dataset.form = "usable";
  root.dataset.usableMs = performance.now().toFixed(0);

  if (shared && !lost) form.requestSubmit();

  // A share link opened in a tab already on this page changes only the fragment.
  const onHash = () => {
    if (!root.isConnected) return window.removeEventListener("hashchange", onHash);
    const answers = sharedAnswers();
    if (answers === false) return showBadLink(root);
    if (!answers) return;
    root.querySelector(".hc-error").hidden = true;
    form.reset();
    const lostNow = setAnswers(form, answers);
    applySkipLogic(form);
    if (lostNow) showPartLink(root, lostNow);
    else form.requestSubmit();
  };
  window.addEventListener("hashchange", onHash);
}

// The service worker (at the site root, so it controls every page) is registered once the
// checker has loaded: its precache then comes from the HTTP cache instead of a second download.
function registerServiceWorker(root) {
  if (!("serviceWorker" in navigator) || root.dataset.offline) return;
  root.dataset.offline = "pending";
  storeOffline()
    .then(() => (root.dataset.offline = "ready"))
    .catch((error) => {
      console.warn("离线功能不可用:", error.message);
      root.dataset.offline = "unavailable";
    });
}

function onPage() {
  const root = document.getElementById(ROOT_ID);
  if (root) attach(root);
}

onEveryPage(onPage);
