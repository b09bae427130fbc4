"""Quality at equal budget: the same backbone (the small CNN, CIFAR stem), data (a seeded 10k-image CIFAR-10 subset,
2k test images), epochs and wall-clock cap, pretrained by simclr_nbdev and by lightly's recipe (SimCLRTransform in a
2-worker DataLoader, SimCLRProjectionHead, NTXentLoss) in a plain loop with the same optimiser and one-cycle schedule
(Adam, peak lr 3e-3, weight decay 1e-4); then kNN (k=200) and linear-probe accuracy of both, of the random-init
encoder and of raw pixels, all measured by the same functions.

Usage: python bench/quality.py [--quick]   (quick: 8 epochs or 200 s each; default: 20 epochs or 480 s each)
"""
import argparse, time
import torch
from common import table, save, cifar_pil, lightly_loader

def train_ours(epochs, budget, seed, n_per_class=1000, temperature=0.5, bs=256):
    "Pretrain the small CNN with simclr_nbdev (Adam, one cycle to 3e-3); returns the encoder and the run's figures"
    from fastai.callback.core import Callback, CancelFitException
    from simclr_nbdev.data import simclr_dls
    from simclr_nbdev.callback import simclr_learner
    class Budget(Callback):
        order = 60  # after the Recorder has logged the epoch
        def before_fit(self): self.t0 = time.time()
        def after_epoch(self):
            if time.time() - self.t0 > budget: raise CancelFitException
    torch.manual_seed(seed)
    dls = simclr_dls('cifar10', bs=bs, n_per_class=n_per_class, seed=seed)
    learn = simclr_learner(dls, arch='small', temperature=temperature, cbs=Budget())
    t0 = time.time(); learn.fit_one_cycle(epochs, 3e-3); secs = time.time() - t0
    return learn.model.encoder, dict(seconds=secs, epochs_done=len(learn.recorder.values), images_per_s=learn.train_iter*bs/secs)

def train_lightly(epochs, budget, seed):
    from lightly.loss import NTXentLoss
    from lightly.models.modules import SimCLRProjectionHead
    from simclr_nbdev.model import create_encoder
    torch.manual_seed(seed)
    enc = create_encoder('small', cifar_stem=True)
    model = torch.nn.Sequential(enc, SimCLRProjectionHead(enc.n_features, enc.n_features, 128))
    imgs, _ = cifar_pil(1000, seed=seed)
    dl = lightly_loader(imgs, 32, True, 256)
    opt = torch.optim.AdamW(model.parameters(), 3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=epochs*len(dl))
    crit, t0, done = NTXentLoss(temperature=0.5), time.time(), 0
    for ep in range(epochs):
        for x0, x1 in dl:  # lightly's transform gives the two views
            loss = crit(model(x0), model(x1)); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        done += 1
        if time.time() - t0 > budget: break
    secs = time.time() - t0
    return enc, dict(seconds=secs, epochs_done=done, images_per_s=done*len(dl)*256/secs)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--budget', type=float, default=480, help='wall-clock cap in seconds for each pretraining')
    ap.add_argument('--quick', action='store_true', help='8 epochs or 200 s each')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    if a.quick: a.epochs, a.budget = 8, 200
    from simclr_nbdev.data import eval_dls
    from simclr_nbdev.model import create_encoder
    from simclr_nbdev.eval import evaluate_encoder
    edls = eval_dls('cifar10', bs=512, n_per_class=1000, n_valid_per_class=200, seed=a.seed)
    ours, ours_run = train_ours(a.epochs, a.budget, a.seed)
    light, light_run = train_lightly(a.epochs, a.budget, a.seed)
    torch.manual_seed(a.seed)
    res = evaluate_encoder(ours, edls, random_init=create_encoder('small', cifar_stem=True))
    res['lightly'] = evaluate_encoder(light, edls, raw_pixels=False)['encoder']
    runs = {'encoder': ours_run, 'lightly': light_run}
    names = {'encoder': 'simclr_nbdev', 'lightly': 'lightly recipe', 'random_init': 'random init', 'raw_pixels': 'raw pixels'}
    rows = [dict(method=names[k], **res[k], **runs.get(k, {})) for k in ('encoder', 'lightly', 'random_init', 'raw_pixels')]
    print(table(rows, [('method', 'method', 's'), ('knn_acc', 'kNN top-1', '.3f'), ('linear_acc', 'linear top-1', '.3f'),
                       ('epochs_done', 'epochs', 'd'), ('seconds', 'train s', '.0f'), ('images_per_s', 'images/s', '.0f')],
                f"Quality at equal budget: small CNN, 10k CIFAR-10 images, {a.epochs} epochs or {a.budget:.0f} s each, 2k test images"))
    save('quality', dict(rows=rows, epochs=a.epochs, budget_s=a.budget,
                         targets=dict(vs_lightly_points=-0.01, knn_8min=0.55, linear_8min=0.60)))

if __name__ == '__main__': main()
