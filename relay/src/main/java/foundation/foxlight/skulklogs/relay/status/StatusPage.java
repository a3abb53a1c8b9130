package foundation.foxlight.skulklogs.relay.status;

/** The fleet status page: a table refreshed from {@code /status.json} every 5 s; silent nodes in red, stopped ones grey. */
final class StatusPage {
    private StatusPage() {
    }

    static final String HTML = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>skulk-logs fleet</title>
            <style>
              body { font: 14px system-ui, sans-serif; margin: 2em; }
              table { border-collapse: collapse; } th, td { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
              tr.silent td { background: #fdd; color: #900; } tr.stopped td { color: #777; } tr.ok td.status { color: #070; }
              td.num { text-align: right; font-variant-numeric: tabular-nums; }
            </style></head>
            <body><h1>skulk-logs fleet</h1><p id="summary">loading…</p>
            <table><thead><tr><th>node</th><th>status</th><th>last line</th><th>lines/min</th><th>agent</th>
            <th>buffer</th><th>oldest unacked</th><th>dropped</th><th>flagged</th><th>since heartbeat</th></tr></thead>
            <tbody id="nodes"></tbody></table>
            <script>
            function ago(ms) { if (ms == null) return '—'; const s = Math.round((Date.now() - ms) / 1000); return s + ' s ago'; }
            function td(text, cls) { const c = document.createElement('td'); c.textContent = text; if (cls) c.className = cls; return c; }
            async function refresh() {
              const res = await fetch('status.json'); const fleet = await res.json(); const body = document.getElementById('nodes');
              body.replaceChildren();
              let silent = 0, stopped = 0;
              for (const n of fleet.nodes) {
                const tr = document.createElement('tr'); tr.className = n.status; tr.dataset.node = n.node_id;
                if (n.status === 'silent') silent++;
                if (n.status === 'stopped') stopped++;
                tr.append(td(n.node_id), td(n.status, 'status'), td(ago(n.last_line_at)), td(n.lines_per_min, 'num'),
                  td(n.agent_version ?? '—'), td(n.buffer_bytes ?? '—', 'num'),
                  td(n.oldest_unacked_age_ms == null ? '—' : Math.round(n.oldest_unacked_age_ms / 1000) + ' s', 'num'),
                  td(n.lines_dropped ?? '—', 'num'), td(n.lines_flagged ?? '—', 'num'),
                  td(n.seconds_since_heartbeat == null ? 'never' : n.seconds_since_heartbeat + ' s', 'num'));
                body.append(tr);
              }
              document.getElementById('summary').textContent = fleet.nodes.length + ' nodes, ' + silent + ' silent, ' + stopped + ' stopped';
            }
            refresh(); setInterval(refresh, 5000);
            </script></body></html>
            """;
}
