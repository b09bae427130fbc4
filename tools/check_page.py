#!/usr/bin/env python
"""Check that a built docs page really shows something: render it in headless Chromium and look at it.

    python tools/check_page.py                        # docs/data.html (docs/index.html if there is no data page)
    python tools/check_page.py docs/index.html --png /tmp/index.png   # another page; keep the screenshot

For each page: the HTML has the navigation sidebar (tools/build_docs.py's template) and every sidebar
link points at a page that exists; Chromium renders it (headless, no network, a throwaway profile) into
a 1280x900 screenshot; and the screenshot is not blank, both as a whole and in the sidebar's strip
(enough distinct colours and enough contrast). Prints `docs page check: passed`, or says what is wrong
and exits 1. Chromium comes from `--chromium`, $CHROMIUM, or `chromium` on the PATH (Debian: apt-get
install chromium).
"""
from __future__ import annotations
import argparse, os, shutil, signal, subprocess, sys, tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT, SIDEBAR = 1280, 900, 220  # window, and the sidebar's width in the template
MIN_COLOURS, MIN_STD = 64, 12.0          # a page of text and plots has hundreds of colours; a blank one has one

def fail(msg:str): sys.exit(f'docs page check: FAILED: {msg}')

class _Sidebar(HTMLParser):
    "Collects the links inside `<nav class=\"docs-sidebar\">`"
    def __init__(self):
        super().__init__(); self.found, self.depth, self.links = False, 0, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'nav' and 'docs-sidebar' in (a.get('class') or '').split(): self.found, self.depth = True, 1
        elif self.depth and tag == 'nav': self.depth += 1
        elif self.depth and tag == 'a' and a.get('class') != 'docs-site' and a.get('href'): self.links.append(a['href'])
    def handle_endtag(self, tag):
        if self.depth and tag == 'nav': self.depth -= 1

def check_html(page:Path) -> int:
    "The sidebar is there and its links resolve; returns how many pages it lists"
    nav = _Sidebar(); nav.feed(page.read_text(encoding='utf-8'))
    if not nav.found: fail(f'{page} has no navigation sidebar (<nav class="docs-sidebar">): was it built by tools/build_docs.py?')
    if not nav.links: fail(f'the sidebar of {page} lists no pages')
    missing = [h for h in nav.links if not (page.parent/unquote(urlparse(h).path)).is_file()]
    if missing: fail(f'the sidebar of {page} links to pages that do not exist: {", ".join(missing)}')
    return len(nav.links)

def find_chromium(arg:str|None) -> str:
    for c in (arg, os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', '/usr/bin/chromium'):
        path = (c if os.sep in c else shutil.which(c)) if c else None
        if path and Path(path).is_file(): return path
    fail('no Chromium found: install it (apt-get install chromium) or pass --chromium PATH')

def screenshot(chromium:str, page:Path, png:Path, timeout:int=120):
    "Render `page` with headless Chromium into `png`"
    with tempfile.TemporaryDirectory(prefix='check_page_') as profile:
        cmd = [chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
               '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
               '--hide-scrollbars', f'--user-data-dir={profile}', f'--screenshot={png}',
               f'--window-size={WIDTH},{HEIGHT}', page.resolve().as_uri()]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try: out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL); proc.communicate()
            fail(f'Chromium did not finish rendering {page} in {timeout}s')
    if not png.is_file() or png.stat().st_size == 0:
        tail = '\n'.join(out.decode(errors='replace').splitlines()[-15:])
        fail(f'Chromium wrote no screenshot of {page} (exit {proc.returncode}):\n{tail}')

def check_png(png:Path, page:Path):
    "The screenshot, and its sidebar strip, are not blank"
    from PIL import Image, ImageStat
    img = Image.open(png).convert('RGB')
    if img.size != (WIDTH, HEIGHT): fail(f'screenshot of {page} is {img.size[0]}x{img.size[1]}, expected {WIDTH}x{HEIGHT}')
    for name, region, min_colours in (('page', img, MIN_COLOURS), ('sidebar', img.crop((0, 0, SIDEBAR, HEIGHT)), 8)):
        colours = len(region.getcolors(maxcolors=WIDTH*HEIGHT))
        std = max(ImageStat.Stat(region).stddev)
        if colours < min_colours or std < MIN_STD:
            fail(f'the {name} in the screenshot of {page} looks blank: {colours} colours, pixel std {std:.1f} '
                 f'(need at least {min_colours} colours and std {MIN_STD}); screenshot: {png}')

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('pages', nargs='*', help='HTML pages to check (default: docs/data.html, else docs/index.html)')
    ap.add_argument('--png', help='where to keep the screenshot (one page only; default: a temporary file)')
    ap.add_argument('--chromium', help='Chromium binary (default: $CHROMIUM or chromium on the PATH)')
    args = ap.parse_args()
    pages = [Path(p) for p in args.pages] or [next((p for p in (ROOT/'docs'/'data.html', ROOT/'docs'/'index.html') if p.exists()), ROOT/'docs'/'index.html')]
    if args.png and len(pages) > 1: fail('--png takes one page')
    chromium = find_chromium(args.chromium)
    tmp = Path(tempfile.mkdtemp(prefix='check_page_png_'))  # kept when a check fails, to look at
    for page in pages:
        if not page.is_file(): fail(f'{page} does not exist: build the docs first (python tools/build_docs.py)')
        n = check_html(page)
        png = Path(args.png).resolve() if args.png else tmp/f'{page.stem}.png'
        screenshot(chromium, page, png)
        check_png(png, page)
        print(f'{page}: sidebar with {n} pages, screenshot {WIDTH}x{HEIGHT} not blank')
    shutil.rmtree(tmp, ignore_errors=True)
    print('docs page check: passed')

if __name__ == '__main__': main()
