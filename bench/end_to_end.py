"""End-to-end training throughput, images per second, batch 256 on the CPU: simclr_nbdev (a fastai Learner with the
SimCLR callback: views made per batch by the kornia pipeline) against lightly's recipe in a plain PyTorch loop
(SimCLRTransform in a 2-worker DataLoader, SimCLRProjectionHead, NTXentLoss, Adam), with the same backbone.

Median of --steps timed training steps after warm-up steps. Usage: python bench/end_to_end.py [--quick]
"""
import argparse, time
import torch
from common import stats, table, save, cifar_pil, lightly_loader

def ours_step_times(arch, bs, steps, warmup):
    "Seconds per training step of simclr_learner on cached CIFAR-10 batches"
    from fastai.callback.core import Callback, CancelFitException
    from simclr_nbdev.data import simclr_dls
    from simclr_nbdev.callback import simclr_learner
    class StepTimer(Callback):
        "Time between consecutive steps' ends: data loading, views, forward, backward and step all included"
        order = 100
        def before_fit(self): self.ts, self.last = [], None
        def before_validate(self): self.last = None  # no step spans a validation
        def after_batch(self):
            if not self.training: return
            now = time.perf_counter()
            if self.last is not None: self.ts.append(now - self.last)
            self.last = now
            if len(self.ts) >= steps + warmup: raise CancelFitException
    dls = simclr_dls('cifar10', bs=bs, n_per_class=max(bs*(steps + warmup + 2)//10 + 10, 100), seed=0)  # all steps in one epoch
    timer = StepTimer()
    learn = simclr_learner(dls, arch=arch, cbs=timer)
    learn.fit(100, 1e-3)
    return timer.ts[warmup:]

def lightly_step_times(arch, bs, steps, warmup):
    "Seconds per step (data wait included) of lightly's recipe in a plain loop, same backbone"
    from lightly.loss import NTXentLoss
    from lightly.models.modules import SimCLRProjectionHead
    from simclr_nbdev.model import create_encoder
    enc = create_encoder(arch, cifar_stem=True)
    head = SimCLRProjectionHead(enc.n_features, enc.n_features, 128)
    model = torch.nn.Sequential(enc, head)
    opt, crit = torch.optim.Adam(model.parameters(), 1e-3), NTXentLoss(temperature=0.5)
    imgs, _ = cifar_pil(bs*(steps + warmup + 2)//10 + 10)
    it = iter(lightly_loader(imgs, 32, True, bs))
    ts = []
    for _ in range(steps + warmup):
        t0 = time.perf_counter()
        x0, x1 = next(it)  # lightly's transform gives the two views
        loss = crit(model(x0), model(x1))
        opt.zero_grad(); loss.backward(); opt.step()
        ts.append(time.perf_counter() - t0)
    return ts[warmup:]

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--bs', type=int, default=256)
    ap.add_argument('--steps', type=int, default=10, help='timed steps with the small CNN (resnet18: half, at least 5)')
    ap.add_argument('--quick', action='store_true', help='5 timed steps each')
    a = ap.parse_args()
    rows = []
    for arch in ('small', 'resnet18'):
        steps = 5 if a.quick else (a.steps if arch == 'small' else max(5, a.steps//2))
        res = {'simclr_nbdev (Learner + SimCLR callback)': ours_step_times(arch, a.bs, steps, 2),
               'lightly recipe, plain loop': lightly_step_times(arch, a.bs, steps, 2)}
        for name, ts in res.items():
            r = dict(backbone=arch, method=name, bs=a.bs, **stats(ts)); r['images_per_s'] = a.bs/r['median_s']; rows.append(r)
        rows[-2]['ratio_ours_vs_lightly'] = rows[-2]['images_per_s']/rows[-1]['images_per_s']
    print(table(rows, [('backbone', 'backbone', 's'), ('method', 'method', 's'), ('median_s', 'median s/step', '.3f'), ('min_s', 'min s', '.3f'),
                       ('max_s', 'max s', '.3f'), ('images_per_s', 'images/s', '.0f'), ('ratio_ours_vs_lightly', 'ours/lightly', '.2f')],
                f"Training throughput, batch {a.bs}, CPU, median of the timed steps"))
    save('end_to_end', dict(rows=rows, targets={'small': 1.2, 'resnet18': 1.05}))

if __name__ == '__main__': main()
