// Paints the checker's result JSON. Every piece of result data goes in as text (createElement +
// textContent); nothing from a result is ever parsed as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function verdictBadge(verdict, label) {
  return el("span", { class: "hc-verdict", "data-verdict": verdict, text: label || verdict });
}

function citationLink(citation, siteRoot) {
  if (!citation || !citation.url) return null;
  return el("a", { class: "hc-cite", href: new URL(citation.url, siteRoot).href, text: citation.label });
}

function citations(item, siteRoot) {
  const list = item.citations || (item.citation ? [item.citation] : []);
  const links = list.map((c) => citationLink(c, siteRoot)).filter(Boolean);
  if (!links.length) return null;
  const span = el("span", { class: "hc-cites" }, "依据：");
  links.forEach((link, n) => span.append(...(n ? ["、", link] : [link])));
  return span;
}

function renderFinding(finding, siteRoot) {
  return el(
    "li",
    { class: "hc-finding", "data-verdict": finding.verdict, "data-criterion": finding.criterion },
    verdictBadge(finding.verdict, finding.verdict_label),
    " ",
    el("span", { class: "hc-finding-label", text: finding.label }),
    finding.values ? el("span", { class: "hc-values", text: finding.values }) : null,
    finding.reason ? el("span", { class: "hc-reason", text: finding.reason }) : null,
    citations(finding, siteRoot),
  );
}

function listOf(items, render, className) {
  if (!items || !items.length) return null;
  return el("ul", { class: className }, items.map(render));
}

function renderNote(note, siteRoot) {
  return el("li", { class: "hc-note" }, el("span", { text: note.text }), " ", citations(note, siteRoot));
}

// A benefit as the checker describes it (the description carries its amounts, in its format).
function renderBenefit(benefit, siteRoot) {
  return el(
    "li",
    { class: "hc-benefit", "data-benefit": benefit.id },
    el("strong", { text: benefit.name }),
    benefit.description ? el("span", { class: "hc-reason", text: `：${benefit.description}` }) : null,
    citations(benefit, siteRoot),
  );
}

// The checker's summary says which programmes apply to the chosen situation (不适用 otherwise).
function statusOf(result) {
  return Object.fromEntries(((result.summary || {}).programmes || []).map((p) => [p.id, p]));
}

// A programme that does not apply is grey 不适用, never a red 不符合.
function statusBadge(programme, status) {
  if (status && !status.applies) return verdictBadge("not_applicable", status.status_label);
  return verdictBadge(programme.verdict, programme.verdict_label);
}

// Every criterion of a tier, folded; the deciding tier may start open.
function renderTier(tier, { deciding, open, applies }, siteRoot) {
  const findings = tier.findings || [];
  const missing = (tier.missing || []).length;
  const review = findings.filter((f) => f.verdict === "review").length;
  const hint = !applies
    ? "不适用于所选情况"
    : missing
      ? `还差 ${missing} 项`
      : `${findings.length} 项条件${review ? `，${review} 项需评审` : ""}`;
  return el(
    "details",
    { class: "hc-tier-detail", "data-tier": tier.id, "data-deciding": deciding ? "" : null, open: open ? "" : null },
    el(
      "summary",
      {},
      el("span", { class: "hc-tier-name", text: tier.name }),
      " ",
      applies ? verdictBadge(tier.verdict, tier.verdict_label) : verdictBadge("not_applicable", "不适用"),
      " ",
      el("span", { class: "hc-tier-hint", text: hint }),
    ),
    listOf(findings, (f) => renderFinding(f, siteRoot), "hc-findings"),
  );
}

function folded(className, title, content, open = false) {
  return el("details", { class: className, open: open ? "" : null }, el("summary", { text: title }), content);
}

// The tier the programme's findings come from: the highest tier reached, else the one whose
// findings the checker returned (the same criteria, first of the best).
function decidingTier(programme) {
  const tiers = programme.tiers || [];
  if (programme.highest_tier) return tiers.find((t) => t.id === programme.highest_tier) || null;
  const ids = (programme.findings || []).map((f) => f.criterion).join(" ");
  return tiers.find((t) => (t.findings || []).map((f) => f.criterion).join(" ") === ids) || tiers[0] || null;
}

