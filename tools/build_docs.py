#!/usr/bin/env python
"""Build the documentation site into `docs/` and `README.md` from the notebooks, without quarto.

    python tools/build_docs.py            # build docs/ and README.md
    python tools/build_docs.py --check    # build into a temporary folder and compare with docs/ and README.md:
                                          # exit 1 with the list of stale files, change nothing

Why this script, and the quarto situation
-----------------------------------------
nbdev 2 renders its sites with quarto: `nbdev_docs` processes the notebooks into `_proc/`, runs
`quarto render` there and moves the output folder (settings.ini's `doc_path`, here `docs`) to the
repository root; `nbdev_readme` makes README.md the same way. That is still the path for real users:
the GitHub workflow (.github/workflows/deploy.yaml) installs quarto, runs `nbdev_docs` and publishes
the result to GitHub Pages. The machines that build and test this project cannot install the quarto
binary, so the committed `docs/` and `README.md` come from this script instead, using only the
Python tools in the `[dev]` install:

1. nbdev's own notebook processing, what `nbdev_proc_nbs` does (refresh nbs/nbdev.yml, rebuild the
   module index and nbs/sidebar.yml, then process every notebook into `_proc/`: front matter from the
   `# Title` and `> summary`, `show_doc` cells added after exported definitions and executed, hidden
   and exported cells dropped, backticked names linked). `nbdev_proc_nbs` itself is not called
   because it installs quarto first when quarto is missing (sudo, a download, then a pip install).
   `_proc/` is rebuilt from scratch every time.
2. Every processed notebook in `_proc/` (not those whose name starts with `_` or `.`) is rendered by
   nbconvert's HTMLExporter with the template in tools/templates/simclr_docs, which extends
   nbconvert's built-in `lab` template only to add a navigation sidebar listing every page (its title
   is the notebook's `# ` heading). Pages are named as nbdev names them: `00_data.ipynb` gives
   `docs/data.html`, `index.ipynb` gives `docs/index.html`. What quarto would do with nbdev's cell
   options is done first: `echo: false` hides the code of `show_doc` cells, `include: false` drops a
   cell, `output: false` drops its outputs, and the `#| ` lines are not shown. Images are embedded as
   data URIs, so `docs/` stands alone; maths is typeset by MathJax from its CDN when online and shows
   as TeX source offline. The CSS that the template inlines in every page (the lab theme, about 3,000
   lines) is moved into one stylesheet, `docs/site.css`, which every page links.
3. README.md is `_proc/index.ipynb` (settings.ini's `readme_nb`) through nbconvert's MarkdownExporter.

The output depends only on the notebooks and the installed packages (no dates, no random ids), so a
second build gives byte-identical files and CI can check staleness with `--check` (or with
`git diff --exit-code docs README.md` after a build). `docs/` is generated: everything in it is replaced.
"""
from __future__ import annotations
import argparse, filecmp, os, re, shutil, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent/'templates'
TEMPLATE = 'simclr_docs'
README_FILES = 'index_files'  # images of README.md's outputs, if it ever has any (nbdev's name for them)


# 1. nbdev's processing into _proc/

def process_notebooks(n_workers:int) -> Path:
    "What `nbdev_proc_nbs` does, minus its quarto install; returns `_proc/`"
    from nbdev.config import get_config
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    import nbdev.doclinks
    cfg = get_config()
    shutil.rmtree(cfg.config_path/'_proc', ignore_errors=True)  # no cache: no stale pages, same result every time
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__()
    return proc_nbs(n_workers=n_workers)


# 2. From nbdev's processed notebook to what nbconvert should show

_re_option = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def front_matter(nb) -> dict:
    "The YAML front matter nbdev put in the first raw cell (title, description, output-file), or {}"
    import yaml
    for cell in nb.cells[:1]:
        src = cell.get('source', '').strip()
        if cell.cell_type == 'raw' and src.startswith('---') and src.endswith('---'):
            return yaml.safe_load(src.strip('-')) or {}
    return {}

def split_options(src:str) -> tuple:
    "Leading `#| key: value` lines of a code cell as a dict, and the code without them"
    lines, opts = src.splitlines(), {}
    while lines and _re_option.match(lines[0]):
        k, v = _re_option.match(lines.pop(0)).groups()
        opts[k] = v.strip('"\'').lower()
    return opts, '\n'.join(lines)

