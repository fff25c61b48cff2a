// The dashboard page: one static HTML document and its style sheet; the behaviour is in
// client/app.ts, compiled by tsc with the rest (no front-end build step).

/** The page, with the token in the URLs of its script and style (every request must carry it). */
export function pageHtml(token: string): string {
  const query = `?token=${encodeURIComponent(token)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>crewtree dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css${query}">
<script type="module" src="/app.js${query}"></script>
</head>
<body>
<header>
  <h1>crewtree</h1>
  <span id="base" class="muted"></span>
  <span id="totals" class="muted"></span>
  <span id="connection" class="connection" data-state="connecting">connecting…</span>
</header>
<div id="problems" class="problems" hidden></div>
<main>
  <section id="board" class="board" aria-label="Board"></section>
  <aside class="side">
    <section><h2>Workers</h2><table id="workers" class="workers"><thead><tr><th>worker</th><th>task</th><th>phase</th><th>elapsed</th><th>attempt</th><th>pid</th></tr></thead><tbody></tbody></table></section>
    <section><h2>Merge queue</h2><div id="queue"></div></section>
    <section><h2>Task log <span id="log-count" class="muted"></span></h2><ol id="log" class="log"></ol></section>
  </aside>
</main>
<div id="detail" class="detail" hidden role="dialog" aria-labelledby="detail-title">
  <div class="detail-head"><h2 id="detail-title"></h2><button id="detail-close" type="button">Close</button></div>
  <div id="detail-body"></div>
</div>
</body>
</html>
`;
}

export const pageCss = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --line: #d8dce3; --muted: #6b7280; --accent: #2563eb; --bad: #b91c1c; --ok: #15803d; }
@media (prefers-color-scheme: dark) { :root { --bg: #111318; --card: #1b1e25; --line: #2c313b; --muted: #9aa3b2; --accent: #60a5fa; --bad: #f87171; --ok: #4ade80; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); }
header { display: flex; gap: 1rem; align-items: baseline; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.1rem; margin: 0; }
h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .4rem; }
.muted { color: var(--muted); }
.connection { margin-left: auto; font-size: .8rem; }
.connection[data-state="live"] { color: var(--ok); }
.connection[data-state="lost"] { color: var(--bad); }
.problems { background: #fee2e2; color: #7f1d1d; padding: .5rem 1rem; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: .8rem; }
main { display: grid; grid-template-columns: 1fr 26rem; gap: 1rem; padding: 1rem; align-items: start; }
.board { display: grid; grid-template-columns: repeat(5, minmax(9rem, 1fr)); gap: .6rem; }
.column { background: transparent; min-width: 0; }
.cards { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .4rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .4rem .5rem; cursor: pointer; }
.card:hover, .card:focus { border-color: var(--accent); outline: none; }
.card-id { font-weight: 600; font-family: ui-monospace, monospace; font-size: .8rem; }
.card-title { overflow-wrap: anywhere; }
.card-meta { color: var(--muted); font-size: .75rem; }
.card[data-priority="high"] { border-left: 3px solid var(--bad); }
.side section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .6rem; margin-bottom: 1rem; }
.workers { width: 100%; border-collapse: collapse; font-size: .8rem; }
.workers th, .workers td { text-align: left; padding: .15rem .3rem; border-bottom: 1px solid var(--line); }
.workers tr[data-alive="false"] td { color: var(--bad); }
.log { list-style: none; margin: 0; padding: 0; max-height: 22rem; overflow: auto; font-family: ui-monospace, monospace; font-size: .72rem; white-space: pre-wrap; }
.detail { position: fixed; inset: 2rem 2rem 2rem auto; width: min(60rem, calc(100vw - 4rem)); background: var(--card); border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 10px 40px rgba(0,0,0,.25); padding: 1rem; overflow: auto; }
.detail-head { display: flex; justify-content: space-between; align-items: center; }
.detail-head h2 { text-transform: none; letter-spacing: 0; font-size: 1.1rem; color: inherit; }
.detail pre { background: var(--bg); padding: .5rem; overflow: auto; white-space: pre-wrap; font-size: .75rem; max-height: 30rem; }
.detail details { margin: .4rem 0; }
@media (max-width: 70rem) { main { grid-template-columns: 1fr; } }
`;
