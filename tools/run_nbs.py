"""Execute notebooks in place and keep their outputs (for the docs), skipping cells whose test flags
(`#| slow`, `#| cuda`, the `tst_flags` of settings.ini) are not asked for, as `nbdev_test` does.

    python tools/run_nbs.py nbs/05_eval.ipynb                 # flagged cells keep their old outputs
    python tools/run_nbs.py nbs/05_eval.ipynb --flags slow    # run the slow cells too

Then run `nbdev_clean` and `nbdev_export`. Uses nbconvert's ExecutePreprocessor with the Jupyter kernel,
so the outputs are exactly what a user sees running the notebook cell by cell.
"""
import argparse, configparser, re, time
from pathlib import Path
import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parent.parent
NOISE = re.compile(r"\S*torch/jit/_script.py:\d+: FutureWarning: `torch.jit.script` is deprecated.*\n\s*warnings.warn\(\n?")

def _tst_flags():
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    return set(cfg['DEFAULT'].get('tst_flags', '').split())

class FlagSkippingExecutor(ExecutePreprocessor):
    "Execute every code cell except those carrying a test flag that was not asked for"
    skip = set()
    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == 'code':
            flags = {m.group(1) for m in re.finditer(r'^#\|\s*(\w+)\s*$', cell.source, re.M)}
            if flags & self.skip: return cell, resources  # keep its previous outputs
        return super().preprocess_cell(cell, resources, index)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='+')
    ap.add_argument('--flags', default='', help='space-separated test flags to run too (e.g. "slow")')
    ap.add_argument('--timeout', type=int, default=3600, help='seconds per cell')
    a = ap.parse_args()
    for fn in map(Path, a.notebooks):
        nb = nbformat.read(fn, as_version=4)
        ex = FlagSkippingExecutor(timeout=a.timeout, kernel_name='python3')
        ex.skip = _tst_flags() - set(a.flags.split())
        t0 = time.time()
        ex.preprocess(nb, {'metadata': {'path': str(fn.parent)}})
        for c in nb.cells:  # torch 2.14 deprecates torch.jit.script, which fastai calls at import: noise, not teaching
            if c.cell_type == 'code':
                c.outputs = [o for o in c.outputs if not (o.get('name') == 'stderr' and NOISE.search(o.get('text', '')) and
                                                          not NOISE.sub('', o.get('text', '')).strip())]
        nbformat.write(nb, fn)
        print(f"{fn}: {time.time() - t0:.0f} s")

if __name__ == '__main__': main()
