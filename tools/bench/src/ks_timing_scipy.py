"""Times scipy.stats.ks_2samp on two float64 sample files. Usage: python3 ks_timing_scipy.py a.f64 b.f64 runs"""
import json
import sys
import time

import numpy as np
from scipy import stats

a = np.fromfile(sys.argv[1], dtype=np.float64)
b = np.fromfile(sys.argv[2], dtype=np.float64)
stats.ks_2samp(a[:10000], b[:10000])  # warm-up
seconds = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter()
    r = stats.ks_2samp(a, b)
    seconds.append(time.perf_counter() - t)
print(json.dumps({"statistic": float(r.statistic), "pValue": float(r.pvalue), "seconds": seconds}))