_re_attr_link = re.compile(r'\[([^\]]*)\]\(([^)\s]+)\)\{([^}]*)\}')
_re_attr = re.compile(r'([\w-]+)=("[^"]*"|\S+)')

def attr_links(md:str) -> str:
    "Pandoc's `[text](url){key=\"value\"}` (show_doc's source links) as an HTML link, which any renderer shows"
    def link(m):
        attrs = ''.join(f' {k}="{v.strip(chr(34))}"' for k, v in _re_attr.findall(m.group(3)))
        return f'<a href="{m.group(2)}"{attrs}>{m.group(1)}</a>'
    return _re_attr_link.sub(link, md)

_re_md_image = re.compile(r'(!\[[^\]]*\]\()([^)\s]+)((?:\s+"[^"]*")?\))')

def embed_md_images(cell, folder:Path) -> str:
    "Markdown images (attachments and local files) as data URIs, so a page needs no other file"
    import base64, mimetypes
    def uri(m):
        src = m.group(2)
        if src.startswith('attachment:'):
            data = cell.get('attachments', {}).get(src[len('attachment:'):], {})
            mime = next(iter(data), None)
            if mime: return f'{m.group(1)}data:{mime};base64,{"".join(data[mime])}{m.group(3)}'
        elif '://' not in src and not src.startswith('data:') and (folder/src).is_file():
            mime = mimetypes.guess_type(src)[0] or 'application/octet-stream'
            return f'{m.group(1)}data:{mime};base64,{base64.b64encode((folder/src).read_bytes()).decode()}{m.group(3)}'
        return m.group(0)
    return _re_md_image.sub(uri, cell.source)

def page_cells(nb, fm:dict, folder:Path=None):
    "Apply quarto's cell options and put the title block first; `nb` is changed in place"
    from nbformat.v4 import new_markdown_cell
    cells = []
    for cell in nb.cells:
        src = cell.get('source') or ''
        if cell.cell_type == 'raw' and src.strip().startswith('---'): continue  # front matter: becomes the title
        if cell.cell_type == 'code':
            opts, src = split_options(src)
            if opts.get('include') == 'false': continue
            if opts.get('output') == 'false': cell.outputs = []
            if opts.get('echo') == 'false': cell.setdefault('metadata', {}).setdefault('transient', {})['remove_source'] = True
            if not src.strip() and not cell.get('outputs'): continue
        elif not src.strip(): continue
        cell.source = attr_links(src) if cell.cell_type == 'markdown' else src
        if cell.cell_type == 'markdown' and folder is not None: cell.source = embed_md_images(cell, folder)
        for o in cell.get('outputs', []):
            if 'text/markdown' in o.get('data', {}): o.data['text/markdown'] = attr_links(''.join(o.data['text/markdown']))
        cells.append(cell)
    title = [f"# {fm['title']}"] if fm.get('title') else []
    if fm.get('description'): title.append(f"> {fm['description']}")
    nb.cells = ([new_markdown_cell('\n\n'.join(title))] if title else []) + cells
    for i, cell in enumerate(nb.cells): cell['id'] = f'cell-{i}'  # ids are anchors in the page: keep them stable
    lang = nb.metadata.get('kernelspec', {}).get('language', 'python')  # nbdev_clean drops language_info; the same
    nb.metadata['language_info'] = {'name': lang, 'pygments_lexer': 'ipython3' if lang == 'python' else lang}  # for every build
    return nb


# The pages

def nb_html_name(name:str) -> str:
    "nbdev's page name for a notebook: numeric prefix dropped, lower case, `.html`"
    return re.sub(r'^\d+[a-zA-Z0-9]*_', '', Path(name).stem.lower()) + '.html'

def first_heading(nb) -> str|None:
    for cell in nb.cells:
        if cell.cell_type == 'markdown':
            m = re.search(r'^#\s+(\S.*?)\s*$', cell.get('source') or '', flags=re.MULTILINE)
            if m: return m.group(1)

