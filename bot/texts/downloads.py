"""One-time download links (EXPORT_DELIVERY=link): what the requester reads."""

LINK = (
    "{caption}\n\n"
    "🔗 下载链接（仅可使用一次，{until}（北京时间）前有效）：\n{url}\n\n"
    "链接打开一次后即失效，请勿转发。过期或已使用后请重新导出。"
)
