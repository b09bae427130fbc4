"""Two-view augmentation throughput: simclr_nbdev's batched kornia pipeline against torchvision v2 transforms
of the same recipe applied per sample (the usual Dataset-side way), on the CPU (and the GPU when there is one).

Views per second = 2 x images / seconds; median of --repeats after a warm-up.
Usage: python bench/augment.py [--quick] [--json PATH]
"""
import argparse, json, statistics, time
from pathlib import Path
import torch
from torchvision.transforms import v2
from simclr_nbdev.augment import simclr_augment, CIFAR_STATS, IMAGENET_STATS

CASES = [dict(name='cifar 32px', preset='cifar', size=32, bs=512, s=0.5, blur=False, stats=CIFAR_STATS),
         dict(name='imagenet 96px + blur', preset='imagenet', size=96, bs=256, s=1.0, blur=True, stats=IMAGENET_STATS)]

def torchvision_recipe(size, s, blur, stats):
    "The same recipe as torchvision v2 transforms, for one image tensor at a time"
    k = max(3, int(0.1*size)//2*2 + 1)
    return v2.Compose([
        v2.RandomResizedCrop(size, scale=(0.08, 1.0), antialias=True), v2.RandomHorizontalFlip(),
        v2.RandomApply([v2.ColorJitter(0.8*s, 0.8*s, 0.8*s, 0.2*s)], p=0.8), v2.RandomGrayscale(p=0.2),
        *([v2.RandomApply([v2.GaussianBlur(k, sigma=(0.1, 2.0))], p=0.5)] if blur else []),
        v2.Normalize(*stats)])

def timeit(f, repeats, sync=lambda: None):
    f(); sync(); ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); sync(); ts.append(time.perf_counter() - t0)
    return ts

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--quick', action='store_true', help='5 repeats')
    ap.add_argument('--json', default=str(Path(__file__).parent/'results'/'augment.json'))
    a = ap.parse_args()
    if a.quick: a.repeats = 5
    devices = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    rows = []
    for dev in devices:
        sync = torch.cuda.synchronize if dev == 'cuda' else (lambda: None)
        for c in CASES:
            x = torch.rand(c['bs'], 3, c['size'], c['size'], device=dev)
            ours = simclr_augment(c['preset'], size=c['size'], seed=0).to(dev)
            tv = torchvision_recipe(c['size'], c['s'], c['blur'], c['stats'])
            t_ours = timeit(lambda: ours(x), a.repeats, sync)
            t_tv = timeit(lambda: [(tv(img), tv(img)) for img in x], a.repeats, sync)
            for name, ts in (('simclr_nbdev', t_ours), ('torchvision v2 per sample', t_tv)):
                rows.append(dict(device=dev, case=c['name'], bs=c['bs'], method=name, median_s=statistics.median(ts),
                                 min_s=min(ts), max_s=max(ts), views_per_s=2*c['bs']/statistics.median(ts)))
            rows[-2]['ratio_vs_torchvision'] = rows[-1]['median_s']/rows[-2]['median_s']
    print(f"Two-view augmentation, median of {a.repeats} (views/s = 2 x batch / median time)")
    print(f"{'device':<6} {'case':<22} {'method':<26} {'median s':>9} {'min s':>8} {'max s':>8} {'views/s':>9} {'ours/tv':>8}")
    for r in rows:
        print(f"{r['device']:<6} {r['case']:<22} {r['method']:<26} {r['median_s']:>9.4f} {r['min_s']:>8.4f} {r['max_s']:>8.4f} "
              f"{r['views_per_s']:>9.0f} {r.get('ratio_vs_torchvision', float('nan')):>8.2f}")
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(dict(rows=rows, repeats=a.repeats), indent=1))

if __name__ == '__main__': main()