function renderProgramme(programme, status, siteRoot) {
  const tiers = programme.tiers || [];
  const deciding = decidingTier(programme);
  const applies = !status || status.applies;
  const benefits = programme.benefits || [];
  const notes = programme.notes || [];
  return el(
    "article",
    { class: "hc-programme", "data-programme": programme.id, "data-verdict": programme.verdict, "data-applies": applies ? "" : null },
    el("h3", {}, el("span", { text: programme.name }), " ", statusBadge(programme, status)),
    el(
      "p",
      { class: "hc-highest" },
      "最高层次：",
      el("strong", {
        class: "hc-tier",
        "data-tier": programme.highest_tier || "",
        text: programme.highest_tier_name || (applies ? "未达到任何层次" : "不适用于所选情况"),
      }),
    ),
    tiers.length
      ? el(
          "div",
          { class: "hc-tier-list" },
          el("h4", { text: "逐条判断（点击层次展开）" }),
          tiers.map((t) =>
            renderTier(t, { deciding: t === deciding, open: applies && t === deciding && Boolean(programme.highest_tier), applies }, siteRoot),
          ),
        )
      : null,
    benefits.length
      ? folded("hc-benefits", `可享受的待遇（${benefits.length} 项）`, listOf(benefits, (b) => renderBenefit(b, siteRoot), "hc-list"))
      : null,
    notes.length
      ? folded("hc-notes", `说明（${notes.length} 条）`, listOf(notes, (n) => renderNote(n, siteRoot), "hc-list"))
      : null,
  );
}

function yearLabel(row) {
  return `第${row.year}年`;
}

function yearSpan(row) {
  return row.from ? `${row.from}${row.to && row.to !== row.from ? ` 至 ${row.to}` : ""}` : "";
}

// Bars to scale from the checker's numbers; every label is the checker's text.
function chart(rows, texts) {
  const amounts = rows.map((r) => Number(r.total) || 0);
  const max = Math.max(...amounts, 1);
  const barWidth = 56;
  const gap = 20;
  const height = 90;
  const width = rows.length * (barWidth + gap) + gap;
  const figure = svg("svg", { class: "hc-chart", viewBox: `0 0 ${width} ${height + 44}`, role: "img", "aria-label": "逐年待遇金额柱状图" });
  figure.append(svg("line", { x1: 0, y1: height + 20, x2: width, y2: height + 20, class: "hc-axis" }));
  rows.forEach((row, n) => {
    const h = Math.round((amounts[n] / max) * height);
    const x = gap + n * (barWidth + gap);
    const y = height + 20 - h;
    figure.append(svg("rect", { x, y, width: barWidth, height: h, class: "hc-bar" }));
    figure.append(svg("text", { x: x + barWidth / 2, y: y - 4, "text-anchor": "middle" }, (texts[n] || {}).text || ""));
    figure.append(svg("text", { x: x + barWidth / 2, y: height + 38, "text-anchor": "middle" }, yearLabel(row)));
  });
  return figure;
}

function yearlyTable(rows, texts, names) {
  const ids = [...new Set(rows.flatMap((r) => Object.keys(r.amounts || {})))];
  return el(
    "table",
    { class: "hc-yearly" },
    el("thead", {}, el("tr", {}, el("th", { text: "年度" }), ids.map((id) => el("th", { text: names[id] || "" })), el("th", { text: "合计" }))),
    el(
      "tbody",
      {},
      rows.map((r, n) => {
        const shown = texts[n] || { amounts: {} };
        return el(
          "tr",
          { "data-year": r.year },
          el("td", {}, el("span", { text: yearLabel(r) }), yearSpan(r) ? el("span", { class: "hc-year-span", text: yearSpan(r) }) : null),
          ids.map((id) => el("td", { text: (shown.amounts || {})[id] || "—" })),
          el("td", { class: "hc-year-total", text: shown.text }),
        );
      }),
    ),
  );
}

const TOTAL_LABELS = [
  ["total", "待遇合计"],
  ["scheduled", "其中按期发放"],
  ["on_application", "其中需申请、按实际拨付"],
  ["by_time_estimate", "其中按在合工作时长估算"],
  ["employer", "用人单位承担"],
  ["fund", "区人才专项资金承担"],
];

