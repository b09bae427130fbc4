"""Run every benchmark, one after the other, and print their tables: loss, augmentation, end to end, quality.
Results land in bench/results/*.json, which the benchmarks notebook renders into the docs.

    python bench/run_all.py --quick    # about 15 minutes on 2 CPU cores
    python bench/run_all.py            # the full settings

Nothing else should run on the machine meanwhile: the figures are timings.
"""
import subprocess, sys, time
from pathlib import Path

SCRIPTS = ['loss.py', 'augment.py', 'end_to_end.py', 'quality.py', 'distributed.py']

def main():
    quick = ['--quick'] if '--quick' in sys.argv[1:] else []
    here, t_all, failed = Path(__file__).parent, time.time(), []
    for s in SCRIPTS:
        print(f"\n=== {s} {' '.join(quick)}", flush=True); t0 = time.time()
        rc = subprocess.run([sys.executable, str(here/s), *quick], cwd=here).returncode
        print(f"=== {s}: {time.time() - t0:.0f} s{'' if rc == 0 else f', FAILED (exit {rc})'}", flush=True)
        if rc: failed.append(s)
    print(f"\nall benchmarks: {time.time() - t_all:.0f} s" + (f"; failed: {', '.join(failed)}" if failed else ''))
    sys.exit(1 if failed else 0)

if __name__ == '__main__': main()
