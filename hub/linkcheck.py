"""Checking external links: bounded concurrency, timeouts, redirects followed, HEAD then GET."""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

USER_AGENT = "South-4-Care link checker (+https://www.ilo.org)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None
    error: str


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only, checked by check_url
    # urllib follows redirects (301, 302, 303, 307, 308) for HEAD and GET.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked below
        return response.status


def check_url(url: str, *, timeout: float = 10.0) -> LinkResult:
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(url, False, None, "not an http(s) link")
    last_error, status = "", None
    # Some servers refuse HEAD (405, 403) or answer it wrongly: fall back to GET.
    for method in ("HEAD", "GET"):
        try:
            status = _request(url, method, timeout)
            return LinkResult(url, True, status, "")
        except urllib.error.HTTPError as error:
            status, last_error = error.code, f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            status, last_error = None, str(reason)[:200] or error.__class__.__name__
    return LinkResult(url, False, status, last_error)


def check_urls(urls, *, concurrency: int = 8, timeout: float = 10.0) -> dict[str, LinkResult]:
    unique = sorted(set(urls))
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = pool.map(lambda u: check_url(u, timeout=timeout), unique)
        return {result.url: result for result in results}
