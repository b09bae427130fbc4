"""NT-Xent forward+backward on the CPU: simclr_nbdev against the matmul floor, a plain cross-entropy
formulation, lightly's NTXentLoss and pytorch-metric-learning's NTXentLoss (the `bench` extra).

Each (method, N) runs in its own subprocess, so that its peak memory can be read cleanly: peak extra memory
is the process's peak resident set during one forward+backward minus its resident set just before it.
Times are the median of --repeats runs after one warm-up. Usage: python bench/loss.py [--quick] [--json PATH]
"""
import argparse, json, math, os, resource, statistics, subprocess, sys, time
from pathlib import Path

METHODS = ['floor', 'ours', 'plain_ce', 'lightly', 'pml']

def _rss():
    with open('/proc/self/statm') as f: return int(f.read().split()[1])*os.sysconf('SC_PAGE_SIZE')

def make_loss(method, temperature):
    "A function (z1, z2) -> scalar for `method`; None when its library is not installed"
    import torch, torch.nn.functional as F
    if method == 'floor': return lambda z1, z2: (torch.cat([z1, z2]) @ torch.cat([z1, z2]).T).sum()
    if method == 'ours':
        from simclr_nbdev.loss import nt_xent
        return lambda z1, z2: nt_xent(z1, z2, temperature)
    if method == 'plain_ce':
        def plain(z1, z2):
            z = F.normalize(torch.cat([z1, z2]), dim=1); n = len(z1)
            S = (z @ z.T/temperature).fill_diagonal_(-math.inf)
            return F.cross_entropy(S, torch.arange(2*n).roll(n))
        return plain
    try:
        if method == 'lightly':
            from lightly.loss import NTXentLoss
            return NTXentLoss(temperature=temperature)
        if method == 'pml':
            from pytorch_metric_learning.losses import NTXentLoss
            f = NTXentLoss(temperature=temperature)
            return lambda z1, z2: f(torch.cat([z1, z2]), torch.arange(len(z1)).repeat(2))
    except ImportError: return None

def child(method, n, d, temperature, repeats, seed=0):
    "Runs in a subprocess: peak memory of one step, then the timed repeats; prints one JSON line"
    import torch
    torch.manual_seed(seed)
    z1, z2 = torch.randn(n, d, requires_grad=True), torch.randn(n, d, requires_grad=True)
    f = make_loss(method, temperature)
    if f is None: print(json.dumps(dict(skipped='not installed'))); return
    before = _rss(); peak0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss*1024
    loss = f(z1, z2); loss.backward()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss*1024
    value = loss.item(); del loss
    times = []
    for _ in range(repeats):
        z1.grad = z2.grad = None
        t0 = time.perf_counter(); f(z1, z2).backward(); times.append(time.perf_counter() - t0)
    print(json.dumps(dict(loss=value, peak_extra_mb=(max(peak, peak0) - before)/2**20 if peak > peak0 else float('nan'),
                          median_s=statistics.median(times), min_s=min(times), max_s=max(times))))

def run(method, n, d, temperature, repeats, mem_limit_gb):
    code = (f"import resource,sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"resource.setrlimit(resource.RLIMIT_DATA, ({mem_limit_gb}*2**30, {mem_limit_gb}*2**30)); "
            f"import loss as b; b.child({method!r}, {n}, {d}, {temperature}, {repeats})")
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    lines = [l for l in p.stdout.splitlines() if l.startswith('{')]
    if p.returncode or not lines:
        oom = 'MemoryError' in p.stderr or 'memory' in p.stderr.lower() or p.returncode < 0
        return dict(skipped='out of memory' if oom else f'failed: {p.stderr.strip().splitlines()[-1:]}')
    return json.loads(lines[-1])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sizes', type=int, nargs='+', default=[256, 1024, 4096])
    ap.add_argument('--d', type=int, default=128)
    ap.add_argument('--temperature', type=float, default=0.5)
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--quick', action='store_true', help='5 repeats')
    ap.add_argument('--mem-limit-gb', type=int, default=12, help='a run that needs more is reported as out of memory')
    ap.add_argument('--json', default=str(Path(__file__).parent/'results'/'loss.json'))
    a = ap.parse_args()
    if a.quick: a.repeats = 5
    rows = []
    for n in a.sizes:
        res = {m: run(m, n, a.d, a.temperature, a.repeats, a.mem_limit_gb) for m in METHODS}
        for m, r in res.items(): rows.append(dict(method=m, N=n, d=a.d, **r))
        ours, floor, lightly = res['ours'], res['floor'], res['lightly']
        for r in rows[-len(METHODS):]:
            if 'median_s' in r and 'median_s' in ours:
                r['ours_over_this'] = ours['median_s']/r['median_s']
    print(f"NT-Xent forward+backward, float32 CPU, d={a.d}, temperature={a.temperature}, median of {a.repeats} "
          f"(torch threads: {os.environ.get('OMP_NUM_THREADS', 'default')})")
    print(f"{'N':>5} {'method':<9} {'median s':>9} {'min s':>8} {'max s':>8} {'peak MB':>8} {'loss':>9} {'ours/this':>9}")
    for r in rows:
        if 'skipped' in r: print(f"{r['N']:>5} {r['method']:<9} skipped: {r['skipped']}"); continue
        print(f"{r['N']:>5} {r['method']:<9} {r['median_s']:>9.4f} {r['min_s']:>8.4f} {r['max_s']:>8.4f} {r['peak_extra_mb']:>8.0f} "
              f"{r['loss'] if r['method'] != 'floor' else float('nan'):>9.5f} {r.get('ours_over_this', float('nan')):>9.2f}")
    for n in a.sizes:
        by = {r['method']: r for r in rows if r['N'] == n}
        vals = {m: by[m]['loss'] for m in ('ours', 'plain_ce', 'lightly', 'pml') if 'loss' in by[m]}
        print(f"N={n}: loss values {', '.join(f'{m} {v:.6f}' for m, v in vals.items())}; "
              f"largest difference from ours {max(abs(v - vals['ours']) for v in vals.values()):.2e}")
    n = max(a.sizes); by = {r['method']: r for r in rows if r['N'] == n}
    summary = {}
    if 'median_s' in by['floor']:
        summary['time_ours_over_floor'] = by['ours']['median_s']/by['floor']['median_s']
        summary['mem_ours_over_floor'] = by['ours']['peak_extra_mb']/by['floor']['peak_extra_mb']
    if 'median_s' in by['lightly']:
        summary['time_ours_over_lightly'] = by['ours']['median_s']/by['lightly']['median_s']
        summary['mem_ours_over_lightly'] = by['ours']['peak_extra_mb']/by['lightly']['peak_extra_mb']
    print(f"N={n}: " + ', '.join(f'{k} {v:.2f}' for k, v in summary.items()) +
          "  (targets: time <= 1.5x floor and <= 0.5x lightly; memory <= 1.5x floor)")
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(dict(rows=rows, summary=summary, repeats=a.repeats, d=a.d), indent=1))

if __name__ == '__main__': main()