def find_pages(proc:Path) -> list:
    "Every processed notebook with its title and output path, index first"
    import nbformat
    def keep(p): return not any(part.startswith(('_', '.')) for part in p.relative_to(proc).parts)
    def order(p): rel = p.relative_to(proc); return (rel.parent.parts, rel.stem != 'index', rel.name)
    pages = []
    for p in sorted(filter(keep, proc.rglob('*.ipynb')), key=order):
        nb = nbformat.read(p, as_version=4)
        fm = front_matter(nb)
        title = fm.get('title') or first_heading(nb) or p.stem
        rel = p.relative_to(proc)
        pages.append(dict(src=p, nb=nb, fm={**fm, 'title': title}, title=title,
                          out=(rel.parent/(fm.get('output-file') or nb_html_name(rel.name))).as_posix()))
    if not pages: sys.exit(f'no notebooks found in {proc}')
    return pages

def sidebar(pages:list, current:dict) -> dict:
    "What the template's sidebar shows on `current`'s page: links relative to that page"
    here = Path(current['out']).parent
    rel = lambda out: Path(os.path.relpath(out, here)).as_posix()
    from nbdev.config import get_config
    return dict(site_title=get_config().get('title', 'docs'), home=rel('index.html'),
                pages=[dict(title=p['title'], href=rel(p['out']), current=p is current) for p in pages])


# 2 and 3. Rendering

def render_html(pages:list) -> dict:
    "{output path: HTML} for every page"
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input_prompt=True, exclude_output_prompt=True)  # outputs' images are data URIs already
    res = {}
    for page in pages:
        nb = page_cells(page['nb'], page['fm'], page['src'].parent)
        html, _ = exporter.from_notebook_node(nb, resources={'metadata': {'name': page['title']}, 'docs': sidebar(pages, page)})
        res[page['out']] = normalise(html)
    return share_styles(res)

STYLE = re.compile(r'[ \t]*<style type="text/css">(.*?)</style>[ \t]*\n?', re.S)

def share_styles(res:dict) -> dict:
    "Move the CSS that every page inlines (nbconvert's lab theme, ~3,000 lines) into one stylesheet that the pages link"
    out, sheets = {}, {}
    for path, html in res.items():
        end = html.index('</head>')
        head, rest = html[:end], html[end:]
        blocks = [m.group(1).strip() for m in STYLE.finditer(head)]
        if not blocks: out[path] = html; continue
        css = normalise('\n\n'.join(blocks))
        name = sheets.setdefault(css, 'site.css' if not sheets else f'site-{len(sheets)}.css')  # one sheet when all pages agree
        href = Path(os.path.relpath(name, Path(path).parent)).as_posix()
        first = STYLE.search(head)
        head = head[:first.start()] + f'<link rel="stylesheet" href="{href}">\n' + STYLE.sub('', head[first.start():])
        out[path] = head + rest
    out.update({name: css for css, name in sheets.items()})
    return out

def render_readme(pages:list) -> dict:
    "{path: content} for README.md (and the images of its outputs, if any) from the index page"
    import nbformat
    from nbconvert import MarkdownExporter
    from nbdev.config import get_config
    readme_nb = Path(get_config().get('readme_nb', 'index.ipynb')).name
    page = next((p for p in pages if p['src'].name == readme_nb and p['src'].parent.name == '_proc'), None)
    if page is None: sys.exit(f'no {readme_nb} in _proc/ to make README.md from')
    nb = page_cells(nbformat.read(page['src'], as_version=4), page['fm'])
    md, resources = MarkdownExporter().from_notebook_node(nb, resources={'output_files_dir': README_FILES})
    res = {'README.md': normalise(squeeze_blank_lines(md))}
    res.update({name: data for name, data in resources.get('outputs', {}).items()})
    return res

def squeeze_blank_lines(md:str) -> str:
    "At most one blank line in a row outside fenced code (the markdown exporter leaves up to four)"
    out, fenced = [], False
    for line in md.splitlines():
        if line.lstrip().startswith('```'): fenced = not fenced
        if not fenced and not line.strip() and out and not out[-1].strip(): continue
        out.append(line)
    return '\n'.join(out)

def normalise(text:str) -> str:
    "Same text on every machine: no trailing spaces, one final newline"
    return '\n'.join(l.rstrip() for l in text.strip().splitlines()) + '\n'


# Writing and checking

