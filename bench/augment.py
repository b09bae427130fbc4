"""Two-view augmentation throughput: simclr_nbdev's batched kornia pipeline against (a) torchvision v2 transforms of
the same recipe applied per sample in the main process, and (b) lightly's SimCLRTransform in a DataLoader with 2
workers, the way lightly's examples run it; on the CPU (and on the GPU when there is one, for ours).

Views per second = 2 x images / seconds; median of --repeats batches after a warm-up.
Usage: python bench/augment.py [--quick]
"""
import argparse, statistics
import torch
from torchvision.transforms import v2
from simclr_nbdev.augment import simclr_augment, CIFAR_STATS, IMAGENET_STATS
from common import stats, timed, table, save, cifar_pil, lightly_loader

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

def lightly_times(c, repeats):
    "Seconds per batch of lightly's per-image PIL pipeline in a 2-worker DataLoader (steady state)"
    try: import lightly  # noqa
    except ImportError: return None
    warm = 2*2 + 2  # more than the 2 workers x prefetch 2 batches, so the timed batches are produced, not buffered
    imgs, _ = cifar_pil((repeats + warm + 1)*c['bs']//10 + 10, size=c['size'])
    it = iter(lightly_loader(imgs, c['size'], c['preset'] == 'cifar', c['bs']))
    for _ in range(warm): next(it)
    ts = []
    for _ in range(repeats):
        import time; t0 = time.perf_counter(); next(it); ts.append(time.perf_counter() - t0)
    return ts

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--quick', action='store_true', help='5 repeats')
    a = ap.parse_args()
    if a.quick: a.repeats = 5
    rows = []
    for dev in ['cpu'] + (['cuda'] if torch.cuda.is_available() else []):
        sync = torch.cuda.synchronize if dev == 'cuda' else (lambda: None)
        for c in CASES:
            x = torch.rand(c['bs'], 3, c['size'], c['size'], device=dev)
            ours = simclr_augment(c['preset'], size=c['size'], seed=0).to(dev)
            res = {'simclr_nbdev (batched kornia)': timed(lambda: ours(x), a.repeats, sync=sync)}
            if dev == 'cpu':
                tv = torchvision_recipe(c['size'], c['s'], c['blur'], c['stats'])
                res['torchvision v2 per sample'] = timed(lambda: [(tv(img), tv(img)) for img in x], a.repeats)
                lt = lightly_times(c, a.repeats)
                if lt: res['lightly SimCLRTransform, 2 workers'] = lt
            ours_t = statistics.median(res['simclr_nbdev (batched kornia)'])
            for name, ts in res.items():
                r = dict(device=dev, case=c['name'], bs=c['bs'], method=name, **stats(ts))
                r['views_per_s'] = 2*c['bs']/r['median_s']; r['speedup_of_ours'] = r['median_s']/ours_t
                rows.append(r)
    print(table(rows, [('device', 'device', 's'), ('case', 'case', 's'), ('method', 'method', 's'), ('median_s', 'median s', '.4f'),
                       ('min_s', 'min s', '.4f'), ('max_s', 'max s', '.4f'), ('views_per_s', 'views/s', '.0f'), ('speedup_of_ours', 'ours x faster', '.2f')],
                f"Two-view augmentation, median of {a.repeats} batches (views/s = 2 x batch / median time)"))
    save('augment', dict(rows=rows, repeats=a.repeats,
                         targets={'cifar 32px': 5.0, 'imagenet 96px + blur': 2.0}))

if __name__ == '__main__': main()