function renderMoney(moneyData, shown, siteRoot) {
  if (!moneyData || !shown) return null;
  const totals = moneyData.totals || {};
  const texts = shown.totals_text || {};
  const names = Object.fromEntries((moneyData.items || []).map((i) => [i.benefit, i.name]));
  const rows = moneyData.yearly || [];
  const split = moneyData.split || [];
  const options = shown.split_options || [];
  return el(
    "section",
    { class: "hc-money" },
    el("h3", { text: "待遇金额测算" }),
    el(
      "table",
      { class: "hc-totals" },
      el(
        "tbody",
        {},
        // The total always; its parts only when they hold something.
        TOTAL_LABELS.filter(([key]) => key === "total" || totals[key]).map(([key, label]) =>
          el("tr", { "data-total": key }, el("th", { text: label }), el("td", { text: texts[key] || (key === "total" ? "按实际在合工作时长据实发放" : "—") })),
        ),
      ),
    ),
    listOf(
      shown.items || [],
      (i, n) =>
        el("li", { "data-project": i.project ? "" : null }, `${i.name}：${i.text}${i.project ? "（项目经费，不是个人收入）" : ""} `, citations(moneyData.items[n] || {}, siteRoot)),
      "hc-list hc-items",
    ),
    rows.length ? [el("h4", { text: `${rows.length}年发放安排` }), yearlyTable(rows, shown.yearly_text || [], names), chart(rows, shown.yearly_text || [])] : null,
    split.length
      ? [
          el("h4", { class: "hc-split-title", text: "资金来源" }),
          listOf(
            split,
            (s, n) =>
              el(
                "li",
                {},
                el("span", { text: s.employer_percent == null ? (shown.split_text || [])[n] : s.label }),
                s.employer_percent != null ? el("span", { class: "hc-values", text: (shown.split_text || [])[n] }) : null,
                s.citation ? el("span", { class: "hc-cites" }, "依据：", citationLink(s.citation, siteRoot)) : null,
              ),
            "hc-list hc-split",
          ),
          options.length
            ? listOf(
                options,
                (o) => el("li", { class: "hc-split-option" }, el("span", { text: o.label }), el("span", { class: "hc-values", text: o.text }), citations(o, siteRoot)),
                "hc-list hc-split-options",
              )
            : null,
        ]
      : null,
  );
}

// Programmes that do not apply to the chosen situation fold away together; the others stay
// (their tiers are folded).
function renderProgrammes(result, siteRoot) {
  const programmes = result.programmes || [];
  const status = statusOf(result);
  const others = programmes.filter((p) => status[p.id] && !status[p.id].applies);
  const shown = programmes.filter((p) => !others.includes(p));
  return [
    shown.map((p) => renderProgramme(p, status[p.id], siteRoot)),
    others.length
      ? el(
          "details",
          { class: "hc-other" },
          el("summary", { text: `其他项目（${others.map((p) => p.name).join("、")}）：不适用于所选情况` }),
          others.map((p) => renderProgramme(p, status[p.id], siteRoot)),
        )
      : null,
  ];
}