def build(out:Path, n_workers:int) -> list:
    "Process, render, and write `docs/...` and `README.md` under `out`; returns the paths written"
    os.chdir(ROOT)
    try: proc = process_notebooks(n_workers)
    except Exception as e:
        sys.exit(f'nbdev could not process the notebooks for the docs:\n{e}\n\nnbdev runs the exported cells, the '
                 'show_doc cells and every cell that has an import in it; a cell that mixes an import with other '
                 'code runs without the cells before it, so give imports cells of their own.')
    pages = find_pages(proc)
    from nbdev.config import get_config
    doc_dir = Path(get_config().get('doc_path', 'docs')).name
    files = {f'{doc_dir}/{k}': v for k, v in render_html(pages).items()}
    files[f'{doc_dir}/.nojekyll'] = ''  # GitHub Pages: serve the files as they are
    files.update(render_readme(pages))
    for rel, content in files.items():
        p = out/rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes): p.write_bytes(content)
        else: p.write_text(content, encoding='utf-8', newline='\n')
    return sorted(files)

def tree(folder:Path) -> set:
    return {p.relative_to(folder).as_posix() for p in folder.rglob('*') if p.is_file()} if folder.is_dir() else set()

def compare(built:Path, doc_dir:str='docs') -> list:
    "Files under ROOT that differ from, lack, or are extra to the fresh build in `built`"
    stale = []
    for folder in (doc_dir, README_FILES):
        new, old = tree(built/folder), tree(ROOT/folder)
        stale += [f'{folder}/{f} (missing)' for f in sorted(new - old)]
        stale += [f'{folder}/{f} (no longer built)' for f in sorted(old - new)]
        stale += [f'{folder}/{f}' for f in sorted(new & old) if not filecmp.cmp(built/folder/f, ROOT/folder/f, shallow=False)]
    if not (ROOT/'README.md').exists(): stale.append('README.md (missing)')
    elif not filecmp.cmp(built/'README.md', ROOT/'README.md', shallow=False): stale.append('README.md')
    return stale

def guarded() -> list:
    "Tracked files that nbdev's processing may rewrite: --check puts them back and reports them"
    from nbdev.config import get_config
    cfg = get_config()
    return [cfg.nbs_path/'nbdev.yml', cfg.nbs_path/'_quarto.yml', cfg.lib_path/'_modidx.py']

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true', help='build into a temporary folder, compare with docs/ and README.md, exit 1 listing stale files')
    ap.add_argument('--n-workers', type=int, default=min(os.cpu_count() or 1, 4), help='processes for the notebook processing (default: %(default)s)')
    args = ap.parse_args()
    start = time.time()
    os.chdir(ROOT)
    from nbdev.config import get_config
    doc_dir = Path(get_config().get('doc_path', 'docs')).name
    if args.check:
        before = {g: g.read_bytes() if g.exists() else None for g in guarded()}
        with tempfile.TemporaryDirectory(prefix='build_docs_') as tmp:
            build(Path(tmp), args.n_workers)
            stale = compare(Path(tmp), doc_dir)
        for g, data in before.items():  # --check changes nothing that is tracked
            now = g.read_bytes() if g.exists() else None
            if now != data:
                stale.append(f'{g.relative_to(ROOT).as_posix()} (out of date: nbdev_export or tools/build_docs.py rewrites it)')
                if data is None: g.unlink()
                else: g.write_bytes(data)
        if stale:
            print('stale docs, run `python tools/build_docs.py` and commit the result:\n  ' + '\n  '.join(stale))
            sys.exit(1)
        print(f'docs are current: {doc_dir}/ and README.md match a fresh build ({time.time()-start:.0f}s)')
    else:
        with tempfile.TemporaryDirectory(prefix='build_docs_') as tmp:
            written = build(Path(tmp), args.n_workers)
            shutil.rmtree(ROOT/doc_dir, ignore_errors=True)
            shutil.rmtree(ROOT/README_FILES, ignore_errors=True)
            for rel in written:
                (ROOT/rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(tmp)/rel, ROOT/rel)
        for rel in written: print(f'wrote {rel}')
        print(f'built {doc_dir}/ and README.md in {time.time()-start:.0f}s')

if __name__ == '__main__': main()
