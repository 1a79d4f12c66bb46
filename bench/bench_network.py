"""Time the Network view end to end, from the analysis to a stable picture in Chromium.

    .venv/bin/python bench/bench_network.py [--sizes 500 2000 5000] [--runs 3] [--no-pyvis] [--no-browser]

For each size n, a generated analysis with n nodes (60 % actors, 20 % factors, 20 % active details) and
3n edges (1.5n relationships, 0.5n factor–actor links, n impacts), seen "now" so every impact counts:

- server cold: build_graph + layout (an empty LayoutCache) + network_html, in a process that has shown a
  network before (templates compiled, vis-network read, igraph imported);
- server cached: build_graph + the layout from the cache + network_html (another review with the same
  structure);
- server rerun: what the Network screen does on a rerun: its drawing comes from ``st.cache_data``
  (keyed by database, analysis, revision, language, review and options), unpickled;
- browser: headless Chromium (/usr/bin/chromium, every non-local request aborted) from navigation to
  ``window.__dnhReady`` (the picture drawn with its labels: the page never runs physics at load);
- end to end: server cold + browser (cold), server rerun + browser (cached), server cached + browser
  (another review: what "cached" measured before the rerun column existed);
- CPU: the server's process time (cold) and the CPU time of all Chromium processes from navigation to
  ready, which a busy machine inflates much less than wall-clock times.

Then pyvis 0.3.2 with its default options on the 500-node graph (``Network()`` + ``from_nx`` +
``generate_html``, vis-network inlined because its default loads it from a CDN, which is blocked here),
timed until vis-network reports ``stabilized``. Results go in bench/README.md under "Network".

``--page`` times the Network *page* instead (see :func:`page_reruns`): the Streamlit screen with AppTest on
the generated 1,000-actor analysis, first run and reruns.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from dnh_graph import network  # noqa: E402
from dnh_graph.network.cache import LayoutCache  # noqa: E402
from dnh_graph.render.network_html import network_html  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
NOT_LOCAL = re.compile(r"^(?!(?:file|data|about):)")
PYVIS_TIMEOUT_S = 300
AFTER_ITERATIONS_S = 30


def analysis_of(n: int, seed: int = 0):
    return generate_analysis(actors=int(0.6 * n), relationships=int(1.5 * n), factors=int(0.2 * n),
                             details=int(0.2 * n), impacts=n, factor_actors=n // 2, options=0,
                             option_impacts_per_option=0, reviews=4, inactive_share=0.0, seed=seed)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def server(analysis, cache: LayoutCache) -> dict:
    c0 = time.process_time()
    t0 = time.perf_counter()
    graph = network.build_graph(analysis)
    t1 = time.perf_counter()
    positions = cache.layout(graph)
    t2 = time.perf_counter()
    html = network_html(graph, positions=positions)
    t3 = time.perf_counter()
    return {"graph": graph, "html": html, "build": ms(t1 - t0), "layout": ms(t2 - t1), "html_ms": ms(t3 - t2),
            "total": ms(t3 - t0), "cpu": ms(time.process_time() - c0)}


def rerun(analysis, cache: LayoutCache, n: int) -> dict:
    """The Network screen's rerun: its drawing from ``st.cache_data`` (pages/network.py, ``_drawing``)."""
    import logging

    import streamlit as st

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime": the bench runs without a server

    @st.cache_data(ttl=3600, max_entries=12, show_spinner=False)
    def drawing(_analysis, url: str, key: str, revision: int, lang: str, review, options: tuple) -> dict:
        return {"html": server(_analysis, cache)["html"]}

    args = (analysis, "sqlite:///bench", f"bench{n}", 1, "en", None, (("color_by", "type"),))
    drawing(*args)  # the first run fills the cache
    c0 = time.process_time()
    t0 = time.perf_counter()
    html = drawing(*args)["html"]
    took = {"total": ms(time.perf_counter() - t0), "cpu": ms(time.process_time() - c0)}
    drawing.clear()
    return {"html": html, **took}


