"""The same `simclr_pretrain` job as one process and as a torchrun launch of two CPU processes (gloo), side by side.

    python bench/distributed.py --quick    # 1 epoch on 2,000 images, 3 rounds: about 3 minutes on 2 cores
    python bench/distributed.py            # 3 epochs on 5,000 images, 3 rounds

Both runs train with the same effective batch (one process with 256 images, or two with 128 each) and the
same learning rate, so they do the same work; the rounds alternate the two so that drifts in the machine's
speed hit both. Reported: training seconds and images per second from each run's metrics.json, and the
command's wall time (process start, data, training and rank 0's evaluation). On a CPU the two processes
share the same cores that one process would use with two threads: this measures the cost of the
distributed path, not a speed-up.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from common import save, table
from simclr_nbdev.distributed import torchrun, _console_script

def run(nproc:int, args:list, workdir:Path) -> dict:
    out = workdir/f'run{nproc}-{time.time_ns()}'
    bs = 256//nproc
    cmd = [_console_script('simclr_pretrain'), *args, '--bs', bs, '--out', out]
    cpu = {'CUDA_VISIBLE_DEVICES': ''}  # CPU processes, even on a machine with GPUs
    t0 = time.perf_counter()
    if nproc == 1: subprocess.run(list(map(str, cmd)), check=True, capture_output=True, cwd=workdir, env={**os.environ, **cpu})
    else: torchrun(cmd, nproc=nproc, cwd=workdir, env=cpu)
    wall = time.perf_counter() - t0
    m = json.loads((out/'metrics.json').read_text())
    n_files = len(list(workdir.iterdir()))
    shutil.rmtree(out)
    return dict(wall_s=wall, train_s=m['train_seconds'], images_per_sec=m['images_per_sec'], world_size=m['world_size'],
                effective_bs=m['effective_bs'], knn_acc=m['knn_acc'], extra_folders=n_files - 1)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true'); ap.add_argument('--rounds', type=int, default=3)
    a = ap.parse_args()
    epochs, npc = (1, 200) if a.quick else (3, 500)
    args = ['--epochs', epochs, '--n-per-class', npc, '--n-valid-per-class', 50]
    res = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as d:
        for i in range(a.rounds):
            for nproc in ((1, 2) if i % 2 == 0 else (2, 1)):
                r = run(nproc, args, Path(d)); res[nproc].append(r)
                print(f"round {i + 1}, {nproc} process(es): {r['train_s']:.1f} s training, {r['wall_s']:.1f} s wall", flush=True)
    med = lambda n, k: statistics.median(r[k] for r in res[n])
    rows = [dict(processes=n, effective_bs=res[n][0]['effective_bs'], train_s=med(n, 'train_s'), images_per_sec=med(n, 'images_per_sec'),
                 wall_s=med(n, 'wall_s'), knn_acc=med(n, 'knn_acc')) for n in (1, 2)]
    ratio = dict(train_time_2_over_1=rows[1]['train_s']/rows[0]['train_s'], wall_time_2_over_1=rows[1]['wall_s']/rows[0]['wall_s'])
    print(table(rows, [('processes', 'processes', 'd'), ('effective_bs', 'eff. batch', 'd'), ('train_s', 'train s', '.1f'),
                       ('images_per_sec', 'images/s', '.0f'), ('wall_s', 'wall s', '.1f'), ('knn_acc', 'kNN acc', '.3f')],
                title=f"simclr_pretrain, {epochs} epoch(s) on {npc*10} CIFAR-10 images, median of {a.rounds} rounds"))
    print(f"2 processes / 1 process: training time x{ratio['train_time_2_over_1']:.2f}, wall time x{ratio['wall_time_2_over_1']:.2f}")
    assert all(r['extra_folders'] == 0 for rs in res.values() for r in rs), "a run left more than its one output folder"
    save('distributed', dict(settings=dict(epochs=epochs, n_per_class=npc, rounds=a.rounds, quick=a.quick),
                             rows=rows, ratios=ratio, runs={str(k): v for k, v in res.items()}))

if __name__ == '__main__': main()
