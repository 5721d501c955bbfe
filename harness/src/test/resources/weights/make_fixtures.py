# Regenerates the .npz fixtures of NpzFileTest with real NumPy (python3 make_fixtures.py).
import numpy as np

conv = (np.arange(2 * 3 * 2 * 2, dtype=np.float32) - 11.5) / 4  # [out, in, kh, kw]
arrays = {
    "conv.weight": conv.reshape(2, 3, 2, 2),
    "fc.weight": np.arange(6, dtype=np.float64).reshape(2, 3) / 8,  # float64 source
    "bn.num_batches_tracked": np.array(12345, dtype=np.int64),  # 0-d int64, as PyTorch writes it
    "fortran": np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
    "big_endian": np.arange(4, dtype=">f4"),
    "int32": np.array([-3, 0, 7], dtype=np.int32),
}
np.savez("numpy-savez.npz", **arrays)
np.savez_compressed("numpy-savez-compressed.npz", **arrays)
np.savez("complex.npz", ok=np.zeros(2, dtype=np.float32), z=np.zeros(3, dtype=np.complex64))
