"Shared pieces of the benchmark scripts: timing statistics, tables, JSON, CIFAR-10 subsets and lightly's recipe."
import json, os, platform, statistics, time
from pathlib import Path

RESULTS = Path(__file__).parent/'results'

def stats(ts) -> dict:
    "Median, min and max of a list of seconds"
    return dict(median_s=statistics.median(ts), min_s=min(ts), max_s=max(ts), repeats=len(ts))

def timed(f, repeats:int, warmup:int=1, sync=lambda: None) -> list:
    "Seconds of `repeats` calls of `f` after `warmup` calls"
    for _ in range(warmup): f()
    sync(); ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); sync(); ts.append(time.perf_counter() - t0)
    return ts

def table(rows, cols, title=None) -> str:
    "A plain-text table of `rows` (dicts) with `cols` as (key, header, format)"
    head = '  '.join(f"{h:>{max(len(h), 10)}}" for _, h, _ in cols)
    lines = ([title] if title else []) + [head]
    for r in rows:
        lines.append('  '.join(f"{(format(r[k], f) if k in r and r[k] is not None else '-'):>{max(len(h), 10)}}" for k, h, f in cols))
    return '\n'.join(lines)

def machine() -> dict:
    import torch, fastai, kornia
    info = dict(cpu=platform.processor() or platform.machine(), cores=os.cpu_count(), torch=torch.__version__,
                torch_threads=torch.get_num_threads(), fastai=fastai.__version__, kornia=kornia.__version__,
                python=platform.python_version(), gpu=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)
    try:
        import lightly; info['lightly'] = lightly.__version__
    except ImportError: pass
    return info

def save(name:str, payload:dict):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS/f'{name}.json').write_text(json.dumps(dict(machine=machine(), **payload), indent=1))

def cifar_pil(n_per_class:int, split:str='train', size:int=32, seed:int=0):
    "A seeded per-class subset of CIFAR-10 as (PIL images, labels), resized to `size`"
    from PIL import Image
    from simclr_nbdev.data import image_items
    train, valid, _ = image_items('cifar10', n_per_class, n_per_class, seed=seed)
    files = train if split == 'train' else valid
    classes = sorted({f.parent.name for f in files})
    imgs = [Image.open(f).convert('RGB').resize((size, size), Image.BILINEAR) if size != 32 else Image.open(f).convert('RGB') for f in files]
    return imgs, [classes.index(f.parent.name) for f in files]

class TwoViews:
    "A dataset of PIL images through lightly's SimCLRTransform (which returns the two views)"
    def __init__(self, imgs, transform): self.imgs, self.transform = imgs, transform
    def __len__(self): return len(self.imgs)
    def __getitem__(self, i): return self.transform(self.imgs[i])

def lightly_transform(size:int, cifar:bool):
    "lightly's SimCLRTransform with the paper's settings for CIFAR (s=0.5, no blur) or ImageNet (s=1, blur)"
    from lightly.transforms import SimCLRTransform
    from simclr_nbdev.augment import CIFAR_STATS
    if cifar: return SimCLRTransform(input_size=size, cj_strength=0.5, gaussian_blur=0.0,
                                     normalize=dict(mean=CIFAR_STATS[0], std=CIFAR_STATS[1]))
    return SimCLRTransform(input_size=size)

def lightly_loader(imgs, size:int, cifar:bool, bs:int, workers:int=2, shuffle=True):
    import torch
    return torch.utils.data.DataLoader(TwoViews(imgs, lightly_transform(size, cifar)), batch_size=bs, shuffle=shuffle,
                                       num_workers=workers, drop_last=True, persistent_workers=workers > 0)