class Browser:
    """One Chromium for the whole run; each page in a fresh context, every remote request aborted."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._p = sync_playwright().start()
        self.browser = self._p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        self.cdp = self.browser.new_browser_cdp_session()
        self.folder = Path(tempfile.mkdtemp(prefix="dnh-bench-"))

    def open(self, html: str, name: str):
        path = self.folder / name
        path.write_text(html, encoding="utf-8")
        context = self.browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        aborted, errors = [], []

        def abort(r):
            aborted.append(r.request.url)
            r.abort()

        # The same rule as the browser test (anything not file:, data:, about: is aborted), written as a
        # pattern so that the local page itself is not passed through Python on its way in.
        page.route(NOT_LOCAL, abort)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return context, page, path, aborted, errors

    def cpu(self) -> dict:
        """CPU seconds used so far by each Chromium process (browser, GPU, renderers)."""
        info = self.cdp.send("SystemInfo.getProcessInfo")["processInfo"]
        return {(p["type"], p["id"]): p["cpuTime"] for p in info}

    def ours(self, html: str, name: str) -> dict:
        context, page, path, aborted, errors = self.open(html, name)
        try:
            before = self.cpu()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.__dnhReady", timeout=120_000)
            ready = page.evaluate("window.__dnhReady")
            after = self.cpu()
            return {"ms": round(ready["ms"], 1), "mode": ready["mode"], "aborted": len(aborted),
                    "errors": len(errors), "cpu": ms(sum(t - before.get(p, 0.0) for p, t in after.items()))}
        finally:
            context.close()

    def pyvis(self, html: str) -> dict:
        context, page, path, aborted, errors = self.open(html, "pyvis.html")
        try:
            page.goto(path.as_uri(), wait_until="domcontentloaded")
            page.wait_for_function("() => typeof network !== 'undefined'", timeout=60_000)
            # 'stabilized' is vis-network's "nothing moves any more"; with pyvis's defaults it may never
            # come, so we give up AFTER_ITERATIONS_S after the stabilisation iterations are done.
            result = page.evaluate(f"""() => new Promise(resolve => {{
                const out = {{}};
                network.on('stabilizationIterationsDone', () => {{
                    out.iterations_done = performance.now();
                    setTimeout(() => resolve(out), {AFTER_ITERATIONS_S * 1000});
                }});
                network.once('stabilized', (p) => {{
                    out.stabilized = performance.now(); out.iterations = p.iterations; resolve(out); }});
                setTimeout(() => resolve(out), {PYVIS_TIMEOUT_S * 1000});
            }})""")
            result.update(aborted=len(aborted), errors=len(errors))
            return result
        finally:
            context.close()

    def close(self):
        self.browser.close()
        self._p.stop()


def pyvis_defaults(graph: nx.MultiDiGraph) -> tuple[str, float]:
    """What a first version would do: pyvis defaults on the same nodes and edges."""
    from pyvis.network import Network

    simple = nx.MultiDiGraph()
    simple.add_nodes_from((n, {"label": d["label"]}) for n, d in graph.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in graph.edges())
    t0 = time.perf_counter()
    net = Network(cdn_resources="in_line")  # the default ("local") loads vis-network from a CDN
    net.from_nx(simple)
    html = net.generate_html()
    return html, ms(time.perf_counter() - t0)


def cell(runs: list[dict], key: str) -> str:
    """'median (best)' of one measure over the runs."""
    values = [r[key] for r in runs if key in r]
    return f"{statistics.median(values):,.0f} ({min(values):,.0f})" if values else "–"


# ------------------------------------------------------------------------------------------------------
# The Network page in Streamlit (pages/network.py), server side, with AppTest. Separate from the view
# benchmark above: it adds what the page does around the drawing (the entry point and sidebar, the
# metrics table with betweenness, the comparison of two reviews, the caches) and leaves out the browser.
PAGE_STEPS = ("first run (cold)", "rerun, nothing changed", "another review (slider)", "harm pathways only",
              "focus on an actor, depth 2", "back to the first view", "open the actor metrics (cold)",
              "metrics at another review")


def page_reruns(runs: int = 3, seed: int = 0) -> dict:
    """Seconds per step of :data:`PAGE_STEPS` for ``runs`` runs, each from empty caches (a fresh server).

    The analysis is ``generate_analysis(seed=seed)`` (1,000 actors, 3,000 relationships, 200 factors,
    300 details, 3,000 impacts, 12 reviews), stored in a temporary SQLite file. The same page on an
    empty analysis is the baseline (``empty``).
    """
    import os

    import streamlit as st

    from dnh_graph.model import AnalysisInfo
    from dnh_graph.store import Store
    from dnh_graph.synthetic import generate_analysis
    from tests.apptest_support import app, page_path

    folder = Path(tempfile.mkdtemp(prefix="dnh-bench-page-"))
    os.environ["DNH_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite'}"
    store = Store.open(os.environ["DNH_DATABASE_URL"])
    analysis = generate_analysis(seed=seed)
    store.import_analysis(analysis)
    store.create_analysis(AnalysisInfo("empty", "Empty"))
    reviews = sorted(analysis.reviews, key=lambda r: r.date)

    def timed(at) -> float:
        start = time.perf_counter()
        at.run()
        took = time.perf_counter() - start
        assert not at.exception, [e.message for e in at.exception]
        return took

    def opened(key: str):
        at = app(timeout=600)
        at.session_state["dnh_analysis"] = key
        at.switch_page(page_path("network"))
        return at

    times: dict[str, list[float]] = {step: [] for step in (*PAGE_STEPS, "empty")}
    facts: dict = {}
    for _ in range(runs):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = opened(analysis.key)
        times[PAGE_STEPS[0]].append(timed(at))
        frame = at.get("iframe")[0].proto.srcdoc
        facts = {"page MB": round(len(frame.encode()) / 1e6, 1), "nodes": frame.count('"s":"a:') +
                 frame.count('"s":"f:') + frame.count('"s":"d:')}
        times[PAGE_STEPS[1]].append(timed(at))
        at.select_slider(key="net_review").set_value(reviews[len(reviews) // 2].key)
        times[PAGE_STEPS[2]].append(timed(at))
        at.toggle(key="net_harm").set_value(True)
        times[PAGE_STEPS[3]].append(timed(at))
        at.toggle(key="net_harm").set_value(False)
        at.selectbox(key="net_focus").set_value("a1")
        at.session_state["net_depth"] = 2
        times[PAGE_STEPS[4]].append(timed(at))
        at.selectbox(key="net_focus").set_value("")
        at.select_slider(key="net_review").set_value("")
        times[PAGE_STEPS[5]].append(timed(at))
        at.session_state["net_tab"] = "Actor metrics"  # a lazy tab: computed when opened
        times[PAGE_STEPS[6]].append(timed(at))
        at.select_slider(key="net_review").set_value(reviews[1].key)
        times[PAGE_STEPS[7]].append(timed(at))
        empty = opened("empty")
        timed(empty)
        times["empty"].append(timed(empty))
    return {"times": times, **facts}


def print_page_reruns(runs: int) -> None:
    result = page_reruns(runs)
    times = result.pop("times")
    print(f"Network page, AppTest, generated 1,000-actor analysis ({result}); median (best) of {runs} runs, "
          "from empty caches each time, in ms:")
    print()
    print("| step | ms |")
    print("|---|---:|")
    for step, values in times.items():
        label = "same page on an empty analysis (rerun)" if step == "empty" else step
        print(f"| {label} | {statistics.median(values) * 1000:,.0f} ({min(values) * 1000:,.0f}) |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pyvis", action="store_true", help="skip pyvis's defaults (about a minute)")
    parser.add_argument("--no-browser", action="store_true", help="server side only")
    parser.add_argument("--page", action="store_true",
                        help="only the Network page with AppTest on the 1,000-actor analysis (page_reruns)")
    args = parser.parse_args(argv)
    if args.page:
        print_page_reruns(args.runs)
        return 0

    browser = None if args.no_browser else Browser()
    network_html(network.build_graph(analysis_of(20)))  # warm-up: templates, vis-network, igraph
    print(f"Python {platform.python_version()}, networkx {nx.__version__}, {platform.machine()}; "
          f"median (best) of {args.runs} runs, in ms")
    print()
    print("| nodes | edges | build | layout | html | server cold | server cached | server rerun | page MB | browser "
          "| end to end cold | end to end cached | end to end another review | CPU server cold | CPU browser |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    results, checks = {}, []
    for n in args.sizes:
        analysis = analysis_of(n)
        runs = []
        for run in range(args.runs):
            cache = LayoutCache()
            cold = server(analysis, cache)
            cached = server(analysis, cache)
            again = rerun(analysis, cache, n)
            assert again["html"] == cold["html"]
            row = {"build": cold["build"], "layout": cold["layout"], "html": cold["html_ms"],
                   "cold": cold["total"], "cached": cached["total"], "rerun": again["total"],
                   "cpu_cold": cold["cpu"]}
            if browser:
                shown = browser.ours(cold["html"], f"ours-{n}-{run}.html")
                checks.append(shown)
                row.update(browser=shown["ms"], e2e_cold=cold["total"] + shown["ms"],
                           e2e_cached=again["total"] + shown["ms"], e2e_review=cached["total"] + shown["ms"],
                           cpu_browser=shown["cpu"])
            runs.append(row)
        graph = cold["graph"]
        results[n] = runs

        cells = {key: cell(runs, key) for key in ("build", "layout", "html", "cold", "cached", "rerun", "browser",
                                                  "e2e_cold", "e2e_cached", "e2e_review", "cpu_cold", "cpu_browser")}
        print(f"| {graph.number_of_nodes():,} | {graph.number_of_edges():,} | {cells['build']} "
              f"| {cells['layout']} | {cells['html']} | {cells['cold']} | {cells['cached']} | {cells['rerun']} "
              f"| {len(cold['html']) / 1e6:.1f} | {cells['browser']} | {cells['e2e_cold']} "
              f"| {cells['e2e_cached']} | {cells['e2e_review']} | {cells['cpu_cold']} | {cells['cpu_browser']} |")

    if checks:
        print()
        print(f"{len(checks)} pages: {', '.join(sorted({c['mode'] for c in checks}))}; aborted requests: "
              f"{sum(c['aborted'] for c in checks)}; console errors: {sum(c['errors'] for c in checks)}")
    if browser and not args.no_pyvis and 500 in results:
        html, python_ms = pyvis_defaults(network.build_graph(analysis_of(500)))
        result = browser.pyvis(html)
        done = result.get("iterations_done")
        stable = result.get("stabilized")
        print()
        settled = f"not within {AFTER_ITERATIONS_S} s after that" if stable is None else f"at {stable:,.0f} ms"
        print(f"pyvis 0.3.2 defaults, same 500-node graph: Python (from_nx + generate_html) "
              f"{python_ms:,.0f} ms; Chromium: 1,000 stabilisation iterations done at "
              f"{'–' if done is None else f'{done:,.0f}'} ms, 'stabilized' {settled} "
              f"(aborted requests: {result['aborted']}, console errors: {result['errors']})")
        if done is not None and browser:
            ours = statistics.median(r["e2e_cold"] for r in results[500])
            pyvis_total = python_ms + (stable if stable is not None else done)
            print(f"end to end at 500 nodes: pyvis {pyvis_total:,.0f} ms{'+' if stable is None else ''}, "
                  f"ours {ours:,.0f} ms (cold): {pyvis_total / ours:,.0f}x faster")
    if browser:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
