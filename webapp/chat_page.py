"""The website chat widget's files and its Vietnamese demo page (GET /chat)."""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import NamedTuple

from webapp.pages import layout

ROOT = Path(__file__).resolve().parents[1]
STATIC = Path(__file__).resolve().parent / "static"
SOCKET_IO = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

JS = "application/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
# Only these names are served under /static/: nothing else of the disk is reachable.
STATIC_FILES = {
    "widget.js": (STATIC / "widget.js", JS),
    "widget.css": (STATIC / "widget.css", CSS),
    "agent.js": (STATIC / "agent.js", JS),
    "socket.io.min.js": (SOCKET_IO, JS),
}
NPM_MISSING = "socket.io-client chưa được cài: chạy `npm ci` (hoặc `make install`) ở thư mục dự án.\n"


def missing_files() -> list[Path]:
    """The files /static/ serves that are not on disk: socket.io-client comes from `npm ci`, into each checkout's
    own node_modules/ (the shared Python environment's stamp says nothing of it)."""
    return [path for path, _mime in STATIC_FILES.values() if not path.is_file()]


def require_files() -> None:
    """The web app refuses to start without them: the widget would only say "Không tải được thư viện kết nối"."""
    missing = missing_files()
    if missing:
        names = ", ".join(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) for path in missing)
        raise SystemExit(
            f"Web app không khởi động: thiếu {names}, tệp mà khung chat tải từ /static/. socket.io-client được cài "
            f"vào node_modules/ của từng thư mục dự án: chạy `make install` (hoặc `npm ci`) trong {ROOT}.\n"
            f"The web app does not start: {names} is missing; run `make install` (or `npm ci`) in {ROOT}."
        )


class StaticFile(NamedTuple):
    path: Path | None
    mime: str
    error: str


def static_file(name: str) -> StaticFile:
    """The file behind /static/<name>, or why there is none."""
    if name not in STATIC_FILES:
        return StaticFile(None, "", "Không có tệp này.\n")
    path, mime = STATIC_FILES[name]
    if not path.is_file():
        return StaticFile(None, mime, NPM_MISSING if path == SOCKET_IO else "Không có tệp này.\n")
    return StaticFile(path, mime, "")


def embed_snippet(web_origin: str, rasa_url: str, open_on_load: bool = False) -> str:
    opened = ' data-open="true"' if open_on_load else ""
    return (f'<script src="{escape(web_origin)}/static/widget.js" data-rasa-url="{escape(rasa_url)}"'
            f"{opened} defer></script>")


def demo_page(web_origin: str, rasa_url: str) -> str:
    snippet = embed_snippet(web_origin, rasa_url)
    body = f"""
<div class="card">
  <h1>Trợ lý CSKH ngành điện</h1>
  <p>Trang thử khung chat trên website. Khung chat đã mở ở góc phải phía dưới
  (trên điện thoại: toàn màn hình; bấm ✕ để thu nhỏ, bấm nút tròn để mở lại).</p>
  <p class="muted">Thử hỏi: “giá điện bậc thang”, “dùng 300 số hết bao nhiêu”, “hóa đơn tháng này”
  (mã khách hàng PE01000000001, số điện thoại 0901234567), rồi “cho em link thanh toán”.</p>
</div>
<div class="card">
  <h1>Gắn vào website</h1>
  <p class="muted">Dán dòng sau vào trang (trước &lt;/body&gt;). Cuộc trò chuyện được giữ khi tải lại trang.</p>
  <pre style="white-space:pre-wrap;word-break:break-all;background:#f3f6fa;padding:12px;border-radius:8px;
       font-size:.85rem">{escape(snippet)}</pre>
</div>
{embed_snippet("", rasa_url, open_on_load=True)}
"""
    return layout("Trợ lý CSKH ngành điện – khung chat", body)