// The answer in plain words, as the checker worded it: tier and verdict, money per year and in
// total (project funding apart), obligations, what gets further, the next step.
function renderSummary(result, { siteRoot, procedures }) {
  const summary = result.summary || {};
  const main = summary.main;
  const money = summary.money;
  const disclaimer = result.disclaimer || {};
  const programmeLine = (p) =>
    el(
      "li",
      { class: "hc-summary-programme", "data-programme": p.id, "data-status": p.status, "data-off-path": p.applies ? null : "" },
      el("span", { class: "hc-summary-name", text: p.name }),
      " ",
      verdictBadge(p.status, p.status_label),
      " ",
      el("span", { class: "hc-summary-tier", "data-tier": p.tier || "", text: p.tier_name || (p.applies ? "未达到任何层次" : "") }),
    );
  const moneyLines = money ? money.lines || [] : [];
  const perYear = money && money.per_year != null ? moneyLines[0] : null;
  const info = (procedures || {})[result.measure] || {};
  const page = info.page ? new URL(info.page, siteRoot) : null;
  const step = summary.next_step;
  const next = el("p", { class: "hc-next" }, el("strong", { text: "下一步：" }));
  if (step && step.procedure) {
    next.append(`${step.procedure}`);
    const anchor = (info.anchors || {})[step.note];
    if (page) next.append("　", el("a", { class: "hc-next-link", href: `${page.href}${anchor ? `#${anchor}` : ""}`, text: "查看办理程序" }));
  } else if (step) {
    next.append(step.text);
    if (page) next.append("　", el("a", { class: "hc-next-link", href: page.href, text: "查看办理程序" }));
  } else {
    next.append("对照下面的逐条判断，看看还差哪些条件");
    if (page) next.append("　", el("a", { class: "hc-next-link", href: page.href, text: "各项目的办理程序" }));
  }
  const obligations = summary.obligations;
  const nextTiers = summary.next_tiers || [];
  return el(
    "section",
    { class: "hc-summary", "aria-label": "结论一览", "data-tier": main ? main.tier : "" },
    el(
      "p",
      { class: "hc-headline" },
      main ? verdictBadge(main.verdict, main.verdict_label) : null,
      main ? " " : null,
      el("strong", { text: summary.headline || "" }),
    ),
    perYear ? el("p", { class: "hc-per-year" }, el("strong", { class: "hc-summary-amount", text: perYear })) : null,
    moneyLines.length
      ? el("ul", { class: "hc-money-lines" }, moneyLines.slice(perYear ? 1 : 0).map((line) => el("li", { text: line })))
      : el("p", { class: "hc-money-lines", text: "暂无可测算的待遇金额。" }),
    obligations
      ? el(
          "p",
          { class: "hc-obligations" },
          el("strong", { text: "须知：" }),
          ...obligations.items.flatMap((item, n) => [n ? "；" : "", el("span", { text: item.text }), citationLink(item.citation, siteRoot) ? ["（", citationLink(item.citation, siteRoot), "）"] : null]),
        )
      : null,
    nextTiers.length
      ? el(
          "div",
          { class: "hc-next-tiers" },
          el("strong", { text: "更进一步：" }),
          el("ul", {}, nextTiers.map((n) => el("li", { class: "hc-next-tier", "data-programme": n.programme, "data-tier": n.tier, text: n.text }))),
        )
      : null,
    next,
    el("ul", { class: "hc-summary-list" }, (summary.programmes || []).map(programmeLine)),
    el("p", { class: "hc-disclaimer" }, el("span", { text: disclaimer.text || "" }), " ", citations(disclaimer, siteRoot)),
  );
}

// Copy, share sheet, print; the link as a QR code (a booth laptop hands the result to a phone).
function renderShare(shareURL, withQR) {
  const copy = el("button", { type: "button", class: "md-button hc-copy", text: "复制链接" });
  copy.addEventListener("click", async (event) => {
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(shareURL);
      copy.textContent = "已复制";
    } catch {
      copy.textContent = "请长按下方链接复制";
    }
    copy.dataset.done = "";
  });
  const share = typeof navigator.share === "function" ? el("button", { type: "button", class: "md-button hc-share-sheet", text: "分享…" }) : null;
  share?.addEventListener("click", (event) => {
    event.preventDefault();
    navigator.share({ title: "自测结果", url: shareURL }).catch(() => {}); // dismissed: nothing to do
  });
  const print = el("button", { type: "button", class: "md-button hc-print", text: "打印结果" });
  print.addEventListener("click", () => window.print());
  const qr = withQR ? el("div", { class: "hc-result-qr" }) : null;
  // The encoder comes with the site (assets/hc/qr.js); a page without it still shows the link.
  if (qr) {
    import("./qr.js")
      .then(({ qrSvg }) => qrSvg(shareURL, { label: "此结果链接的二维码" }))
      .then((code) => qr.replaceChildren(code))
      .catch(() => qr.remove());
  }
  return el(
    "section",
    { class: "hc-keep", "aria-label": "保存与分享" },
    el("p", { class: "hc-actions hc-noprint" }, copy, " ", share, share ? " " : null, print),
    el(
      "div",
      { class: "hc-link-box" },
      qr,
      el(
        "p",
        { class: "hc-link-text" },
        el("span", { class: "hc-print-only", text: "本结果的链接（扫码或输入即可重新查看）：" }),
        el("a", { class: "hc-share", href: shareURL, text: shareURL }),
      ),
    ),
    el("p", { class: "hc-privacy hc-noprint", text: "链接“#”之后的部分就是您的回答：它只在链接里，打开链接时也不会发送到服务器。" }),
  );
}

// The answers given: folded on screen; a closed fold does not print, so the printout has its
// own copy.
function renderAnswers(answers) {
  if (!answers || !answers.length) return null;
  const list = () => el("dl", {}, answers.flatMap((a) => [el("dt", { text: a.label }), el("dd", { text: a.value })]));
  return [
    el("details", { class: "hc-answers hc-noprint" }, el("summary", { text: `您的回答（${answers.length} 项）` }), list()),
    el("section", { class: "hc-answers hc-print-block" }, el("h3", { text: "您的回答" }), list()),
  ];
}

export function renderResult(area, result, { siteRoot, shareURL, procedures, answers, siteName, withQR }) {
  const notes = result.notes || [];
  const printed = new Date().toLocaleDateString("zh-CN");
  const provenance = (result.provenance || {}).text || "";
  const parts = [
    el("h2", { text: "自测结果" }),
    el("p", { class: "hc-stale", role: "status", hidden: "" }, "您已修改回答，下面的结果已过期。请再次点击“查看结果”。"),
    el(
      "p",
      { class: "hc-meta" },
      // What the result was computed from, as the checker words it: the text's version, the rule
      // data's date and checksum, the assessment date (checker/README.md, provenance).
      el("span", { text: provenance }),
    ),
    renderSummary(result, { siteRoot, procedures }),
    renderShare(shareURL, withQR),
    renderAnswers(answers),
    el("h3", { class: "hc-detail-title", text: "详细判断" }),
    renderProgrammes(result, siteRoot),
    // The detail of the money the summary speaks of: the firm money, or with no firm tier the
    // money after a favourable review.
    renderMoney(((result.summary || {}).money || {}).firm === false ? result.money_if_review : result.money, (result.summary || {}).money, siteRoot),
    notes.length
      ? folded("hc-notes hc-result-notes", `服务承诺、考核与退还（${notes.length} 条）`, listOf(notes, (n) => renderNote(n, siteRoot), "hc-list"))
      : null,
    el(
      "p",
      { class: "hc-print-footer hc-print-only" },
      `${siteName || ""}　打印日期：${printed}　计算依据：${provenance}。按您填写的回答自动测算。`,
    ),
  ];
  area.replaceChildren(...parts.flat(Infinity).filter(Boolean));
}

// The checker's messages are precise for the API and CLI; one that names a value or an id in
// Latin letters is put in the form's words instead (a person never reads an id).
const PLAIN_MESSAGE = {
  choice: "请从选项中选择",
  bool: "请选择“是”或“否”",
  multi: "请从选项中勾选",
  date: "请填写有效的日期（年-月-日）",
  int: "请填写整数",
  text: "请检查填写的文字",
};

export function renderErrors(area, errors, form) {
  form.querySelectorAll(".hc-q[data-invalid]").forEach((q) => q.removeAttribute("data-invalid"));
  const items = (errors || []).map((error) => {
    const field = String(error.field || "").replace(/\[\d+\]$/, "");
    const q = form.querySelector(`.hc-q[data-qid="${CSS.escape(field)}"]`);
    if (q) q.dataset.invalid = "1";
    const label = q ? (q.querySelector("legend, label") || {}).textContent : "";
    const message = /[A-Za-z]/.test(error.message || "")
      ? PLAIN_MESSAGE[q ? q.dataset.type : ""] || "回答有误，请检查后重试"
      : error.message;
    return el("li", { text: label ? `${label}：${message}` : message });
  });
  area.replaceChildren(el("h2", { text: "请检查填写的内容" }), el("ul", { class: "hc-errors" }, items));
}
