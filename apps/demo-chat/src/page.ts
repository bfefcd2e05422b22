/**
 * The chat page served at /chat/. Its WebSocket goes to `ws/` relative to the page, so through
 * the agent at http://localhost:8080/chat/ it opens ws://localhost:8080/chat/ws.
 */
export function chatPage(backendName: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard demo chat</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
#log{border:1px solid #ccd;border-radius:6px;height:20rem;overflow:auto;padding:.5rem;background:#fafbfd}
form{display:flex;gap:.5rem;margin-top:.5rem}input{flex:1;padding:.4rem}button{padding:.4rem 1rem}
.meta{color:#667;font-size:13px}
</style></head>
<body>
<h1>Demo chat</h1>
<p class="meta">This page came from <b>${backendName}</b>. Each message is echoed to every client on the backend that serves your WebSocket, prefixed with that backend's name.</p>
<div id="log"></div>
<form id="f"><input id="m" autocomplete="off" placeholder="Say something"><button>Send</button></form>
<p class="meta" id="status">connecting…</p>
<script>
const log = document.getElementById('log');
const status = document.getElementById('status');
const url = new URL('ws', location.href.endsWith('/') ? location.href : location.href + '/');
url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
let socket;
function connect() {
  socket = new WebSocket(url);
  socket.onopen = () => { status.textContent = 'connected to ' + url; };
  socket.onmessage = (e) => { const p = document.createElement('div'); p.textContent = e.data; log.append(p); log.scrollTop = log.scrollHeight; };
  socket.onclose = (e) => { status.textContent = 'closed (' + e.code + '), reconnecting…'; setTimeout(connect, 1000); };
}
connect();
document.getElementById('f').onsubmit = (e) => { e.preventDefault(); const m = document.getElementById('m'); if (m.value) socket.send(m.value); m.value = ''; };
</script>
</body></html>`;
}
