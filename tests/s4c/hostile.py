"""A corpus of hostile values, shared by the tests that push them through every way in."""

SCRIPT = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "<iframe src=https://evil.example></iframe>",
    '<p onclick="steal()">hi</p>',
    "<style>body{display:none}</style>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<math><mtext></p><script>alert(1)</script></mtext></math>",
    "{{ 7|add:7 }}{% debug %}",
]
SQL = ["' OR '1'='1", "'; DROP TABLE hub_resource; --", '" OR 1=1 --']
# Bidi embeddings, overrides and isolates; zero-width space and byte-order mark; controls.
INVISIBLE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
             "\u2069", "\u200b", "\ufeff", "\x07", "\x1b"]  # fmt: skip
TITLES = [
    "Care policy \u202egpj.exe",
    "\u2067سياسات الرعاية\u2069 overflow",
    "Care\u200b economy",
    "\ufeffCare economy",
    "Bell\x07 and escape\x1b[2J",
]
UNSAFE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
FILE_NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "/etc/passwd.pdf",
    "report\u202efdp.pdf",
    "a b<script>.pdf",
]
FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]  # fmt: skip
FORBIDDEN_CHARACTERS = "".join(INVISIBLE)
