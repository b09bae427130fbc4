"""Quality of a few pretraining recipes that fit in 8 minutes of training on 2 CPU cores (the project's time target).

    python bench/recipes.py            # the five recipes below, one after the other: about 40 minutes
    python bench/recipes.py --only 0   # one of them

Each recipe pretrains the small CNN (CIFAR stem) with simclr_nbdev's defaults except what the recipe
changes, with the number of epochs chosen so that training takes about 6-7 minutes at ~750 images/s;
then the encoder is measured as `simclr_pretrain` measures it: weighted kNN (k=200) and the linear
probe on its seeded (42) 10,000-image CIFAR-10 training subset and 2,000 held-out test images
(quality.py draws its subset with seed 0, so the two pages' numbers are not on the same images).
The 8-minute targets are kNN >= 0.55 and linear probe >= 0.60.
"""
import argparse, json, math
from common import table, save
from quality import train_ours

RECIPES = [  # (images per class, epochs, temperature, batch size)
    (1000, 32, 0.2, 256),   # the default 10k subset, longer and at a lower temperature
    (5000, 6, 0.2, 256),    # all 50k images, fewer epochs
    (5000, 6, 0.5, 256),    # the same at the default temperature
    (5000, 6, 0.1, 256),    # ... and at a lower one
    (5000, 6, 0.2, 128),    # twice the steps, half the negatives
]

def run(npc:int, epochs:int, temperature:float, bs:int=256, seed:int=42) -> dict:
    "Pretrain with quality.py's code (no time cap), then evaluate on the split `simclr_pretrain` uses (seed 42)"
    from simclr_nbdev.data import eval_dls
    from simclr_nbdev.eval import evaluate_encoder
    encoder, run_info = train_ours(epochs, math.inf, seed, n_per_class=npc, temperature=temperature, bs=bs)
    edls = eval_dls('cifar10', bs=512, n_per_class=1000, n_valid_per_class=200, seed=seed)
    res = evaluate_encoder(encoder, edls, random_init=None, raw_pixels=False)['encoder']
    return dict(images=npc*10, epochs=epochs, temperature=temperature, bs=bs, lr=3e-3, train_s=run_info['seconds'],
                images_per_s=run_info['images_per_s'], **res)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--only', type=int, default=None, help='index of one recipe to run')
    a = ap.parse_args()
    todo = RECIPES if a.only is None else [RECIPES[a.only]]
    rows = []
    for r in todo:
        rows.append(run(*r)); print(json.dumps(rows[-1]), flush=True)
    print(table(rows, [('images', 'images', 'd'), ('epochs', 'epochs', 'd'), ('temperature', 'temp', '.1f'), ('train_s', 'train s', '.0f'),
                       ('knn_acc', 'kNN', '.3f'), ('linear_acc', 'linear', '.3f')],
                title='Recipes within 8 minutes of CPU training (targets: kNN >= 0.55, linear >= 0.60)'))
    save('recipes', dict(rows=rows, targets=dict(knn=0.55, linear=0.60, train_s=480)))

if __name__ == '__main__': main()
